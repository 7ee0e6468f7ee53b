"""aiohttp 3.x behaviours that server-side extensions (SSE, sessions, CORS, ...) rely on.

Over real loopback, with our server and our client.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aiohttp import ClientPayloadError, web


async def test_stream_response_prepare_sends_the_head_at_once(aiohttp_client: Any) -> None:
    # A streaming handler (server-sent events, long polling) prepares its response and then
    # waits: the client must see the status and headers before any body bytes exist.
    release = asyncio.Event()

    async def handler(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"X-Stream": "1"})
        await resp.prepare(request)
        await asyncio.wait_for(release.wait(), 10)
        await resp.write(b"late")
        return resp

    app = web.Application()
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    resp = await asyncio.wait_for(client.get("/"), 5)
    assert (resp.status, resp.headers["X-Stream"]) == (200, "1")
    release.set()
    assert await resp.read() == b"late"


async def test_a_handler_failing_after_prepare_keeps_the_sent_status(
    aiohttp_client: Any,
) -> None:
    # The head is on the wire: the error cannot become a 500 any more; the connection is
    # closed instead, so the client sees the 200 and a truncated body.
    async def handler(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        await resp.prepare(request)
        raise RuntimeError("boom after prepare")

    app = web.Application()
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    async with client.get("/") as resp:
        assert resp.status == 200
        with pytest.raises(ClientPayloadError):
            await resp.read()


async def test_test_client_keeps_cookies_of_a_loopback_address(aiohttp_client: Any) -> None:
    # 3.x's TestClient uses CookieJar(unsafe=True): test servers listen on 127.0.0.1, and a
    # login that sets a cookie and redirects must carry it to the next request.
    async def login(request: web.Request) -> web.StreamResponse:
        found = web.HTTPFound(location="/")
        found.set_cookie("who", "ann")
        raise found

    async def index(request: web.Request) -> web.Response:
        return web.Response(text=request.cookies.get("who", "nobody"))

    app = web.Application()
    app.router.add_post("/login", login)
    app.router.add_get("/", index)
    client = await aiohttp_client(app)
    resp = await client.post("/login")
    assert (resp.status, await resp.text()) == (200, "ann")
    assert client.session.cookie_jar.filter_cookies(client.make_url("/"))["who"].value == "ann"


async def test_test_client_scheme_and_ws_connect_as_context_manager(aiohttp_client: Any) -> None:
    async def echo(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for msg in ws:
            await ws.send_str(msg.data.upper())
        return ws

    app = web.Application()
    app.router.add_get("/ws", echo)
    client = await aiohttp_client(app)
    assert client.scheme == "http"
    async with client.ws_connect("/ws") as ws:
        await ws.send_str("hi")
        assert (await ws.receive_str(timeout=5)) == "HI"
