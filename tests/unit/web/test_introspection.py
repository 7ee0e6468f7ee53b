"""What routes, resources, sub-applications and keys tell about themselves."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from aiohttp import web
from aiohttp.web.exceptions import HTTPNotFound
from aiohttp.web.routing.match_info import MatchInfoError, UrlMappingMatchInfo
from aiohttp.web.routing.route import ResourceRoute, SystemRoute
from aiohttp.web.routing.subapps import Domain, MaskDomain

from .fakes import FakeRequest


async def handler(request: Any) -> Any:
    return None


A_KEY = web.AppKey("a", int)


def test_app_key_reprs() -> None:
    assert repr(A_KEY) == "<AppKey(tests.unit.web.test_introspection.a, type=int)>"
    assert "type=<<Unknown>>" in repr(web.AppKey("b"))
    assert "type=typing.Any" in repr(web.AppKey("c", Any))  # type: ignore[arg-type]
    assert "type=tests.unit.web.fakes.FakeRequest)" in repr(web.AppKey("d", FakeRequest))
    typed: web.AppKey[str] = web.AppKey[str]("e")
    assert "type=str" in repr(typed)
    assert web.AppKey("a") < web.AppKey("b")
    assert web.AppKey("z") < "a"  # type: ignore[operator]
    assert web.AppKey("n").name.endswith(".n")


def test_application_call_returns_itself() -> None:
    app = web.Application()
    assert app() is app
    assert app == app()
    assert app != web.Application()
    assert hash(app) == id(app)
    assert "Application" in repr(app)


def test_routes_describe_themselves() -> None:
    router = web.UrlDispatcher()
    route = router.add_get("/u/{name}", handler, name="user")
    assert isinstance(route, ResourceRoute)
    assert route.name == "user"
    assert route.method == "GET"
    assert route.handler is handler
    assert str(route.url_for(name="x")) == "/u/x"
    assert route.get_info()["formatter"] == "/u/{name}"
    assert "ResourceRoute [GET]" in repr(route)
    assert "DynamicResource 'user'" in repr(route.resource)
    plain = router.add_get("/p", handler, name="p").resource
    assert "PlainResource 'p'" in repr(plain)
    assert plain is not None
    assert plain.raw_match("/p")


async def test_system_route_and_match_info_error() -> None:
    info = MatchInfoError(HTTPNotFound())
    route = info.route
    assert isinstance(route, SystemRoute)
    assert (route.status, route.reason, route.name) == (404, "Not Found", None)
    assert route.get_info() == {"http_exception": info.http_exception}
    assert repr(route) == "<SystemRoute 404: Not Found>"
    assert repr(info) == "<MatchInfoError 404: Not Found>"
    with pytest.raises(RuntimeError):
        route.url_for()
    assert info.get_info()["http_exception"].status == 404


def test_match_info_apps_stack() -> None:
    router = web.UrlDispatcher()
    route = router.add_get("/", handler)
    info = UrlMappingMatchInfo({}, route)
    inner, outer = web.Application(), web.Application()
    info.add_app(inner)
    info.add_app(outer)
    assert info.apps == (outer, inner)
    assert info.current_app is inner
    with info.set_current_app(outer):
        assert info.current_app is outer
    assert info.current_app is inner
    with pytest.raises(RuntimeError), info.set_current_app(web.Application()):
        pass
    info.current_app = outer
    assert info.current_app is outer
    with pytest.raises(RuntimeError):
        info.current_app = web.Application()
    info.freeze()
    with pytest.raises(RuntimeError):
        info.add_app(outer)
    assert info.expect_handler is not None
    assert info.http_exception is None
    assert "MatchInfo" in repr(info)


def test_subapp_resources_describe_themselves() -> None:
    sub = web.Application()
    sub.router.add_get("/x", handler)
    root = web.Application()
    resource = root.add_subapp("/sub", sub)
    assert resource.app is sub
    assert resource.get_info() == {"app": sub, "prefix": "/sub"}
    assert resource.canonical == "/sub"
    assert len(resource) == 2  # GET and HEAD
    assert [r.method for r in resource] == ["HEAD", "GET"]
    assert "PrefixedSubAppResource /sub" in repr(resource)
    with pytest.raises(RuntimeError):
        resource.url_for()
    domain_sub = web.Application()
    domain_sub.router.add_get("/", handler)
    matched = root.add_domain("*.example.com", domain_sub)
    assert matched.canonical == r"[^:]*\.example\.com(:.*)?"
    assert len(matched) == 2
    assert len(list(matched)) == 2
    assert matched.get_info()["app"] is domain_sub
    assert not matched.raw_match("/")
    assert "MatchedSubAppResource" in repr(matched)
    with pytest.raises(RuntimeError):
        matched.url_for()


def test_nested_subapps_get_every_prefix() -> None:
    leaf = web.Application()
    leaf.router.add_get("/x", handler, name="x")
    middle = web.Application()
    middle.add_subapp("/b", leaf)
    domain_leaf = web.Application()
    domain_leaf.router.add_get("/d", handler, name="d")
    middle.add_domain("example.org", domain_leaf)
    root = web.Application()
    root.add_subapp("/a", middle)
    assert str(leaf.router["x"].url_for()) == "/a/b/x"
    assert str(domain_leaf.router["d"].url_for()) == "/a/d"


def test_domains() -> None:
    assert Domain("Example.COM.").canonical == "example.com"
    assert Domain("example.com:80").canonical == "example.com"
    assert Domain("example.com:8080").match_domain("EXAMPLE.com:8080")
    assert Domain("example.com").get_info() == {"domain": "example.com"}
    mask = MaskDomain("*.example.com")
    assert mask.match_domain("a.b.example.com")
    assert not mask.match_domain("example.com")
    with pytest.raises(TypeError):
        Domain(1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    [
        "web_app",
        "web_urldispatcher",
        "web_routedef",
        "web_middlewares",
        "web_exceptions",
        "web_fileresponse",
        "web_log",
    ],
)
def test_reexport_modules_hold_what_they_list(name: str) -> None:
    module = importlib.import_module(f"aiohttp.{name}")
    for exported in module.__all__:
        obj = getattr(module, exported)
        # Defined in aiohttp.web; the exceptions name their 3.x home, aiohttp.web_exceptions.
        assert obj.__module__.startswith("aiohttp.web.") or (
            obj.__module__ == "aiohttp.web_exceptions" and getattr(web, exported) is obj
        )
