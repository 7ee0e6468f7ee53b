"""Route definitions: web.get(...) and friends, RouteTableDef, add_routes."""

from __future__ import annotations

import dataclasses
import weakref
from pathlib import Path
from typing import Any

import pytest

from aiohttp.web.routing import route_def as web
from aiohttp.web.routing.router import UrlDispatcher
from aiohttp.web.routing.static import StaticResource
from aiohttp.web.routing.view import View


async def handler(request: Any) -> Any:
    return None


class SomeView(View):
    async def get(self) -> Any:
        return None


@pytest.mark.parametrize(
    ("make", "methods"),
    [
        (lambda: web.get("/p", handler), ["HEAD", "GET"]),
        (lambda: web.get("/p", handler, allow_head=False), ["GET"]),
        (lambda: web.post("/p", handler), ["POST"]),
        (lambda: web.put("/p", handler), ["PUT"]),
        (lambda: web.patch("/p", handler), ["PATCH"]),
        (lambda: web.delete("/p", handler), ["DELETE"]),
        (lambda: web.head("/p", handler), ["HEAD"]),
        (lambda: web.options("/p", handler), ["OPTIONS"]),
        (lambda: web.view("/p", SomeView), ["*"]),
        (lambda: web.route("PURGE", "/p", handler), ["PURGE"]),
    ],
)
def test_definitions_register_the_right_methods(make: Any, methods: list[str]) -> None:
    router = UrlDispatcher()
    routes = router.add_routes([make()])
    assert len(routes) == 1
    assert [r.method for r in router.routes()] == methods


def test_named_definition() -> None:
    router = UrlDispatcher()
    router.add_routes([web.get("/u/{name}", handler, name="user")])
    assert str(router["user"].url_for(name="x")) == "/u/x"


def test_route_table_decorators_keep_the_function() -> None:
    routes = web.RouteTableDef()

    @routes.get("/a")
    async def a(request: Any) -> Any:
        return None

    @routes.post("/a")
    async def b(request: Any) -> Any:
        return None

    @routes.view("/v")
    class V(View):
        pass

    for decorator in (routes.put, routes.patch, routes.delete, routes.head, routes.options):
        decorator("/m")(handler)
    assert a.__name__ == "a"
    assert len(routes) == 8
    assert repr(routes) == "<RouteTableDef count=8>"
    assert routes[0] in routes
    router = UrlDispatcher()
    router.add_routes(routes)
    assert sorted(r.method for r in router.routes()) == sorted(
        ["HEAD", "GET", "POST", "*", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    )


def test_static_definition(tmp_path: Path) -> None:
    routes = web.RouteTableDef()
    routes.static("/s", tmp_path, show_index=True)
    router = UrlDispatcher()
    registered = router.add_routes([*routes, web.static("/t", tmp_path)])
    assert [r.method for r in registered] == ["GET", "HEAD", "GET", "HEAD"]
    assert all(isinstance(r, StaticResource) for r in router.resources())


def test_reprs() -> None:
    assert repr(web.get("/p", handler, name="n")) == (
        "<RouteDef GET /p -> 'handler', allow_head=True, name='n'>"
    )
    assert repr(web.static("/s", "/tmp")) == "<StaticDef /s -> /tmp>"


def test_route_definitions_are_slotted_frozen_and_weak_referenceable() -> None:
    for definition in (web.get("/", handler), web.static("/s", Path(__file__).parent)):
        assert not hasattr(definition, "__dict__")  # as in 3.x: no stray attributes
        assert weakref.ref(definition)() is definition
        with pytest.raises(dataclasses.FrozenInstanceError):
            definition.kwargs = {}  # type: ignore[misc]
