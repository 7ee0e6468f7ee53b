"""Hostile peers get the right status in bounded time, and other connections stay unharmed."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest

from aiohttp import web


async def ok(request: web.BaseRequest) -> web.StreamResponse:
    return web.Response(text=str(len(await request.read())))


async def roundtrip(port: int, data: bytes, limit: float = 10) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        return await asyncio.wait_for(reader.read(), limit)
    finally:
        writer.close()


async def healthy(port: int) -> bool:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        return head.startswith(b"HTTP/1.1 200 OK")
    finally:
        writer.close()


def status(data: bytes) -> int:
    return int(data.split(b" ", 2)[1])


async def test_oversized_head_is_431_and_closed(aiohttp_raw_server: Any) -> None:
    server = await aiohttp_raw_server(ok)
    fields = b"".join(b"X-%d: %s\r\n" % (i, b"v" * 4000) for i in range(20))
    data = await roundtrip(server.port, b"GET / HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n")
    assert status(data) == 431
    assert await healthy(server.port)


async def test_endless_request_line_is_414_without_buffering_it_all(
    aiohttp_raw_server: Any,
) -> None:
    server = await aiohttp_raw_server(ok)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(b"GET /")
        for _ in range(100):  # up to 1 MB; the server answers long before
            writer.write(b"a" * 10_000)
            await writer.drain()
            if reader.at_eof() or reader._buffer:
                break
            await asyncio.sleep(0)
        data = await asyncio.wait_for(reader.read(), 10)
    except ConnectionResetError:
        data = b"HTTP/1.1 414 reset"
    finally:
        writer.close()
    assert status(data) == 414


async def test_body_over_client_max_size_is_413(aiohttp_server: Any) -> None:
    app = web.Application(client_max_size=1000)
    app.router.add_post("/", ok)
    server = await aiohttp_server(app)
    at_limit = await roundtrip(
        server.port,
        b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 1000\r\n\r\n"
        + b"x" * 1000,
    )
    assert status(at_limit) == 200
    past = await roundtrip(
        server.port,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n" + b"x" * 1001,
    )
    assert status(past) == 413


async def test_slowloris_gets_408_while_others_are_served(aiohttp_raw_server: Any) -> None:
    server = await aiohttp_raw_server(ok, head_timeout=0.3)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    start = time.monotonic()
    try:
        writer.write(b"GET / HTTP/1.1\r\n")
        for i in range(5):
            await asyncio.sleep(0.05)
            writer.write(b"X-%d: a\r\n" % i)
            assert await healthy(server.port)
        data = await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()
    assert status(data) == 408
    assert time.monotonic() - start < 3


async def test_a_silent_connection_is_closed_after_the_keep_alive_timeout(
    aiohttp_raw_server: Any,
) -> None:
    """A connection that never sends a request is held no longer than an idle keep-alive one
    (3.x closes it at ``keepalive_timeout`` too), when that is shorter than ``head_timeout``."""
    server = await aiohttp_raw_server(ok, keepalive_timeout=0.2)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    start = time.monotonic()
    try:
        assert await asyncio.wait_for(reader.read(), 5) == b""
    finally:
        writer.close()
    assert time.monotonic() - start < 2
    assert await healthy(server.port)
    no_keep_alive = await aiohttp_raw_server(ok, keepalive_timeout=0)
    assert await healthy(no_keep_alive.port)  # 0 turns keep-alive off, not the first request


async def test_stalled_body_is_cut(aiohttp_raw_server: Any) -> None:
    server = await aiohttp_raw_server(ok, body_timeout=0.2)
    data = await roundtrip(
        server.port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"
    )
    assert status(data) == 408
    assert await healthy(server.port)


async def test_pipelined_flood_is_answered_in_order_with_bounded_backlog(
    aiohttp_raw_server: Any,
) -> None:
    async def counter(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(text=request.path)

    server = await aiohttp_raw_server(counter, max_pipelined_requests=8)
    n = 2000
    flood = b"".join(b"GET /%d HTTP/1.1\r\nHost: x\r\n\r\n" % i for i in range(n))
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(flood + b"GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = await asyncio.wait_for(reader.read(), 30)
    finally:
        writer.close()
    bodies = [chunk.rsplit(b"\r\n\r\n", 1)[-1] for chunk in data.split(b"HTTP/1.1 ")[1:]]
    assert bodies[:3] == [b"/0", b"/1", b"/2"]
    assert len(bodies) == n + 1
    assert bodies[-1] == b"/last"
    for conn in server.handler.connections:
        assert conn.requests_queued <= 8 + 1


async def test_garbage_gets_400_and_others_unharmed(aiohttp_raw_server: Any) -> None:
    server = await aiohttp_raw_server(ok)
    for junk in (
        b"\x16\x03\x01\x02\x00\x01\x00\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    ):
        data = await roundtrip(server.port, junk)
        assert status(data) == 400
    assert await healthy(server.port)


async def test_rfc9112_9_6_refused_upload_is_read_and_dropped_so_the_413_arrives(
    aiohttp_server: Any,
) -> None:
    app = web.Application(client_max_size=1000)
    app.router.add_post("/", ok)
    server = await aiohttp_server(app)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    size = 4 * 1024 * 1024
    writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % size)
    sent = 0
    try:
        while sent < size:
            writer.write(b"u" * 65536)
            await writer.drain()
            sent += 65536
        answer = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
    assert sent == size  # the server kept reading after its answer: no reset while sending
    assert status(answer) == 413


async def answer_to_pieces(port: int, pieces: list[bytes], limit: float = 5) -> bytes:
    """Send ``pieces`` as separate writes (a short pause between them) and read the answer
    without closing our side, so the server must judge the bytes it has, not an EOF."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.005)
        return await asyncio.wait_for(reader.read(), limit)
    finally:
        writer.close()


