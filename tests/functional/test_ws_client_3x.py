"""The client WebSocket as aiohttp 3.x code uses it: a ``ws_response_class`` subclass built with
3.x's constructor arguments, coroutine send methods, ``send_json_bytes``, and the low-level
``WebSocketReader``/``WebSocketDataQueue``/``WebSocketWriter`` of ``aiohttp.client_ws``."""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import Any

import pytest

import aiohttp
from aiohttp import client_ws, web
from aiohttp._sansio.websocket import WebSocketConnection
from aiohttp.client_proto import ResponseHandler
from aiohttp.testing.fakes import FakeTransport


async def echo(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for msg in ws:
        if msg.type is aiohttp.WSMsgType.TEXT:
            await ws.send_str("text:" + msg.data)
        elif msg.type is aiohttp.WSMsgType.BINARY:
            await ws.send_bytes(b"binary:" + msg.data)
    return ws


@pytest.fixture
async def ws_url(aiohttp_server: Any) -> str:
    app = web.Application()
    app.router.add_get("/ws", echo)
    server = await aiohttp_server(app)
    return f"http://127.0.0.1:{server.port}/ws"


class Recording(aiohttp.ClientWebSocketResponse):
    """Takes 3.x's constructor arguments by name and keeps a log of what it sent."""

    def __init__(  # noqa: PLR0917 - 3.x's positional signature
        self,
        reader: Any,
        writer: Any,
        protocol: Any,
        response: Any,
        timeout: Any,
        autoclose: bool,
        autoping: bool,
        loop: asyncio.AbstractEventLoop,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            reader, writer, protocol, response, timeout, autoclose, autoping, loop, **kwargs
        )
        self.given = (timeout, autoclose, autoping, loop, kwargs)
        self.sent: list[str] = []

    async def send_str(self, data: str, compress: int | None = None) -> None:
        self.sent.append(data)
        await super().send_str(data, compress)


async def test_a_ws_response_class_gets_3x_arguments(ws_url: str) -> None:
    timeout = aiohttp.ClientWSTimeout(ws_receive=5, ws_close=3)
    async with (
        aiohttp.ClientSession(ws_response_class=Recording) as session,
        session.ws_connect(ws_url, timeout=timeout, heartbeat=30, autoping=False) as ws,
    ):
        assert isinstance(ws, Recording)
        await ws.send_json({"a": 1})  # send_json goes through send_str, as in 3.x
        assert await ws.receive_str() == 'text:{"a": 1}'
        assert ws.sent == ['{"a": 1}']
        given_timeout, autoclose, autoping, loop, kwargs = ws.given
        assert (given_timeout, autoclose, autoping) == (timeout, True, False)
        assert loop is asyncio.get_running_loop()
        assert kwargs == {"heartbeat": 30, "compress": 0, "client_notakeover": False}


async def test_send_methods_are_coroutines_as_in_3x(ws_url: str) -> None:
    cls = aiohttp.ClientWebSocketResponse
    for name in ("send_str", "send_bytes", "send_json", "send_json_bytes", "send_frame", "ping"):
        assert inspect.iscoroutinefunction(getattr(cls, name)), name
    async with aiohttp.ClientSession() as session, session.ws_connect(ws_url) as ws:
        await ws.send_json_bytes({"b": 2}, dumps=lambda v: json.dumps(v).encode())
        assert await ws.receive_bytes() == b'binary:{"b": 2}'
        task = asyncio.create_task(ws.send_str("scheduled"))  # a coroutine, so a task takes it
        await task
        assert await ws.receive_str() == "text:scheduled"
        await ws.ping(b"p")
    assert inspect.signature(cls.close).parameters["code"].default is aiohttp.WSCloseCode.OK
    assert ws.close_code == aiohttp.WSCloseCode.OK


def server_frames(*messages: tuple[int, bytes]) -> bytes:
    server = WebSocketConnection(is_client=False)
    return b"".join(server.send_message(opcode, payload) for opcode, payload in messages)


async def test_the_low_level_reader_queue_and_writer() -> None:
    """3.x's plumbing, as code that drives a WebSocket by hand uses it."""
    loop = asyncio.get_running_loop()
    protocol = ResponseHandler(loop)
    transport = FakeTransport({})
    protocol.connection_made(transport)
    queue = client_ws.WebSocketDataQueue(protocol, 2**16, loop=loop)
    reader = client_ws.WebSocketReader(queue, 2**20, compress=True, decode_text=False)
    assert reader.feed_data(server_frames((0x1, b"hello"), (0x2, b"\x00\x01"))) == (False, b"")
    text, binary = await queue.read(), await queue.read()
    assert (text.type, text.data) == (aiohttp.WSMsgType.TEXT, b"hello")  # decode_text=False
    assert (binary.type, binary.data) == (aiohttp.WSMsgType.BINARY, b"\x00\x01")
    # A frame a server must not send (masked, RFC 6455 §5.1) ends the queue with the error.
    masked = WebSocketConnection(is_client=True).send_message(0x1, b"x")
    assert reader.feed_data(masked) == (True, b"")
    with pytest.raises(aiohttp.WebSocketError):
        await queue.read()

    writer = client_ws.WebSocketWriter(protocol, transport, use_mask=True)
    await writer.send_frame(b"to server", aiohttp.WSMsgType.TEXT)
    await writer.close(1001, b"bye")
    server = WebSocketConnection(is_client=False)
    events = server.receive_data(bytes(transport.buffer))
    assert [(m.type, m.data) for m in events] == [
        (aiohttp.WSMsgType.TEXT, "to server"),
        (aiohttp.WSMsgType.CLOSE, 1001),
    ]


async def test_the_queue_pauses_reading_above_its_limit_and_ends_with_eof() -> None:
    loop = asyncio.get_running_loop()
    protocol = ResponseHandler(loop)
    protocol.connection_made(FakeTransport({}))
    queue = client_ws.WebSocketDataQueue(protocol, 4, loop=loop)
    message = aiohttp.WSMessage(aiohttp.WSMsgType.BINARY, b"12345", None)
    queue.feed_data(message, 5)
    assert protocol.reading_paused
    assert await queue.read() is message
    assert not protocol.reading_paused
    queue.feed_eof()
    assert queue.is_eof()
    with pytest.raises(client_ws.EofStream):
        await queue.read()


def test_calculate_timeout_when_rounds_long_timeouts_up() -> None:
    assert client_ws.calculate_timeout_when(10.2, 1.0, 5) == pytest.approx(11.2)
    assert client_ws.calculate_timeout_when(10.2, 6.0, 5) == 17
