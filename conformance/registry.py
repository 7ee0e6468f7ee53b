"""Which runner replays which protocol, and loading the corpus.

Extension point: a protocol is a key of :data:`RUNNERS` naming a module that provides

- ``validate_case(raw: dict) -> list[str]``: the protocol-specific errors of one case object
  (the common fields are checked here);
- ``async run_case(case: Case, target: Target) -> Result``.

Case files live in ``conformance/cases/<protocol>/*.json`` and say ``"protocol": "<key>"``.
"""

from __future__ import annotations

import fnmatch
import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from conformance.model import CASES_DIR, Case, CaseFileError, check_common, read_case_file, to_case
from conformance.targets import ClientDriver, ServerTarget

#: protocol name -> module that runs its cases.
RUNNERS: dict[str, str] = {
    "http1": "conformance.http1",
    "websocket": "conformance.websocket",
}


@dataclass(slots=True)
class Target:
    """The peer under test: a server, a client driver, or both.

    Attributes:
        server: the server under test, if any.
        client: the driver of the client under test, if any. A runner that needs more than
            ``fetch_all`` (the WebSocket runner wants ``ws_echo``) checks with ``hasattr``.
        name: ``"aiohttp"`` for the built-in target, else the ``--url`` / ``--client-cmd`` text.
        client_cmd: the ``--client-cmd`` value, so another runner can build its own driver.
    """

    server: ServerTarget | None = None
    client: ClientDriver | None = None
    name: str = ""
    client_cmd: str | None = None


def runner_for(protocol: str) -> ModuleType:
    """The runner module of ``protocol``.

    Raises:
        CaseFileError: for a protocol no runner is registered for, or whose module is missing.
    """
    name = RUNNERS.get(protocol)
    if name is None:
        raise CaseFileError(f"no runner for protocol {protocol!r}; known: {sorted(RUNNERS)}")
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise CaseFileError(f"runner {name} for {protocol!r} cannot be imported: {exc}") from exc


def protocols_with_cases(root: Path = CASES_DIR) -> tuple[str, ...]:
    """The registered protocols that have at least one case file under ``root``."""
    return tuple(name for name in RUNNERS if any((root / name).glob("*.json")))


def case_files(root: Path = CASES_DIR) -> list[Path]:
    """Every case file under ``root``, in a stable order."""
    return sorted(root.glob("*/*.json"))


def validate_file(path: Path) -> list[str]:
    """All errors in one case file (empty when it follows FORMAT.md)."""
    try:
        raws = read_case_file(path)
    except CaseFileError as exc:
        return [str(exc)]
    errors: list[str] = []
    for index, raw in enumerate(raws):
        where = f"{path.name}[{index}] {raw.get('id', '?')}"
        errors += check_common(raw, where)
        try:
            runner = runner_for(raw["protocol"])
        except CaseFileError as exc:
            errors.append(f"{where}: {exc}")
            continue
        errors += [f"{where}: {message}" for message in runner.validate_case(raw)]
    return errors


def _selected(raw: dict[str, Any], rel: str, patterns: list[str]) -> bool:
    if not patterns:
        return True
    return any(
        fnmatch.fnmatchcase(raw["id"], pat) or fnmatch.fnmatchcase(rel, pat) for pat in patterns
    )


def load_cases(
    patterns: list[str] | None = None,
    sides: tuple[str, ...] = ("server", "client"),
    root: Path = CASES_DIR,
    protocols: tuple[str, ...] | None = None,
) -> list[Case]:
    """Load, validate and select cases.

    Args:
        patterns: shell globs matched against case ids and file paths relative to ``root``
            (``h1-srv-6.3-*``, ``http1/smuggling.json``); none selects everything.
        sides: which sides to keep.
        root: the cases directory.
        protocols: which protocols to keep (``None``: all with a runner that can be imported).

    Raises:
        CaseFileError: when a file breaks FORMAT.md or two cases share an id.
    """
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in case_files(root):
        protocol = path.parent.name
        if protocols is not None and protocol not in protocols:
            continue
        errors = validate_file(path)
        if errors:
            raise CaseFileError("\n".join(errors[:20]))
        rel = path.relative_to(root).as_posix()
        for raw in read_case_file(path):
            if raw["id"] in seen:
                raise CaseFileError(f"{raw['id']} is in both {seen[raw['id']]} and {rel}")
            seen[raw["id"]] = rel
            if raw["side"] in sides and _selected(raw, rel, patterns or []):
                cases.append(to_case(raw, rel))
    return cases
