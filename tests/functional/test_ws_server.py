"""Our WebSocket server over loopback: against the ``websockets`` client and hostile raw peers."""

from __future__ import annotations

import asyncio
import os
import struct
import time
import warnings
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import websockets
from websockets.asyncio.client import connect

import aiohttp
from aiohttp import web
from conformance.websocket.wire import FIXED_KEY, accept_for, encode_frame, read_frame, read_head

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
WS_OPTIONS = web.AppKey("ws_options", dict)
CLOSED_WITH = web.AppKey("closed_with", list)


async def echo_handler(request: web.Request) -> web.StreamResponse:
    ws = web.WebSocketResponse(**request.app[WS_OPTIONS])
    await ws.prepare(request)
    async for msg in ws:
        if msg.type is web.WSMsgType.TEXT:
            await ws.send_str(msg.data)
        elif msg.type is web.WSMsgType.BINARY:
            await ws.send_bytes(msg.data)
    request.app[CLOSED_WITH].append(ws.close_code)
    return ws


async def serve(aiohttp_server: Any, handler: Handler = echo_handler, **options: Any) -> Any:
    app = web.Application()
    app[WS_OPTIONS] = options
    app[CLOSED_WITH] = []
    app.router.add_get("/ws", handler)
    return await aiohttp_server(app)


@pytest.mark.parametrize("compression", ["deflate", None], ids=["deflate", "plain"])
async def test_echo_with_websockets_client(aiohttp_server: Any, compression: str | None) -> None:
    server = await serve(aiohttp_server)
    async with connect(f"ws://127.0.0.1:{server.port}/ws", compression=compression) as client:
        extensions = client.response.headers.get("Sec-WebSocket-Extensions")
        assert (extensions == "permessage-deflate") is (compression is not None)
        for text in ("hello", "κόσμε", "x" * 70000):
            await client.send(text)
            assert await client.recv() == text
        await client.send(b"\x00\xff")
        assert await client.recv() == b"\x00\xff"


@pytest.mark.parametrize("compression", ["deflate", None], ids=["deflate", "plain"])
async def test_16_mib_round_trip(aiohttp_server: Any, compression: str | None) -> None:
    server = await serve(aiohttp_server, max_msg_size=32 << 20)
    payload = os.urandom(1 << 20) * 16
    async with connect(
        f"ws://127.0.0.1:{server.port}/ws", compression=compression, max_size=None
    ) as client:
        await client.send(payload)
        assert await client.recv() == payload


async def test_close_initiated_by_the_server(aiohttp_server: Any) -> None:
    results: list[Any] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str("bye soon")
        results.append(await ws.close(code=4000, message=b"done"))
        results.append(ws.close_code)
        return ws

    server = await serve(aiohttp_server, handler)
    async with connect(f"ws://127.0.0.1:{server.port}/ws") as client:
        assert await client.recv() == "bye soon"
        with pytest.raises(websockets.ConnectionClosed):
            await client.recv()
        assert (client.close_code, client.close_reason) == (4000, "done")
    assert results == [True, 4000]


async def test_close_initiated_by_the_client(aiohttp_server: Any) -> None:
    server = await serve(aiohttp_server)
    async with connect(f"ws://127.0.0.1:{server.port}/ws") as client:
        await client.close(code=4001, reason="client leaves")
        assert client.close_code == 4001
    for _ in range(100):
        if server.app[CLOSED_WITH]:
            break
        await asyncio.sleep(0.01)
    assert server.app[CLOSED_WITH] == [4001]


async def test_subprotocol_follows_the_clients_order(aiohttp_server: Any) -> None:
    server = await serve(aiohttp_server, protocols=("chat", "superchat"))
    async with connect(
        f"ws://127.0.0.1:{server.port}/ws", subprotocols=["superchat", "chat"]
    ) as client:
        assert client.subprotocol == "superchat"


# -- raw, hostile peers -------------------------------------------------------------------------


