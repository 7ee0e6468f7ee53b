"""The server protocol on an in-memory transport: ordering, errors, timeouts, flow control."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from aiohttp import web
from aiohttp._sansio.errors import BadHttpMessage
from aiohttp.web.server.protocol import RequestHandler
from tests.unit._io.test_protocol import FakeTransport

Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]


def parse_responses(data: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Split a byte stream into Content-Length framed responses (a small independent reader)."""
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        assert sep, f"incomplete head: {data!r}"
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        out.append((status, headers, rest[:length]))
        data = rest[length:]
    return out


class Conn:
    """One server connection over a fake transport."""

    def __init__(
        self, handler: Handler, *, transport: type[FakeTransport] = FakeTransport, **kwargs: Any
    ) -> None:
        kwargs.setdefault("access_log", None)
        self.server = web.Server(handler, **kwargs)
        self.proto: RequestHandler = self.server()
        self.tr = transport(self.proto)
        self.proto.connection_made(self.tr)

    def send(self, data: bytes) -> None:
        buf = self.proto.get_buffer(-1)
        buf[: len(data)] = data
        self.proto.buffer_updated(len(data))

    async def until(self, predicate: Callable[[], bool], limit: float = 5.0) -> None:
        async with asyncio.timeout(limit):
            while not predicate():  # noqa: ASYNC110 - polling an in-memory fake
                await asyncio.sleep(0.001)

    async def closed(self, limit: float = 5.0) -> bytes:
        await self.until(lambda: self.tr.closing, limit)
        await asyncio.sleep(0)
        return bytes(self.tr.written)

    async def responses(self, count: int) -> list[tuple[int, dict[str, str], bytes]]:
        def enough() -> bool:
            try:
                return len(parse_responses(bytes(self.tr.written))) >= count
            except (AssertionError, ValueError, IndexError):
                return False

        await self.until(enough)
        return parse_responses(bytes(self.tr.written))


async def hello(request: web.BaseRequest) -> web.StreamResponse:
    return web.Response(text=f"{request.method} {request.path}")


GET = b"GET /%s HTTP/1.1\r\nHost: x\r\n\r\n"


async def test_a_request_is_answered_and_the_connection_kept() -> None:
    conn = Conn(hello)
    conn.send(GET % b"a")
    [(status, headers, body)] = await conn.responses(1)
    assert (status, body) == (200, b"GET /a")
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert "date" in headers
    assert "connection" not in headers
    assert not conn.tr.closing
    assert conn.server.requests_count == 1


async def test_rfc9112_9_3_2_pipelined_requests_answered_in_order() -> None:
    async def slow_first(request: web.BaseRequest) -> web.StreamResponse:
        if request.path == "/1":
            await asyncio.sleep(0.05)
        return web.Response(text=request.path)

    conn = Conn(slow_first)
    conn.send(GET % b"1" + GET % b"2" + GET % b"3")
    got = await conn.responses(3)
    assert [body for _, _, body in got] == [b"/1", b"/2", b"/3"]


