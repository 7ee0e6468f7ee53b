"""The allowlist: the differences from aiohttp 3.14.5 the check accepts, each with its reason.

One entry per line, ``key  # reason`` (two spaces before the ``#``); lines starting with ``#``
and blank lines are comments. A reason starts with its category:

``TODO:``
    a gap still to close; the list of these may only shrink.
``Windows-only:``
    a name 3.14.5 has for Windows only (named pipes, the proactor loop).
``documented-private:``
    private by aiohttp 3.x's own documentation (say which page).
``security:``
    a deliberate security difference; the reason names the ``docs/`` page that documents it.
``deliberate:``
    a deliberate difference documented in ``docs/<page>.rst``: the pytest plugin's additions
    (asked for by users of both 3.x and pytest-aiohttp), and the seeds' old spellings (such as
    ``session.close()`` without ``await``); the reason names the ``docs/`` page.

An entry whose key is no longer reported is stale, and fails the check like a difference would.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .model import Finding, module_of

SEPARATOR = "  # "
CATEGORIES = ("TODO", "Windows-only", "documented-private", "security", "deliberate")
#: The categories whose reason must name the docs page that documents the difference.
DOCUMENTED = ("security", "deliberate")
NEW_REASON = "TODO: gap"
DOCS_PAGE = re.compile(r"docs/[\w./-]+\.rst")
HEADER = """\
# Differences from the released aiohttp 3.14.5 that tools/api_surface.py accepts: one per line,
# "key  # reason". A reason starts with its category:
#   TODO:               a gap still to close (these may only go away)
#   Windows-only:       a name 3.14.5 has for Windows only
#   documented-private: private by aiohttp 3.x's own documentation (name the page)
#   security:           a deliberate security difference, documented in docs/<page>.rst
#   deliberate:         a deliberate difference documented in docs/<page>.rst: the pytest
#                       plugin's additions, and the seeds' old spellings
# An entry that no longer matches a difference fails the check. Regenerate the list with
#   python tools/api_surface.py --write-allowlist
# which keeps the reasons written here and gives new differences "TODO: gap".
"""


class AllowlistError(ValueError):
    """The allowlist file is malformed; the message lists every problem with its line."""


@dataclass(frozen=True)
class Entry:
    key: str
    reason: str
    line: int = 0

    @property
    def category(self) -> str:
        return self.reason.split(":", 1)[0]


def parse(text: str, docs_root: Path | None = None) -> list[Entry]:
    """The entries of an allowlist, checked: each has a known category and appears once.

    With ``docs_root``, a ``security:`` or ``deliberate:`` reason must name a ``docs/...rst``
    page that exists.
    """
    entries: list[Entry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, reason = raw.partition(SEPARATOR)
        key, reason = key.strip(), reason.strip()
        entry = Entry(key, reason, number)
        if not sep or not reason:
            problems.append(f"line {number}: no reason (write 'key  # reason')")
        elif entry.category not in CATEGORIES or ":" not in reason:
            problems.append(f"line {number}: reason must start with one of {CATEGORIES}")
        elif entry.category in DOCUMENTED and docs_root is not None:
            problems.extend(_documentation_problems(entry, docs_root))
        if key in seen:
            problems.append(f"line {number}: {key!r} is already listed on line {seen[key]}")
        seen.setdefault(key, number)
        entries.append(entry)
    if problems:
        raise AllowlistError("\n".join(problems))
    return entries


def _documentation_problems(entry: Entry, docs_root: Path) -> list[str]:
    pages = DOCS_PAGE.findall(entry.reason)
    if not pages:
        return [
            f"line {entry.line}: a {entry.category} reason names the docs/ page that documents it"
        ]
    return [
        f"line {entry.line}: {page} does not exist"
        for page in pages
        if not (docs_root / page).is_file()
    ]


@dataclass
class Verdict:
    """The differences sorted against the allowlist."""

    allowed: list[tuple[Finding, Entry]] = field(default_factory=list)
    unallowed: list[Finding] = field(default_factory=list)
    stale: list[Entry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unallowed and not self.stale


def judge(
    differences: Iterable[Finding],
    entries: Iterable[Entry],
    selected: Callable[[str], bool] = lambda module: True,
) -> Verdict:
    """Allowed and unallowed differences, and stale entries, for the selected modules."""
    listed = {entry.key: entry for entry in entries if selected(module_of(entry.key))}
    verdict = Verdict()
    found: set[str] = set()
    for finding in differences:
        if not selected(finding.module):
            continue
        found.add(finding.key)
        entry = listed.get(finding.key)
        if entry is None:
            verdict.unallowed.append(finding)
        else:
            verdict.allowed.append((finding, entry))
    verdict.stale = [entry for key, entry in listed.items() if key not in found]
    return verdict


def render(
    differences: Iterable[Finding],
    entries: Iterable[Entry],
    selected: Callable[[str], bool] = lambda module: True,
) -> str:
    """The allowlist for today's differences: reasons kept, new ones ``TODO: gap``.

    Entries for modules outside the selection are kept as they are.
    """
    existing = list(entries)
    reasons = {entry.key: entry.reason for entry in existing}
    keep = {e.key: e.reason for e in existing if not selected(module_of(e.key))}
    for finding in differences:
        if selected(finding.module):
            keep[finding.key] = reasons.get(finding.key, NEW_REASON)
    by_module: dict[str, list[str]] = {}
    for key in sorted(keep):
        by_module.setdefault(module_of(key), []).append(f"{key}{SEPARATOR}{keep[key]}")
    parts = [HEADER]
    for module, lines in sorted(by_module.items()):
        parts.append(f"\n# {module}\n" + "\n".join(lines) + "\n")
    return "".join(parts)
