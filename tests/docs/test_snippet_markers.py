"""The markers of the docs' code blocks: every block is run or says why not (see ``snippets``)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from .contexts import CONTEXTS
from .snippets import KINDS, ROOT, Snippet, all_snippets, extract, sources
from .test_snippets import commands

SNIPPETS = all_snippets()


def test_the_blocks_are_found() -> None:
    readme = [s.kind for s in SNIPPETS if s.path.name == "README.rst"]
    assert readme == ["skip", "server", "client", "skip", "ci"]
    assert len(SNIPPETS) > 40


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_marker_marks_a_block(path: Path) -> None:
    _, orphans = extract(path)
    assert [f"line {m.line}: {m.kind}" for m in orphans] == []


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.where)
def test_every_block_is_run_or_says_why_not(snippet: Snippet) -> None:
    marker = snippet.marker
    if marker is None:
        # Unmarked: a complete Python program.
        assert snippet.language == "python"
        compile(snippet.code, snippet.where, "exec")
        return
    assert marker.kind in KINDS
    if marker.kind == "skip":
        assert len(marker.args.split()) >= 3, "a skipped block gives its reason"
    elif marker.kind == "fragment":
        assert marker.args in CONTEXTS
    elif marker.kind in ("server", "client", "pytest"):
        assert snippet.language == "python"
        compile(snippet.code, snippet.where, "exec")
    elif marker.kind == "console":
        assert commands(snippet)
    elif marker.kind == "data":
        assert snippet.language in ("json", "ini")


def test_the_commands_ci_runs_are_the_documented_ones() -> None:
    ci = [
        shlex.split(line, comments=True) for line in (ROOT / ".ci" / "run").read_text().splitlines()
    ]
    documented = [argv for s in SNIPPETS if s.kind == "ci" for argv in commands(s)]
    assert documented
    for argv in documented:
        assert argv in ci