async def raw_client(
    port: int, extensions: str | None = None
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, dict[str, list[str]]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = [
        "GET /ws HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {FIXED_KEY}",
        "Sec-WebSocket-Version: 13",
    ]
    if extensions:
        lines.append(f"Sec-WebSocket-Extensions: {extensions}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    start, fields = await read_head(reader)
    assert start.startswith("HTTP/1.1 101")
    assert fields["sec-websocket-accept"] == [accept_for(FIXED_KEY)]
    return reader, writer, fields


async def close_code_within(reader: asyncio.StreamReader, seconds: float) -> int:
    async with asyncio.timeout(seconds):
        while True:
            frame = await read_frame(reader)
            if frame.opcode == 8:
                assert not frame.masked
                return int(struct.unpack("!H", frame.payload[:2])[0])


async def test_length_of_2_63_is_refused_at_once(aiohttp_server: Any) -> None:
    server = await serve(aiohttp_server)
    reader, writer, _ = await raw_client(server.port)
    writer.write(b"\x82\xff" + struct.pack("!Q", 1 << 63) + b"\x00" * 4)
    assert await close_code_within(reader, 2) == 1002
    async with asyncio.timeout(2):
        assert await reader.read() == b""  # the server closes the TCP connection
    writer.close()


async def test_endless_continuation_frames_end_with_1009(aiohttp_server: Any) -> None:
    server = await serve(aiohttp_server, max_msg_size=1 << 20)
    reader, writer, _ = await raw_client(server.port)
    writer.write(encode_frame(2, b"\x00" * 65536, fin=False))
    code = None
    for _ in range(40):  # up to 2.5 MiB, well past the 1 MiB limit
        try:
            writer.write(encode_frame(0, b"\x00" * 65536, fin=False))
            await writer.drain()
        except ConnectionError:
            break
        if reader.at_eof() or len(reader._buffer) > 0:  # the answer is waiting
            break
    code = await close_code_within(reader, 2)
    assert code == 1009
    writer.close()


async def test_compressed_bomb_ends_with_1009(aiohttp_server: Any) -> None:
    server = await serve(aiohttp_server, max_msg_size=1 << 20)
    reader, writer, fields = await raw_client(server.port, "permessage-deflate")
    assert fields["sec-websocket-extensions"] == ["permessage-deflate"]
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = comp.compress(b"\x00" * (64 << 20)) + comp.flush(zlib.Z_SYNC_FLUSH)
    assert len(bomb) < 100_000
    started = time.monotonic()
    writer.write(encode_frame(2, bomb[:-4], rsv=4))
    assert await close_code_within(reader, 5) == 1009
    assert time.monotonic() - started < 5
    writer.close()


async def test_peer_that_never_answers_close(aiohttp_server: Any) -> None:
    done: list[Any] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(timeout=0.3)
        await ws.prepare(request)
        started = time.monotonic()
        done.append(await ws.close())
        done.append((ws.close_code, time.monotonic() - started))
        done.append(ws.exception())
        return ws

    server = await serve(aiohttp_server, handler)
    reader, writer, _ = await raw_client(server.port)
    assert await close_code_within(reader, 2) == 1000
    async with asyncio.timeout(3):
        assert await reader.read() == b""  # silence from us: the server gives up and closes
    assert done[0] is True
    code, elapsed = done[1]
    assert code == 1006
    assert 0.25 < elapsed < 2
    assert isinstance(done[2], TimeoutError)
    writer.close()


async def test_peer_that_never_answers_ping(aiohttp_server: Any) -> None:
    seen: list[Any] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=0.2)
        await ws.prepare(request)
        msg = await ws.receive()
        seen.append((msg.type, ws.close_code))
        seen.append(ws.exception())
        return ws

    server = await serve(aiohttp_server, handler)
    reader, writer, _ = await raw_client(server.port)
    frame = await asyncio.wait_for(read_frame(reader), 2)
    assert frame.opcode == 9
    async with asyncio.timeout(3):
        assert await reader.read() == b""
    for _ in range(100):
        if seen:
            break
        await asyncio.sleep(0.01)
    assert seen[0] == (web.WSMsgType.ERROR, 1006)
    assert isinstance(seen[1], asyncio.TimeoutError)  # what 3.x says, waiting half the beat
    assert str(seen[1]) == "No PONG received after 0.1 seconds"
    writer.close()


async def test_handshake_refused_without_upgrade(aiohttp_server: Any) -> None:
    server = await serve(aiohttp_server)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /ws HTTP/1.1\r\nHost: x\r\nSec-WebSocket-Version: 8\r\n\r\n")
    start, _ = await read_head(reader)
    assert start.startswith("HTTP/1.1 400")
    writer.close()


async def test_unsupported_version_gets_426(aiohttp_server: Any) -> None:
    server = await serve(aiohttp_server)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(
        b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: " + FIXED_KEY.encode() + b"\r\nSec-WebSocket-Version: 8\r\n\r\n"
    )
    start, fields = await read_head(reader)
    assert start.startswith("HTTP/1.1 426")
    assert fields["sec-websocket-version"] == ["13"]
    writer.close()


# -- the seed's handler, unchanged ---------------------------------------------------------------


async def seed_wshandler(request: web.Request) -> web.StreamResponse:
    ws = web.WebSocketResponse()
    ws.start(request)

    while True:
        msg = await ws.receive()

        if msg.tp == web.MsgType.text:
            ws.send_str("Hello, {}".format(msg.data))  # noqa: UP032 - the seed's spelling
        elif msg.tp == web.MsgType.binary:
            ws.send_bytes(msg.data)
        elif msg.tp == web.MsgType.close:
            break

    return ws


async def test_seed_wshandler_runs_with_deprecation_warnings_only(aiohttp_server: Any) -> None:
    server = await serve(aiohttp_server, seed_wshandler)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        async with connect(f"ws://127.0.0.1:{server.port}/ws") as client:
            await client.send("world")
            assert await client.recv() == "Hello, world"
            await client.send(b"\x01")
            assert await client.recv() == b"\x01"
        await asyncio.sleep(0.05)
    messages = {str(w.message) for w in caught}
    assert {w.category for w in caught} == {DeprecationWarning}
    assert any("WebSocketResponse.start() is deprecated" in m for m in messages)
    assert any("WSMessage.tp is deprecated" in m for m in messages)
    assert any("aiohttp.web.MsgType is deprecated" in m for m in messages)
    assert any("send_str() without await" in m for m in messages)


# -- the response object's own API ---------------------------------------------------------------


async def test_can_prepare_and_refusals_by_method(aiohttp_server: Any) -> None:
    seen: list[Any] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(protocols=("chat",))
        ready = ws.can_prepare(request)
        seen.append((bool(ready), ready.protocol, ws.compress))
        if not ready:
            return web.Response(text="plain HTTP here")
        await ws.prepare(request)
        with pytest.raises(RuntimeError, match="Already started"):
            ws.can_prepare(request)
        with pytest.raises(RuntimeError, match="write"):
            await ws.write(b"raw")
        seen.append(ws.compress)
        await ws.close()
        return ws

    app = web.Application()
    app.router.add_route("*", "/ws", handler)
    server = await aiohttp_server(app)
    async with connect(f"ws://127.0.0.1:{server.port}/ws", subprotocols=["chat"]) as client:
        with pytest.raises(websockets.ConnectionClosed):
            await client.recv()
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    start, _ = await read_head(reader)
    assert start.startswith("HTTP/1.1 200")
    writer.close()
    assert seen == [(True, "chat", True), 15, (False, None, True)]


async def test_post_handshake_is_405(aiohttp_server: Any) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        return ws

    app = web.Application()
    app.router.add_route("POST", "/ws", handler)
    server = await aiohttp_server(app)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(
        b"POST /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    start, fields = await read_head(reader)
    assert start.startswith("HTTP/1.1 405")
    assert fields["allow"] == ["GET"]
    writer.close()


async def test_old_start_refuses_a_bad_handshake_at_once(aiohttp_server: Any) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ws.start(request)
        return ws

    server = await serve(aiohttp_server, handler)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /ws HTTP/1.1\r\nHost: x\r\n\r\n")
    start, _ = await read_head(reader)
    assert start.startswith("HTTP/1.1 400")
    writer.close()


async def test_write_eof_before_prepare() -> None:
    ws = web.WebSocketResponse()
    with pytest.raises(RuntimeError, match="not been started"):
        await ws.write_eof()


def test_unknown_old_name_and_import_paths() -> None:
    with pytest.raises(AttributeError):
        _ = web.NoSuchName  # type: ignore[attr-defined]
    from aiohttp import client_ws, web_ws

    assert web_ws.WebSocketResponse is web.WebSocketResponse
    assert client_ws.ClientWSTimeout().ws_close is None  # 3.x: no limit unless given
    assert client_ws.DEFAULT_WS_CLIENT_TIMEOUT.ws_close == 10.0


@pytest.mark.parametrize(
    "upgrade",
    ["websoc\u212aet", "WEBSOC\u212aET"],
    ids=["kelvin", "kelvin-upper"],
)
async def test_upgrade_token_with_kelvin_sign_is_refused(aiohttp_server: Any, upgrade: str) -> None:
    # RFC 9110 §5.6.2: tokens are ASCII. Python's str.lower() maps the Kelvin sign (U+212A) to
    # "k"; the handshake must not, or a proxy and this server disagree on what was asked for.
    server = await serve(aiohttp_server)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(
            b"GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: "
            + upgrade.encode()
            + b"\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
            + FIXED_KEY.encode()
            + b"\r\n\r\n"
        )
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    finally:
        writer.close()
    assert head.startswith(b"HTTP/1.1 400 ")


async def test_a_status_set_before_prepare_gives_way_to_101(aiohttp_server: Any) -> None:
    """RFC 6455 §4.2.2: the handshake is answered 101 whatever status was set before."""
    statuses: list[int] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        ws.set_status(200)
        statuses.append(ws.status)
        await ws.prepare(request)
        statuses.append(ws.status)
        await ws.close()
        return ws

    server = await serve(aiohttp_server, handler)
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(f"http://127.0.0.1:{server.port}/ws")
        assert (await ws.receive()).type is aiohttp.WSMsgType.CLOSE
        await ws.close()
    assert statuses == [200, 101]
