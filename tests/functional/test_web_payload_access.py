"""Reading a request body after its response was sent raises ``web.PayloadAccessError`` (3.x).

A handler may keep the request past its return (a background task, a cache); once the response
is out, the body belongs to the server. Each test keeps the first request, then asks on the same
keep-alive connection for a second one, which the server only starts once the first is done.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import aiohttp.web_protocol
from aiohttp import web

KEPT = web.AppKey("kept", list)


async def keep(request: web.Request) -> web.StreamResponse:
    if request.query.get("read"):
        await request.read()
    request.app[KEPT].append(request)
    return web.Response(text="kept")


async def read_kept(request: web.Request) -> web.StreamResponse:
    kept: web.Request = request.app[KEPT][0]
    try:
        body = await kept.content.read()
    except web.PayloadAccessError:
        return web.Response(text="PayloadAccessError")
    return web.Response(text=f"read {body!r}; request.read() {await kept.read()!r}")


async def start(aiohttp_server: Any) -> Any:
    app = web.Application()
    app[KEPT] = []
    app.router.add_post("/keep", keep)
    app.router.add_get("/keep", keep)
    app.router.add_get("/read", read_kept)
    return await aiohttp_server(app)


async def test_reading_the_body_after_the_response_raises(aiohttp_server: Any) -> None:
    server = await start(aiohttp_server)
    async with aiohttp.ClientSession(f"http://127.0.0.1:{server.port}") as session:
        async with session.post("/keep", data=b"abc") as resp:
            assert await resp.text() == "kept"
        async with session.get("/read") as resp:
            assert await resp.text() == "PayloadAccessError"


async def test_a_body_read_by_the_handler_stays_readable_through_read(aiohttp_server: Any) -> None:
    # request.read() keeps what it read; only the stream is closed to the application.
    server = await start(aiohttp_server)
    async with aiohttp.ClientSession(f"http://127.0.0.1:{server.port}") as session:
        async with session.post("/keep?read=1", data=b"abc") as resp:
            assert await resp.text() == "kept"
        async with session.get("/read") as resp:
            assert await resp.text() == "PayloadAccessError"
        kept: web.Request = server.app[KEPT][0]
        assert await kept.read() == b"abc"


async def test_a_request_without_a_body_reads_empty(aiohttp_server: Any) -> None:
    server = await start(aiohttp_server)
    async with aiohttp.ClientSession(f"http://127.0.0.1:{server.port}") as session:
        async with session.get("/keep") as resp:
            assert await resp.text() == "kept"
        async with session.get("/read") as resp:
            assert await resp.text() == "read b''; request.read() b''"


async def test_a_body_still_arriving_is_drained_then_closed(aiohttp_server: Any) -> None:
    # The handler answers before the body ends: the server reads and drops the rest (keeping
    # the connection), and only then refuses the body to the application.
    server = await start(aiohttp_server)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(b"POST /keep HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345")
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        assert await reader.readexactly(4) == b"kept"
        writer.write(b"67890GET /read HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
        await writer.wait_closed()
    assert answer.startswith(b"HTTP/1.1 200")
    assert answer.endswith(b"\r\n\r\nPayloadAccessError")


def test_exported_where_3x_has_it() -> None:
    assert aiohttp.web_protocol.PayloadAccessError is web.PayloadAccessError
    assert issubclass(web.PayloadAccessError, Exception)
    assert not issubclass(web.PayloadAccessError, web.RequestPayloadError)
