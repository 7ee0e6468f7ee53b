"""aiohttp 3.x behaviours that server-side extensions (SSE, sessions, CORS, ...) rely on.

Over real loopback, with our server and our client.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web


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