HEAD_SPLITS = [
    b"GET / HTTP/1.1\nHost: h\n\n",
    b"GET / HTTP/1.1\r\nHost: h\nX: y\r\n",
    b"GET / HTTP/2.0\r\nHost: h\r\n",
    b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 31\r\nContent-Length: 031\r\n\r\n",
]


@pytest.mark.parametrize("data", HEAD_SPLITS, ids=["bare-lf", "bare-lf-field", "505", "cl-031"])
async def test_same_verdict_at_once_at_every_split_point(
    aiohttp_raw_server: Any, data: bytes
) -> None:
    # RFC 9112 §2.2: the verdict on a head does not depend on how it was split, and comes as
    # soon as the offending bytes arrive: never a 408 after head_timeout (20 s by default).
    server = await aiohttp_raw_server(ok)
    whole = await answer_to_pieces(server.port, [data])
    expected = status(whole)
    assert expected in (400, 505)
    for cut in range(1, len(data)):
        start = time.monotonic()
        answer = await answer_to_pieces(server.port, [data[:cut], data[cut:]])
        assert status(answer) == expected, (cut, answer[:40])
        assert time.monotonic() - start < 3


async def test_split_start_line_then_bare_lf_is_400_at_once(aiohttp_raw_server: Any) -> None:
    # The exact case found by hostile testing.
    server = await aiohttp_raw_server(ok)
    answer = await answer_to_pieces(server.port, [b"GET / HTTP/1.1", b"\nHost: h\n\n"])
    assert status(answer) == 400


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        pytest.param(b"9" * 4300, 400, id="4300-digits"),
        pytest.param(b"9" * 4301, 400, id="4301-digits"),
        pytest.param(b"0" * 4301 + b"2", 200, id="4301-leading-zeros"),
    ],
)
async def test_content_length_past_int_digits_is_400_without_a_traceback(
    aiohttp_raw_server: Any,
    caplog: pytest.LogCaptureFixture,
    digits: bytes,
    expected: int,
) -> None:
    # RFC 9110 §8.6: an unusable Content-Length is a 400, not a dropped connection with a
    # fatal-error traceback logged for every such request.
    server = await aiohttp_raw_server(ok)
    answer = await roundtrip(
        server.port,
        b"POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: "
        + digits
        + b"\r\n\r\nab",
    )
    assert status(answer) == expected
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_trickled_body_is_cut_by_the_minimum_rate(aiohttp_raw_server: Any) -> None:
    # A byte every 20 ms never stalls for body_timeout, but averages 50 B/s, below
    # body_min_rate: 408 and close well before the body could end (issue: a byte every 2 s
    # held a connection past 90 s with the defaults, 60 s and 500 B/s now).
    server = await aiohttp_raw_server(ok, body_timeout=0.2, body_min_rate=200)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    start = time.monotonic()
    try:
        writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        while not reader.at_eof() and time.monotonic() - start < 5:
            writer.write(b"x")
            await asyncio.sleep(0.02)
            if reader._buffer:
                break
        answer = await asyncio.wait_for(reader.read(), 5)
    except ConnectionResetError:  # pragma: no cover - the close raced our next byte
        answer = b"HTTP/1.1 408 reset"
    finally:
        writer.close()
    assert status(answer) == 408
    assert time.monotonic() - start < 2
    assert await healthy(server.port)


