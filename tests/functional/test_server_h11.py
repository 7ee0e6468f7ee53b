"""h11 as an independent, strict client: every response must be well framed by its rules."""

from __future__ import annotations

import asyncio
from typing import Any

import h11

from aiohttp import web


async def exchange(
    port: int, requests: list[tuple[str, str, list[tuple[str, str]], bytes]]
) -> list[tuple[h11.Response, bytes]]:
    """Send requests one after another on one connection, reading each response with h11."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    conn = h11.Connection(our_role=h11.CLIENT)
    out = []
    try:
        for method, target, headers, body in requests:
            if conn.our_state is h11.DONE:
                conn.start_next_cycle()
            hdrs = [("Host", "x"), *headers]
            if body:
                hdrs.append(("Content-Length", str(len(body))))
            writer.write(conn.send(h11.Request(method=method, target=target, headers=hdrs)))
            if body:
                writer.write(conn.send(h11.Data(data=body)))
            writer.write(conn.send(h11.EndOfMessage()))
            response: h11.Response | None = None
            data = b""
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    conn.receive_data(await asyncio.wait_for(reader.read(65536), 10))
                    continue
                if isinstance(event, h11.Response):
                    response = event
                elif isinstance(event, h11.Data):
                    data += event.data
                elif isinstance(event, h11.EndOfMessage):
                    break
                else:
                    raise AssertionError(f"unexpected {event!r}")
            assert response is not None
            out.append((response, data))
    finally:
        writer.close()
    return out


async def handler(request: web.BaseRequest) -> web.StreamResponse:
    if request.path == "/stream":
        resp = web.StreamResponse()
        await resp.prepare(request)
        for piece in (b"a", b"bb", b"ccc"):
            await resp.write(piece)
        await resp.write_eof()
        return resp
    if request.path == "/204":
        return web.Response(status=204)
    if request.path == "/304":
        return web.Response(status=304)
    if request.path == "/big":
        return web.Response(body=b"q" * 300_000)
    return web.Response(text=f"{request.method}:{len(await request.read())}")


async def test_h11_keep_alive_sequence_of_framings(aiohttp_raw_server: Any) -> None:
    server = await aiohttp_raw_server(handler)
    got = await exchange(
        server.port,
        [
            ("GET", "/", [], b""),
            ("POST", "/", [], b"12345"),
            ("GET", "/stream", [], b""),
            ("GET", "/204", [], b""),
            ("GET", "/304", [], b""),
            ("HEAD", "/", [], b""),
            ("GET", "/big", [], b""),
        ],
    )
    assert [(r.status_code, body) for r, body in got] == [
        (200, b"GET:0"),
        (200, b"POST:5"),
        (200, b"abbccc"),
        (204, b""),
        (304, b""),
        (200, b""),
        (200, b"q" * 300_000),
    ]
    chunked = dict(got[2][0].headers)[b"transfer-encoding"]
    assert chunked == b"chunked"


async def test_h11_connection_close_is_honoured(aiohttp_raw_server: Any) -> None:
    server = await aiohttp_raw_server(handler)
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    conn = h11.Connection(our_role=h11.CLIENT)
    writer.write(
        conn.send(
            h11.Request(
                method="GET",
                target="/",
                headers=[("Host", "x"), ("Connection", "close")],
            )
        )
    )
    writer.write(conn.send(h11.EndOfMessage()))
    data = await asyncio.wait_for(reader.read(), 10)  # the server closes after answering
    writer.close()
    conn.receive_data(data)
    conn.receive_data(b"")
    events = []
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed):
            break
        events.append(event)
    assert isinstance(events[0], h11.Response)
    assert events[0].status_code == 200
    assert isinstance(events[-1], h11.EndOfMessage)
