"""The conformance cases this library knowingly fails, read from ``known_failures.toml``.

Keys are case ids or shell globs over them (``ws-*-6455-5.2-rsv?-text``); every key must name
at least one case, and every value is the one-line reason.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

KNOWN_FAILURES_FILE = Path(__file__).with_name("known_failures.toml")


def known_failures() -> dict[str, str]:
    """Pattern -> reason."""
    data = tomllib.loads(KNOWN_FAILURES_FILE.read_text(encoding="utf-8"))
    cases = data.get("cases", {})
    assert all(isinstance(v, str) and v for v in cases.values()), "every entry needs a reason"
    return dict(cases)


def reason_for(case_id: str, known: dict[str, str]) -> str | None:
    """Why ``case_id`` is a known failure, or ``None`` when it is not one."""
    for pattern, reason in known.items():
        if fnmatch.fnmatchcase(case_id, pattern):
            return reason
    return None
