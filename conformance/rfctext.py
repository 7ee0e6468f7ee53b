"""The RFC texts the corpus quotes, read section by section.

Every case quotes the sentence it tests (``"quote": {"from": "9112 §6.3", "text": "..."}``), and
its level is the BCP 14 keyword of that sentence (RFC 2119, RFC 8174: only the upper-case words
count). The texts are vendored in ``conformance/rfcs/`` exactly as published, so a quote can be
checked without a network: :func:`quote_problem` says why a quote is not verbatim in its section
or why its keyword does not match the case's level.

Matching ignores line breaks, page breaks and runs of spaces (the published texts wrap lines and,
for the older RFCs, break pages mid-sentence); everything else is compared literally.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

RFCS_DIR = Path(__file__).resolve().parent / "rfcs"
#: The RFCs whose texts are vendored, so the ones a quote may come from.
VENDORED = ("9110", "9112", "6455", "7692")

_HEADING = re.compile(r"^(?:Appendix )?((?:[0-9]+|[A-Z])(?:\.[0-9]+)*)\.[ ]{1,2}\S", re.MULTILINE)
_PAGE_FOOTER = re.compile(r"^\S.*\[Page [0-9]+\]$", re.MULTILINE)
_PAGE_HEADER = re.compile(r"^RFC [0-9]{4} .*[0-9]{4}$", re.MULTILINE)
_KEYWORD = re.compile(
    r"\b(MUST NOT|MUST|REQUIRED|SHALL NOT|SHALL|SHOULD NOT|SHOULD|NOT RECOMMENDED|RECOMMENDED"
    r"|MAY|OPTIONAL)\b"
)
#: BCP 14 keyword -> the requirement level a case records.
LEVEL_OF = {
    "MUST": "MUST",
    "MUST NOT": "MUST",
    "REQUIRED": "MUST",
    "SHALL": "MUST",
    "SHALL NOT": "MUST",
    "SHOULD": "SHOULD",
    "SHOULD NOT": "SHOULD",
    "RECOMMENDED": "SHOULD",
    "NOT RECOMMENDED": "SHOULD",
    "MAY": "MAY",
    "OPTIONAL": "MAY",
}
_CITATION = re.compile(r"([0-9]{4}) §((?:[0-9]+|[A-Z])(?:\.[0-9]+)*)")


_WRAPPED_HYPHEN = re.compile(r"(?<=[A-Za-z])-\s*\n\s*(?=[A-Za-z])")


def normalize(text: str) -> str:
    """``text`` with every run of white space (line and page breaks too) made one space.

    A line that ends in a hyphen inside a word (``request-`` then ``target`` on the next line)
    is joined without a space, as the word is written elsewhere.
    """
    return " ".join(_WRAPPED_HYPHEN.sub("-", text.replace("\ufeff", "")).split())


@functools.cache
def sections(rfc: str) -> dict[str, str]:
    """Section number -> normalized text (heading included) of one vendored RFC.

    Raises:
        KeyError: for an RFC that is not vendored.
    """
    if rfc not in VENDORED:
        raise KeyError(f"RFC {rfc} is not vendored in {RFCS_DIR}")
    raw = (RFCS_DIR / f"rfc{rfc}.txt").read_text(encoding="utf-8")
    raw = _PAGE_HEADER.sub("", _PAGE_FOOTER.sub("", raw.replace("\f", "")))
    found = list(_HEADING.finditer(raw))
    out: dict[str, str] = {}
    for here, after in zip(found, [*found[1:], None], strict=True):
        end = after.start() if after is not None else len(raw)
        out.setdefault(here.group(1), normalize(raw[here.start() : end]))
    return out


def section_text(citation: str) -> str:
    """The normalized text of a section cited as ``"9112 §6.3"``.

    Raises:
        KeyError: for an RFC that is not vendored or a section it does not have.
    """
    match = _CITATION.fullmatch(citation)
    if match is None:
        raise KeyError(f"not a citation: {citation!r}")
    table = sections(match.group(1))
    if match.group(2) not in table:
        raise KeyError(f"RFC {match.group(1)} has no section {match.group(2)}")
    return table[match.group(2)]


def levels(text: str) -> set[str]:
    """The requirement levels the BCP 14 keywords of ``text`` stand for."""
    return {LEVEL_OF[word] for word in _KEYWORD.findall(text)}


def sentences(citation: str) -> list[str]:
    """The sentences of a section that carry a BCP 14 keyword, in order."""
    text = section_text(citation)
    pieces = re.split(r"(?<=[.:;])\s+(?=(?:[A-Z(\"]|o |[0-9]+\. ))", text)
    return [piece for piece in pieces if _KEYWORD.search(piece)]


def quote_problem(quote: object, citations: tuple[str, ...] | list[str], level: str) -> str | None:
    """Why a case's ``quote`` does not back its ``level``; ``None`` when it does.

    The quote names one of the case's citations (``from``) of a vendored RFC, its ``text`` is
    verbatim in that section (white space aside), and one of its BCP 14 keywords is the level.
    """
    if not isinstance(quote, dict) or set(quote) != {"from", "text"}:
        return 'quote must be {"from": "<one of the rfc citations>", "text": "<sentence>"}'
    source, text = quote["from"], quote["text"]
    if not isinstance(text, str) or not text.strip():
        return "quote text must be the sentence the case tests"
    if source not in citations:
        return f"quote from {source!r}, which the case does not cite"
    try:
        section = section_text(source)
    except KeyError as exc:
        return f"quote from {source!r}: {exc.args[0]}"
    if normalize(text) not in section:
        return f"quote is not verbatim in {source}: {text[:80]!r}"
    found = levels(text)
    if not found:
        return "quote carries no BCP 14 keyword (MUST, SHOULD, MAY, ...)"
    if level not in found:
        return f"level {level} but the quote says {'/'.join(sorted(found))}"
    return None
