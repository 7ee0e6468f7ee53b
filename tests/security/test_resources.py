"""Advisories about resources: memory, CPU, logs, file objects, held per request or message."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import pytest

from aiohttp import web
from aiohttp._sansio.websocket.connection import WebSocketConnection
from aiohttp._sansio.websocket.frames import build_frame
from aiohttp.http import WSMsgType

from .wire import exchange, statuses


@functools.cache
def gzip_bomb() -> bytes:
    """256 MiB of zero bytes, gzip-compressed into about 1 MiB (made once, on first use)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    return b"".join(compressor.compress(block) for _ in range(256)) + compressor.flush()


def post_bomb(path: bytes = b"/") -> bytes:
    bomb = gzip_bomb()
    return (
        b"POST " + path + b" HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
        b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(bomb) + bomb
    )


async def peak_while(coro: Any) -> tuple[Any, int]:
    """Run ``coro`` and return its result with the peak traced memory it caused."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        result = await coro
        return result, tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


async def test_ghsa_6mq8_rvhq_8wgg_a_compressed_request_body_is_decoded_as_it_is_read(
    aiohttp_server: Any,
) -> None:
    """CVE-2025-69223: auto_decompress expanded a request body in one go, a few hundred KiB
    into gigabytes. Checks: decoding follows the reader (client_max_size refuses it with 413
    after 1 MiB), so the server's memory peak stays far below the decoded size. (The client
    has its own guard on read(), text() and json(); see docs/security.rst.)"""

    async def read(request: web.Request) -> web.Response:
        return web.Response(text=str(len(await request.read())))

    app = web.Application()
    app.router.add_post("/", read)
    server = await aiohttp_server(app)
    answer, peak = await peak_while(exchange(server.port, [post_bomb()], limit=20))
    assert statuses(answer) == [413]
    assert peak < 32 << 20, f"peak {peak >> 20} MiB while refusing a 256 MiB body"


async def test_ghsa_g3cq_j2xw_wf74_an_unread_compressed_body_is_dropped_undecoded(
    aiohttp_server: Any,
) -> None:
    """CVE-2026-54278: a compressed body the handler did not read was decompressed whole
    while the server drained it after the response. Checks: the drained body is dropped
    without being decoded: little memory, and the connection still answers in time."""

    async def ignore(request: web.Request) -> web.Response:
        return web.Response(text="ignored")

    app = web.Application()
    app.router.add_post("/", ignore)
    server = await aiohttp_server(app)
    request = post_bomb().replace(b"Connection: close\r\n", b"")
    follow = b"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
    answer, peak = await peak_while(exchange(server.port, [request, follow], limit=20))
    assert statuses(answer) == [200, 405]
    assert peak < 32 << 20, f"peak {peak >> 20} MiB while dropping a 256 MiB body"


async def test_ghsa_g84x_mcqj_x9qq_a_body_of_many_tiny_chunks_costs_linear_time(
    aiohttp_raw_server: Any,
) -> None:
    """CVE-2025-69229: a body of very many small chunks cost quadratic CPU in request.read().
    Checks: 200,000 one-byte chunks are read whole, in time linear in their number (it
    finishes within the exchange's bound; quadratic work would take hours)."""

    async def read(request: web.BaseRequest) -> web.Response:
        return web.Response(text=str(len(await request.read())))

    server = await aiohttp_raw_server(read)
    count = 200_000
    body = b"1\r\nx\r\n" * count + b"0\r\n\r\n"
    head = b"POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
    answer = await exchange(server.port, [head + body], limit=30)
    assert statuses(answer) == [200]
    assert answer.endswith(b"\r\n\r\n%d" % count)


async def test_ghsa_fh55_r93g_j68g_invalid_cookies_do_not_flood_the_logs(
    aiohttp_raw_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """CVE-2025-69230: each invalid cookie in a Cookie header logged a warning, so one
    request could write thousands of log lines. Checks: reading request.cookies of a header
    with 300 invalid cookies logs nothing, and the valid ones are read."""

    async def cookies(request: web.BaseRequest) -> web.Response:
        return web.Response(text=",".join(sorted(request.cookies)))

    server = await aiohttp_raw_server(cookies)
    junk = b"; ".join(b'b(a)d%d="un\\quoted' % i for i in range(300))
    request = b"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nCookie: a=1; " + junk
    with caplog.at_level(logging.DEBUG):
        answer = await exchange(server.port, [request + b"; z=2\r\n\r\n"])
    assert statuses(answer) == [200]
    names = answer.partition(b"\r\n\r\n")[2].split(b",")
    assert (names[0], names[-1]) == (b"a", b"z")
    assert [r for r in caplog.records if "ookie" in r.getMessage()] == []


async def test_ghsa_27mf_ghqm_j3j8_unknown_methods_do_not_grow_memory(
    aiohttp_server: Any,
) -> None:
    """CVE-2024-52303: with middlewares, each request for a method the resource does not
    allow added to a cache. Checks: 2000 requests with distinct unknown methods leave the
    application's memory where 200 of them left it."""

    @web.middleware
    async def passthrough(request: web.Request, handler: Any) -> web.StreamResponse:
        return await handler(request)

    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="hi")

    app = web.Application(middlewares=[passthrough])
    app.router.add_get("/", hello)
    server = await aiohttp_server(app)

    async def burst(first: int, count: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        try:
            for i in range(first, first + count):
                writer.write(b"M%d / HTTP/1.1\r\nHost: h\r\n\r\n" % i)
                await writer.drain()
                await reader.readuntil(b"Method Not Allowed")
        finally:
            writer.close()

    await burst(0, 200)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        await burst(200, 2000)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 256 * 1024, f"grew {grown} bytes over 2000 requests"


@pytest.mark.parametrize("is_client", [True, False], ids=["client", "server"])
def test_ghsa_xcgm_r5h9_7989_an_oversized_frame_is_refused_from_its_header(
    is_client: bool,
) -> None:
    """CVE-2026-54274: the payload of an incomplete frame was buffered past max_msg_size
    before the limit was checked. Checks: a frame that announces more than the limit is
    refused with 1009 as soon as its header arrives, with nothing of it buffered, and a
    frame at the limit is accepted."""
    limit = 1024
    conn = WebSocketConnection(is_client=is_client, max_msg_size=limit)
    mask = None if is_client else b"\x00\x00\x00\x00"
    assert [m.data for m in conn.receive_data(build_frame(0x2, b"x" * limit, mask=mask))] == [
        b"x" * limit
    ]
    conn = WebSocketConnection(is_client=is_client, max_msg_size=limit)
    frame = build_frame(0x2, b"x" * (limit + 1), mask=mask)
    header = frame[: len(frame) - limit - 1]
    [msg] = conn.receive_data(header)
    assert msg.type is WSMsgType.ERROR
    assert conn.error is not None
    assert conn.error.code == 1009


async def test_ghsa_9x8q_7h8h_wcw9_a_file_response_is_closed_when_the_client_leaves(
    aiohttp_server: Any, tmp_path: Path
) -> None:
    """CVE-2026-54280: a payload's file was left open when the client disconnected in the
    middle of the body. Checks: a response streaming a file object closes it when the
    connection is lost mid-body."""
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(32 << 20))
    opened: list[Any] = []

    async def stream(request: web.Request) -> web.Response:
        fobj = path.open("rb")
        opened.append(fobj)
        return web.Response(body=fobj)

    app = web.Application()
    app.router.add_get("/", stream)
    server = await aiohttp_server(app)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")
    await reader.readexactly(64 * 1024)
    writer.transport.abort()
    for _ in range(200):
        if opened and opened[0].closed:
            break
        await asyncio.sleep(0.01)
    assert opened
    assert opened[0].closed