async def test_websocket_is_not_bound_by_the_body_rate(aiohttp_server: Any) -> None:
    # The body bounds end with the upgrade: a WebSocket that sends a frame a byte at a time,
    # slower than body_min_rate and for longer than body_timeout, is served.
    async def echo(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        msg = await ws.receive()
        await ws.send_str(msg.data)
        await ws.close()
        return ws

    app = web.Application()
    app.router.add_get("/", echo)
    server = await aiohttp_server(app, body_timeout=0.1, body_min_rate=1000)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(
            b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
        )
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert head.startswith(b"HTTP/1.1 101 ")
        frame = b"\x81\x82" + b"\x00\x00\x00\x00" + b"hi"  # masked text "hi", zero mask
        for i in range(len(frame)):
            writer.write(frame[i : i + 1])
            await asyncio.sleep(0.05)  # 0.4 s in all: 20 B/s, past body_timeout
        echoed = await asyncio.wait_for(reader.readexactly(4), 5)
    finally:
        writer.close()
    assert echoed == b"\x81\x02hi"


@pytest.mark.parametrize(
    "after",
    [b"\x16\x03\x01\x00\x05hello", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"],
    ids=["tls-hello", "a-request"],
)
async def test_bytes_after_a_connect_that_opened_no_tunnel_get_400_and_close(
    aiohttp_raw_server: Any, after: bytes
) -> None:
    # RFC 9110 §9.3.6: what follows a CONNECT was meant for the tunnel. No tunnel was opened
    # (the handler answered 404), so those bytes are refused with 400 and the connection
    # closes, as aiohttp 3.x with its C parser does; they were discarded until the
    # keep-alive timeout, and never read as requests.
    async def no_tunnel(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(status=404, text="no tunnel")

    server = await aiohttp_raw_server(no_tunnel)
    start = time.monotonic()
    answer = await answer_to_pieces(
        server.port, [b"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", after]
    )
    assert answer.startswith(b"HTTP/1.1 404 ")
    assert answer.count(b"HTTP/1.1 ") == 2
    assert b"HTTP/1.1 400 " in answer
    assert time.monotonic() - start < 3


async def test_connect_answered_2xx_without_a_tunnel_closes(aiohttp_raw_server: Any) -> None:
    # The client reads a 2xx to CONNECT as "the tunnel is open"; if the handler did not open
    # one, the connection cannot carry anything else and is closed after the answer.
    async def says_ok(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(status=200)

    server = await aiohttp_raw_server(says_ok)
    answer = await answer_to_pieces(server.port, [b"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n"])
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer.count(b"HTTP/1.1 ") == 1
