"""The public API matches the released aiohttp 3.14.5, except where the allowlist says why not.

The first run installs aiohttp 3.14.5 from the package index into a venv under
``build/api-surface/`` (later runs reuse it), hence the long timeout. A failure lists each
difference the allowlist does not name and each entry that no longer matches a difference; run
``python tools/api_surface.py`` for the full report and ``--write-allowlist`` to regenerate it.
"""

from __future__ import annotations

import pytest

from tools.surface.check import ALLOWLIST, run_check


@pytest.mark.timeout(900)
def test_public_api_matches_aiohttp_3_14_5_or_is_allowlisted() -> None:
    result = run_check()
    problems = [f"not allowed: {finding.key}" for finding in result.verdict.unallowed]
    problems += [
        f"stale ({ALLOWLIST.name}:{entry.line}): {entry.key}" for entry in result.verdict.stale
    ]
    assert not problems, "\n".join(problems)
    # The check compared something: the reference has differences the allowlist explains.
    assert result.reference == "3.14.5"
    assert len(result.verdict.allowed) == len(result.differences)
