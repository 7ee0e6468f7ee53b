"""aiohttp 3.x's protocol-bound parsers (``aiohttp.http_parser``) over the sans-I/O ones."""

from __future__ import annotations

import asyncio
import gzip

import pytest

from aiohttp import http, http_parser
from aiohttp.http_exceptions import (
    BadHttpMessage,
    ContentLengthError,
    InvalidHeader,
    LineTooLong,
    TransferEncodingError,
)
from aiohttp.streams import StreamReader


class FakeFlow:
    def __init__(self) -> None:
        self.reading_paused = False

    def pause_reading(self) -> None:
        self.reading_paused = True

    def resume_reading(self) -> None:
        self.reading_paused = False


def request_parser(**kwargs: object) -> http_parser.HttpRequestParser:
    loop = asyncio.get_running_loop()
    return http_parser.HttpRequestParser(FakeFlow(), loop, 2**16, **kwargs)  # type: ignore[arg-type]


def response_parser(**kwargs: object) -> http_parser.HttpResponseParser:
    loop = asyncio.get_running_loop()
    return http_parser.HttpResponseParser(FakeFlow(), loop, 2**16, **kwargs)  # type: ignore[arg-type]


def test_the_names_3x_exports() -> None:
    assert http.HttpRequestParser is http_parser.HttpRequestParser
    assert http_parser.HttpRequestParserPy is http_parser.HttpRequestParser
    assert http_parser.HttpResponseParserPy is http_parser.HttpResponseParser
    assert issubclass(http_parser.HttpRequestParser, http.HttpParser)
    assert http_parser.NO_EXTENSIONS is True


async def test_requests_come_out_with_their_bodies_in_order() -> None:
    parser = request_parser()
    messages, upgraded, tail = parser.feed_data(
        b"POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
        b"GET /b HTTP/1.1\r\nHost: h\r\n\r\n"
    )
    assert (upgraded, tail) == (False, b"")
    (first, body1), (second, body2) = messages
    assert (first.method, first.path, first.should_close) == ("POST", "/a?x=1", False)
    assert await body1.read() == b"hello"
    assert (second.method, second.path) == ("GET", "/b")
    assert body2.at_eof()


async def test_a_chunked_body_arrives_in_pieces() -> None:
    parser = request_parser()
    (head, body), *_ = parser.feed_data(
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"
    )[0]
    assert head.chunked
    assert parser.feed_data(b"lo\r\n0\r\n\r\n") == ([], False, b"")
    assert await body.read() == b"hello"


async def test_a_gzip_body_is_decoded_unless_auto_decompress_is_off() -> None:
    data = gzip.compress(b"x" * 1000)
    head = b"POST / HTTP/1.1\r\nHost: h\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n"
    [(_, body)], _, _ = request_parser().feed_data(head % len(data) + data)
    assert await body.read() == b"x" * 1000
    [(_, raw)], _, _ = request_parser(auto_decompress=False).feed_data(head % len(data) + data)
    assert await raw.read() == data


async def test_an_upgrade_hands_over_the_bytes_after_the_head() -> None:
    parser = request_parser()
    messages, upgraded, tail = parser.feed_data(
        b"GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x00"
    )
    assert messages[0][0].upgrade
    assert (upgraded, tail) == (True, b"\x81\x00")
    assert parser.feed_data(b"more") == ([], True, b"more")


async def test_a_bad_head_raises_3x_errors() -> None:
    with pytest.raises(BadHttpMessage):
        request_parser().feed_data(b"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n")
    with pytest.raises(LineTooLong):  # RFC 9112 §3: a request line past the limit
        request_parser(max_line_size=20).feed_data(b"GET /" + b"a" * 30 + b" HTTP/1.1\r\n\r\n")


async def test_a_bad_body_is_set_on_its_reader() -> None:
    parser = request_parser()
    [(_, body)], _, _ = parser.feed_data(
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
    )
    with pytest.raises(TransferEncodingError):
        await body.read()


async def test_payload_exception_replaces_the_error_on_the_reader() -> None:
    class Custom(Exception):
        pass

    parser = request_parser(payload_exception=Custom)
    [(_, body)], _, _ = parser.feed_data(
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\nab"
    )
    parser.feed_eof()
    with pytest.raises(Custom, match="Content-Length"):
        await body.read()


async def test_responses_to_head_have_no_body() -> None:
    parser = response_parser(method="HEAD")
    [(head, body)], _, _ = parser.feed_data(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n")
    assert (head.code, head.reason, body.at_eof()) == (200, "OK", True)


async def test_a_response_read_until_close() -> None:
    parser = response_parser(read_until_eof=True)
    [(head, body)], _, _ = parser.feed_data(b"HTTP/1.0 200 OK\r\n\r\nsome")
    parser.feed_data(b" body")
    parser.feed_eof()
    assert head.should_close
    assert await body.read() == b"some body"


async def test_an_interim_response_comes_before_the_final_one() -> None:
    parser = response_parser()
    messages, _, _ = parser.feed_data(
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    )
    assert [m[0].code for m in messages] == [100, 204, 200]
    assert await messages[2][1].read() == b"ok"


def test_headers_parser_reads_lines_up_to_the_empty_one() -> None:
    headers, raw = http_parser.HeadersParser().parse_headers(
        [b"Host: example.com", b"X-A: 1", b"x-a: 2", b"", b"Ignored: yes"]
    )
    assert headers.getall("X-A") == ["1", "2"]
    assert raw == ((b"Host", b"example.com"), (b"X-A", b"1"), (b"x-a", b"2"))
    with pytest.raises(InvalidHeader):  # RFC 9112 §5.2: obs-fold is refused unless lax
        http_parser.HeadersParser().parse_headers([b"A: 1", b" folded", b""])
    headers, _ = http_parser.HeadersParser(lax=True).parse_headers([b"A: 1", b" folded", b""])
    assert headers["A"] == "1 folded"


async def test_payload_parser_reads_one_body() -> None:
    loop = asyncio.get_running_loop()
    reader = StreamReader(FakeFlow(), 2**16, loop=loop)  # type: ignore[arg-type]
    parser = http_parser.HttpPayloadParser(
        reader, chunked=True, headers_parser=http_parser.HeadersParser()
    )
    state, tail = parser.feed_data(b"3\r\nabc\r\n")
    assert (state, tail) == (http_parser.PayloadState.PAYLOAD_NEEDS_INPUT, b"")
    state, tail = parser.feed_data(b"0\r\n\r\nNEXT")
    assert (state, tail, parser.done) == (http_parser.PayloadState.PAYLOAD_COMPLETE, b"NEXT", True)
    assert await reader.read() == b"abc"

    short = StreamReader(FakeFlow(), 2**16, loop=loop)  # type: ignore[arg-type]
    parser = http_parser.HttpPayloadParser(
        short, length=4, headers_parser=http_parser.HeadersParser()
    )
    parser.feed_data(b"ab")
    with pytest.raises(ContentLengthError):
        parser.feed_eof()


async def test_deflate_buffer_decodes_into_its_reader() -> None:
    reader = StreamReader(FakeFlow(), 2**16, loop=asyncio.get_running_loop())  # type: ignore[arg-type]
    buffer = http_parser.DeflateBuffer(reader, "gzip")
    buffer.feed_data(gzip.compress(b"payload"))
    buffer.feed_eof()
    assert await reader.read() == b"payload"
