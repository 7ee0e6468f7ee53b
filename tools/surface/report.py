"""The check's report: grouped by module as text, or everything as JSON."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .check import Result
from .model import Finding


def counts(result: Result) -> dict[str, Any]:
    """Totals, and the same split per module and per kind."""
    allowed = {finding.key for finding, _ in result.verdict.allowed}

    def split(findings: list[Finding], attr: str) -> dict[str, dict[str, int]]:
        table: dict[str, Counter[str]] = {}
        for finding in findings:
            row = table.setdefault(getattr(finding, attr), Counter())
            row["differences"] += 1
            row["allowed" if finding.key in allowed else "not allowed"] += 1
        for finding in result.extras if attr == "module" else ():
            if finding.kind != "module":  # modules only we have are counted in the total
                table.setdefault(finding.module, Counter())["extras"] += 1
        columns = ("differences", "allowed", "not allowed") + (
            ("extras",) if attr == "module" else ()
        )
        return {name: {c: row[c] for c in columns} for name, row in sorted(table.items())}

    return {
        "differences": len(result.differences),
        "allowed": len(result.verdict.allowed),
        "not allowed": len(result.verdict.unallowed),
        "stale": len(result.verdict.stale),
        "extras": len(result.extras),
        "by module": split(result.differences, "module"),
        "by kind": split(result.differences, "kind"),
        "by reason": dict(sorted(Counter(e.category for _, e in result.verdict.allowed).items())),
    }


def as_json(result: Result) -> dict[str, Any]:
    reasons = {finding.key: entry.reason for finding, entry in result.verdict.allowed}
    return {
        "reference": result.reference,
        "ours": result.ours,
        "counts": counts(result),
        "differences": [
            {
                "key": f.key,
                "module": f.module,
                "kind": f.kind,
                "allowed": f.key in reasons,
                "reason": reasons.get(f.key),
            }
            for f in result.differences
        ],
        "stale": [{"key": e.key, "reason": e.reason, "line": e.line} for e in result.verdict.stale],
        "extras": [{"key": f.key, "module": f.module, "kind": f.kind} for f in result.extras],
    }


def _table(title: str, rows: dict[str, dict[str, int]]) -> list[str]:
    if not rows:
        return []
    columns = list(next(iter(rows.values())))
    width = max(len(title), *(len(name) for name in rows))
    lines = [f"{title:<{width}}  " + "  ".join(f"{c:>11}" for c in columns)]
    for name, row in rows.items():
        lines.append(f"{name:<{width}}  " + "  ".join(f"{row[c]:>11}" for c in columns))
    return lines


def as_text(result: Result, allowlist: str, show_allowed: bool, show_extras: bool) -> str:
    """Differences by module (the not-allowed ones, or all), stale entries, extras, counts."""
    lines = [f"aiohttp {result.reference} (reference) against aiohttp {result.ours}", ""]
    unallowed = {finding.key for finding in result.verdict.unallowed}
    reasons = {finding.key: entry.reason for finding, entry in result.verdict.allowed}
    by_module: dict[str, list[str]] = {}
    for finding in result.differences:
        if finding.key in unallowed:
            by_module.setdefault(finding.module, []).append(f"  NOT ALLOWED  {finding.key}")
        elif show_allowed:
            by_module.setdefault(finding.module, []).append(
                f"  allowed      {finding.key}  [{reasons[finding.key]}]"
            )
    for finding in result.extras if show_extras else ():
        by_module.setdefault(finding.module, []).append(f"  extra        {finding.key}")
    for module, entries in sorted(by_module.items()):
        lines += [module, *entries, ""]
    if result.verdict.stale:
        lines.append("Stale allowlist entries (no longer different: delete them):")
        lines += [f"  {allowlist}:{e.line}: {e.key}" for e in result.verdict.stale]
        lines.append("")
    summary = counts(result)
    lines += [*_table("module", summary["by module"]), ""]
    lines += [*_table("kind", summary["by kind"]), ""]
    if summary["by reason"]:
        lines.append(
            "allowed, by reason: "
            + ", ".join(f"{name} {number}" for name, number in summary["by reason"].items())
        )
    lines.append(
        f"total: {summary['differences']} differences ({summary['allowed']} allowed, "
        f"{summary['not allowed']} not allowed), {summary['stale']} stale allowlist entries, "
        f"{summary['extras']} extras (ours only, information)"
    )
    return "\n".join(lines)
