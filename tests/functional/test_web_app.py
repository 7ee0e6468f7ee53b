"""The web framework over real loopback: routing, middlewares, signals, sub-applications.

The server is ours (the ``aiohttp_server`` fixture); the client is httpx, an independent peer.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from aiohttp import web

Handler = Any


async def fetch(server: Any, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=str(server.make_url("")), timeout=10) as client:
        return await client.request(method, path, **kwargs)


async def hello(request: web.Request) -> web.Response:
    return web.Response(text="hello " + request.match_info.get("name", "world"))


async def test_routes_variables_head_404_405(aiohttp_server: Any) -> None:
    app = web.Application()
    app.router.add_get("/", hello)
    app.router.add_get("/users/{name}", hello, name="user")
    app.router.add_post("/users", hello)
    server = await aiohttp_server(app)

    resp = await fetch(server, "GET", "/users/J%C3%BCrgen")
    assert (resp.status_code, resp.text) == (200, "hello Jürgen")
    head = await fetch(server, "HEAD", "/users/ann")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Length"] == str(len("hello ann"))
    missing = await fetch(server, "GET", "/nope")
    assert (missing.status_code, missing.text) == (404, "404: Not Found")
    wrong = await fetch(server, "DELETE", "/users")
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "POST"
    assert str(app.router["user"].url_for(name="a b")) == "/users/a%20b"


async def test_middlewares_run_in_order_and_can_short_circuit(aiohttp_server: Any) -> None:
    calls: list[str] = []

    def make(tag: str) -> Any:
        @web.middleware
        async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
            calls.append(f"{tag}>")
            if request.path == f"/stop-{tag}":
                return web.Response(text=f"stopped by {tag}")
            response = await handler(request)
            calls.append(f"<{tag}")
            response.headers.add("X-Seen", tag)
            return response

        return mw

    app = web.Application(middlewares=[make("outer"), make("inner")])
    app.router.add_get("/", hello)
    app.router.add_get("/stop-inner", hello)
    server = await aiohttp_server(app)

    resp = await fetch(server, "GET", "/")
    assert calls == ["outer>", "inner>", "<inner", "<outer"]
    assert resp.headers.get_list("X-Seen") == ["inner", "outer"]
    calls.clear()
    resp = await fetch(server, "GET", "/stop-inner")
    assert resp.text == "stopped by inner"
    assert calls == ["outer>", "inner>", "<outer"]
    calls.clear()
    resp = await fetch(server, "GET", "/missing")  # middlewares run around a 404 too
    assert resp.status_code == 404
    assert calls == ["outer>", "inner>"]


async def test_old_style_middleware_factory_still_works(aiohttp_server: Any) -> None:
    async def factory(app: web.Application, handler: Handler) -> Handler:
        async def middleware_handler(request: web.Request) -> web.StreamResponse:
            response = await handler(request)
            response.headers["X-Old"] = "yes"
            return response

        return middleware_handler

    app = web.Application(middlewares=[factory])
    app.router.add_get("/", hello)
    with pytest.warns(DeprecationWarning, match="old-style middleware"):
        server = await aiohttp_server(app)
    resp = await fetch(server, "GET", "/")
    assert resp.headers["X-Old"] == "yes"


async def test_handler_exceptions_become_responses(aiohttp_server: Any) -> None:
    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound("/target?x=1")

    async def teapot(request: web.Request) -> web.Response:
        raise web.HTTPForbidden(text="no entry", headers={"X-Why": "policy"})

    async def returned(request: web.Request) -> web.Response:
        return web.HTTPNoContent()

    app = web.Application()
    app.router.add_get("/r", redirect)
    app.router.add_get("/f", teapot)
    app.router.add_get("/n", returned)
    server = await aiohttp_server(app)

    resp = await fetch(server, "GET", "/r")
    assert (resp.status_code, resp.headers["Location"]) == (302, "/target?x=1")
    resp = await fetch(server, "GET", "/f")
    assert (resp.status_code, resp.text, resp.headers["X-Why"]) == (403, "no entry", "policy")
    with pytest.warns(DeprecationWarning, match="returning HTTPException"):
        resp = await fetch(server, "GET", "/n")
    assert resp.status_code == 204


async def test_signals_and_cleanup_ctx_order(aiohttp_server: Any) -> None:
    events: list[str] = []
    key = web.AppKey("resource", str)

    async def ctx(app: web.Application) -> AsyncIterator[None]:
        events.append("ctx-up")
        app[key] = "ready"
        yield
        events.append("ctx-down")

    async def on_startup(app: web.Application) -> None:
        events.append("startup:" + app[key])

    async def on_shutdown(app: web.Application) -> None:
        events.append("shutdown")

    async def on_cleanup(app: web.Application) -> None:
        events.append("cleanup")

    async def on_prepare(request: web.Request, response: web.StreamResponse) -> None:
        response.headers["X-Prepared"] = request.path

    app = web.Application()
    app.cleanup_ctx.append(ctx)
    app.on_startup.append(on_startup)
    app.on_shutdown.append(on_shutdown)
    app.on_cleanup.append(on_cleanup)
    app.on_response_prepare.append(on_prepare)
    app.router.add_get("/", hello)
    server = await aiohttp_server(app)
    assert events == ["ctx-up", "startup:ready"]
    resp = await fetch(server, "GET", "/")
    assert resp.headers["X-Prepared"] == "/"
    assert app.frozen
    with pytest.raises(RuntimeError):
        app.router.add_get("/late", hello)
    with pytest.warns(DeprecationWarning, match="Changing state of started"):
        app[key] = "changed"
    await server.close()
    assert events == ["ctx-up", "startup:ready", "shutdown", "ctx-down", "cleanup"]


async def test_subapp_prefix_middlewares_and_current_app(aiohttp_server: Any) -> None:
    seen: list[str] = []
    name_key = web.AppKey("name", str)

    def tagger(tag: str) -> Any:
        @web.middleware
        async def mw(request: web.Request, handler: Handler) -> web.StreamResponse:
            seen.append(f"{tag}:{request.app[name_key]}")
            return await handler(request)

        return mw

    async def who(request: web.Request) -> web.Response:
        url = request.app.router["item"].url_for(id="7")
        return web.Response(text=f"{request.app[name_key]} {request.match_info['id']} {url}")

    admin = web.Application(middlewares=[tagger("admin")])
    admin[name_key] = "admin"
    admin.router.add_get("/items/{id}", who, name="item")
    root = web.Application(middlewares=[tagger("root")])
    root[name_key] = "root"
    root.add_subapp("/admin/", admin)
    root.router.add_get("/", hello)
    server = await aiohttp_server(root)

    resp = await fetch(server, "GET", "/admin/items/3")
    assert resp.text == "admin 3 /admin/items/7"
    assert seen == ["root:root", "admin:admin"]
    resp = await fetch(server, "GET", "/admin/nothing")
    assert resp.status_code == 404
    resp = await fetch(server, "POST", "/admin/items/3")
    assert resp.status_code == 405
    assert resp.headers["Allow"] == "GET,HEAD"
    assert (await fetch(server, "GET", "/")).text == "hello world"


async def test_add_domain(aiohttp_server: Any) -> None:
    async def api(request: web.Request) -> web.Response:
        return web.Response(text="api")

    async def site(request: web.Request) -> web.Response:
        return web.Response(text="site")

    sub = web.Application()
    sub.router.add_get("/", api)
    wild = web.Application()
    wild.router.add_get("/", api)
    root = web.Application()
    root.add_domain("api.example.com", sub)
    root.add_domain("*.wild.example", wild)
    root.router.add_get("/", site)
    server = await aiohttp_server(root)

    assert (await fetch(server, "GET", "/", headers={"Host": "api.example.com"})).text == "api"
    assert (await fetch(server, "GET", "/", headers={"Host": "API.example.com"})).text == "api"
    assert (await fetch(server, "GET", "/", headers={"Host": "x.wild.example"})).text == "api"
    assert (await fetch(server, "GET", "/", headers={"Host": "other.example"})).text == "site"


@pytest.mark.parametrize(
    ("kwargs", "path", "status", "location"),
    [
        ({}, "/a?x=1", 308, "/a/?x=1"),
        ({}, "//a//b/", 308, "/a/b/"),
        ({}, "/a/", 200, None),
        ({"append_slash": False, "remove_slash": True}, "/c/", 308, "/c"),
        ({"redirect_class": web.HTTPMovedPermanently}, "/a", 301, "/a/"),
        ({}, "/missing", 404, None),
        ({}, "//evil.example", 404, None),
    ],
)
async def test_normalize_path_middleware(
    aiohttp_server: Any, kwargs: dict[str, Any], path: str, status: int, location: str | None
) -> None:
    app = web.Application(middlewares=[web.normalize_path_middleware(**kwargs)])
    app.router.add_get("/a/", hello)
    app.router.add_get("/a/b/", hello)
    app.router.add_get("/c", hello)
    server = await aiohttp_server(app)
    # A raw request: a URL library would read "//a//b/" as a host name.
    answer = await raw_exchange(
        server, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), first_line_only=True
    )
    lines = answer.decode("latin-1").split("\r\n")
    assert int(lines[0].split(" ")[1]) == status
    found = [line.split(": ", 1)[1] for line in lines if line.lower().startswith("location:")]
    assert found == ([location] if location else [])


class ItemView(web.View):
    async def get(self) -> web.Response:
        return web.json_response({"id": self.request.match_info["id"]})

    async def delete(self) -> web.Response:
        return web.Response(status=204)


async def test_class_based_views_and_route_table(aiohttp_server: Any) -> None:
    routes = web.RouteTableDef()

    @routes.get("/hello/{name}")
    async def greet(request: web.Request) -> web.Response:
        return web.Response(text=request.match_info["name"])

    routes.view("/items/{id}")(ItemView)
    app = web.Application()
    app.add_routes(routes)
    app.add_routes([web.post("/echo", echo)])
    server = await aiohttp_server(app)
    assert json.loads((await fetch(server, "GET", "/items/9")).text) == {"id": "9"}
    assert (await fetch(server, "DELETE", "/items/9")).status_code == 204
    resp = await fetch(server, "PUT", "/items/9")
    assert resp.status_code == 405
    assert resp.headers["Allow"] == "DELETE,GET"
    assert (await fetch(server, "GET", "/hello/x")).text == "x"
    assert (await fetch(server, "POST", "/echo", content=b"abc")).content == b"abc"


async def echo(request: web.Request) -> web.Response:
    return web.Response(body=await request.read())


async def test_client_max_size_at_limit_and_one_past(aiohttp_server: Any) -> None:
    app = web.Application(client_max_size=1000)
    app.router.add_post("/", echo)
    server = await aiohttp_server(app)
    ok = await fetch(server, "POST", "/", content=b"x" * 1000)
    assert (ok.status_code, len(ok.content)) == (200, 1000)
    too_big = await fetch(server, "POST", "/", content=b"x" * 1001)
    assert too_big.status_code == 413


async def test_malformed_multipart_is_400(aiohttp_server: Any) -> None:
    async def form(request: web.Request) -> web.Response:
        data = await request.post()
        for value in data.values():
            if isinstance(value, web.FileField):
                value.file.close()
        return web.Response(text=",".join(sorted(data)))

    app = web.Application()
    app.router.add_post("/", form)
    server = await aiohttp_server(app)
    good = (
        b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
        b'--b\r\nContent-Disposition: form-data; name="f"; filename="x.txt"\r\n\r\n2\r\n--b--\r\n'
    )
    headers = {"Content-Type": "multipart/form-data; boundary=b"}
    resp = await fetch(server, "POST", "/", content=good, headers=headers)
    assert (resp.status_code, resp.text) == (200, "a,f")
    bad = b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nno closing boundary'
    resp = await fetch(server, "POST", "/", content=bad, headers=headers)
    assert resp.status_code == 400


async def raw_exchange(server: Any, data: bytes, *, first_line_only: bool = False) -> bytes:
    reader, writer = await asyncio.open_connection(server.host, server.port)
    try:
        writer.write(data)
        await writer.drain()
        if first_line_only:
            return await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        return await asyncio.wait_for(reader.read(65536), 10)
    finally:
        writer.close()


async def continue_then_echo(server: Any) -> None:
    """Send a head that expects 100-continue, wait for the interim answer, send the body and
    read the echo of it."""
    reader, writer = await asyncio.open_connection(server.host, server.port)
    try:
        writer.write(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"
        )
        interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        writer.write(b"abc")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        assert head.startswith(b"HTTP/1.1 200 OK\r\n")
        assert await asyncio.wait_for(reader.readexactly(3), 10) == b"abc"
    finally:
        writer.close()


async def test_expect_100_continue_rfc9110_10_1_1(aiohttp_server: Any) -> None:
    async def refuse(request: web.Request) -> web.StreamResponse | None:
        raise web.HTTPExpectationFailed(text="not today")

    app = web.Application()
    app.router.add_post("/", echo)
    app.router.add_route("POST", "/picky", echo, expect_handler=refuse)
    server = await aiohttp_server(app)

    await continue_then_echo(server)

    answer = await raw_exchange(
        server,
        b"POST /picky HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
        first_line_only=True,
    )
    assert answer.startswith(b"HTTP/1.1 417 Expectation Failed\r\n")


async def test_an_expect_handler_may_write_the_interim_response_itself(
    aiohttp_server: Any,
) -> None:
    """3.x's documented custom expect handler writes ``100 Continue`` through
    ``request.writer``; the handler's response still follows (RFC 9110 §10.1.1)."""

    async def write_continue(request: web.Request) -> None:
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    app = web.Application()
    app.router.add_route("POST", "/", echo, expect_handler=write_continue)
    server = await aiohttp_server(app)
    await continue_then_echo(server)
