"""The WSGI bridge: wsgi.input across threads, start_response rules, the environ, the handler."""

from __future__ import annotations

import asyncio
import io
import ssl
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest
from multidict import CIMultiDict

from aiohttp.streams import StreamReader
from aiohttp.test_utils import make_mocked_request
from aiohttp.web import HTTPRequestEntityTooLarge
from aiohttp.wsgi import (
    WSGIHandler,
    WSGIInput,
    _check_headers,
    _LoopBridge,
    _Response,
    build_environ,
)


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
        pytest.param("200 OK", [("Content-Length", "-5")], ValueError, id="RFC9110-8.6-negative"),
        pytest.param(
            "200 OK", [("Content-Length", "1e3")], ValueError, id="RFC9110-8.6-not-digits"
        ),
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


# -- the environ ------------------------------------------------------------------------------


def _environ(
    path: str = "/",
    headers: Any = None,
    *,
    method: str = "GET",
    sslcontext: Any = None,
    **kwargs: Any,
) -> dict[str, Any]:
    request = make_mocked_request(method, path, headers, sslcontext=sslcontext)
    return build_environ(request, **kwargs)


async def test_environ_has_every_pep_3333_key() -> None:
    environ = _environ("/p?q=1", {"Host": "example.com:8080"})
    assert environ["REQUEST_METHOD"] == "GET"
    assert environ["SCRIPT_NAME"] == ""
    assert environ["PATH_INFO"] == "/p"
    assert environ["QUERY_STRING"] == "q=1"
    assert environ["SERVER_NAME"] == "example.com"
    assert environ["SERVER_PORT"] == "8080"
    assert environ["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert environ["REMOTE_ADDR"] == "127.0.0.1"
    assert environ["REMOTE_PORT"] == "12345"
    assert environ["HTTP_HOST"] == "example.com:8080"
    assert environ["wsgi.version"] == (1, 0)
    assert environ["wsgi.url_scheme"] == "http"
    assert environ["wsgi.errors"] is sys.stderr
    assert environ["wsgi.multithread"] is True
    assert environ["wsgi.multiprocess"] is False
    assert environ["wsgi.run_once"] is False
    assert environ["wsgi.input_terminated"] is True
    assert all(type(v) is str for k, v in environ.items() if k.isupper())


@pytest.mark.parametrize(
    ("target", "path_info", "query"),
    [
        pytest.param("/a%20b", "/a b", "", id="percent-decoded"),
        pytest.param("/caf%C3%A9", "/caf\xc3\xa9", "", id="PEP3333-bytes-as-latin1"),
        pytest.param("/x%2Fy", "/x/y", "", id="encoded-slash-decoded"),
        pytest.param("/s?a=%20&b", "/s", "a=%20&b", id="query-left-raw"),
        pytest.param("/s?", "/s", "", id="empty-query"),
        pytest.param(
            "http://h.test/a%20b?x=%41", "/a b", "x=%41", id="RFC9112-3.2.2-absolute-form"
        ),
    ],
)
async def test_path_info_and_query_string(target: str, path_info: str, query: str) -> None:
    environ = _environ(target)
    assert (environ["PATH_INFO"], environ["QUERY_STRING"]) == (path_info, query)


@pytest.mark.parametrize(
    ("target", "script", "path_info"),
    [
        pytest.param("/app/x/y", "/app", "/x/y", id="prefix-stripped"),
        pytest.param("/app", "/app", "", id="exactly-the-prefix"),
        pytest.param("/apple", "", "/apple", id="not-a-path-segment-prefix"),
        pytest.param("/other", "", "/other", id="outside-the-prefix"),
    ],
)
async def test_script_name(target: str, script: str, path_info: str) -> None:
    environ = _environ(target, script_name="/app/")
    assert (environ["SCRIPT_NAME"], environ["PATH_INFO"]) == (script, path_info)


async def test_repeated_fields_are_joined_and_underscored_names_dropped() -> None:
    headers = CIMultiDict(
        [
            ("Accept", "text/html"),
            ("Accept", "text/plain"),
            ("Cookie", "a=1"),
            ("Cookie", "b=2"),
            ("X-Forwarded-For", "10.0.0.1"),
            ("X_Forwarded_For", "6.6.6.6"),
            ("Content-Type", "text/plain"),
            ("Content-Length", "3"),
        ]
    )
    environ = _environ("/", headers, method="POST")
    assert environ["HTTP_ACCEPT"] == "text/html, text/plain"  # RFC 9110 §5.3
    assert environ["HTTP_COOKIE"] == "a=1; b=2"  # RFC 6265 §5.4
    assert environ["HTTP_X_FORWARDED_FOR"] == "10.0.0.1"
    assert environ["CONTENT_TYPE"] == "text/plain"
    assert environ["CONTENT_LENGTH"] == "3"
    assert "HTTP_CONTENT_TYPE" not in environ
    assert "HTTP_CONTENT_LENGTH" not in environ


async def test_server_name_without_a_port_in_host_uses_the_scheme_default() -> None:
    environ = _environ("/", {"Host": "example.com"}, sslcontext=ssl.create_default_context())
    assert environ["wsgi.url_scheme"] == "https"
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("example.com", "443")
    assert _environ("/", {"Host": "example.com"})["SERVER_PORT"] == "80"


async def test_server_name_without_host_is_the_socket_address() -> None:
    environ = _environ("/", {}, url_scheme="https")
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("127.0.0.1", "80")
    assert environ["wsgi.url_scheme"] == "https"


async def test_ipv6_host_keeps_its_brackets() -> None:
    environ = _environ("/", {"Host": "[::1]:8443"})
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("[::1]", "8443")


# -- the handler, end to end on an in-memory connection ----------------------------------------


class Recorder:
    """A WSGI application that records its calls and the close() of its iterable."""

    def __init__(self, body: Callable[[Any, Any], Any]) -> None:
        self.body = body
        self.closed = 0
        self.environ: dict[str, Any] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.environ = environ
        recorder = self

        class Closing:
            def __init__(self, inner: Any) -> None:
                self.inner = inner

            def __iter__(self) -> Any:
                return iter(self.inner)

            def close(self) -> None:
                recorder.closed += 1

        return Closing(self.body(environ, start_response))


async def _serve(
    app: Any, body: bytes = b"", *, method: str = "POST", **kwargs: Any
) -> tuple[bytes, BaseException | None]:
    """Run one request through WSGIHandler; the bytes written and the error raised, if any."""
    reader, _ = _reader()
    if body:
        reader.feed_data(body)
    reader.feed_eof()
    headers = {"Host": "test", "Content-Length": str(len(body))}
    request = make_mocked_request(method, "/p", headers, payload=reader)
    error: BaseException | None = None
    try:
        response = await asyncio.wait_for(WSGIHandler(app, **kwargs).handle(request), 10)
        if not response.prepared:
            await response.prepare(request)
            await response.write_eof()
    except Exception as exc:
        error = exc
    transport = request.transport
    assert transport is not None
    return bytes(transport.buffer), error  # type: ignore[attr-defined]


def _split(raw: bytes) -> tuple[str, bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return head.decode("latin-1"), body


async def test_a_simple_application_is_served_and_closed() -> None:
    def body(environ: Any, start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
        return [b"he", b"llo"]

    app = Recorder(body)
    raw, error = await _serve(app)
    head, payload = _split(raw)
    assert error is None
    assert head.startswith("HTTP/1.1 200 OK\r\n")
    assert "Content-Length: 5" in head
    assert payload == b"hello"
    assert app.closed == 1


async def test_the_body_streams_with_chunked_coding_when_no_length_is_given() -> None:
    def body(environ: Any, start_response: Any) -> Any:
        start_response("201 Created", [("X-A", "1")])
        yield b"abc"
        yield b""
        yield b"defg"

    raw, _ = await _serve(Recorder(body))
    head, payload = _split(raw)
    assert head.startswith("HTTP/1.1 201 Created\r\n")
    assert "Transfer-Encoding: chunked" in head
    assert payload == b"3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"


async def test_the_application_reads_the_streamed_body() -> None:
    def body(environ: Any, start_response: Any) -> list[bytes]:
        data = environ["wsgi.input"].read()
        start_response("200 OK", [])
        return [data.upper()]

    _, payload = _split((await _serve(Recorder(body), b"upload me"))[0])
    assert b"UPLOAD ME" in payload


async def test_readpayload_gives_a_bytesio() -> None:
    seen: list[str] = []

    def body(environ: Any, start_response: Any) -> list[bytes]:
        seen.append(type(environ["wsgi.input"]).__name__)
        start_response("200 OK", [("Content-Length", "3")])
        return [environ["wsgi.input"].read()]

    raw, _ = await _serve(Recorder(body), b"abc", readpayload=True)
    assert seen == ["BytesIO"]
    assert _split(raw)[1] == b"abc"


async def test_write_sends_before_the_iterable() -> None:
    def body(environ: Any, start_response: Any) -> list[bytes]:
        write = start_response("200 OK", [("Content-Length", "6")])
        write(b"abc")
        return [b"def"]

    assert _split((await _serve(Recorder(body)))[0])[1] == b"abcdef"


async def test_an_error_before_the_head_answers_500_and_closes() -> None:
    def body(environ: Any, start_response: Any) -> Any:
        start_response("200 OK", [])
        if environ["REQUEST_METHOD"] == "POST":
            raise ValueError("broken")
        yield b"never"

    app = Recorder(body)
    raw, error = await _serve(app)
    assert error is None
    assert _split(raw)[0].startswith("HTTP/1.1 500 ")
    assert app.closed == 1


async def test_an_error_after_the_head_closes_the_connection() -> None:
    def body(environ: Any, start_response: Any) -> Any:
        start_response("200 OK", [])
        yield b"part"
        raise ValueError("broken midway")

    app = Recorder(body)
    raw, error = await _serve(app)
    assert isinstance(error, ValueError)  # the server closes the connection on it
    assert _split(raw)[0].startswith("HTTP/1.1 200 OK")
    assert app.closed == 1


async def test_exc_info_turns_the_response_into_an_error_page() -> None:
    def body(environ: Any, start_response: Any) -> list[bytes]:
        start_response("200 OK", [("X-Partial", "1")])
        try:
            raise KeyError("lookup")
        except KeyError:
            start_response("503 Service Unavailable", [("Retry-After", "5")], sys.exc_info())
        return [b"try later"]

    head, payload = _split((await _serve(Recorder(body)))[0])
    assert payload == b"9\r\ntry later\r\n0\r\n\r\n"
    assert head.startswith("HTTP/1.1 503 Service Unavailable\r\n")
    assert "Retry-After: 5" in head
    assert "X-Partial" not in head


async def test_more_than_content_length_is_cut() -> None:
    def body(environ: Any, start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Length", "3")])
        return [b"abcdef"]

    raw, error = await _serve(Recorder(body))
    assert error is None
    assert _split(raw)[1] == b"abc"


async def test_less_than_content_length_closes_the_connection() -> None:
    def body(environ: Any, start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Length", "10")])
        return [b"abc"]

    app = Recorder(body)
    _, error = await _serve(app)
    assert isinstance(error, ConnectionError)
    assert app.closed == 1


async def test_no_start_response_is_a_500() -> None:
    raw, _ = await _serve(Recorder(lambda environ, start_response: [b"x"]))
    assert _split(raw)[0].startswith("HTTP/1.1 500 ")


async def test_a_non_bytes_chunk_is_a_500() -> None:
    def body(environ: Any, start_response: Any) -> list[str]:
        start_response("200 OK", [])
        return ["text"]

    app = Recorder(body)
    raw, _ = await _serve(app)
    assert _split(raw)[0].startswith("HTTP/1.1 500 ")
    assert app.closed == 1


async def test_close_is_called_when_the_client_goes_away() -> None:
    transport_box: list[Any] = []

    def body(environ: Any, start_response: Any) -> Any:
        start_response("200 OK", [])
        transport_box.append(environ["aiohttp.request"].transport)
        for i in range(1000):
            if i == 2:
                transport_box[0].close()  # the peer is gone
            yield b"x" * 1024

    app = Recorder(body)
    _, error = await _serve(app)
    assert isinstance(error, ConnectionError)
    assert app.closed == 1


async def test_an_abandoned_request_stops_the_application_and_closes_it() -> None:
    started = threading.Event()
    release = threading.Event()

    def body(environ: Any, start_response: Any) -> Any:
        start_response("200 OK", [])
        started.set()
        release.wait(10)
        yield b"too late"

    app = Recorder(body)
    request = make_mocked_request("GET", "/")
    task = asyncio.ensure_future(WSGIHandler(app).handle(request))
    await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(None, started.wait, 10), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    release.set()
    for _ in range(100):  # the worker thread notices within its poll interval
        if app.closed:
            break
        await asyncio.sleep(0.02)
    assert app.closed == 1


# -- the asyncio flavour ----------------------------------------------------------------------


async def test_a_coroutine_application_gets_the_stream_reader() -> None:
    closed: list[bool] = []

    class Body:
        def __init__(self, chunks: list[bytes]) -> None:
            self.chunks = chunks

        def __aiter__(self) -> Any:
            return self._gen()

        async def _gen(self) -> Any:
            for chunk in self.chunks:
                yield chunk

        async def aclose(self) -> None:
            closed.append(True)

    async def app(environ: dict[str, Any], start_response: Any) -> Any:
        assert isinstance(environ["wsgi.input"], StreamReader)
        assert environ["wsgi.multithread"] is False
        data = await environ["wsgi.input"].read()
        write = start_response("200 OK", [("Content-Length", str(len(data) + 2))])
        write(b"<")
        return Body([data, b">"])

    handler = WSGIHandler(app)
    assert handler.is_coroutine
    raw, error = await _serve(app, b"body")
    assert error is None
    assert _split(raw)[1] == b"<body>"
    assert closed == [True]


async def test_a_coroutine_application_may_return_a_plain_list() -> None:
    async def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    assert _split((await _serve(app))[0])[1] == b"ok"


async def test_a_head_response_carries_no_body() -> None:
    def body(environ: Any, start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Length", "5")])
        return [b"hello"]

    app = Recorder(body)
    raw, error = await _serve(app, method="HEAD")
    head, payload = _split(raw)
    assert error is None
    assert head.startswith("HTTP/1.1 200 OK\r\n")
    assert "Content-Length: 5" in head
    assert payload == b""  # RFC 9110 §9.3.2
    assert app.closed == 1


async def test_file_wrapper_streams_a_file_and_closes_it() -> None:
    files: list[io.BytesIO] = []

    def body(environ: Any, start_response: Any) -> Any:
        start_response("200 OK", [("Content-Length", "20000")])
        files.append(io.BytesIO(b"z" * 20000))
        return environ["wsgi.file_wrapper"](files[0], 4096)

    raw, error = await _serve(body)
    assert error is None
    assert _split(raw)[1] == b"z" * 20000
    assert files[0].closed


@pytest.mark.parametrize(("size", "accepted"), [(64, True), (65, False)])
async def test_readpayload_is_bounded_by_client_max_size(size: int, accepted: bool) -> None:
    reader, _ = _reader()
    reader.feed_data(b"x" * size)
    reader.feed_eof()
    headers = {"Host": "test", "Content-Length": str(size)}
    request = make_mocked_request("POST", "/", headers, payload=reader, client_max_size=64)

    def body(environ: Any, start_response: Any) -> list[bytes]:
        start_response("200 OK", [])
        return [environ["wsgi.input"].read()]

    handler = WSGIHandler(Recorder(body), readpayload=True)
    if accepted:
        response = await handler.handle(request)
        assert response.status == 200
    else:
        with pytest.raises(HTTPRequestEntityTooLarge):
            await handler.handle(request)
