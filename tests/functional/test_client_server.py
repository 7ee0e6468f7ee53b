"""The client against our own server (aiohttp.web)."""

from __future__ import annotations

import pytest

from aiohttp import web
from aiohttp.client import ClientSession, TooManyRedirects


async def hello(request: web.Request) -> web.Response:
    return web.Response(text="Hello, " + request.match_info.get("name", "Anonymous"))


async def echo(request: web.Request) -> web.Response:
    body = await request.read()
    return web.Response(body=body, content_type=request.content_type)


async def stream(request: web.Request) -> web.StreamResponse:
    resp = web.StreamResponse()
    resp.enable_chunked_encoding()
    await resp.prepare(request)
    for i in range(100):
        await resp.write(f"line {i}\n".encode())
    await resp.write_eof()
    return resp


async def compressed(request: web.Request) -> web.Response:
    resp = web.Response(text="squeeze me " * 1000)
    resp.enable_compression()
    return resp


async def login(request: web.Request) -> web.Response:
    resp = web.Response(text="ok")
    resp.set_cookie("session", "s3cr3t")
    return resp


async def whoami(request: web.Request) -> web.Response:
    return web.Response(text=request.cookies.get("session", "nobody"))


async def moved(request: web.Request) -> web.Response:
    raise web.HTTPFound("/hello/redirected")


async def loop(request: web.Request) -> web.Response:
    raise web.HTTPFound("/loop")


@pytest.fixture
async def base(aiohttp_server) -> str:
    app = web.Application()
    app.router.add_get("/hello/{name}", hello)
    app.router.add_post("/echo", echo)
    app.router.add_get("/stream", stream)
    app.router.add_get("/compressed", compressed)
    app.router.add_get("/login", login)
    app.router.add_get("/whoami", whoami)
    app.router.add_get("/moved", moved)
    app.router.add_get("/loop", loop)
    server = await aiohttp_server(app)
    return f"http://localhost:{server.port}"


async def test_round_trips(base: str) -> None:
    async with ClientSession(base_url=base) as s:
        async with s.get("/hello/client") as resp:
            assert await resp.text() == "Hello, client"
        async with s.post("/echo", json={"a": 1}) as resp:
            assert await resp.json() == {"a": 1}
        async with s.post("/echo", data={"k": "v"}) as resp:
            assert await resp.text() == "k=v"
        async with s.get("/stream") as resp:
            lines = [line async for line in resp.content]
        assert lines[0] == b"line 0\n"
        assert len(lines) == 100
        async with s.get("/compressed") as resp:
            assert resp.headers.get("Content-Encoding") in ("gzip", "deflate", "br", "zstd")
            assert await resp.text() == "squeeze me " * 1000
        async with s.get("/moved") as resp:
            assert await resp.text() == "Hello, redirected"
            assert [r.status for r in resp.history] == [302]
        with pytest.raises(TooManyRedirects):
            await s.get("/loop")


async def test_cookies_and_keep_alive(base: str) -> None:
    async with ClientSession(base_url=base) as s:
        async with s.get("/whoami") as resp:
            assert await resp.text() == "nobody"
        async with s.get("/login") as resp:
            await resp.read()
        async with s.get("/whoami") as resp:
            assert await resp.text() == "s3cr3t"
        assert s.connector is not None
        assert s.connector._pool is not None
        assert s.connector._pool.idle_count() == 1
