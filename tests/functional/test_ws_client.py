"""Our WebSocket client over loopback: the ``websockets`` server, our server, hostile servers."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import struct
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

import aiohttp
from aiohttp import WSCloseCode, web
from conformance.websocket.wire import encode_frame, read_frame, read_head


@asynccontextmanager
async def websockets_echo(**options: Any) -> AsyncIterator[str]:
    async def echo(ws: ServerConnection) -> None:
        async for message in ws:
            await ws.send(message)

    async with serve(echo, "127.0.0.1", 0, ping_interval=None, **options) as server:
        port = server.sockets[0].getsockname()[1]
        yield f"ws://127.0.0.1:{port}/"


@pytest.mark.parametrize("compress", [15, 0], ids=["deflate", "plain"])
async def test_echo_with_websockets_server(compress: int) -> None:
    async with (
        websockets_echo() as url,
        aiohttp.ClientSession() as session,
        session.ws_connect(url, compress=compress) as ws,
    ):
        assert bool(ws.compress) is bool(compress)
        await ws.send_str("hello")
        assert await ws.receive_str() == "hello"
        await ws.send_bytes(b"\x00\x01")
        assert await ws.receive_bytes() == b"\x00\x01"
        await ws.send_json({"a": [1, 2]})
        assert await ws.receive_json() == {"a": [1, 2]}


@pytest.mark.parametrize("compress", [15, 0], ids=["deflate", "plain"])
async def test_16_mib_round_trip_with_websockets_server(compress: int) -> None:
    payload = os.urandom(1 << 20) * 16
    async with (
        websockets_echo(max_size=None) as url,
        aiohttp.ClientSession() as session,
        session.ws_connect(url, compress=compress, max_msg_size=32 << 20) as ws,
    ):
        await ws.send_bytes(payload)
        assert await ws.receive_bytes() == payload


async def test_fragments_stream_to_websockets_server() -> None:
    async with (
        websockets_echo() as url,
        aiohttp.ClientSession() as session,
        session.ws_connect(url) as ws,
    ):
        async with ws.send_fragments(text=True) as out:
            for word in ("a ", "streamed ", "message"):
                await out.send(word)
        assert await ws.receive_str() == "a streamed message"


async def test_close_initiated_by_the_client() -> None:
    async with websockets_echo() as url, aiohttp.ClientSession() as session:
        ws = await session.ws_connect(url)
        assert await ws.close(code=4002, message=b"leaving") is True
        assert ws.closed
        assert ws.close_code == 4002


async def test_close_initiated_by_the_server_we_run(aiohttp_server: Any) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str("last words")
        await ws.close(code=4003, message=b"server done")
        return ws

    app = web.Application()
    app.router.add_get("/ws", handler)
    server = await aiohttp_server(app)
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"http://127.0.0.1:{server.port}/ws") as ws,
    ):
        assert await ws.receive_str() == "last words"
        msg = await ws.receive()
        assert (msg.type, msg.data, msg.extra) == (aiohttp.WSMsgType.CLOSE, 4003, "server done")
        assert ws.closed
        assert (await ws.receive()).type is aiohttp.WSMsgType.CLOSED


async def test_subprotocol_and_our_server(aiohttp_server: Any) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(protocols=("v2", "v1"))
        await ws.prepare(request)
        async for msg in ws:
            await ws.send_str(f"{ws.ws_protocol}:{msg.data}")
        return ws

    app = web.Application()
    app.router.add_get("/ws", handler)
    server = await aiohttp_server(app)
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"http://127.0.0.1:{server.port}/ws", protocols=("v1", "v2")) as ws,
    ):
        assert ws.protocol == "v1"
        await ws.send_str("x")
        assert await ws.receive_str() == "v1:x"


# -- scripted, hostile servers -------------------------------------------------------------------

Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_server(script: Script, extensions: str | None = None) -> AsyncIterator[str]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            _, fields = await read_head(reader)
            key = fields["sec-websocket-key"][0]
            accept = base64.b64encode(
                hashlib.sha1(key.encode() + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest()
            ).decode()
            head = (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n"
            )
            if extensions:
                head += f"Sec-WebSocket-Extensions: {extensions}\r\n"
            writer.write((head + "\r\n").encode())
            await script(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.close()


async def client_close_code(reader: asyncio.StreamReader) -> int:
    async with asyncio.timeout(5):
        while True:
            frame = await read_frame(reader)
            assert frame.masked  # RFC 6455 §5.3: every client frame is masked
            if frame.opcode == 8:
                return int(struct.unpack("!H", frame.payload[:2])[0])


async def hostile(
    script_frames: bytes, extensions: str | None = None, **kw: Any
) -> tuple[int, Any]:
    codes: list[int] = []

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(script_frames)
        codes.append(await client_close_code(reader))

    async with raw_server(script, extensions) as url, aiohttp.ClientSession() as session:
        ws = await session.ws_connect(url, **kw)
        msg = await asyncio.wait_for(ws.receive(), 5)
        await ws.close()
        for _ in range(200):  # the scripted server reads our Close on its own time
            if codes:
                break
            await asyncio.sleep(0.01)
    return codes[0], msg


async def test_length_2_63_from_server() -> None:
    code, msg = await hostile(b"\x82\x7f" + struct.pack("!Q", 1 << 63))
    assert code == 1002
    assert msg.type is aiohttp.WSMsgType.ERROR


async def test_masked_frame_from_server() -> None:
    code, _ = await hostile(encode_frame(1, b"masked", mask=True))
    assert code == 1002


async def test_endless_continuations_from_server() -> None:
    frames = encode_frame(2, b"\x00" * 65536, fin=False, mask=False)
    frames += encode_frame(0, b"\x00" * 65536, fin=False, mask=False) * 40
    code, msg = await hostile(frames, max_msg_size=1 << 20)
    assert code == 1009
    assert msg.data.code == 1009


async def test_compressed_bomb_from_server() -> None:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = comp.compress(b"\x00" * (64 << 20)) + comp.flush(zlib.Z_SYNC_FLUSH)
    started = time.monotonic()
    code, _ = await hostile(
        encode_frame(2, bomb[:-4], rsv=4, mask=False),
        "permessage-deflate",
        max_msg_size=1 << 20,
        compress=15,
    )
    assert code == 1009
    assert time.monotonic() - started < 5


async def test_server_that_never_answers_close() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # read everything, answer nothing

    async with raw_server(script) as url, aiohttp.ClientSession() as session:
        ws = await session.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=0.3))
        started = time.monotonic()
        assert await ws.close() is True
        assert ws.close_code is WSCloseCode.ABNORMAL_CLOSURE  # the member, as 3.x sets it
        assert isinstance(ws.exception(), TimeoutError)  # what went wrong, as in 3.x
        assert time.monotonic() - started < 2


async def test_server_that_never_answers_ping() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()

    async with raw_server(script) as url, aiohttp.ClientSession() as session:
        ws = await session.ws_connect(url, heartbeat=0.2)
        msg = await asyncio.wait_for(ws.receive(), 3)
        assert msg.type is aiohttp.WSMsgType.ERROR
        assert isinstance(msg.data, aiohttp.ServerTimeoutError)
        assert str(msg.data) == "No PONG received after 0.1 seconds"  # half the beat, as 3.x
        assert ws.close_code is WSCloseCode.ABNORMAL_CLOSURE  # the member, as 3.x sets it


async def test_bad_handshake_raises() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as info:
                await session.ws_connect(f"http://127.0.0.1:{port}/")
            assert info.value.status == 200
    finally:
        server.close()


async def test_receive_timeout() -> None:
    async with (
        websockets_echo() as url,
        aiohttp.ClientSession() as session,
        session.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_receive=0.05)) as ws,
    ):
        with pytest.raises(asyncio.TimeoutError):
            await ws.receive()


async def test_client_object_api_against_our_server(aiohttp_server: Any) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for msg in ws:
            await ws.send_str(msg.data)
        return ws

    app = web.Application()
    app.router.add_get("/ws", handler)
    server = await aiohttp_server(app)
    timeout = aiohttp.ClientWSTimeout(ws_receive=2.0, ws_close=1.0)
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(
            f"http://127.0.0.1:{server.port}/ws", timeout=timeout, compress=15
        )
        async with ws:
            assert ws.get_extra_info("peername")[1] == server.port
            assert ws.compress == 15
            assert ws.client_notakeover is False
            await ws.send_str("once")
            assert await ws.receive_str() == "once"
        assert ws.closed
        assert ws.close_code == 1000
        assert ws.get_extra_info("peername", "gone") == "gone"


async def test_close_initiated_by_the_websockets_server() -> None:
    async def leave(ws: ServerConnection) -> None:
        await ws.send("goodbye")
        await ws.close(code=4004, reason="server leaves")

    async with serve(leave, "127.0.0.1", 0, ping_interval=None) as server:
        port = server.sockets[0].getsockname()[1]
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(f"ws://127.0.0.1:{port}/")
            assert await ws.receive_str() == "goodbye"
            msg = await ws.receive()
            assert (msg.type, msg.data, msg.extra) == (
                aiohttp.WSMsgType.CLOSE,
                4004,
                "server leaves",
            )
            assert ws.close_code == 4004
            assert await ws.close() is False


async def test_float_timeouts_are_deprecated_as_in_3x(aiohttp_server: Any) -> None:
    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.receive()
        return ws

    app = web.Application()
    app.router.add_get("/ws", handler)
    server = await aiohttp_server(app)
    url = server.make_url("/ws")
    async with aiohttp.ClientSession() as session:
        with pytest.warns(DeprecationWarning, match=r"ClientWSTimeout\(ws_close=\.\.\.\)"):
            ws = await session.ws_connect(url, timeout=5.0)
        await ws.close()
        with pytest.warns(DeprecationWarning, match=r"ClientWSTimeout\(ws_receive=\.\.\.\)"):
            ws = await session.ws_connect(url, receive_timeout=5.0)
        await ws.close()


async def test_decode_text_false_gives_text_as_bytes() -> None:
    async with (
        websockets_echo() as url,
        aiohttp.ClientSession() as session,
        session.ws_connect(url, decode_text=False) as ws,
    ):
        await ws.send_str("héllo")
        msg = await ws.receive()
        assert msg.type is aiohttp.WSMsgType.TEXT
        assert msg.data == "héllo".encode()


@pytest.mark.parametrize("compress", [1, 8, 16])
async def test_a_window_zlib_cannot_use_is_refused_before_connecting(compress: int) -> None:
    """RFC 7692 §7.1.2.1: window bits are 8-15, and zlib can't deflate with 8; as in 3.x, the
    offer is refused with ValueError before anything is sent."""
    seen: list[bytes] = []

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await reader.read())

    async with raw_server(script) as url, aiohttp.ClientSession() as session:
        with pytest.raises(ValueError, match="Compress wbits must between 9 and 15"):
            await session.ws_connect(url, compress=compress)
    assert seen in ([], [b""])


async def test_the_callers_version_upgrade_and_connection_fields_win(aiohttp_server: Any) -> None:
    """As in 3.x, ``headers=`` may replace the defaults of Upgrade, Connection and
    Sec-WebSocket-Version; the key (and what other arguments say) stays ours."""
    seen: list[Any] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.headers.copy())
        return web.Response(status=426)

    app = web.Application()
    app.router.add_get("/", handler)
    server = await aiohttp_server(app)
    fields = {"Sec-WebSocket-Version": "8", "Connection": "keep-alive, Upgrade"}
    fields["Sec-WebSocket-Key"] = "not-a-key"
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await session.ws_connect(server.make_url("/"), headers=fields)
    assert seen[0]["Sec-WebSocket-Version"] == "8"
    assert seen[0]["Connection"] == "keep-alive, Upgrade"
    assert seen[0]["Upgrade"] == "websocket"
    assert seen[0]["Sec-WebSocket-Key"] != "not-a-key"
