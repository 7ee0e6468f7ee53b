"""``python -m aiohttp.web``: the command line of aiohttp 3.x."""

from __future__ import annotations

import argparse
import sys
import types
from typing import Any

import pytest

from aiohttp import web


@pytest.fixture
def entry(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A module ``cliapp`` whose ``init`` records its arguments, and a run_app that records."""
    seen: dict[str, Any] = {}
    module = types.ModuleType("cliapp")

    def init(argv: list[str]) -> web.Application:
        seen["argv"] = argv
        seen["app"] = web.Application()
        return seen["app"]

    module.init = init  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cliapp", module)

    def run_app(app: web.Application, **kwargs: Any) -> None:
        seen["run"] = (app, kwargs)

    monkeypatch.setattr(web, "run_app", run_app)
    return seen


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["cliapp:init"], {"host": "localhost", "port": 8080, "path": None}),
        (
            ["-H", "0.0.0.0", "-P", "81", "cliapp:init"],
            {"host": "0.0.0.0", "port": 81, "path": None},
        ),
        # A Unix path alone serves on the path only (no TCP port opened beside it).
        (["-U", "/tmp/x.sock", "cliapp:init"], {"host": None, "port": None, "path": "/tmp/x.sock"}),
        (
            ["-U", "/tmp/x.sock", "-H", "::1", "cliapp:init"],
            {"host": "::1", "port": 8080, "path": "/tmp/x.sock"},
        ),
    ],
)
def test_where_the_application_is_served(
    entry: dict[str, Any], argv: list[str], expected: dict[str, Any], capsys: Any
) -> None:
    with pytest.raises(SystemExit):
        web.main([*argv, "--extra", "x"])
    app, kwargs = entry["run"]
    assert (app, kwargs, entry["argv"]) == (entry["app"], expected, ["--extra", "x"])
    assert capsys.readouterr().err == "Stopped\n"


@pytest.mark.parametrize(
    ("entry_func", "message"),
    [
        ("", "'entry-func' not in 'module:function' syntax"),
        ("cliapp", "'entry-func' not in 'module:function' syntax"),
        (".rel:init", "relative module names not supported"),
        ("no_such_module_xyz:init", "unable to import no_such_module_xyz: "),
        ("cliapp:nope", "module 'cliapp' has no attribute 'nope'"),
    ],
)
def test_bad_entry_functions(
    entry: dict[str, Any], entry_func: str, message: str, capsys: Any
) -> None:
    with pytest.raises(SystemExit):
        web.main([entry_func])
    assert message in capsys.readouterr().err


def test_the_parser_and_importer_are_looked_up_on_aiohttp_web(
    entry: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3.x code and tests replace these module attributes; main() must use them.
    imported: list[str] = []

    def import_module(name: str) -> Any:
        imported.append(name)
        return sys.modules["cliapp"]

    monkeypatch.setattr(web, "import_module", import_module)
    with pytest.raises(SystemExit):
        web.main(["other.module:init"])
    assert imported == ["other.module"]
    assert web.ArgumentParser is argparse.ArgumentParser
