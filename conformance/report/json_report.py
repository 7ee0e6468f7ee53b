"""The JSON report: every result with its observed bytes, plus counts."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from conformance.model import Result


def to_document(results: list[Result], meta: dict[str, str]) -> dict[str, object]:
    """The report as plain data."""
    counts = Counter(result.verdict.value for result in results)
    return {
        "meta": meta,
        "counts": dict(sorted(counts.items())),
        "results": [result.to_json() for result in results],
    }


def write_json(results: list[Result], path: Path, meta: dict[str, str]) -> None:
    """Write the JSON report to ``path``."""
    path.write_text(json.dumps(to_document(results, meta), indent=1) + "\n", encoding="utf-8")
