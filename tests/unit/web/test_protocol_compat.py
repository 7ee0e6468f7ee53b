"""The aiohttp 3.x face of the connection protocol, on an in-memory transport."""

from __future__ import annotations

import asyncio
import logging
import warnings
from typing import Any

import pytest

from aiohttp import web
from aiohttp.web.server.protocol import RequestHandler
from tests.unit._io.test_protocol import FakeTransport
from tests.unit.web.test_access_log import ListHandler
from tests.unit.web.test_server import GET, Conn, hello, parse_responses


@pytest.fixture
def records() -> Any:
    logger = logging.getLogger("test.protocol.compat")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    handler = ListHandler()
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


async def test_the_3x_constructor_takes_the_3x_settings(records: list[logging.LogRecord]) -> None:
    server = web.Server(hello)
    logger = logging.getLogger("test.protocol.compat")
    proto = RequestHandler(
        server,
        loop=asyncio.get_running_loop(),
        keepalive_timeout=5,
        logger=logger,
        access_log=None,
        debug=True,
        max_line_size=100,
        max_headers=5,
        max_field_size=50,
    )
    assert (proto.keepalive_timeout, proto.logger, proto.debug) == (5, logger, True)
    assert (proto.max_line_size, proto.max_headers, proto.max_field_size) == (100, 5, 50)
    assert proto.access_log is None
    assert proto.access_logger is None
    assert proto.peername is None
    assert proto.sockname is None
    assert proto.ssl_context is None
    proto.log_debug("seen %s", 1)
    proto.log_exception("boom")
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("DEBUG", "seen 1"),
        ("ERROR", "boom"),
    ]
    transport = FakeTransport(proto)
    proto.connection_made(transport)
    assert server.connections == [proto]
    buf = proto.get_buffer(-1)
    request = GET % b"x"
    buf[: len(request)] = request
    proto.buffer_updated(len(request))
    async with asyncio.timeout(5):
        while not parse_responses(bytes(transport.written)):  # noqa: ASYNC110 - in-memory fake
            await asyncio.sleep(0.001)
    assert parse_responses(bytes(transport.written))[0][2] == b"GET /x"
    proto.close()  # idle: closes now
    assert transport.closing


async def test_log_debug_is_silent_without_debug(records: list[logging.LogRecord]) -> None:
    conn = Conn(hello, logger=logging.getLogger("test.protocol.compat"))
    assert conn.proto.debug is False
    conn.proto.log_debug("hidden")
    assert records == []


async def test_keep_alive_false_closes_after_the_response() -> None:
    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        request.protocol.keep_alive(False)
        request.protocol.keep_alive(True)  # cannot reopen
        return web.Response(text="last")

    conn = Conn(handler)
    conn.send(GET % b"a" + GET % b"b")
    written = await conn.closed()
    [(status, headers, body)] = parse_responses(written)
    assert (status, headers["connection"], body) == (200, "close", b"last")


async def test_3x_force_close_flag_closes_after_the_response() -> None:
    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        proto = request.protocol
        assert proto._force_close is False
        proto._force_close = True  # 3.x code sets the attribute
        proto._force_close = False  # cannot reopen
        assert proto._force_close is True
        return web.Response(text="last")

    conn = Conn(handler)
    conn.send(GET % b"a" + GET % b"b")
    [(status, headers, body)] = parse_responses(await conn.closed())
    assert (status, headers["connection"], body) == (200, "close", b"last")


async def test_finish_response_sends_and_logs_access() -> None:
    logged: list[tuple[int, float]] = []

    class Recorder(web.AbstractAccessLogger):
        def log(self, request: Any, response: Any, time: float) -> None:
            logged.append((response.status, time))

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        start = asyncio.get_running_loop().time()
        resp, reset = await request.protocol.finish_response(
            request, web.Response(status=202, text="sent"), start
        )
        assert (resp.status, reset) == (202, False)
        return resp

    conn = Conn(
        handler, access_log=logging.getLogger("test.access.compat"), access_log_class=Recorder
    )
    conn.send(GET % b"x")
    [(status, _, body)] = await conn.responses(1)
    assert (status, body) == (202, b"sent")
    assert logged[0][0] == 202  # once from finish_response (the server logs it too)
    assert logged[0][1] >= 0


async def test_finish_response_reports_a_client_gone() -> None:
    results: list[bool] = []

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        request.protocol.transport.close()  # type: ignore[union-attr]
        await asyncio.sleep(0)
        resp, reset = await request.protocol.finish_response(request, web.Response(), None)
        results.append(reset)
        return resp

    conn = Conn(handler)
    conn.send(GET % b"x")
    await conn.until(lambda: bool(results))
    assert results == [True]


async def test_handle_error_refuses_once_a_response_began() -> None:
    outcome: list[str] = []

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        resp = web.StreamResponse()
        await resp.prepare(request)
        await resp.write(b"partial")
        try:
            request.protocol.handle_error(request, 500)
        except ConnectionError as exc:
            outcome.append(str(exc))
        return resp

    conn = Conn(handler, logger=logging.getLogger("test.protocol.compat"))
    conn.send(GET % b"x")
    await conn.until(lambda: bool(outcome))
    assert "Response is sent already" in outcome[0]


class Collector:
    """A 3.x payload parser shape: feed_data / feed_eof."""

    def __init__(self) -> None:
        self.data = b""
        self.eof = False

    def feed_data(self, data: bytes) -> None:
        self.data += data

    def feed_eof(self) -> None:
        self.eof = True


async def test_set_parser_takes_the_rest_of_the_connection() -> None:
    parser = Collector()
    calls: list[int] = []

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        resp = web.Response(status=101, headers={"Upgrade": "x", "Connection": "Upgrade"})
        await resp.prepare(request)
        request.protocol.set_parser(parser, lambda: calls.append(1))
        return resp

    conn = Conn(handler)
    conn.send(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\nearly")
    await conn.until(lambda: parser.data == b"early")
    conn.send(b" more")
    assert parser.data == b"early more"
    assert calls == [1, 1]
    assert conn.proto.eof_received() is None
    conn.proto.connection_lost(None)
    assert parser.eof


async def test_resume_reading_takes_the_3x_flag() -> None:
    conn = Conn(hello)
    conn.proto.pause_reading()
    assert conn.proto.reading_paused
    conn.proto.resume_reading(resume_parser=False)
    assert not conn.proto.reading_paused


async def test_start_is_the_request_loop() -> None:
    conn = Conn(hello)
    conn.proto._task.cancel()  # type: ignore[union-attr]
    await asyncio.sleep(0)
    task = asyncio.get_running_loop().create_task(conn.proto.start())
    conn.send(GET % b"again")
    [(status, _, body)] = await conn.responses(1)
    assert (status, body) == (200, b"GET /again")
    conn.proto.close()
    await asyncio.wait_for(task, 5)


async def test_server_debug_is_taken_quietly_and_reaches_its_protocols() -> None:
    # 3.14.5's Server(debug=...) does not warn; its connections log log_debug() messages.
    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response()

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        server = web.Server(handler, debug=True)
    assert server().debug is True
    assert web.Server(handler)().debug is False


async def test_request_handler_repr_tells_whether_it_is_connected() -> None:
    async def serve(request: web.BaseRequest) -> web.Response:
        return web.Response()

    handler = web.Server(serve)()
    assert repr(handler) == "<RequestHandler disconnected>"
    handler.connection_made(FakeTransport())
    assert repr(handler) == "<RequestHandler connected>"
    handler.connection_lost(None)
    assert repr(handler) == "<RequestHandler disconnected>"
