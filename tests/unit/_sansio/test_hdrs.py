"""Field names live in one place: :mod:`aiohttp._sansio.hdrs`, re-exported by ``aiohttp.hdrs``."""

from __future__ import annotations

import ast
from pathlib import Path

from aiohttp import hdrs
from aiohttp._sansio import hdrs as core_hdrs

PACKAGE = Path(__file__).resolve().parents[3] / "aiohttp"
HOME = PACKAGE / "_sansio" / "hdrs.py"

# Modules of the server that still spell a few field names themselves; each goes once it
# imports them from aiohttp._sansio.hdrs. An entry that no longer declares any fails the test,
# so this list only shrinks.
STILL_DECLARING = {
    "web/messages/response.py",
    "web/messages/response_headers.py",
}


def test_aiohttp_hdrs_is_the_core_module_re_exported() -> None:
    assert hdrs.__all__ == core_hdrs.__all__
    for name in core_hdrs.__all__:
        assert getattr(hdrs, name) is getattr(core_hdrs, name)


def _declares_field_name(node: ast.stmt) -> bool:
    """``NAME = istr("...")`` (annotated or not) at module level."""
    value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "istr"
        and len(value.args) == 1
        and isinstance(value.args[0], ast.Constant)
    )


def declaring_modules() -> set[str]:
    """The modules other than the home one that declare field-name constants."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if path == HOME:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(_declares_field_name(node) for node in tree.body):
            found.add(path.relative_to(PACKAGE).as_posix())
    return found


def test_no_other_module_declares_field_names() -> None:
    assert declaring_modules() == STILL_DECLARING


def test_the_check_sees_a_declaration() -> None:
    tree = ast.parse('X: Final[istr] = istr("X-Thing")\nY = istr(name)\nZ = "Z"\n')
    assert [_declares_field_name(node) for node in tree.body] == [True, False, False]
