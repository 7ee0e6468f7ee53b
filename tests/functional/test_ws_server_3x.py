"""The server WebSocket as aiohttp 3.x code uses it: ``close()`` before ``prepare()``,
``receive()`` after ``close()``, the negotiated ``compress`` window, the subprotocol warning,
and the client's late frames while the server closes (RFC 6455 §5.5.1, §7.1.2)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from websockets.asyncio.client import connect

import aiohttp
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from conformance.websocket.wire import FIXED_KEY


def handshake_headers(**extra: str) -> dict[str, str]:
    return {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": FIXED_KEY,
        **extra,
    }


async def test_close_before_prepare_raises() -> None:
    ws = web.WebSocketResponse()
    with pytest.raises(RuntimeError, match=r"^Call \.prepare\(\) first$"):
        await ws.close()
    assert not ws.closed


async def test_close_after_the_old_start_waits_for_its_handshake(aiohttp_server: Any) -> None:
    results: list[Any] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        with pytest.warns(DeprecationWarning, match="start"):
            ws.start(request)
        results.append(await ws.close(code=4001))
        return ws

    app = web.Application()
    app.router.add_get("/ws", handler)
    server = await aiohttp_server(app)
    async with connect(f"ws://127.0.0.1:{server.port}/ws") as client:
        await client.wait_closed()
        assert client.close_code == 4001
    assert results == [True]


@pytest.mark.parametrize(
    ("offer", "compress"),
    [
        (None, 0),
        ("permessage-deflate", 15),
        ("permessage-deflate; server_max_window_bits=10", 10),
        ("permessage-deflate; server_max_window_bits=16", 0),
        ("permessage-deflate; nonsense", 0),
    ],
)
async def test_compress_is_the_negotiated_window_after_prepare(
    offer: str | None, compress: int
) -> None:
    # RFC 7692 §7.1.2.1: the window the server compresses with; 0 when nothing was agreed.
    headers = handshake_headers(**({"Sec-WebSocket-Extensions": offer} if offer else {}))
    ws = web.WebSocketResponse()
    assert ws.compress is True  # before prepare: what the constructor was given
    await ws.prepare(make_mocked_request("GET", "/", headers=headers))
    assert ws.compress == compress
    assert type(ws.compress) is int


async def test_compress_false_stays_off() -> None:
    headers = handshake_headers(**{"Sec-WebSocket-Extensions": "permessage-deflate"})
    ws = web.WebSocketResponse(compress=False)
    assert ws.compress is False
    await ws.prepare(make_mocked_request("GET", "/", headers=headers))
    assert ws.compress == 0
    assert "Sec-WebSocket-Extensions" not in ws.headers


@pytest.mark.parametrize("server_protocols", [("chat",), ()])
async def test_subprotocols_without_overlap_are_logged(
    caplog: pytest.LogCaptureFixture, server_protocols: tuple[str, ...]
) -> None:
    # RFC 6455 §4.2.2: no subprotocol in the answer; aiohttp 3.x warns on its ws_logger.
    headers = handshake_headers(**{"Sec-WebSocket-Protocol": "v1, v2"})
    ws = web.WebSocketResponse(protocols=server_protocols)
    with caplog.at_level(logging.WARNING, logger="aiohttp.websocket"):
        await ws.prepare(make_mocked_request("GET", "/", headers=headers))
    assert ws.ws_protocol is None
    [record] = [r for r in caplog.records if r.name == "aiohttp.websocket"]
    assert record.levelno == logging.WARNING
    assert record.msg == "%s: Client protocols %r don\u2019t overlap server-known ones %r"
    assert record.args is not None
    assert record.args[1:] == (["v1", "v2"], list(server_protocols))


async def test_a_matching_subprotocol_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    headers = handshake_headers(**{"Sec-WebSocket-Protocol": "v1, chat"})
    ws = web.WebSocketResponse(protocols=["chat"])
    with caplog.at_level(logging.DEBUG, logger="aiohttp.websocket"):
        await ws.prepare(make_mocked_request("GET", "/", headers=headers))
    assert ws.ws_protocol == "chat"
    assert not [r for r in caplog.records if r.name == "aiohttp.websocket"]


async def test_receive_after_close_is_closed(aiohttp_server: Any) -> None:
    # aiohttp 3.x: close() reads up to the client's Close and drops what came before it.
    seen: list[Any] = []
    sent = asyncio.Event()

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await sent.wait()
        await asyncio.sleep(0.05)  # the client's text is in, unread
        seen.append(await ws.close())
        seen.append((await ws.receive()).type)
        with pytest.raises(aiohttp.WSMessageTypeError, match=r"257:None is not WSMsgType\.TEXT"):
            await ws.receive_str()
        return ws

    app = web.Application()
    app.router.add_get("/ws", handler)
    server = await aiohttp_server(app)
    async with connect(f"ws://127.0.0.1:{server.port}/ws") as client:
        await client.send("unread")
        sent.set()
        await client.wait_closed()
    assert seen == [True, aiohttp.WSMsgType.CLOSED]


async def test_pings_crossing_the_servers_close_go_unanswered(aiohttp_server: Any) -> None:
    # RFC 6455 §5.5.1: nothing is sent after a Close. The client's data and ping sent after
    # the server's Close are dropped, and its Close ends the handshake.
    results: list[Any] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        results.append(await ws.close())
        results.append(ws.close_code)
        return ws

    app = web.Application()
    app.router.add_get("/ws", handler)
    server = await aiohttp_server(app)
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(
            f"http://127.0.0.1:{server.port}/ws", autoclose=False, autoping=False
        )
        msg = await ws.receive()
        assert msg.type is aiohttp.WSMsgType.CLOSE
        await ws.send_str("text")
        await ws.send_bytes(b"bytes")
        await ws.ping()
        await asyncio.wait_for(ws.close(), 5)
    assert results == [True, 1000]


async def test_close_from_another_task_ends_the_handlers_receive_at_once(
    aiohttp_server: Any,
) -> None:
    # aiohttp 3.x: the receiving handler gets CLOSING, and close() drops the connection after
    # its Close frame instead of waiting (up to ``timeout``) for a client that is not reading.
    sockets: list[web.WebSocketResponse] = []
    seen: list[Any] = []
    closes: list[bool] = []
    handled = asyncio.Event()
    prepared = asyncio.Event()

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        sockets.append(ws)
        prepared.set()
        seen.append([msg.type async for msg in ws])
        handled.set()
        return ws

    async def on_shutdown(app: web.Application) -> None:
        for ws in sockets:
            closes.append(await ws.close(code=1001, message="Server shutdown"))

    app = web.Application()
    app.router.add_get("/ws", handler)
    app.on_shutdown.append(on_shutdown)
    server = await aiohttp_server(app)
    async with aiohttp.ClientSession() as session:
        client = await session.ws_connect(f"http://127.0.0.1:{server.port}/ws")
        await client.send_str("hello")
        await asyncio.wait_for(prepared.wait(), 5)
        await asyncio.sleep(0.05)  # the handler waits in receive()
        started = asyncio.get_running_loop().time()
        await app.shutdown()
        assert asyncio.get_running_loop().time() - started < 2
        msg = await client.receive()
        assert (msg.type, msg.data, msg.extra) == (aiohttp.WSMsgType.CLOSE, 1001, "Server shutdown")
        await client.close()
    await asyncio.wait_for(handled.wait(), 5)
    assert closes == [True]
    assert seen == [[aiohttp.WSMsgType.TEXT]]
