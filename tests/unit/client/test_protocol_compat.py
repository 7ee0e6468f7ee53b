"""``ResponseHandler``'s aiohttp 3.x members, as custom connectors, mocking libraries and code
driving a connection by hand use them."""

from __future__ import annotations

import asyncio

import pytest

import aiohttp
from aiohttp import client_ws
from aiohttp._sansio.websocket import WebSocketConnection
from aiohttp.client_proto import EMPTY_BODY_STATUS_CODES, ResponseHandler
from aiohttp.streams import StreamReader
from aiohttp.testing.fakes import FakeTransport


class AbortableTransport(FakeTransport):
    aborted = False

    def abort(self) -> None:
        self.aborted = True
        self.close()


def connected(loop: asyncio.AbstractEventLoop) -> tuple[ResponseHandler, AbortableTransport]:
    protocol = ResponseHandler(loop)
    transport = AbortableTransport({})
    protocol.connection_made(transport)
    return protocol, transport


async def test_a_mocking_library_builds_a_body_stream_on_a_bare_protocol() -> None:
    """What aioresponses does for each mocked response."""
    loop = asyncio.get_running_loop()
    content = StreamReader(ResponseHandler(loop=loop), limit=2**16, loop=loop)
    content.feed_data(b'{"ok": true}')
    content.feed_eof()
    assert await content.read() == b'{"ok": true}'


async def test_force_close_and_abort_end_reuse() -> None:
    protocol, transport = connected(asyncio.get_running_loop())
    assert not protocol.should_close
    protocol.force_close()
    assert protocol.should_close
    protocol.abort()
    assert transport.aborted
    assert not protocol.upgraded


async def test_set_response_params_sets_the_next_responses_limits() -> None:
    protocol, _ = connected(asyncio.get_running_loop())
    protocol.set_response_params(read_timeout=2.5, max_line_size=20, read_bufsize=2**20)
    assert protocol.read_timeout == 2.5
    protocol.expect_response("GET")
    protocol.start_timeout()
    protocol.data_received(b"HTTP/1.1 200 " + b"x" * 40 + b"\r\n\r\n")
    with pytest.raises(aiohttp.http_exceptions.HttpProcessingError):
        await protocol.read_head()


async def test_set_exception_fails_the_response_with_its_cause() -> None:
    protocol, transport = connected(asyncio.get_running_loop())
    protocol.expect_response("GET")
    cause = OSError("reset")
    protocol.set_exception(aiohttp.ClientOSError("gone"), cause)
    with pytest.raises(aiohttp.ClientOSError) as info:
        await protocol.read_head()
    assert info.value.__cause__ is cause
    assert transport.is_closing()


async def test_set_parser_hands_the_connection_to_a_websocket_reader() -> None:
    """3.x's way into WebSocket after a 101: the reader parses, the queue holds messages."""
    loop = asyncio.get_running_loop()
    protocol, transport = connected(loop)
    queue = client_ws.WebSocketDataQueue(protocol, 2**16, loop=loop)
    received: list[None] = []
    protocol.set_parser(
        client_ws.WebSocketReader(queue, 2**20, compress=False, decode_text=True),
        queue,
        lambda: received.append(None),
    )
    server = WebSocketConnection(is_client=False)
    data = server.send_message(0x1, b"hi") + server.send_close(1000)
    protocol.get_buffer(-1)[: len(data)] = data  # as asyncio's transport reads
    protocol.buffer_updated(len(data))
    text, close = await queue.read(), await queue.read()
    assert (text.type, text.data) == (aiohttp.WSMsgType.TEXT, "hi")
    assert (close.type, close.data) == (aiohttp.WSMsgType.CLOSE, 1000)
    assert received == [None]
    protocol.connection_lost(None)
    with pytest.raises(client_ws.EofStream):
        await queue.read()
    assert not transport.aborted


def test_empty_body_status_codes() -> None:
    # RFC 9110 §6.4.1: 1xx, 204 and 304 responses have no content.
    assert {100, 101, 199, 204, 304} <= EMPTY_BODY_STATUS_CODES
    assert not {200, 205, 404} & EMPTY_BODY_STATUS_CODES