async def test_rfc9112_9_3_http10_closes_unless_keep_alive() -> None:
    conn = Conn(hello)
    conn.send(b"GET /a HTTP/1.0\r\n\r\n")
    data = await conn.closed()
    [(status, headers, _)] = parse_responses(data)
    assert status == 200
    assert "connection" not in headers
    assert data.startswith(b"HTTP/1.1 200 OK\r\n")  # RFC 9112 §2.3: our highest version
    conn2 = Conn(hello)
    conn2.send(b"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    [(_, headers2, _)] = await conn2.responses(1)
    assert headers2["connection"] == "keep-alive"
    assert not conn2.tr.closing


async def test_connection_close_request_is_answered_then_closed() -> None:
    conn = Conn(hello)
    conn.send(b"GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    [(status, headers, _)] = parse_responses(await conn.closed())
    assert status == 200
    assert headers["connection"] == "close"


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        pytest.param(b"GET / HTTP/1.1\r\n\r\n", 400, id="rfc9112-3.2-missing-host"),
        pytest.param(b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n", 400, id="rfc9110-9.1-bad-method"),
        pytest.param(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, id="rfc9110-15.6.6-version"),
        pytest.param(
            b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, id="rfc9112-3-long-line"
        ),
        pytest.param(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n",
            400,
            id="rfc9112-6.3-cl-and-te",
        ),
    ],
)
async def test_parser_errors_answer_their_status_and_close(raw: bytes, status: int) -> None:
    conn = Conn(hello)
    conn.send(raw)
    [(got, headers, body)] = parse_responses(await conn.closed())
    assert got == status
    assert headers["connection"] == "close"
    assert body.startswith(str(status).encode())


async def test_good_request_then_garbage_answers_both_in_order() -> None:
    conn = Conn(hello)
    conn.send(GET % b"ok" + b"NOT HTTP\r\n\r\n")
    got = parse_responses(await conn.closed())
    assert [s for s, _, _ in got] == [200, 400]


async def test_handler_exception_is_a_bare_500_logged(caplog: pytest.LogCaptureFixture) -> None:
    async def boom(request: web.BaseRequest) -> web.StreamResponse:
        raise RuntimeError("database password is hunter2")

    conn = Conn(boom)
    with caplog.at_level(logging.ERROR, logger="aiohttp.server"):
        conn.send(GET % b"")
        [(status, headers, body)] = parse_responses(await conn.closed())
    assert status == 500
    assert headers["connection"] == "close"
    assert b"hunter2" not in body
    assert b"RuntimeError" not in body
    assert "hunter2" in caplog.text
    # 3.x's log line, which log filters and error trackers group by, names the peer.
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.msg == "Error handling request from %s"
    assert record.args == (conn.tr.get_extra_info("peername")[0],)


@pytest.mark.parametrize(
    ("accept", "debug", "content_type", "start", "traceback"),
    [
        ("", False, "text/plain", "500 Internal Server Error\n\nServer got itself in", False),
        ("", True, "text/plain", "500 Internal Server Error\n\nTraceback (most recent", True),
        (
            "text/html,*/*",
            False,
            "text/html",
            "<html><head><title>500 Internal Server Error</title></head><body>\n"
            "<h1>500 Internal Server Error</h1>\nServer got itself in trouble\n</body></html>\n",
            False,
        ),
        (
            "text/html",
            True,
            "text/html",
            "<html><head><title>500 Internal Server Error</title></head><body>\n"
            "<h1>500 Internal Server Error</h1>\n<h2>Traceback:</h2>\n<pre>Traceback (most",
            True,
        ),
    ],
    ids=["plain", "plain-debug", "html", "html-debug"],
)
async def test_the_500_page_is_3x_s(
    accept: str, debug: bool, content_type: str, start: str, traceback: bool
) -> None:
    """3.x's page: plain or HTML as the client accepts; the traceback only with ``debug``."""

    async def boom(request: web.BaseRequest) -> web.StreamResponse:
        raise RuntimeError("<secret>")

    conn = Conn(boom, debug=debug)
    conn.send(b"GET / HTTP/1.1\r\nHost: x\r\nAccept: %s\r\n\r\n" % accept.encode())
    [(status, headers, body)] = parse_responses(await conn.closed())
    assert status == 500
    assert headers["content-type"].startswith(content_type)
    assert body.decode().startswith(start)
    assert (b"RuntimeError" in body) is traceback
    assert (b"<secret>" in body) is (traceback and content_type == "text/plain")
    assert (b"&lt;secret&gt;" in body) is (traceback and content_type == "text/html")


async def test_handler_returning_a_non_response_is_500(caplog: pytest.LogCaptureFixture) -> None:
    async def bad(request: web.BaseRequest) -> Any:
        return "text"

    conn = Conn(bad)
    with caplog.at_level(logging.ERROR, logger="aiohttp.server"):
        conn.send(GET % b"")
        [(status, _, _)] = parse_responses(await conn.closed())
    assert status == 500


async def test_raised_http_exception_is_the_response() -> None:
    async def nope(request: web.BaseRequest) -> web.StreamResponse:
        raise web.HTTPNotFound(text="nothing here")

    conn = Conn(nope)
    conn.send(GET % b"")
    [(status, _, body)] = await conn.responses(1)
    assert (status, body) == (404, b"nothing here")


async def test_error_after_prepare_closes_without_a_second_head() -> None:
    async def half(request: web.BaseRequest) -> web.StreamResponse:
        resp = web.StreamResponse()
        resp.content_length = 10
        await resp.prepare(request)
        await resp.write(b"12345")
        raise RuntimeError("late")

    conn = Conn(half)
    conn.send(GET % b"")
    data = await conn.closed()
    assert data.count(b"HTTP/1.1") == 1
    assert data.endswith(b"12345")


async def test_keepalive_timeout_closes_an_idle_connection() -> None:
    conn = Conn(hello, keepalive_timeout=0.05)
    conn.send(GET % b"")
    await conn.responses(1)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await conn.closed()
    assert 0.04 <= loop.time() - start < 2


async def test_head_timeout_answers_408_to_a_slowloris() -> None:
    conn = Conn(hello, head_timeout=0.05)
    conn.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
    [(status, headers, _)] = parse_responses(await conn.closed())
    assert status == 408
    assert headers["connection"] == "close"


async def test_head_timeout_closes_a_silent_new_connection_without_answer() -> None:
    conn = Conn(hello, head_timeout=0.05)
    assert await conn.closed() == b""


async def test_head_timeout_applies_to_a_partial_head_after_keepalive() -> None:
    conn = Conn(hello, head_timeout=0.05, keepalive_timeout=30)
    conn.send(GET % b"")
    await conn.responses(1)
    conn.send(b"GET / HT")
    data = await conn.closed(limit=2)
    assert [s for s, _, _ in parse_responses(data)] == [200, 408]


async def test_head_timeout_for_a_partial_head_pipelined_after_a_request() -> None:
    conn = Conn(hello, head_timeout=0.05, keepalive_timeout=30)
    conn.send(GET % b"" + b"GET /next HTTP/1.1\r\n")
    data = await conn.closed(limit=2)
    assert [s for s, _, _ in parse_responses(data)] == [200, 408]


async def test_body_stall_fails_the_read_with_408_and_closes() -> None:
    async def reader(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(body=await request.read())

    conn = Conn(reader, body_timeout=0.05)
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345")
    [(status, _, _)] = parse_responses(await conn.closed())
    assert status == 408


async def test_slow_but_moving_body_is_not_cut() -> None:
    async def reader(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(body=await request.read())

    conn = Conn(reader, body_timeout=0.1, body_min_rate=None)  # the idle rule alone
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\n")
    for piece in (b"ab", b"cd", b"ef"):
        await asyncio.sleep(0.06)
        conn.send(piece)
    [(status, _, body)] = await conn.responses(1)
    assert (status, body) == (200, b"abcdef")


async def echo_length(request: web.BaseRequest) -> web.StreamResponse:
    return web.Response(text=str(len(await request.read())))


async def trickle(conn: Conn, size: int, piece: int, every: float) -> None:
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % size)
    for _ in range(size // piece):
        if conn.tr.closing:
            return
        await asyncio.sleep(every)
        conn.send(b"x" * piece)


async def test_body_below_min_rate_is_cut_with_408() -> None:
    # A byte every 20 ms (50 B/s) never stalls for body_timeout (0.2 s), but falls below
    # body_min_rate (200 B/s) once the first 0.2 s are over: cut when t = 0.2 + 50 t / 200,
    # at about 0.27 s, not after the 4 s the whole body would take. A late sender (a busy
    # machine) brings the cut earlier, but never inside the first body_timeout.
    conn = Conn(echo_length, body_timeout=0.2, body_min_rate=200)
    loop = asyncio.get_running_loop()
    start = loop.time()
    sender = asyncio.create_task(trickle(conn, 200, 1, 0.02))
    answer = await conn.closed(limit=3)
    elapsed = loop.time() - start
    sender.cancel()
    [(status, _, body)] = parse_responses(answer)
    assert status == 408
    assert b"too slowly" in body
    assert 0.2 <= elapsed < 2


async def test_body_above_min_rate_is_served() -> None:
    # 20 bytes every 20 ms is 1000 B/s, above the minimum: the whole 0.6 s body arrives.
    conn = Conn(echo_length, body_timeout=0.2, body_min_rate=200)
    sender = asyncio.create_task(trickle(conn, 600, 20, 0.02))
    [(status, _, body)] = await conn.responses(1)
    await sender
    assert (status, body) == (200, b"600")


async def test_streaming_handler_opts_out_of_the_body_bounds() -> None:
    async def streaming(request: web.BaseRequest) -> web.StreamResponse:
        request.protocol.set_body_timeouts(timeout=None, min_rate=None)
        return web.Response(text=str(len(await request.read())))

    conn = Conn(streaming, body_timeout=0.1, body_min_rate=200)
    sender = asyncio.create_task(trickle(conn, 30, 1, 0.02))  # 50 B/s for 0.6 s
    [(status, _, body)] = await conn.responses(1)
    await sender
    assert (status, body) == (200, b"30")


async def test_time_paused_by_the_server_does_not_count_against_the_rate() -> None:
    # The handler reads nothing for 0.5 s while the buffer is full and reading is paused;
    # the client is not blamed for the bytes it could not send meanwhile.
    release = asyncio.Event()

    async def late(request: web.BaseRequest) -> web.StreamResponse:
        await release.wait()
        return web.Response(text=str(len(await request.read())))

    conn = Conn(late, body_timeout=0.2, body_min_rate=2000, read_bufsize=1024)
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\n" + b"x" * 3000)
    await asyncio.sleep(0.01)
    assert not conn.tr.reading
    await asyncio.sleep(0.5)
    release.set()
    await conn.until(lambda: conn.tr.reading)
    conn.send(b"x" * 1000)
    [(status, _, body)] = await conn.responses(1)
    assert (status, body) == (200, b"4000")


async def test_unconsumed_body_pauses_reading_until_the_handler_reads() -> None:
    release = asyncio.Event()

    async def lazy(request: web.BaseRequest) -> web.StreamResponse:
        await release.wait()
        return web.Response(text=str(len(await request.read())))

    conn = Conn(lazy, read_bufsize=1024)
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n")
    for _ in range(4):
        conn.send(b"x" * 1000)
    await asyncio.sleep(0.01)
    assert not conn.tr.reading
    release.set()
    await conn.until(lambda: conn.tr.reading)
    for _ in range(6):
        conn.send(b"x" * 1000)
    [(_, _, body)] = await conn.responses(1)
    assert body == b"10000"


async def test_pipelined_flood_pauses_reading_past_the_backlog_limit() -> None:
    gate = asyncio.Event()

    async def gated(request: web.BaseRequest) -> web.StreamResponse:
        await gate.wait()
        return web.Response(text="ok")

    conn = Conn(gated, max_pipelined_requests=4)
    conn.send((GET % b"") * 10)
    await asyncio.sleep(0.01)
    assert not conn.tr.reading
    assert conn.proto.requests_queued > 4
    gate.set()
    got = await conn.responses(10)
    assert len(got) == 10
    assert conn.tr.reading


async def test_unread_body_is_drained_and_the_connection_kept() -> None:
    conn = Conn(hello)
    conn.send(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n")
    await asyncio.sleep(0.01)
    conn.send(b"abcde" + GET % b"b")
    got = await conn.responses(2)
    assert [b for _, _, b in got] == [b"POST /a", b"GET /b"]
    assert not conn.tr.closing


async def test_unread_body_that_never_ends_closes_after_lingering() -> None:
    conn = Conn(hello, lingering_time=0.05)
    conn.send(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab")
    [(status, _, _)] = parse_responses(await conn.closed())
    assert status == 200


class PeerGoneTransport(FakeTransport):
    """A transport whose peer vanished: half-closing fails as a real socket's would."""

    def write_eof(self) -> None:
        raise OSError(107, "Transport endpoint is not connected")


async def test_lingering_close_when_the_peer_is_gone_just_closes() -> None:
    conn = Conn(hello, transport=PeerGoneTransport, lingering_time=0.05)
    conn.send(b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab")
    [(status, _, _)] = parse_responses(await conn.closed(limit=1.0))
    assert status == 200


class TlsLikeTransport(FakeTransport):
    """A transport that cannot half-close, as asyncio's TLS transports cannot."""

    def can_write_eof(self) -> bool:
        return False


async def test_refusal_on_a_transport_that_cannot_half_close_closes_at_once() -> None:
    # RFC 9112 §9.6: after a response with "close" the server MUST initiate closure. Over TLS
    # there is no half-close to linger with, so closing (a closure alert, RFC 9112 §9.8) is it.
    conn = Conn(hello, transport=TlsLikeTransport, lingering_time=10.0)
    conn.send(b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n")
    [(status, headers, _)] = parse_responses(await conn.closed(limit=1.0))
    assert (status, headers["connection"]) == (400, "close")


async def test_broken_chunked_body_fails_the_read_with_its_status() -> None:
    async def reader(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(body=await request.read())

    conn = Conn(reader)
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
    [(status, headers, _)] = parse_responses(await conn.closed())
    assert status == 400
    assert headers["connection"] == "close"


async def test_broken_body_read_raises_request_payload_error_as_in_3x() -> None:
    # 3.x code catches web.RequestPayloadError around body reads; the parser's error is its
    # cause, and left uncaught it is still answered with the parser's status.
    seen: list[tuple[str, int]] = []

    async def reader(request: web.BaseRequest) -> web.StreamResponse:
        try:
            return web.Response(body=await request.read())
        except web.RequestPayloadError as exc:
            cause = exc.__cause__
            code = cause.code if isinstance(cause, BadHttpMessage) else 0
            seen.append((type(exc).__name__, code))
            raise

    conn = Conn(reader)
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
    [(status, _, _)] = parse_responses(await conn.closed())
    assert (status, seen) == (400, [("RequestPayloadError", 400)])
    # a body whose content coding cannot be decoded fails the same way
    conn = Conn(reader)
    conn.send(
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 9\r\n\r\n"
        b"not gzip!"
    )
    [(status, _, _)] = parse_responses(await conn.closed())
    assert (status, seen[1:]) == (400, [("RequestPayloadError", 400)])


async def test_gzip_request_body_is_decoded() -> None:
    import gzip

    async def reader(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(body=await request.read())

    body = gzip.compress(b"hello world")
    conn = Conn(reader)
    conn.send(
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s"
        % (len(body), body)
    )
    [(status, _, got)] = await conn.responses(1)
    assert (status, got) == (200, b"hello world")


async def test_rfc9110_8_4_unknown_content_coding_is_415() -> None:
    async def reader(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(body=await request.read())

    conn = Conn(reader)
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: foo\r\nContent-Length: 1\r\n\r\nx")
    [(status, _, _)] = parse_responses(await conn.closed())
    assert status == 415


async def test_eof_after_request_still_answers() -> None:
    conn = Conn(hello)
    conn.send(GET % b"a")
    assert conn.proto.eof_received() is True
    [(status, _, _)] = parse_responses(await conn.closed())
    assert status == 200


async def test_eof_on_idle_connection_closes() -> None:
    conn = Conn(hello)
    conn.send(GET % b"a")
    await conn.responses(1)
    assert conn.proto.eof_received() is None
    await conn.closed()


async def test_connection_lost_fails_a_pending_body_read() -> None:
    seen: list[BaseException] = []

    async def reader(request: web.BaseRequest) -> web.StreamResponse:
        try:
            await request.read()
        except ConnectionResetError as exc:
            seen.append(exc)
            raise
        return web.Response()

    conn = Conn(reader)
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab")
    await asyncio.sleep(0.01)
    conn.proto.connection_lost(None)
    await conn.until(lambda: bool(seen))
    assert conn.server.connections == []


async def test_handler_cancellation_cancels_on_disconnect() -> None:
    cancelled = asyncio.Event()

    async def forever(request: web.BaseRequest) -> web.StreamResponse:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return web.Response()

    conn = Conn(forever, handler_cancellation=True)
    conn.send(GET % b"")
    await asyncio.sleep(0.01)
    conn.proto.connection_lost(None)
    await asyncio.wait_for(cancelled.wait(), 5)


async def test_without_handler_cancellation_the_handler_finishes() -> None:
    finished = asyncio.Event()

    async def slow(request: web.BaseRequest) -> web.StreamResponse:
        await asyncio.sleep(0.02)
        finished.set()
        return web.Response()

    conn = Conn(slow)
    conn.send(GET % b"")
    await asyncio.sleep(0.005)
    conn.proto.connection_lost(None)
    await asyncio.wait_for(finished.wait(), 5)


class Recorder:
    def __init__(self) -> None:
        self.data: list[bytes] = []
        self.lost = False

    def data_received(self, data: bytes) -> None:
        self.data.append(data)

    def eof_received(self) -> bool | None:
        return None

    def connection_lost(self, exc: BaseException | None) -> None:
        self.lost = True


async def test_switch_protocol_after_101_hands_over_held_bytes() -> None:
    receiver = Recorder()
    done = asyncio.Event()

    async def upgrade(request: web.BaseRequest) -> web.StreamResponse:
        resp = web.StreamResponse(status=101, headers={"Upgrade": "x", "Connection": "upgrade"})
        await resp.prepare(request)
        await resp.write_eof()
        request.protocol.switch_protocol(receiver)
        await done.wait()
        return resp

    conn = Conn(upgrade)
    conn.send(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\nearly bytes")
    await conn.until(lambda: bool(receiver.data))
    conn.send(b"later")
    assert receiver.data == [b"early bytes", b"later"]
    assert bytes(conn.tr.written).startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
    done.set()
    await conn.closed()


async def test_declined_upgrade_keeps_speaking_http() -> None:
    conn = Conn(hello)
    conn.send(
        b"GET /u HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n" + GET % b"n"
    )
    got = await conn.responses(2)
    assert [b for _, _, b in got] == [b"GET /u", b"GET /n"]


async def test_shutdown_closes_idle_and_waits_for_busy() -> None:
    gate = asyncio.Event()

    async def gated(request: web.BaseRequest) -> web.StreamResponse:
        await gate.wait()
        return web.Response(text="late")

    server = web.Server(gated, access_log=None)
    idle = server()
    idle_tr = FakeTransport(idle)
    idle.connection_made(idle_tr)
    busy = server()
    busy_tr = FakeTransport(busy)
    busy.connection_made(busy_tr)
    buf = busy.get_buffer(-1)
    req = GET % b""
    buf[: len(req)] = req
    busy.buffer_updated(len(req))
    await asyncio.sleep(0.01)
    server.pre_shutdown()
    assert idle_tr.closing
    assert not busy_tr.closing
    task = asyncio.create_task(server.shutdown(5))
    await asyncio.sleep(0.01)
    gate.set()
    await asyncio.wait_for(task, 5)
    [(status, headers, body)] = parse_responses(bytes(busy_tr.written))
    assert (status, body, headers["connection"]) == (200, b"late", "close")
    assert busy_tr.closing


async def test_shutdown_timeout_cancels_stuck_handlers() -> None:
    async def stuck(request: web.BaseRequest) -> web.StreamResponse:
        await asyncio.sleep(30)
        return web.Response()

    conn = Conn(stuck)
    conn.send(GET % b"")
    await asyncio.sleep(0.01)
    await asyncio.wait_for(conn.server.shutdown(0.05), 5)
    await conn.closed()


async def test_limits_at_and_past_max_field_size() -> None:
    line = b"X-A: " + b"v" * (100 - 5)
    assert len(line) == 100
    conn = Conn(hello, max_field_size=100)
    conn.send(b"GET / HTTP/1.1\r\nHost: x\r\n" + line + b"\r\n\r\n")
    [(status, _, _)] = await conn.responses(1)
    assert status == 200
    conn2 = Conn(hello, max_field_size=100)
    conn2.send(b"GET / HTTP/1.1\r\nHost: x\r\n" + line + b"v\r\n\r\n")
    [(status2, _, _)] = parse_responses(await conn2.closed())
    assert status2 == 431


async def test_bad_message_raised_by_a_handler_uses_its_status() -> None:
    async def picky(request: web.BaseRequest) -> web.StreamResponse:
        raise BadHttpMessage("no thanks", code=422)

    conn = Conn(picky)
    conn.send(GET % b"")
    [(status, _, body)] = parse_responses(await conn.closed())
    assert status == 422
    assert b"no thanks" in body


def test_3x_import_paths_name_the_same_objects() -> None:
    from aiohttp import (
        abc,
        base_protocol,
        streams,
        web_protocol,
        web_request,
        web_response,
        web_runner,
        web_server,
    )
    from aiohttp._io.protocol import BaseProtocol
    from aiohttp._io.streams import StreamReader
    from aiohttp._io.writer import AbstractStreamWriter

    assert web_server.Server is web.Server
    assert web_protocol.RequestHandler is RequestHandler
    assert web_request.Request is web.Request
    assert web_response.Response is web.Response
    assert web_runner.AppRunner is web.AppRunner
    assert base_protocol.BaseProtocol is BaseProtocol
    assert streams.StreamReader is StreamReader
    assert abc.AbstractStreamWriter is AbstractStreamWriter


async def test_reads_are_small_between_heads_and_large_inside_a_body() -> None:
    async def reader(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(body=await request.read())

    conn = Conn(reader)
    small = len(conn.proto.get_buffer(-1))
    conn.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab")
    large = len(conn.proto.get_buffer(-1))
    conn.send(b"cd")
    await conn.responses(1)
    assert (small, large, len(conn.proto.get_buffer(-1))) == (64 * 1024, 256 * 1024, 64 * 1024)


class CountingTransport(FakeTransport):
    """Counts the writes: a whole response should leave in one."""

    writes = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes += 1
        super().write(data)


async def test_a_plain_response_leaves_in_one_write_and_subclasses_keep_their_prepare() -> None:
    class Stamped(web.Response):
        async def prepare(self, request: web.BaseRequest) -> Any:
            self.headers["X-Stamp"] = "prepared"
            return await super().prepare(request)

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        if request.path == "/stamped":
            return Stamped(text="s")
        return web.Response(text="plain")

    conn = Conn(handler, transport=CountingTransport)
    conn.send(GET % b"")
    [(status, headers, body)] = await conn.responses(1)
    assert (status, body, headers["content-length"]) == (200, b"plain", "5")
    assert isinstance(conn.tr, CountingTransport)
    assert conn.tr.writes == 1
    conn.send(GET % b"stamped")
    _, (status, headers, body) = await conn.responses(2)
    assert (status, body, headers["x-stamp"]) == (200, b"s", "prepared")


async def test_a_plain_response_to_head_has_its_length_and_no_body() -> None:
    conn = Conn(hello)
    conn.send(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" + GET % b"")
    await conn.until(lambda: conn.tr.written.count(b"HTTP/1.1 200") == 2)
    head_answer, get_answer = bytes(conn.tr.written).split(b"HTTP/1.1 200")[1:]
    assert b"Content-Length: " in head_answer
    assert head_answer.endswith(b"\r\n\r\n")  # no body after the HEAD answer's head
    assert not get_answer.endswith(b"\r\n\r\n")


UPGRADE_HEAD = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n"


@pytest.mark.parametrize(("held", "paused"), [(2048, False), (2049, True)], ids=["at", "past"])
async def test_bytes_held_after_an_upgrade_pause_reading_past_the_mark(
    held: int, paused: bool
) -> None:
    # The mark is 2 * read_bufsize: held bytes never grow past it plus one socket read.
    gate = asyncio.Event()

    async def slow(request: web.BaseRequest) -> web.StreamResponse:
        await gate.wait()
        return web.Response(text="no upgrade")

    conn = Conn(slow, read_bufsize=1024)
    conn.send(UPGRADE_HEAD)
    prefix, suffix = b"GET /next HTTP/1.1\r\nHost: x\r\nX: ", b"\r\n\r\n"
    conn.send(prefix + b"a" * (held - len(prefix) - len(suffix)) + suffix)
    await asyncio.sleep(0.01)
    assert conn.tr.reading is not paused
    gate.set()  # the upgrade is declined: reading resumes and the held request is served
    await conn.until(lambda: conn.tr.reading)
    [(first, _, _), (second, _, body)] = await conn.responses(2)
    assert (first, second, body) == (200, 200, b"no upgrade")


class RefusingSocket:
    """A socket that refuses every option, as some non-TCP sockets refuse SO_KEEPALIVE."""

    def __init__(self) -> None:
        self.tried: list[tuple[int, int, int]] = []

    def setsockopt(self, level: int, option: int, value: int) -> None:
        self.tried.append((level, option, value))
        raise OSError("Operation not supported")


async def test_keepalive_refused_by_the_socket_still_serves() -> None:
    sock = RefusingSocket()

    class WithSocket(FakeTransport):
        def __init__(self, protocol: asyncio.BaseProtocol | None = None) -> None:
            super().__init__(protocol)
            self.extra["socket"] = sock

    conn = Conn(hello, transport=WithSocket)
    assert sock.tried == [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    conn.send(GET % b"k")
    [(status, _, body)] = await conn.responses(1)
    assert (status, body) == (200, b"GET /k")


def socket_transport(sock: socket.socket) -> type[FakeTransport]:
    class WithSocket(FakeTransport):
        def __init__(self, protocol: asyncio.BaseProtocol | None = None) -> None:
            super().__init__(protocol)
            self.extra["socket"] = sock

    return WithSocket


@pytest.mark.parametrize("on", [True, False])
async def test_tcp_keepalive_sets_the_socket_option(on: bool) -> None:
    left, right = socket.socketpair()  # AF_UNIX: set there too, as 3.x sets it
    with left, right:
        Conn(hello, transport=socket_transport(left), tcp_keepalive=on)
        assert bool(left.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)) is on
