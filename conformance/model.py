"""Cases, verdicts and results: the vocabulary shared by the loader, runners and reports."""

from __future__ import annotations

import enum
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from conformance.rfctext import quote_problem

CASES_DIR = Path(__file__).resolve().parent / "cases"

LEVELS = ("MUST", "SHOULD", "MAY")
SIDES = ("server", "client")
_ID = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
_RFC = re.compile(r"(9112|7230|9110|7231|6455|7692|6265) §(?:[0-9]+|[A-Z])(?:\.[0-9]+)*")
_COMMON_KEYS = {"id", "protocol", "side", "rfc", "section", "level", "description", "quote"}


class Verdict(enum.Enum):
    """How a peer did on one case (the scale Autobahn made familiar)."""

    PASS = "PASS"
    """The peer did what the case expects."""
    NON_STRICT = "NON-STRICT"
    """Allowed by the RFC but not the best behaviour, or a SHOULD not met."""
    INFORMATIONAL = "INFORMATIONAL"
    """Behaviour recorded for information (a MAY, or a case the target cannot run)."""
    FAIL = "FAIL"
    """A requirement was broken."""
    ERROR = "ERROR"
    """The harness or the driver of the peer could not run the case: no judgement of the peer."""


@dataclass(frozen=True, slots=True)
class Case:
    """One case of the corpus, as loaded from its file.

    Attributes:
        id: stable identifier, e.g. ``h1-srv-6.3-te-and-cl``.
        protocol: the runner that replays it (``"http1"``, ``"websocket"``).
        side: ``"server"`` or ``"client"``: which side of the peer is tested.
        rfc: citations such as ``"9112 §6.3"``.
        section: the main section, e.g. ``"6.3"``.
        level: ``"MUST"``, ``"SHOULD"`` or ``"MAY"``: the BCP 14 keyword of the quoted sentence.
        description: one line saying what is checked.
        data: the whole case object, for the runner.
        source: the file it came from.
        quote: where the tested sentence is (``"9112 §6.3"``) and its text.
    """

    id: str
    protocol: str
    side: str
    rfc: tuple[str, ...]
    section: str
    level: str
    description: str
    data: dict[str, Any] = field(compare=False, hash=False, repr=False)
    source: str = ""
    quote: tuple[str, str] = ("", "")


@dataclass(slots=True)
class Result:
    """The outcome of one case against one peer.

    Attributes:
        case: the case.
        verdict: PASS, NON-STRICT, INFORMATIONAL, FAIL or ERROR.
        reason: why, in one sentence.
        expected: what the case expects, in words and notation.
        sent: the octets the harness sent, in the notation.
        observed: the octets (or, for a command client, the output) the peer produced.
        duration: seconds the case took.
    """

    case: Case
    verdict: Verdict
    reason: str
    expected: str = ""
    sent: str = ""
    observed: str = ""
    duration: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """A plain dictionary for the JSON report."""
        record = {
            key: value for key, value in asdict(self).items() if key not in ("case", "verdict")
        }
        case = self.case
        return {
            "id": case.id,
            "protocol": case.protocol,
            "side": case.side,
            "rfc": list(case.rfc),
            "section": case.section,
            "level": case.level,
            "description": case.description,
            "quote": {"from": case.quote[0], "text": case.quote[1]},
            "verdict": self.verdict.value,
            **record,
        }


_TIME_SCALE: list[float] = []


def set_time_scale(factor: float | None) -> None:
    """Set (or with ``None`` clear) the time scale, over ``CONFORMANCE_TIME_SCALE``."""
    _TIME_SCALE[:] = [] if factor is None else [factor]


def time_scale() -> float:
    """The factor applied to every time bound of the corpus.

    ``--time-scale`` (:func:`set_time_scale`) or else ``CONFORMANCE_TIME_SCALE`` (default 1)
    stretches the bounds on a slow or loaded machine (or under a coverage tracer); the timeouts
    a client is asked to honour are not stretched.
    """
    if _TIME_SCALE:
        return _TIME_SCALE[0]
    try:
        value = float(os.environ.get("CONFORMANCE_TIME_SCALE", "1"))
    except ValueError:
        return 1.0
    return value if value > 0 else 1.0


