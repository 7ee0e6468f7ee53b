"""The advisory table is complete: one test per advisory, and the docs list them all."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .advisories import ADVISORIES

HERE = Path(__file__).parent
DOCS = HERE.parents[1] / "docs" / "security.rst"


def _test_names() -> list[str]:
    names = []
    for path in HERE.glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names += [
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_ghsa_")
        ]
    return names


def test_every_advisory_has_exactly_one_test_named_after_it() -> None:
    names = _test_names()
    for advisory in ADVISORIES:
        matching = [n for n in names if n.startswith(advisory.test_prefix)]
        assert len(matching) == 1, (advisory.ghsa, matching)


def test_every_advisory_test_names_a_listed_advisory() -> None:
    prefixes = {a.test_prefix for a in ADVISORIES}
    for name in _test_names():
        assert any(name.startswith(prefix) for prefix in prefixes), name


def test_the_docs_table_lists_every_advisory_and_its_test() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for advisory in ADVISORIES:
        assert advisory.ghsa in text, advisory.ghsa
        if advisory.cve is not None:
            assert advisory.cve in text, advisory.cve
    listed = set(re.findall(r"GHSA-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}", text))
    assert listed == {a.ghsa for a in ADVISORIES}
