"""A client that half-closes: answered when it waits for an answer, gone when it left a stream.

RFC 9112 §9.6: a request followed by a half-close is still answered. A client that closes
while a response is being streamed to it (an EventSource, a long download) is gone: the
handler sees ``request.transport`` become ``None`` and its writes fail, as in aiohttp 3.x.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

REQUEST = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"


async def test_request_then_half_close_is_still_answered(aiohttp_raw_server: Any) -> None:
    async def slow(request: web.BaseRequest) -> web.StreamResponse:
        await asyncio.sleep(0.05)  # the half-close arrives while the handler runs
        return web.Response(text="answer")

    server = await aiohttp_raw_server(slow, handler_cancellation=False)  # the server's default
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(REQUEST)
        writer.write_eof()
        data = await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()
    assert data.startswith(b"HTTP/1.1 200 OK")
    assert data.endswith(b"answer")


async def test_with_handler_cancellation_a_client_closing_cancels_its_handler(
    aiohttp_raw_server: Any,
) -> None:
    """``handler_cancellation=True`` takes the client's FIN for its leaving, as 3.x does."""
    cancelled = asyncio.Event()

    async def slow(request: web.BaseRequest) -> web.StreamResponse:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return web.Response(text="answer")  # pragma: no cover

    server = await aiohttp_raw_server(slow, handler_cancellation=True)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(REQUEST)
        await writer.drain()
        await asyncio.sleep(0.05)  # the handler runs
        writer.write_eof()
        await asyncio.wait_for(cancelled.wait(), 5)
        assert await asyncio.wait_for(reader.read(), 5) == b""
    finally:
        writer.close()


async def test_client_closing_during_a_stream_is_seen_by_the_handler(
    aiohttp_raw_server: Any,
) -> None:
    seen: asyncio.Future[tuple[bool, type[BaseException] | None]] = (
        asyncio.get_running_loop().create_future()
    )

    async def events(request: web.BaseRequest) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        await resp.write(b"data: 1\n\n")
        for _ in range(500):  # bounded: 5 s at most
            if request.transport is None:
                break
            await asyncio.sleep(0.01)
        error: type[BaseException] | None = None
        try:
            await resp.write(b"data: 2\n\n")
        except ConnectionError as exc:
            error = type(exc)
        seen.set_result((request.transport is None, error))
        return resp

    # Not cancelled on disconnect (the test server's default is to cancel): the handler itself
    # must notice that its client left.
    server = await aiohttp_raw_server(events, handler_cancellation=False)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(REQUEST)
        await asyncio.wait_for(reader.readuntil(b"data: 1\n\n"), 5)
        writer.write_eof()  # the client leaves
        gone, error = await asyncio.wait_for(seen, 10)
    finally:
        writer.close()
    assert gone
    assert error is not None
    assert issubclass(error, ConnectionResetError)
