"""The whole check as one call: both surfaces, their differences, the allowlist's verdict."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .allowlist import Entry, Verdict, judge, parse
from .compare import compare
from .model import Finding
from .reference import snapshots

ROOT = Path(__file__).resolve().parents[2]
ALLOWLIST = ROOT / "tools" / "api_surface_allow.txt"


@dataclass
class Result:
    reference: str
    ours: str
    differences: list[Finding]
    extras: list[Finding]
    entries: list[Entry]
    verdict: Verdict
    selected: Callable[[str], bool]


def selector(patterns: Sequence[str] | None) -> Callable[[str], bool]:
    """Modules matching any of the shell-style patterns (all modules when there are none)."""
    if not patterns:
        return lambda module: True
    return lambda module: any(fnmatch.fnmatchcase(module, pattern) for pattern in patterns)


def run_check(
    root: Path = ROOT,
    allowlist: Path = ALLOWLIST,
    modules: Sequence[str] | None = None,
    reference_python: Path | str | None = None,
) -> Result:
    """Introspect both sides, compare them and judge the differences against the allowlist.

    Raises ``ReferenceUnavailable`` when the reference cannot be installed or read, and
    ``AllowlistError`` when the allowlist is malformed.
    """
    ref, ours = snapshots(root, reference_python)
    differences, extras = compare(ref, ours)
    text = allowlist.read_text() if allowlist.is_file() else ""
    entries = parse(text, docs_root=root)
    selected = selector(modules)
    return Result(
        reference=str(ref["version"]),
        ours=f"{ours['version']} ({ours['file']})",
        differences=[finding for finding in differences if selected(finding.module)],
        extras=[finding for finding in extras if selected(finding.module)],
        entries=entries,
        verdict=judge(differences, entries, selected),
        selected=selected,
    )
