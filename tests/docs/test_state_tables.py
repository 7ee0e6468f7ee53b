"""The state tables of docs/internals.rst are printed from the code (docs/_ext/state_tables.py)."""

from __future__ import annotations

import sys

from aiohttp._sansio.http1.states import SETTLE, TRANSITIONS

from .snippets import ROOT

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
import state_tables


def test_each_row_of_each_table_is_printed_in_order() -> None:
    for which, rows in (("transitions", TRANSITIONS), ("settle", SETTLE)):
        lines = state_tables.table_lines(which)
        printed = [line for line in lines if line.startswith("   * - ")][1:]  # after the heads
        assert len(printed) == len(rows)
        text = "\n".join(lines)
        for row in rows:
            assert f"     - ``{row.state.value}``\n     - {row[2].value}\n" in text
            assert f"     - {row.section}\n     - {row.note}" in text


def test_the_internals_page_prints_both_tables() -> None:
    page = (ROOT / "docs" / "internals.rst").read_text(encoding="utf-8")
    assert ".. http1-state-table:: transitions" in page
    assert ".. http1-state-table:: settle" in page
