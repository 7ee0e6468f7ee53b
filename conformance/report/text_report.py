"""The one-screen text summary; its last line is always ``N passed, M failed``.

ERROR verdicts (the case could not be run) are listed with the failures but not counted as
failed: they say nothing about the peer.
"""

from __future__ import annotations

from collections import Counter

from conformance.model import Result, Verdict

#: How many failing cases the summary names before it says "and N more".
SHOWN_FAILURES = 12


def summary(results: list[Result], meta: dict[str, str]) -> str:
    """The summary text (no trailing newline)."""
    lines = [f"conformance: {meta.get('target', '?')} ({len(results)} cases)"]
    order = [v.value for v in Verdict]
    for side in ("server", "client"):
        chosen = [r for r in results if r.case.side == side]
        if not chosen:
            continue
        counts = Counter(r.verdict.value for r in chosen)
        cells = "  ".join(f"{name} {counts.get(name, 0)}" for name in order)
        lines.append(f"  {side:<7} {len(chosen):>4} cases: {cells}")
    failed = [r for r in results if r.verdict is Verdict.FAIL]
    shown = failed + [r for r in results if r.verdict is Verdict.ERROR]
    if shown:
        lines.append("failures:")
        for result in shown[:SHOWN_FAILURES]:
            lines.append(
                f"  {result.verdict.value} {result.case.level:<6} {result.case.id}: "
                f"{result.reason[:90]}"
            )
        if len(shown) > SHOWN_FAILURES:
            lines.append(f"  ... and {len(shown) - SHOWN_FAILURES} more (see the HTML report)")
    passed = sum(r.verdict is Verdict.PASS for r in results)
    lines.append(f"{passed} passed, {len(failed)} failed")
    return "\n".join(lines)
