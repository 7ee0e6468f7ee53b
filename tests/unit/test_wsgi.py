"""The WSGI bridge: wsgi.input across threads, start_response rules, the environ, the handler."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

from aiohttp.streams import StreamReader
from aiohttp.wsgi import WSGIInput, _check_headers, _LoopBridge, _Response


class FakeProtocol:
    """The flow-control side of a StreamReader, recording pause/resume calls."""

    def __init__(self) -> None:
        self.reading_paused = False
        self.calls: list[str] = []

    def pause_reading(self) -> None:
        self.reading_paused = True
        self.calls.append("pause")

    def resume_reading(self) -> None:
        self.reading_paused = False
        self.calls.append("resume")


def _reader(limit: int = 2**16) -> tuple[StreamReader, FakeProtocol]:
    protocol = FakeProtocol()
    return StreamReader(protocol, limit, loop=asyncio.get_running_loop()), protocol


async def _in_thread(func: Callable[[], Any]) -> Any:
    return await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(None, func), 10)


# -- wsgi.input -------------------------------------------------------------------------------


async def test_read_with_a_size_returns_that_many_bytes_across_chunks() -> None:
    reader, _ = _reader()
    wsgi_input = WSGIInput(reader, _LoopBridge(asyncio.get_running_loop()))
    for piece in (b"ab", b"cd", b"efg"):
        reader.feed_data(piece)
    reader.feed_eof()
    reads = await _in_thread(lambda: [wsgi_input.read(5) for _ in range(3)])
    assert reads == [b"abcde", b"fg", b""]


async def test_read_waits_for_data_still_arriving() -> None:
    reader, _ = _reader()
    wsgi_input = WSGIInput(reader, _LoopBridge(asyncio.get_running_loop()))
    task = asyncio.ensure_future(_in_thread(wsgi_input.read))
    for piece in (b"first ", b"second"):
        await asyncio.sleep(0.01)
        assert not task.done()
        reader.feed_data(piece)
    reader.feed_eof()
    assert await task == b"first second"


async def test_readline_readlines_and_iteration() -> None:
    reader, _ = _reader()
    wsgi_input = WSGIInput(reader, _LoopBridge(asyncio.get_running_loop()))
    reader.feed_data(b"one\ntw")
    reader.feed_data(b"o\nthree\nfour\nfive")
    reader.feed_eof()

    def consume() -> list[object]:
        return [
            wsgi_input.readline(),
            wsgi_input.readline(2),
            wsgi_input.readline(),
            wsgi_input.readlines(3),
            list(wsgi_input),
            wsgi_input.readline(),
        ]

    assert await _in_thread(consume) == [
        b"one\n",
        b"tw",
        b"o\n",
        [b"three\n"],
        [b"four\n", b"five"],
        b"",
    ]


async def test_readline_with_a_limit_stops_without_a_newline() -> None:
    reader, _ = _reader()
    wsgi_input = WSGIInput(reader, _LoopBridge(asyncio.get_running_loop()))
    reader.feed_data(b"x" * 100)
    task = asyncio.ensure_future(_in_thread(lambda: wsgi_input.readline(10)))
    # The line is longer than the limit: readline returns without waiting for more data.
    assert await task == b"x" * 10


async def test_readlines_without_a_hint_reads_to_the_end() -> None:
    reader, _ = _reader()
    wsgi_input = WSGIInput(reader, _LoopBridge(asyncio.get_running_loop()))
    reader.feed_data(b"a\nb\n")
    reader.feed_eof()
    assert await _in_thread(wsgi_input.readlines) == [b"a\n", b"b\n"]


async def test_a_slow_reader_pauses_the_connection_and_reading_resumes_it() -> None:
    reader, protocol = _reader(limit=10)
    wsgi_input = WSGIInput(reader, _LoopBridge(asyncio.get_running_loop()))
    reader.feed_data(b"x" * 25)  # above the high-water mark (2 * limit)
    assert protocol.calls == ["pause"]
    assert await _in_thread(lambda: wsgi_input.read(25)) == b"x" * 25
    assert protocol.calls == ["pause", "resume"]


async def test_a_body_error_reaches_the_application() -> None:
    reader, _ = _reader()
    wsgi_input = WSGIInput(reader, _LoopBridge(asyncio.get_running_loop()))
    reader.set_exception(ConnectionResetError("client went away"))
    with pytest.raises(ConnectionResetError, match="client went away"):
        await _in_thread(wsgi_input.read)


async def test_an_abandoned_request_stops_a_thread_waiting_for_the_body() -> None:
    reader, _ = _reader()
    bridge = _LoopBridge(asyncio.get_running_loop())
    wsgi_input = WSGIInput(reader, bridge)
    task = asyncio.ensure_future(_in_thread(wsgi_input.read))
    await asyncio.sleep(0.05)
    bridge.abandon()
    with pytest.raises(ConnectionAbortedError):
        await task
    with pytest.raises(ConnectionAbortedError):
        await _in_thread(wsgi_input.read)


# -- start_response ---------------------------------------------------------------------------


def _exc_info() -> Any:
    try:
        raise KeyError("boom")
    except KeyError:
        return sys.exc_info()


class _Sent(_Response):
    """A response whose head already went out."""

    @property
    def headers_sent(self) -> bool:
        return True


def test_start_response_records_status_and_headers_and_returns_write() -> None:
    result = _Response(request=None)  # type: ignore[arg-type]
    write = result.start_response("201 Created", [("X-A", "1")])
    assert write == result.write
    assert result.status == (201, "Created")
    assert result.headers == [("X-A", "1")]


def test_start_response_twice_without_exc_info_is_an_error() -> None:
    result = _Response(request=None)  # type: ignore[arg-type]
    result.start_response("200 OK", [])
    with pytest.raises(RuntimeError, match="already called"):
        result.start_response("500 Oops", [])
    assert result.status == (200, "OK")


def test_exc_info_before_the_head_is_sent_replaces_the_response() -> None:
    result = _Response(request=None)  # type: ignore[arg-type]
    result.start_response("200 OK", [("X-A", "1")])
    result.start_response("500 Internal Server Error", [("X-B", "2")], _exc_info())
    assert result.status == (500, "Internal Server Error")
    assert result.headers == [("X-B", "2")]


def test_exc_info_after_the_head_is_sent_reraises_the_application_error() -> None:
    result = _Sent(request=None)  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="boom"):
        result.start_response("500 Internal Server Error", [], _exc_info())


@pytest.mark.parametrize(
    ("status", "headers", "error"),
    [
        pytest.param("OK", [], ValueError, id="no-code"),
        pytest.param("20 OK", [], ValueError, id="two-digit-code"),
        pytest.param("099 X", [], ValueError, id="code-below-100"),
        pytest.param(b"200 OK", [], TypeError, id="bytes-status"),
        pytest.param("200 OK", (("A", "b"),), TypeError, id="headers-not-a-list"),
        pytest.param("200 OK", [("A", "b", "c")], TypeError, id="header-triple"),
        pytest.param("200 OK", [("A", b"b")], TypeError, id="bytes-value"),
        pytest.param("200 OK", [("Connection", "close")], ValueError, id="RFC9110-7.6.1-hop"),
        pytest.param("200 OK", [("Transfer-Encoding", "chunked")], ValueError, id="hop-te"),
        pytest.param("200 OK", [("X-A", "a\r\nSet-Cookie: x")], ValueError, id="crlf-value"),
        pytest.param("200 OK", [("X-A\n", "a")], ValueError, id="lf-name"),
        pytest.param("200 OK", [("X-A", "a\0")], ValueError, id="nul-value"),
    ],
)
def test_start_response_rejects_invalid_arguments(
    status: Any, headers: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        _check_headers(status, headers)


def test_a_status_without_a_reason_is_accepted() -> None:
    assert _check_headers("204", []) == (204, "")


async def test_the_bridge_runs_calls_on_the_loop_thread() -> None:
    bridge = _LoopBridge(asyncio.get_running_loop())
    loop_thread = threading.get_ident()

    async def where() -> int:
        return threading.get_ident()

    assert await _in_thread(lambda: bridge.call(where)) == loop_thread
