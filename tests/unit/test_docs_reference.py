"""Every module that defines public classes or functions has an automodule in the docs: in
docs/reference, or, for the modules behind the public API, in docs/internals."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("aiohttp", "conformance")


def documented_modules() -> set[str]:
    names: set[str] = set()
    pages = [
        *(ROOT / "docs" / "reference").glob("*.rst"),
        *(ROOT / "docs" / "internals").glob("*.rst"),
    ]
    for rst in pages:
        text = rst.read_text()
        names |= set(re.findall(r"^\.\. automodule:: (\S+)$", text, re.MULTILINE))
        # a public module whose names have entries of their own (``aiohttp.helpers.reify``)
        names |= set(re.findall(r"^\.\. auto\w+:: (\S+)\.\w+$", text, re.MULTILINE))
    return names


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def defines_public_api(path: Path) -> bool:
    """The module's ``__all__`` names a class or function defined in the module itself.

    Modules that only re-export (the aiohttp 3.x import paths, package ``__init__`` files) are
    documented where their names are defined.
    """
    tree = ast.parse(path.read_text())
    defined: set[str] = set()
    exported: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                value = node.value
                if isinstance(value, ast.List | ast.Tuple):
                    exported = [e.value for e in value.elts if isinstance(e, ast.Constant)]
    return any(name in defined for name in exported)


def test_every_module_with_public_definitions_has_a_reference_entry() -> None:
    sources = [p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))]
    assert len(sources) > 50  # the walk found the packages
    missing = [
        module_name(p)
        for p in sources
        if defines_public_api(p) and module_name(p) not in documented_modules()
    ]
    assert missing == []


def test_every_reference_entry_names_an_existing_module() -> None:
    def exists(name: str) -> bool:
        base = ROOT.joinpath(*name.split("."))
        return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()

    assert sorted(name for name in documented_modules() if not exists(name)) == []
