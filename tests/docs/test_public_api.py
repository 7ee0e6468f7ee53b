"""The checks the docs build runs (``docs/_ext/public_api.py``): public paths, no sentinel reprs,
no private methods outside the internals pages."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

import aiohttp
from aiohttp import web

from .snippets import ROOT

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
import public_api

PATHS = public_api.public_paths()


def test_public_objects_have_their_import_paths() -> None:
    assert PATHS[id(aiohttp.ClientSession)] == {"aiohttp.ClientSession"}
    assert PATHS[id(web.Application)] == {"aiohttp.web.Application"}
    assert (
        "aiohttp.GunicornWebWorker"
        in PATHS[id(public_api._resolve("aiohttp.worker.GunicornWebWorker"))]
    )


def test_an_internal_path_of_a_public_object_is_misplaced() -> None:
    found = list(public_api.misplaced(["aiohttp.client.session.ClientSession.get"], PATHS))
    assert found == [
        "aiohttp.client.session.ClientSession.get: "
        "aiohttp.client.session.ClientSession is public as aiohttp.ClientSession"
    ]


def test_public_paths_and_internal_objects_are_in_place() -> None:
    names = [
        "aiohttp.ClientSession.get",
        "aiohttp.web.Application",
        "aiohttp.client.flow.RequestFlow",
    ]
    assert list(public_api.misplaced(names, PATHS)) == []


def test_a_public_object_nobody_documents_is_reported() -> None:
    paths = {
        id(aiohttp.ClientSession): {"aiohttp.ClientSession"},
        id(web.Application): {"aiohttp.web.Application"},
    }
    found = list(public_api.undocumented(["aiohttp.web.Application"], paths))
    assert found == ["aiohttp.ClientSession is public but not documented"]


def test_a_sentinel_repr_leaks_on_any_page() -> None:
    text = "ClientSession(ssl_shutdown_timeout=<object object>)"
    assert public_api.leaks(text, set(), internals=True) == ["<object object"]


def test_private_methods_leak_outside_the_internals_pages_only() -> None:
    text = (
        "ClientSession._request() merges options; then _follow walks; aiohttp._sansio is a layer."
    )
    private = {"_request", "_follow", "_other"}
    assert public_api.leaks(text, private, internals=False) == ["ClientSession._request", "_follow"]
    assert public_api.leaks(text, private, internals=True) == []


def test_private_names_are_read_from_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "pkg_private_names"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text(
        textwrap.dedent(
            """
            class Session:
                def _request(self): ...
                @property
                def _state(self): ...
                def __repr__(self): ...
                _plain = 1
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert public_api.private_names("pkg_private_names") == {"_request", "_state"}


def test_defaults_read_as_a_user_writes_them() -> None:
    request_class = "<class 'aiohttp.client.request.ClientRequest'>"
    signature = f"(x=<object object at 0x7f00>, request_class={request_class})"
    assert (
        public_api._readable_defaults(signature, PATHS)
        == "(x=..., request_class=aiohttp.ClientRequest)"
    )


@pytest.mark.parametrize(
    ("docname", "internals"),
    [("internals", True), ("internals/client", True), ("reference/client", False)],
)
def test_the_internals_pages(docname: str, internals: bool) -> None:
    assert public_api.internals_page(docname) is internals
