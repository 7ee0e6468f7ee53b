"""``.. http1-state-table:: transitions`` (or ``settle``): the HTTP/1.1 connection's state tables,
printed from :mod:`aiohttp._sansio.http1.states` itself, so the page cannot drift from the code.

:func:`table_lines` renders one table as a ``list-table``; the test suite checks it too.
"""

from __future__ import annotations

from typing import Any

from aiohttp._sansio.http1 import states

#: The tables, by the directive's argument: (rows, the heading of the column that says what
#: happens).
TABLES = {"transitions": (states.TRANSITIONS, "does"), "settle": (states.SETTLE, "when")}


def table_lines(which: str) -> list[str]:
    """The ``list-table`` of one state table, row by row."""
    rows, what = TABLES[which]
    heads = ("party", "in state", what, "goes to", "implements", "because")
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for cells in (
        heads,
        *(
            (
                row.party.value,
                f"``{row.state.value}``",
                row[2].value,  # the trigger, or the condition
                f"``{row.next.value}``",
                row.section,
                row.note,
            )
            for row in rows
        ),
    ):
        lines.append(f"   * - {cells[0]}")
        lines.extend(f"     - {cell}" for cell in cells[1:])
    return lines


def setup(app: Any) -> dict[str, Any]:
    # Sphinx and docutils are imported here only: the test suite reads table_lines() without them.
    from docutils import nodes  # noqa: PLC0415 - only for a docs build
    from docutils.statemachine import StringList  # noqa: PLC0415
    from sphinx.util.docutils import SphinxDirective  # noqa: PLC0415

    class StateTable(SphinxDirective):
        """Print :data:`~aiohttp._sansio.http1.states.TRANSITIONS` or ``SETTLE``."""

        required_arguments = 1

        def run(self) -> list[nodes.Node]:
            which = self.arguments[0]
            if which not in TABLES:
                raise self.error(f"no state table {which!r}: use one of {sorted(TABLES)}")
            container = nodes.container()
            lines = StringList(table_lines(which), source=states.__name__)
            self.state.nested_parse(lines, self.content_offset, container)
            return list(container.children)

    app.add_directive("http1-state-table", StateTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
