"""The code blocks of ``README.rst`` and ``docs/``, read from the reST source, and their markers.

A block is a ``.. code-block:: LANG`` (also ``code`` and ``sourcecode``) directive, or a literal
block introduced by a paragraph ending in ``::``, which Sphinx highlights as Python and so do we.
A reST comment of the form ``.. snippet: KIND [ARGS]`` marks the next block in the file; the
kinds and how each is run are listed in :data:`KINDS`. An unmarked Python block is a complete
program: it is run as a script and must exit with status 0.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: How each marker kind is checked (``test_snippets.py`` implements each one). In every block
#: that is run, the port ``8080`` is first replaced by a free port.
KINDS = {
    "server": "a program that serves until stopped (`server [NAME.py]`: saved as NAME.py): run in "
    "a subprocess, polled until it listens, asked for `/` (any status below 500), then stopped "
    "with SIGINT, after which it must exit with status 0",
    "client": "a program that talks to 127.0.0.1:8080: run, to exit with status 0, against the "
    "last `server` block before it on its page, or against the tests' echo server",
    "fragment": "a piece of a program (`fragment CONTEXT`): completed as the context of that "
    "name in contexts.py says, then run",
    "pytest": "tests: the page's `pytest` blocks, in order, are one test module, run by pytest "
    "with aiohttp.pytest_plugin and the testing page's [pytest] section; every test must pass",
    "console": "shell commands, the `$ ` lines: each is run from the repository root with the "
    "marker's arguments appended (`console --help`), to exit with status 0",
    "ci": "shell commands that .ci/run runs, as they are written",
    "tree": "a drawn class tree (`tree MODULE`): each class is a subclass of the one it hangs "
    "from, and its `code` is among the status codes written beside it",
    "data": "not a program: json must load, ini must be read by configparser",
    "skip": "not run; the marker says why (at least three words)",
}

_DIRECTIVE = re.compile(r"^(\s*)\.\. (?:code-block|code|sourcecode)::\s*(\S*)\s*$")
_MARKER = re.compile(r"^\s*\.\. snippet: (\S+)\s*(.*?)\s*$")
_EXPLICIT = re.compile(r"^\s*\.\. ")


@dataclass(frozen=True)
class Marker:
    kind: str
    args: str
    line: int


@dataclass(frozen=True)
class Snippet:
    path: Path
    line: int  # first line of the code, 1-based
    language: str
    code: str
    marker: Marker | None

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def kind(self) -> str:
        return self.marker.kind if self.marker else "script"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _body(lines: list[str], start: int, parent_indent: int) -> tuple[int, str]:
    """The indented body after ``start`` (skipping option lines and blanks): its first line
    index and its dedented text."""
    i = start
    while i < len(lines) and (not lines[i].strip() or re.match(r"^\s+:[\w-]+:", lines[i])):
        if lines[i].strip() and _indent(lines[i]) <= parent_indent:
            break
        i += 1
    first = i
    while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > parent_indent):
        i += 1
    return first, textwrap.dedent("\n".join(lines[first:i])).strip("\n") + "\n"


def extract(path: Path) -> tuple[list[Snippet], list[Marker]]:
    """The blocks of one reST file, and the markers that precede no block (orphans)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    snippets: list[Snippet] = []
    orphans: list[Marker] = []
    pending: Marker | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if m := _MARKER.match(line):
            if pending is not None:
                orphans.append(pending)
            pending = Marker(m.group(1), m.group(2), i + 1)
            i += 1
            continue
        language = None
        if m := _DIRECTIVE.match(line):
            language = m.group(2) or "python"
        elif line.rstrip().endswith("::") and not _EXPLICIT.match(line):
            language = "python"
        if language is None:
            i += 1
            continue
        first, code = _body(lines, i + 1, _indent(line))
        if first < len(lines):
            snippets.append(Snippet(path, first + 1, language, code, pending))
            pending = None
        i = first + 1
    if pending is not None:
        orphans.append(pending)
    return snippets, orphans


def sources() -> list[Path]:
    """README.rst and every page of the docs."""
    return [ROOT / "README.rst", *sorted((ROOT / "docs").rglob("*.rst"))]


def all_snippets() -> list[Snippet]:
    return [snippet for path in sources() for snippet in extract(path)[0]]
