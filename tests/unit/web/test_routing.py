"""The router: plain and variable resources, first-match order, 404/405, url_for, names."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp.web.exceptions import HTTPMethodNotAllowed, HTTPNotFound
from aiohttp.web.routing.match_info import MatchInfoError
from aiohttp.web.routing.resources import DynamicResource, PlainResource
from aiohttp.web.routing.route import SystemRoute
from aiohttp.web.routing.router import UrlDispatcher
from aiohttp.web.routing.view import View

from .fakes import FakeRequest

Handler = Callable[[Any], Awaitable[Any]]


def make_handler(tag: str) -> Handler:
    async def handler(request: Any) -> str:
        return tag

    handler.__name__ = f"handler_{tag}"
    return handler


async def resolve(router: UrlDispatcher, method: str, path: str) -> Any:
    return await router.resolve(FakeRequest(method, path))  # type: ignore[arg-type]


async def route_tag(router: UrlDispatcher, method: str, path: str) -> Any:
    info = await resolve(router, method, path)
    if info.http_exception is not None:
        return info.http_exception.status
    return await info.handler(None), dict(info)


@pytest.fixture
def router() -> UrlDispatcher:
    r = UrlDispatcher()
    r.add_get("/", make_handler("root"))
    r.add_get("/users", make_handler("users"))
    r.add_post("/users", make_handler("create"))
    r.add_get("/users/{name}", make_handler("user"))
    r.add_get(r"/posts/{id:\d+}", make_handler("post"))
    r.add_get(r"/posts/{id:\d+}/comments/{cid:[a-f0-9]{4}}", make_handler("comment"))
    r.add_get("/files/{path:.+}", make_handler("file"))
    r.add_get("/caf%C3%A9", make_handler("cafe"))
    r.add_get("/a/{x}-{y}.json", make_handler("pair"))
    return r


RESOLVE_CASES = [
    ("GET", "/", ("root", {})),
    ("GET", "/users", ("users", {})),
    ("POST", "/users", ("create", {})),
    ("HEAD", "/users", ("users", {})),  # add_get answers HEAD too
    ("GET", "/users/ann", ("user", {"name": "ann"})),
    ("GET", "/users/J%C3%BCrgen", ("user", {"name": "Jürgen"})),
    ("GET", "/users/a%2Fb", ("user", {"name": "a/b"})),  # an encoded slash stays in its segment
    ("GET", "/users/100%25", ("user", {"name": "100%"})),
    ("GET", "/users/%252F", ("user", {"name": "%2F"})),  # decoded exactly once
    ("GET", "/posts/42", ("post", {"id": "42"})),
    ("GET", "/posts/42/comments/beef", ("comment", {"id": "42", "cid": "beef"})),
    ("GET", "/files/a/b/c.txt", ("file", {"path": "a/b/c.txt"})),
    ("GET", "/café", ("cafe", {})),
    ("GET", "/caf%C3%A9", ("cafe", {})),
    ("GET", "/a/1-2.json", ("pair", {"x": "1", "y": "2"})),
    ("GET", "/posts/x", 404),
    ("GET", "/posts/42/comments/zzzz", 404),
    ("GET", "/users/", 404),  # {name} needs a non-empty segment
    ("GET", "/users/a/b", 404),  # ... and only one
    ("GET", "/nothing", 404),
    ("DELETE", "/users", 405),
    ("PUT", "/users/ann", 405),
]


@pytest.mark.parametrize(("method", "path", "expected"), RESOLVE_CASES)
async def test_resolve(router: UrlDispatcher, method: str, path: str, expected: Any) -> None:
    assert await route_tag(router, method, path) == expected


async def test_405_lists_allowed_methods_in_allow_field_rfc9110_15_5_6(
    router: UrlDispatcher,
) -> None:
    info = await resolve(router, "DELETE", "/users")
    exc = info.http_exception
    assert isinstance(exc, HTTPMethodNotAllowed)
    assert exc.headers["Allow"] == "GET,HEAD,POST"
    assert exc.allowed_methods == {"GET", "HEAD", "POST"}
    assert exc.method == "DELETE"


async def test_405_unions_methods_over_every_resource_matching_the_path() -> None:
    r = UrlDispatcher()
    r.add_post("/x/{a}", make_handler("a"))
    r.add_put("/x/{b}", make_handler("b"))
    info = await resolve(r, "GET", "/x/1")
    assert info.http_exception.headers["Allow"] == "POST,PUT"


async def test_the_most_specific_resource_wins_whatever_the_order() -> None:
    # aiohttp 3.x's order: a plain path before a variable one, a deeper literal start first.
    r = UrlDispatcher()
    r.add_get("/{name}", make_handler("dynamic"))
    r.add_get("/echo", make_handler("plain"))
    r.add_get("/{tail:.*}", make_handler("catch-all"))
    r.add_get("/a/{x}", make_handler("under-a"))
    r.add_get("/a/b/{y}", make_handler("under-a-b"))
    assert await route_tag(r, "GET", "/echo") == ("plain", {})
    assert await route_tag(r, "GET", "/other") == ("dynamic", {"name": "other"})
    assert await route_tag(r, "GET", "/a/b") == ("under-a", {"x": "b"})
    assert await route_tag(r, "GET", "/a/b/c") == ("under-a-b", {"y": "c"})
    assert await route_tag(r, "GET", "/x/y") == ("catch-all", {"tail": "x/y"})


async def test_resources_of_equal_rank_resolve_in_registration_order() -> None:
    r = UrlDispatcher()
    r.add_get("/{first}", make_handler("first"))
    r.add_get("/{second}", make_handler("second"))
    assert await route_tag(r, "GET", "/x") == ("first", {"first": "x"})


async def test_plain_before_dynamic_in_seed_order() -> None:
    r = UrlDispatcher()
    r.add_route("GET", "/echo", make_handler("echo"))
    r.add_route("GET", "/{name}", make_handler("handle"))
    assert await route_tag(r, "GET", "/echo") == ("echo", {})
    assert await route_tag(r, "GET", "/bob") == ("handle", {"name": "bob"})


async def test_method_mismatch_falls_through_to_later_resource() -> None:
    r = UrlDispatcher()
    r.add_post("/items", make_handler("post"))
    r.add_get("/{what}", make_handler("get"))
    assert await route_tag(r, "GET", "/items") == ("get", {"what": "items"})


async def test_any_method_route() -> None:
    r = UrlDispatcher()
    r.add_route("*", "/any", make_handler("any"))
    for method in ("GET", "PURGE", "DELETE"):
        assert await route_tag(r, method, "/any") == ("any", {})


async def test_routing_failure_is_a_match_info_with_system_route() -> None:
    r = UrlDispatcher()
    info = await resolve(r, "GET", "/")
    assert isinstance(info, MatchInfoError)
    assert isinstance(info.route, SystemRoute)
    assert isinstance(info.http_exception, HTTPNotFound)
    with pytest.raises(HTTPNotFound):
        await info.handler(None)


async def test_sixty_four_routes_each_resolve_to_their_own_handler() -> None:
    r = UrlDispatcher()
    for i in range(64):
        r.add_get(f"/api/v1/res{i}/{{id}}", make_handler(str(i)))
    for i in (0, 17, 63):
        assert await route_tag(r, "GET", f"/api/v1/res{i}/x{i}") == (str(i), {"id": f"x{i}"})
    assert await route_tag(r, "GET", "/api/v1/res64/x") == 404


async def test_user_regex_with_named_group_still_routes() -> None:
    r = UrlDispatcher()
    r.add_get(r"/n/{a:(?P<inner>\d+)}", make_handler("a"))
    r.add_get(r"/m/{b:(?P<inner>\d+)}", make_handler("b"))
    assert (await route_tag(r, "GET", "/m/5"))[0] == "b"


async def test_adding_routes_after_resolving_is_seen() -> None:
    r = UrlDispatcher()
    r.add_get("/a", make_handler("a"))
    assert await route_tag(r, "GET", "/b") == 404
    r.add_get("/b", make_handler("b"))
    assert await route_tag(r, "GET", "/b") == ("b", {})


URL_FOR_CASES = [
    ("/users/{name}", {"name": "ann"}, "/users/ann"),
    ("/users/{name}", {"name": "a b"}, "/users/a%20b"),
    ("/users/{name}", {"name": "a/b"}, "/users/a%2Fb"),
    ("/files/{path:.+}", {"path": "a/b c/d%2F"}, "/files/a/b%20c/d%252F"),  # spans segments (3.x)
    ("/users/{name}", {"name": "Jürgen"}, "/users/J%C3%BCrgen"),
    ("/users/{name}", {"name": "100%"}, "/users/100%25"),
    (r"/posts/{id:\d+}/c/{cid}", {"id": "7", "cid": "x"}, "/posts/7/c/x"),
    ("/static/path", {}, "/static/path"),
    ("/caf%C3%A9", {}, "/caf%C3%A9"),
]


@pytest.mark.parametrize(("pattern", "parts", "expected"), URL_FOR_CASES)
async def test_url_for_round_trips(pattern: str, parts: dict[str, str], expected: str) -> None:
    r = UrlDispatcher()
    r.add_get(pattern, make_handler("x"), name="target")
    url = r["target"].url_for(**parts)
    assert url.raw_path == expected
    info = await resolve(r, "GET", str(url))
    assert dict(info) == parts


def test_url_for_missing_part_is_key_error() -> None:
    r = UrlDispatcher()
    r.add_get("/users/{name}", make_handler("x"), name="user")
    with pytest.raises(KeyError):
        r["user"].url_for()


@pytest.mark.parametrize(
    "name", ["index", "user.detail", "api:v1:user", "user-detail", "a.b-c:d", "_private"]
)
def test_route_names_may_use_dots_dashes_and_colons(name: str) -> None:
    r = UrlDispatcher()
    r.add_get("/", make_handler("x"), name=name)
    assert name in r
    assert r.named_resources()[name].name == name


@pytest.mark.parametrize("name", ["1abc", "with space", "a/b", "class", "a..b", "a.for"])
def test_bad_route_names_are_refused(name: str) -> None:
    r = UrlDispatcher()
    with pytest.raises(ValueError, match="Incorrect route name"):
        r.add_get("/", make_handler("x"), name=name)


def test_duplicate_route_name_is_refused() -> None:
    r = UrlDispatcher()
    r.add_get("/a", make_handler("x"), name="dup")
    with pytest.raises(ValueError, match="Duplicate"):
        r.add_get("/b", make_handler("x"), name="dup")


@pytest.mark.parametrize("path", ["/a/{", "/a/}", "/a/{b", "/{x:(}"])
def test_malformed_patterns_are_refused(path: str) -> None:
    r = UrlDispatcher()
    with pytest.raises(ValueError):
        r.add_get(path, make_handler("x"))


def test_path_must_start_with_slash() -> None:
    with pytest.raises(ValueError, match="path should be started with /"):
        UrlDispatcher().add_get("users", make_handler("x"))


def test_same_method_twice_on_one_resource_is_refused() -> None:
    r = UrlDispatcher()
    r.add_post("/a", make_handler("x"))
    with pytest.raises(RuntimeError, match="already registered"):
        r.add_post("/a", make_handler("y"))


def test_invalid_method_is_refused() -> None:
    with pytest.raises(ValueError, match="not allowed HTTP method"):
        UrlDispatcher().add_route("GE T", "/", make_handler("x"))


async def test_plain_function_handler_is_deprecated_but_works() -> None:
    def sync_handler(request: Any) -> str:
        return "sync"

    def returns_awaitable(request: Any) -> Awaitable[str]:
        return make_handler("awaited")(request)

    r = UrlDispatcher()
    with pytest.warns(DeprecationWarning, match="Bare functions are deprecated"):
        r.add_get("/", sync_handler)
    with pytest.warns(DeprecationWarning, match="Bare functions are deprecated"):
        r.add_get("/a", returns_awaitable)
    assert await route_tag(r, "GET", "/") == ("sync", {})
    assert await route_tag(r, "GET", "/a") == ("awaited", {})


def test_non_callable_handler_and_sync_expect_handler_are_refused() -> None:
    r = UrlDispatcher()
    with pytest.raises(TypeError, match="web-handlers"):
        r.add_get("/", "not callable")  # type: ignore[arg-type]

    def sync_expect(request: Any) -> None:
        return None

    with pytest.raises(AssertionError, match="Coroutine is expected"):
        r.add_post("/e", make_handler("x"), expect_handler=sync_expect)  # type: ignore[arg-type]


def test_views_of_resources_and_routes() -> None:
    r = UrlDispatcher()
    r.add_get("/a", make_handler("a"), name="a")
    r.add_post("/a", make_handler("b"), name="a")  # same path and name: same resource
    r.add_get("/b/{x}", make_handler("c"))
    resources = list(r.resources())
    assert [type(res) for res in resources] == [PlainResource, DynamicResource]
    assert len(r.resources()) == 2
    assert resources[0] in r.resources()
    methods = sorted(route.method for route in r.routes())
    assert methods == ["GET", "GET", "HEAD", "HEAD", "POST"]
    assert len(r) == 1
    assert list(r) == ["a"]
    assert resources[1].canonical == "/b/{x}"
    assert resources[0].get_info() == {"path": "/a"}


def test_frozen_router_refuses_new_routes() -> None:
    r = UrlDispatcher()
    r.freeze()
    with pytest.raises(RuntimeError, match="frozen router"):
        r.add_get("/", make_handler("x"))


async def test_add_get_without_head() -> None:
    r = UrlDispatcher()
    r.add_get("/", make_handler("x"), allow_head=False)
    assert await route_tag(r, "HEAD", "/") == 405


class UserView(View):
    async def get(self) -> str:
        return "got " + self.request.method

    async def post(self) -> str:
        return "posted"


async def test_class_based_view_dispatches_on_method() -> None:
    r = UrlDispatcher()
    r.add_view("/v", UserView)
    info = await resolve(r, "POST", "/v")
    request = FakeRequest("POST", "/v")
    assert await info.handler(request) == "posted"


async def test_class_based_view_answers_405_with_its_methods() -> None:
    r = UrlDispatcher()
    r.add_view("/v", UserView)
    info = await resolve(r, "DELETE", "/v")
    with pytest.raises(HTTPMethodNotAllowed) as caught:
        await info.handler(FakeRequest("DELETE", "/v"))
    assert caught.value.headers["Allow"] == "GET,POST"


@settings(max_examples=60, deadline=None)
@given(
    value=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="{}"),
        min_size=1,
        max_size=20,
    )
)
def test_url_for_round_trips_any_text(value: str) -> None:
    # Any text but braces, which a {name} variable does not match (as in aiohttp 3.x).
    r = UrlDispatcher()
    r.add_get("/v/{value}/end", make_handler("v"), name="v")
    url = r["v"].url_for(value=value)
    info = asyncio.run(resolve(r, "GET", str(url)))
    assert dict(info) == {"value": value}


class EverythingUnder(PlainResource):
    """A third-party style resource that cannot describe its paths in advance."""

    def index_key(self) -> str | None:
        return None

    def match(self, path: str) -> dict[str, str] | None:
        return {"rest": path} if path.startswith("/any") else None


async def test_resources_that_cannot_say_are_always_asked() -> None:
    r = UrlDispatcher()
    custom = EverythingUnder("/anything")
    custom.add_route("GET", make_handler("custom"))
    r.register_resource(custom)
    r.add_get("/anywhere", make_handler("plain"))
    assert await route_tag(r, "GET", "/anywhere") == ("custom", {"rest": "/anywhere"})
    assert await route_tag(r, "GET", "/other") == 404
    info = await resolve(r, "POST", "/anyway")
    assert info.http_exception.headers["Allow"] == "GET"


async def test_405_collects_methods_from_plain_variable_and_prefix_resources(tmp_path: Any) -> None:
    r = UrlDispatcher()
    r.add_post("/s/x", make_handler("plain"))
    r.add_put("/s/{name}", make_handler("dynamic"))
    r.add_static("/s", tmp_path)
    info = await resolve(r, "DELETE", "/s/x")
    assert info.http_exception.headers["Allow"] == "GET,HEAD,POST,PUT"


async def test_a_host_matched_sub_application_comes_before_the_same_path() -> None:
    # aiohttp 3.x: add_domain() sub-applications are asked first, so a sub-application that
    # defines a path the parent also has answers for its host.
    from aiohttp import web
    from aiohttp.test_utils import make_mocked_request

    async def parent(request: web.Request) -> web.Response:
        return web.Response(text="parent")

    async def child(request: web.Request) -> web.Response:
        return web.Response(text="child")

    app = web.Application()
    sub = web.Application()
    app.router.add_get("/", parent)
    sub.router.add_get("/", child)
    app.add_domain("sub.example.com", sub)
    for host, expected in (("sub.example.com", child), ("www.example.com", parent)):
        request = make_mocked_request("GET", "/", headers={"Host": host}, app=app)
        assert (await app.router.resolve(request)).handler is expected


async def _handler(request: Any) -> Any:
    return None


def test_a_method_route_after_the_any_route_is_refused_as_in_3x() -> None:
    resource = UrlDispatcher().add_resource("/path")
    resource.add_route("*", _handler)
    with pytest.raises(RuntimeError, match="method \\* is already registered"):
        resource.add_route("GET", _handler)


def test_router_misuse_is_worded_and_typed_as_in_3x(tmp_path: Any) -> None:
    router = UrlDispatcher()

    def not_a_coroutine(request: Any) -> None:
        return None

    with pytest.raises(AssertionError, match=r"^Coroutine is expected, got <function"):
        router.add_route("GET", "/", _handler, expect_handler=not_a_coroutine)  # type: ignore[arg-type]
    static = router.add_static("/get", tmp_path, name="name")
    assert repr(static) == f"<StaticResource 'name' /get -> {tmp_path.resolve()!r}>"


def test_variable_patterns_compile_without_flags_as_in_3x() -> None:
    """``get_info()["pattern"]`` equals 3.x's, and ``.`` in a user regex stops at a newline
    (a decoded ``%0A``), as Python's default does."""
    resource = UrlDispatcher().add_resource("/{tail:.*}")
    assert resource.get_info()["pattern"] == re.compile("/(?P<tail>.*)")
    assert isinstance(resource, DynamicResource)
    assert resource.match("/a\nb") is None
    assert resource.match("/ab") == {"tail": "ab"}
