"""Every code block of README.rst and docs/ runs, on loopback, as its marker says.

The rules are in :mod:`tests.docs.snippets` (the markers) and :mod:`tests.docs.contexts` (how
a fragment is completed). A block without a marker is a complete Python program. A skipped
block says why in its marker, and these tests hold every marker to a known kind.
"""

from __future__ import annotations

import configparser
import importlib
import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from .contexts import CONTEXTS, CUMULATIVE
from .runners import ECHO_SERVER, free_port, get, on_port, python, run, serving
from .snippets import ROOT, Snippet, all_snippets, extract, sources

SNIPPETS = all_snippets()
Check = Callable[[Path], None]


def _server_file(snippet: Snippet) -> str:
    names = (
        [arg for arg in snippet.marker.args.split() if arg.endswith(".py")]
        if snippet.marker
        else []
    )
    return names[0] if names else "server.py"


def _serve_snippet(snippet: Snippet, work: Path) -> tuple[list[str], int]:
    port = free_port()
    name = _server_file(snippet)
    (work / name).write_text(on_port(snippet.code, port), encoding="utf-8")
    return python(name), port


def check_script(snippet: Snippet) -> Check:
    def check(work: Path) -> None:
        (work / "snippet.py").write_text(snippet.code, encoding="utf-8")
        run(python("snippet.py"), work)

    return check


def check_server(snippet: Snippet) -> Check:
    def check(work: Path) -> None:
        argv, port = _serve_snippet(snippet, work)
        with serving(argv, work, port):
            status, _ = get(port)
            assert status < 500

    return check


def check_client(snippet: Snippet, server: Snippet | None) -> Check:
    def check(work: Path) -> None:
        if server is None:
            (work / "echo_server.py").write_text(ECHO_SERVER, encoding="utf-8")
            port = free_port()
            argv = python("echo_server.py", str(port))
        else:
            argv, port = _serve_snippet(server, work)
        with serving(argv, work, port):
            (work / "client.py").write_text(on_port(snippet.code, port), encoding="utf-8")
            run(python("client.py"), work)

    return check


def check_fragment(snippets: list[Snippet]) -> Check:
    context = CONTEXTS[snippets[0].marker.args if snippets[0].marker else ""]
    code = "\n".join(snippet.code for snippet in snippets)
    return lambda work: context(code, work)


def _pytest_ini() -> str:
    """The ``[pytest]`` section the testing page tells suites to use."""
    (ini,) = [s.code for s in SNIPPETS if s.language == "ini" and s.code.startswith("[pytest]")]
    return ini


def check_pytest(snippets: list[Snippet], servers: list[Snippet]) -> Check:
    """The page's test snippets, in order, as one module, beside its named server snippets,
    with ``aiohttp.pytest_plugin`` named in ``conftest.py`` and no other plugin loaded."""

    def check(work: Path) -> None:
        code = "\n\n".join(snippet.code for snippet in snippets)
        for server in servers:
            (work / _server_file(server)).write_text(server.code, encoding="utf-8")
        (work / "test_snippets.py").write_text(on_port(code, free_port()), encoding="utf-8")
        (work / "conftest.py").write_text('pytest_plugins = ["aiohttp.pytest_plugin"]\n')
        (work / "pytest.ini").write_text(_pytest_ini(), encoding="utf-8")
        env = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        out = run([*python("-m", "pytest", "-p", "no:cacheprovider", "-q")], work, extra=env)
        tests = len(re.findall(r"^\s*(?:async )?def test_", code, re.MULTILINE))
        assert tests > 0
        assert f"{tests} passed" in out, out

    return check


def check_console(snippet: Snippet) -> Check:
    """Each command of the block, with the marker's arguments appended (``--help``), from the
    repository root: it must exit with status 0."""

    def check(work: Path) -> None:
        for argv in commands(snippet):
            assert argv[0] == "python", argv
            run(
                python(*argv[1:], *shlex.split(snippet.marker.args if snippet.marker else "")), ROOT
            )

    return check


def check_data(snippet: Snippet) -> Check:
    def check(work: Path) -> None:
        if snippet.language == "json":
            json.loads(snippet.code)
        else:
            assert snippet.language == "ini", snippet.language
            configparser.ConfigParser().read_string(snippet.code)

    return check


def check_tree(snippet: Snippet) -> Check:
    """A drawn class tree: each name is a class of the marker's module, a subclass of the name
    it hangs from, whose ``code`` is among the status codes written beside it."""

    def check(work: Path) -> None:
        module = importlib.import_module(snippet.marker.args if snippet.marker else "")
        parents: list[type] = []
        for line in snippet.code.splitlines():
            match = re.match(r"^([\s│├└─]*)(\w+)\s*(.*)$", line)
            assert match, line
            depth = len(match.group(1)) // 4
            cls = getattr(module, match.group(2))
            assert depth <= len(parents), line
            del parents[depth:]
            if parents:
                assert issubclass(cls, parents[-1]), line
            if codes := re.findall(r"\b\d{3}\b", match.group(3)):
                assert str(getattr(cls, "code", None)) in codes, line
            parents.append(cls)

    return check


def commands(snippet: Snippet) -> list[list[str]]:
    """The commands of a console block: its ``$ `` lines (trailing comments dropped)."""
    lines = [line[2:] for line in snippet.code.splitlines() if line.startswith("$ ")]
    return [shlex.split(line, comments=True) for line in lines]


def _units() -> list[tuple[str, Check]]:
    """One check per runnable block; a page's cumulative fragments and its test snippets are
    one check each."""
    units: list[tuple[str, Check]] = []
    for path in sources():
        snippets, _ = extract(path)
        server: Snippet | None = None
        groups: dict[str, list[Snippet]] = {}
        for snippet in snippets:
            kind = snippet.kind
            if kind == "fragment" and snippet.marker and snippet.marker.args in CUMULATIVE:
                groups.setdefault(f"fragment {snippet.marker.args}", []).append(snippet)
                continue
            if kind == "pytest":
                groups.setdefault("pytest", []).append(snippet)
                continue
            if kind == "server":
                server = snippet
            maker = {
                "script": check_script,
                "server": check_server,
                "console": check_console,
                "data": check_data,
                "tree": check_tree,
            }.get(kind)
            if maker is not None:
                units.append((snippet.where, maker(snippet)))
            elif kind == "client":
                units.append((snippet.where, check_client(snippet, server)))
            elif kind == "fragment":
                units.append((snippet.where, check_fragment([snippet])))
        for group, members in groups.items():
            where = f"{members[0].where} ({group}, blocks: {len(members)})"
            if group == "pytest":
                servers = [
                    s for s in snippets if s.kind == "server" and _server_file(s) != "server.py"
                ]
                units.append((where, check_pytest(members, servers)))
            else:
                units.append((where, check_fragment(members)))
    return units


UNITS = _units()


@pytest.mark.parametrize("check", [check for _, check in UNITS], ids=[where for where, _ in UNITS])
def test_snippet_runs(check: Check, tmp_path: Path) -> None:
    check(tmp_path)