def grade(level: str, met: bool, reason: str) -> tuple[Verdict, str]:
    """The verdict for a case whose main expectation was met or not.

    A MUST not met is a FAIL, a SHOULD not met is NON-STRICT, a MAY is always INFORMATIONAL.
    """
    if level == "MAY":
        return Verdict.INFORMATIONAL, reason
    if met:
        return Verdict.PASS, reason
    return (Verdict.FAIL if level == "MUST" else Verdict.NON_STRICT), reason


def not_applicable(reason: str) -> tuple[Verdict, str]:
    """The verdict for a case this peer cannot be judged on, with the reason."""
    return Verdict.INFORMATIONAL, f"not applicable: {reason}"


class CaseFileError(ValueError):
    """A case file does not follow FORMAT.md."""


def check_common(raw: dict[str, Any], where: str) -> list[str]:
    """Errors in the fields every case has, whatever its protocol."""
    errors = []
    if not isinstance(raw.get("id"), str) or not _ID.fullmatch(raw["id"]):
        errors.append(f"{where}: id must be lower-case words joined by - or .")
    if raw.get("side") not in SIDES:
        errors.append(f"{where}: side must be one of {SIDES}")
    if raw.get("level") not in LEVELS:
        errors.append(f"{where}: level must be one of {LEVELS}")
    rfc = raw.get("rfc")
    if (
        not isinstance(rfc, list)
        or not rfc
        or not all(isinstance(item, str) and _RFC.fullmatch(item) for item in rfc)
    ):
        errors.append(f"{where}: rfc must be a non-empty list like ['9112 §6.3', '7230 §3.3.3']")
    if not isinstance(raw.get("section"), str) or not raw["section"]:
        errors.append(f"{where}: section must be a string such as '6.3'")
    text = raw.get("description")
    if not isinstance(text, str) or not text or "\n" in text or len(text) > 160:
        errors.append(f"{where}: description must be one line of at most 160 characters")
    citations = rfc if isinstance(rfc, list) else []
    problem = quote_problem(raw.get("quote"), citations, str(raw.get("level")))
    if problem:
        errors.append(f"{where}: {problem}")
    return errors


def read_case_file(path: Path) -> list[dict[str, Any]]:
    """The case objects of one file, with the file's ``protocol`` filled in.

    Raises:
        CaseFileError: when the file is not a JSON object with ``protocol``, ``title``, ``cases``.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CaseFileError(f"{path}: {exc}") from exc
    if not isinstance(document, dict) or set(document) != {"protocol", "title", "cases"}:
        raise CaseFileError(f"{path}: top level must have exactly protocol, title and cases")
    if not isinstance(document["cases"], list) or not all(
        isinstance(item, dict) for item in document["cases"]
    ):
        raise CaseFileError(f"{path}: cases must be a list of objects")
    out = []
    for item in document["cases"]:
        if "protocol" in item and item["protocol"] != document["protocol"]:
            raise CaseFileError(f"{path}: {item.get('id')}: protocol differs from the file's")
        out.append({**item, "protocol": document["protocol"]})
    return out


def to_case(raw: dict[str, Any], source: str) -> Case:
    """Wrap a validated case object."""
    return Case(
        id=raw["id"],
        protocol=raw["protocol"],
        side=raw["side"],
        rfc=tuple(raw["rfc"]),
        section=raw["section"],
        level=raw["level"],
        description=raw["description"],
        data=raw,
        source=source,
        quote=(raw["quote"]["from"], raw["quote"]["text"]),
    )


def common_keys() -> set[str]:
    """Keys every case may carry whatever its protocol."""
    return set(_COMMON_KEYS)
