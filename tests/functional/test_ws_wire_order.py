"""Over loopback, both sides: what arrived before a protocol error reaches the application first
(RFC 6455 §5.2, §7.1.7), and bad UTF-8 fails a text frame before the frame is all in (§8.1).

The peer is a raw socket, so the octets and the writes they go in are exactly the test's.
"""

from __future__ import annotations

import asyncio
import struct
from typing import Any

import pytest

import aiohttp
from aiohttp import web
from conformance.websocket.wire import encode_frame, read_frame
from tests.functional.test_ws_client import Script, client_close_code, raw_server
from tests.functional.test_ws_server import close_code_within, raw_client

SEEN = web.AppKey("seen", list)
DONE = web.AppKey("done", asyncio.Event)
# A bad frame after a good message: RSV bits with no extension negotiated, a reserved opcode.
BAD = {
    "6455-5.2-rsv1": {"opcode": 1, "payload": b"Hello", "rsv": 4},
    "6455-5.2-reserved-opcode-3": {"opcode": 3, "payload": b""},
}
# One text frame in three writes; the second holds U+110000 in the UTF-8 scheme (RFC 3629 §3
# ends at U+10FFFF), so the octets so far can no longer become UTF-8.
PIECE_1 = "κόσμε".encode()
PIECE_2 = b"\xf4\x90\x80\x80"
PIECE_3 = b"edited"


def seen(msg: aiohttp.WSMessage) -> tuple[str, Any]:
    """What the application was handed, compared as plain values."""
    if msg.type is aiohttp.WSMsgType.ERROR:
        return ("ERROR", msg.data.code)
    return (msg.type.name, msg.data)


async def recording_echo(request: web.Request) -> web.StreamResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for msg in ws:
        request.app[SEEN].append(seen(msg))
        if msg.type is aiohttp.WSMsgType.TEXT:
            await ws.send_str(msg.data)
    request.app[SEEN].append(("closed", ws.close_code))
    request.app[DONE].set()
    return ws


async def serve(aiohttp_server: Any) -> tuple[Any, web.Application]:
    app = web.Application()
    app[SEEN] = []
    app[DONE] = asyncio.Event()
    app.router.add_get("/ws", recording_echo)
    server = await aiohttp_server(app)
    return server, app


async def settled(app: web.Application) -> list[tuple[str, Any]]:
    """What the handler was handed, once it has returned (at most 5 s)."""
    async with asyncio.timeout(5):
        await app[DONE].wait()
    return app[SEEN]


async def next_data_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    async with asyncio.timeout(5):
        frame = await read_frame(reader)
    return frame.opcode, frame.payload


# -- server: web.WebSocketResponse ---------------------------------------------------------------


@pytest.mark.parametrize("bad", list(BAD.values()), ids=list(BAD))
@pytest.mark.parametrize("writes", [1, 2], ids=["one-write", "two-writes"])
async def test_server_handler_sees_the_message_then_the_1002(
    aiohttp_server: Any, bad: dict[str, Any], writes: int
) -> None:
    server, app = await serve(aiohttp_server)
    reader, writer, _ = await raw_client(server.port)
    good = encode_frame(1, b"ok")
    if writes == 1:
        writer.write(good + encode_frame(**bad))
        assert await next_data_frame(reader) == (1, b"ok")  # echoed before the Close
    else:
        writer.write(good)
        assert await next_data_frame(reader) == (1, b"ok")
        writer.write(encode_frame(**bad))
    assert await close_code_within(reader, 5) == 1002
    writer.close()
    assert await settled(app) == [("TEXT", "ok"), ("ERROR", 1002), ("closed", 1002)]


async def test_server_answers_bad_utf8_before_the_frame_ends(aiohttp_server: Any) -> None:
    # RFC 6455 §8.1, read strictly: the 1007 goes out while the third piece is still unsent.
    server, app = await serve(aiohttp_server)
    reader, writer, _ = await raw_client(server.port)
    wire = encode_frame(1, PIECE_1 + PIECE_2 + PIECE_3)
    head = len(wire) - len(PIECE_1 + PIECE_2 + PIECE_3)
    cut = head + len(PIECE_1)
    writer.write(wire[:cut])
    await writer.drain()
    await asyncio.sleep(0.05)
    writer.write(wire[cut : cut + len(PIECE_2)])
    assert await close_code_within(reader, 5) == 1007
    writer.write(wire[cut + len(PIECE_2) :])  # the third piece, after the Close came
    writer.close()
    assert await settled(app) == [("ERROR", 1007), ("closed", 1007)]


# -- client: ClientWebSocketResponse -------------------------------------------------------------


async def client_record(script: Script) -> list[tuple[str, Any]]:
    """Run our client as a recording echo against ``script``; return what it was handed."""
    record: list[tuple[str, Any]] = []
    finished = asyncio.Event()

    async def scripted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await script(reader, writer)
        finally:
            finished.set()

    async with raw_server(scripted) as url, aiohttp.ClientSession() as session:
        ws = await session.ws_connect(url)
        async with asyncio.timeout(5):
            async for msg in ws:
                record.append(seen(msg))
                if msg.type is aiohttp.WSMsgType.TEXT:
                    await ws.send_str(msg.data)
            record.append(("closed", ws.close_code))
            await finished.wait()  # the peer has judged what we sent
    return record


@pytest.mark.parametrize("bad", list(BAD.values()), ids=list(BAD))
@pytest.mark.parametrize("writes", [1, 2], ids=["one-write", "two-writes"])
async def test_client_sees_the_message_then_the_1002(bad: dict[str, Any], writes: int) -> None:
    peer: list[Any] = []

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        good = encode_frame(1, b"ok", mask=False)
        if writes == 1:
            writer.write(good + encode_frame(**bad, mask=False))
            peer.append(await next_data_frame(reader))
        else:
            writer.write(good)
            peer.append(await next_data_frame(reader))
            writer.write(encode_frame(**bad, mask=False))
        peer.append(await client_close_code(reader))

    record = await client_record(script)
    assert record == [("TEXT", "ok"), ("ERROR", 1002), ("closed", 1002)]
    assert peer == [(1, b"ok"), 1002]


async def test_client_answers_bad_utf8_before_the_frame_ends() -> None:
    peer: list[Any] = []

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        payload = PIECE_1 + PIECE_2 + PIECE_3
        head = struct.pack("!BB", 0x81, len(payload))
        writer.write(head + PIECE_1)
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.write(PIECE_2)
        peer.append(await client_close_code(reader))  # before the third piece is sent
        writer.write(PIECE_3)

    record = await client_record(script)
    assert peer == [1007]
    assert record == [("ERROR", 1007), ("closed", 1007)]
