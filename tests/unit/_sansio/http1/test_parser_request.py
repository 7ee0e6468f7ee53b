"""RequestParser: heads, framing, strict grammar, limits, pipelining, upgrades."""

from __future__ import annotations

import time

import pytest
from multidict import CIMultiDictProxy

from aiohttp._sansio import errors
from aiohttp._sansio.http1 import (
    Data,
    EndOfMessage,
    HttpVersion,
    HttpVersion10,
    HttpVersion11,
    RequestHead,
    RequestParser,
)
from aiohttp._sansio.limits import HttpLimits

from .feeding import (
    assert_same_verdict_everywhere,
    bytewise,
    feed_pieces,
    parse_all,
    two_piece_splits,
    verdict,
)


def parse(data: bytes) -> list[object]:
    events, error = parse_all(RequestParser, data)
    assert error is None
    return list(events)


def head_of(data: bytes) -> RequestHead:
    head = parse(data)[0]
    assert isinstance(head, RequestHead)
    return head


def test_simple_get() -> None:
    events = parse(b"GET /path?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
    head, end = events
    assert isinstance(head, RequestHead)
    assert head.method == "GET"
    assert head.target == "/path?q=1"
    assert head.version == HttpVersion11
    assert head.headers["host"] == "example.com"
    assert isinstance(head.headers, CIMultiDictProxy)
    assert head.raw_headers == ((b"Host", b"example.com"), (b"Accept", b"*/*"))
    assert head.keep_alive is True
    assert head.upgrade is False
    assert head.chunked is False
    assert head.compression is None
    assert head.content_length == 0
    assert end == EndOfMessage()


def test_headers_keep_order_and_repeats() -> None:
    head = head_of(b"GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\nX-B: 3\r\n\r\n")
    assert head.headers.getall("X-A") == ["1", "2"]
    assert [name for name, _ in head.headers.items()] == ["Host", "X-A", "x-a", "X-B"]


@pytest.mark.parametrize(
    ("line", "value"),
    [
        pytest.param(b"X: a", "a", id="RFC9112-5-no-ows"),
        pytest.param(b"X:   a  ", "a", id="RFC9112-5-ows-both-sides"),
        pytest.param(b"X:\ta\t", "a", id="RFC9112-5-htab-ows"),
        pytest.param(b"X: a  b", "a  b", id="RFC9110-5.5-inner-space-kept"),
        pytest.param(b"X:", "", id="RFC9110-5.5-empty-value"),
        pytest.param(b"X:  ", "", id="RFC9110-5.5-only-ows"),
        pytest.param("X: caf\u00e9".encode(), "caf\u00e9", id="RFC9110-5.5-obs-text-utf8"),
        pytest.param(b"X: \xff", "\udcff", id="RFC9110-5.5-obs-text-undecodable"),
    ],
)
def test_field_values(line: bytes, value: str) -> None:
    head = head_of(b"GET / HTTP/1.1\r\nHost: h\r\n" + line + b"\r\n\r\n")
    assert head.headers["X"] == value
    assert head.raw_headers[1][1] == value.encode("utf-8", "surrogateescape")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param(
            b"GET / HTTP/1.1\r\nHost : h\r\n\r\n",
            errors.InvalidHeader,
            id="RFC9112-5.1-space-before-colon",
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: h\r\nX\tY: 1\r\n\r\n",
            errors.InvalidHeader,
            id="RFC9110-5.1-name-not-token",
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: h\r\n: 1\r\n\r\n",
            errors.InvalidHeader,
            id="RFC9110-5.1-empty-name",
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
            errors.InvalidHeader,
            id="RFC9112-5-no-colon",
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n",
            errors.InvalidHeader,
            id="RFC9112-5.2-obs-fold-in-request",
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\n Host: h\r\n\r\n",
            errors.InvalidHeader,
            id="RFC9112-2.2-whitespace-before-first-field",
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n",
            errors.InvalidHeader,
            id="RFC9110-5.5-nul-in-value",
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
            errors.BadHttpMessage,  # RFC 9112 §2.2: a bare CR, refused as soon as it is seen
            id="RFC9110-5.5-cr-in-value",
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: h\r\nX: a\x01b\r\n\r\n",
            errors.InvalidHeader,
            id="RFC9110-5.5-ctl-in-value",
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: h\r\nX: a\nY: b\r\n\r\n",
            errors.BadHttpMessage,
            id="RFC9112-2.2-bare-lf-in-field-section",
        ),
        pytest.param(
            b"GET / HTTP/1.1\nHost: h\r\n\r\n",
            errors.BadHttpMessage,
            id="RFC9112-2.2-bare-lf-after-request-line",
        ),
        pytest.param(
            b"G@T / HTTP/1.1\r\nHost: h\r\n\r\n",
            errors.BadHttpMethod,
            id="RFC9110-9.1-method-not-token",
        ),
        pytest.param(
            b"GET  / HTTP/1.1\r\nHost: h\r\n\r\n", errors.BadStatusLine, id="RFC9112-3-double-space"
        ),
        pytest.param(
            b"GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
            errors.BadStatusLine,
            id="RFC9112-3-trailing-space",
        ),
        pytest.param(
            b"GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n",
            errors.InvalidURLError,
            id="RFC9112-3.2-control-in-target",
        ),
        pytest.param(
            b"GET /\xff HTTP/1.1\r\nHost: h\r\n\r\n",
            errors.InvalidURLError,
            id="RFC9112-3.2-non-ascii-target",
        ),
        pytest.param(
            b"GET / http/1.1\r\nHost: h\r\n\r\n",
            errors.BadStatusLine,
            id="RFC9112-2.3-version-name-case-sensitive",
        ),
        pytest.param(
            b"GET / HTTP/1.10\r\nHost: h\r\n\r\n",
            errors.BadStatusLine,
            id="RFC9112-2.3-version-two-digits",
        ),
        pytest.param(
            b"GET / HTTP/2.0\r\nHost: h\r\n\r\n",
            errors.UnsupportedVersion,
            id="RFC9110-15.6.6-major-2-is-505",
        ),
        pytest.param(
            b"GET / HTTP/0.9\r\nHost: h\r\n\r\n",
            errors.UnsupportedVersion,
            id="RFC9110-15.6.6-major-0-is-505",
        ),
        pytest.param(b"GET /\r\n\r\n", errors.BadStatusLine, id="RFC9112-3-http09-request"),
        pytest.param(
            b"GET / HTTP/1.1\r\n\r\n", errors.BadHttpMessage, id="RFC9112-3.2-missing-host"
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            errors.BadHttpMessage,
            id="RFC9112-3.2-two-hosts",
        ),
        pytest.param(
            b"GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n",
            errors.BadHttpMessage,
            id="RFC9112-3.2-two-hosts-http10",
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
            errors.BadHttpMessage,
            id="RFC9112-3.2-invalid-host",
        ),
        pytest.param(
            b"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
            errors.BadHttpMessage,
            id="RFC9110-7.2-host-with-path",
        ),
        pytest.param(
            b"GET * HTTP/1.1\r\nHost: h\r\n\r\n",
            errors.InvalidURLError,
            id="RFC9112-3.2.4-asterisk-not-options",
        ),
        pytest.param(
            b"GET example.com HTTP/1.1\r\nHost: h\r\n\r\n",
            errors.InvalidURLError,
            id="RFC9112-3.2-no-form",
        ),
        pytest.param(
            b"GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n",
            errors.InvalidURLError,
            id="RFC9112-3.2.1-fragment-in-origin-form",
        ),
        pytest.param(
            b"GET http://h/#frag HTTP/1.1\r\nHost: h\r\n\r\n",
            errors.InvalidURLError,
            id="RFC9112-3.2.2-fragment-in-absolute-form",
        ),
        pytest.param(
            b"GET localhost:80 HTTP/1.1\r\nHost: h\r\n\r\n",
            errors.InvalidURLError,
            id="RFC9112-3.2.3-authority-form-not-connect",
        ),
        pytest.param(
            b"CONNECT / HTTP/1.1\r\nHost: h\r\n\r\n",
            errors.InvalidURLError,
            id="RFC9112-3.2.3-connect-origin-form",
        ),
        pytest.param(
            b"CONNECT h HTTP/1.1\r\nHost: h\r\n\r\n",
            errors.InvalidURLError,
            id="RFC9112-3.2.3-connect-without-port",
        ),
    ],
)
def test_grammar_rejections(data: bytes, error: type[Exception]) -> None:
    events, raised = feed_pieces(RequestParser(), [data])
    assert events == []
    assert raised is not None
    assert issubclass(raised, error)
    with pytest.raises(error) as info:
        RequestParser().feed(data)
    assert 400 <= info.value.code < 600
    assert info.value.message


def test_absolute_form_authority_form_and_asterisk() -> None:
    assert head_of(b"GET http://h/x HTTP/1.1\r\nHost: h\r\n\r\n").target == "http://h/x"
    head = head_of(b"CONNECT h.example:443 HTTP/1.1\r\nHost: h.example:443\r\n\r\n")
    assert (head.target, head.upgrade) == ("h.example:443", True)
    assert head_of(b"CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n").upgrade
    assert head_of(b"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").target == "*"


def test_host_forms() -> None:
    for host in (b"h", b"h:8080", b"[::1]", b"[::1]:80", b"10.0.0.1:1", b""):
        assert head_of(b"GET / HTTP/1.1\r\nHost: " + host + b"\r\n\r\n").headers["Host"] == (
            host.decode()
        )


def test_http10_without_host_and_closing() -> None:
    events = parse(b"GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n")
    head = events[0]
    assert isinstance(head, RequestHead)
    assert head.version == HttpVersion10
    assert head.keep_alive is False
    # RFC 9112 §9.6: nothing after a request that closes the connection is read.
    assert events[1:] == [EndOfMessage()]


def test_minor_version_above_one_is_http11() -> None:
    # RFC 9110 §2.5: a recipient treats HTTP/1.x with a higher minor as the highest it knows.
    head = head_of(b"GET / HTTP/1.7\r\nHost: h\r\n\r\n")
    assert head.version == HttpVersion(1, 7)
    assert head.keep_alive


@pytest.mark.parametrize(
    ("version", "connection", "expected"),
    [
        pytest.param(b"1.1", None, True, id="RFC9112-9.3-http11-default-persistent"),
        pytest.param(b"1.1", b"close", False, id="RFC9112-9.6-close"),
        pytest.param(b"1.1", b"Keep-Alive, CLOSE", False, id="RFC9112-9.6-close-in-list"),
        pytest.param(b"1.0", None, False, id="RFC9112-9.3-http10-default-close"),
        pytest.param(b"1.0", b"keep-alive", True, id="RFC9112-C.2.2-http10-keep-alive"),
        pytest.param(b"1.0", b" Keep-Alive ", True, id="RFC9110-7.6.1-option-case"),
        pytest.param(b"1.1", b"", True, id="RFC9110-5.6.1-empty-connection"),
        pytest.param(b"1.1", b", ,", True, id="RFC9110-5.6.1-empty-elements"),
    ],
)
def test_keep_alive(version: bytes, connection: bytes | None, expected: bool) -> None:
    conn = b"" if connection is None else b"Connection: " + connection + b"\r\n"
    head = head_of(b"GET / HTTP/" + version + b"\r\nHost: h\r\n" + conn + b"\r\n")
    assert head.keep_alive is expected


def test_repeated_connection_fields_are_one_list() -> None:
    head = head_of(b"GET / HTTP/1.1\r\nHost: h\r\nConnection: a\r\nConnection: close\r\n\r\n")
    assert head.keep_alive is False


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        pytest.param(b"gzip", "gzip", id="RFC9110-8.4-gzip"),
        pytest.param(b"GZIP", "gzip", id="RFC9110-8.4.1-case-insensitive"),
        pytest.param(b"deflate, br", "br", id="RFC9110-8.4-last-coding-applied-last"),
        pytest.param(b"identity", None, id="RFC9110-8.4.1-identity"),
        pytest.param(b",", None, id="RFC9110-5.6.1-only-empty-elements"),
    ],
)
def test_compression(encoding: bytes, expected: str | None) -> None:
    head = head_of(b"GET / HTTP/1.1\r\nHost: h\r\nContent-Encoding: " + encoding + b"\r\n\r\n")
    assert head.compression == expected


def test_content_length_body() -> None:
    events = parse(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")
    head = events[0]
    assert isinstance(head, RequestHead)
    assert head.content_length == 5
    assert events[1:] == [Data(b"hello"), EndOfMessage()]


def test_body_remaining_counts_down() -> None:
    parser = RequestParser()
    assert parser.body_remaining == 0
    parser.feed(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc")
    assert parser.body_remaining == 7
    assert parser.feed(b"defg") == [Data(b"defg")]
    assert parser.body_remaining == 3
    assert parser.feed(b"hijGET") == [Data(b"hij"), EndOfMessage()]
    assert parser.body_remaining == 0
    parser.feed(b" /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")
    assert parser.body_remaining is None


def test_chunked_body_with_extensions_and_trailers() -> None:
    data = (
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;name=value\r\nhello\r\n"
        b'6 ; quoted="a \\" b" ; flag\r\n world\r\n'
        b"000;last\r\nX-Checksum: abc\r\nX-Other:  1 \r\n\r\n"
    )
    events = parse(data)
    head = events[0]
    assert isinstance(head, RequestHead)
    assert head.chunked is True
    assert head.content_length is None
    assert events[1] == Data(b"hello world")
    end = events[2]
    assert isinstance(end, EndOfMessage)
    assert end.trailers is not None
    assert dict(end.trailers) == {"X-Checksum": "abc", "X-Other": "1"}
    # Trailers stay apart from the head (RFC 9110 §6.5.1).
    assert "X-Checksum" not in head.headers


def test_chunked_without_trailers_then_pipelined() -> None:
    data = (
        b"POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"A\r\n0123456789\r\n0\r\n\r\n"
        b"GET /b HTTP/1.1\r\nHost: h\r\n\r\n"
    )
    events = parse(data)
    assert [type(e).__name__ for e in events] == [
        "RequestHead",
        "Data",
        "EndOfMessage",
        "RequestHead",
        "EndOfMessage",
    ]
    assert events[2] == EndOfMessage(None)
    second = events[3]
    assert isinstance(second, RequestHead)
    assert second.target == "/b"


@pytest.mark.parametrize(
    ("chunks", "error"),
    [
        pytest.param(
            b"-5\r\nhello\r\n0\r\n\r\n",
            errors.TransferEncodingError,
            id="RFC9112-7.1-negative-size",
        ),
        pytest.param(
            b"0x5\r\nhello\r\n0\r\n\r\n", errors.TransferEncodingError, id="RFC9112-7.1-0x-prefix"
        ),
        pytest.param(
            b" 5\r\nhello\r\n0\r\n\r\n",
            errors.TransferEncodingError,
            id="RFC9112-7.1-leading-space",
        ),
        pytest.param(
            b"5 \r\nhello\r\n0\r\n\r\n",
            errors.TransferEncodingError,
            id="RFC9112-7.1.1-trailing-bws-without-extension",
        ),
        pytest.param(
            b"5_0\r\nhello\r\n0\r\n\r\n", errors.TransferEncodingError, id="RFC9112-7.1-underscore"
        ),
        pytest.param(
            b"+5\r\nhello\r\n0\r\n\r\n", errors.TransferEncodingError, id="RFC9112-7.1-plus-sign"
        ),
        pytest.param(
            b"\r\nhello\r\n0\r\n\r\n", errors.TransferEncodingError, id="RFC9112-7.1-empty-size"
        ),
        pytest.param(
            b"10000000000000000\r\n",
            errors.TransferEncodingError,
            id="RFC9112-7.1-size-more-than-16-hex-digits",
        ),
        pytest.param(
            b"5;\r\nhello\r\n0\r\n\r\n",
            errors.TransferEncodingError,
            id="RFC9112-7.1.1-extension-without-name",
        ),
        pytest.param(
            b"5;a=\r\nhello\r\n0\r\n\r\n",
            errors.TransferEncodingError,
            id="RFC9112-7.1.1-extension-without-value",
        ),
        pytest.param(
            b'5;a="x\r\nhello\r\n0\r\n\r\n',
            errors.TransferEncodingError,
            id="RFC9112-7.1.1-unterminated-quoted-string",
        ),
        pytest.param(
            b"5;a=b c\r\nhello\r\n0\r\n\r\n",
            errors.TransferEncodingError,
            id="RFC9112-7.1.1-value-not-token",
        ),
        pytest.param(
            b"5\r\nhelloX\r\n0\r\n\r\n",
            errors.TransferEncodingError,
            id="RFC9112-7.1-data-longer-than-size",
        ),
        pytest.param(
            b"5\r\nhello\n0\r\n\r\n",
            errors.TransferEncodingError,
            id="RFC9112-7.1-bare-lf-after-data",
        ),
        pytest.param(
            b"5\nhello\r\n0\r\n\r\n",
            errors.TransferEncodingError,
            id="RFC9112-7.1-bare-lf-after-size",
        ),
        pytest.param(
            b"0\r\nX : y\r\n\r\n", errors.InvalidHeader, id="RFC9112-7.1.2-bad-trailer-field"
        ),
        pytest.param(
            b"0\r\nX: y\r\n z\r\n\r\n", errors.InvalidHeader, id="RFC9112-7.1.2-obs-fold-in-trailer"
        ),
    ],
)
def test_chunked_rejections(chunks: bytes, error: type[Exception]) -> None:
    data = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks
    events, raised = feed_pieces(RequestParser(), [data])
    assert raised is not None
    assert issubclass(raised, error)
    assert events[0] == RequestParser().feed(data[: data.index(b"\r\n\r\n") + 4])[0]
    # Any split gives the same events and error class.
    assert feed_pieces(RequestParser(), bytewise(data), eof=True) == (events, raised)


@pytest.mark.parametrize(
    ("fields", "error", "code"),
    [
        pytest.param(
            b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
            errors.ContentLengthError,
            400,
            id="RFC9112-6.3-te-and-cl",
        ),
        pytest.param(
            b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
            errors.ContentLengthError,
            400,
            id="RFC9112-6.3-cl-and-te",
        ),
        pytest.param(
            b"Content-Length: 5\r\nContent-Length: 6\r\n",
            errors.ContentLengthError,
            400,
            id="RFC9110-8.6-different-lengths",
        ),
        pytest.param(
            b"Content-Length: 5, 6\r\n",
            errors.ContentLengthError,
            400,
            id="RFC9110-8.6-different-in-list",
        ),
        pytest.param(
            b"Content-Length: +5\r\n", errors.ContentLengthError, 400, id="RFC9110-8.6-sign"
        ),
        pytest.param(
            b"Content-Length: 5x\r\n", errors.ContentLengthError, 400, id="RFC9110-8.6-not-digits"
        ),
        pytest.param(
            b"Content-Length: 0x5\r\n", errors.ContentLengthError, 400, id="RFC9110-8.6-hex"
        ),
        pytest.param(
            b"Content-Length:\r\n", errors.ContentLengthError, 400, id="RFC9110-8.6-empty"
        ),
        pytest.param(
            b"Content-Length: 5,\r\n",
            errors.ContentLengthError,
            400,
            id="RFC9110-8.6-empty-list-element",
        ),
        pytest.param(
            b"Content-Length: 9223372036854775808\r\n",
            errors.ContentLengthError,
            400,
            id="RFC9110-8.6-too-large",
        ),
        pytest.param(
            b"Transfer-Encoding: gzip, chunked\r\n",
            errors.TransferEncodingError,
            501,
            id="RFC9112-6.1-unknown-coding-501",
        ),
        pytest.param(
            b"Transfer-Encoding: chunked, gzip\r\n",
            errors.TransferEncodingError,
            400,
            id="RFC9112-6.3-chunked-not-last",
        ),
        pytest.param(
            b"Transfer-Encoding: identity\r\n",
            errors.TransferEncodingError,
            400,
            id="RFC9112-6.3-identity-not-chunked",
        ),
        pytest.param(
            b"Transfer-Encoding: chunked, chunked\r\n",
            errors.TransferEncodingError,
            400,
            id="RFC9112-6.1-chunked-twice",
        ),
        pytest.param(
            b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
            errors.TransferEncodingError,
            400,
            id="RFC9112-6.1-chunked-twice-fields",
        ),
        pytest.param(
            b"Transfer-Encoding: \r\n", errors.TransferEncodingError, 400, id="RFC9112-6.1-empty-te"
        ),
        pytest.param(
            b"Transfer-Encoding: chun ked\r\n",
            errors.TransferEncodingError,
            400,
            id="RFC9112-6.1-coding-not-token",
        ),
        pytest.param(
            b'Transfer-Encoding: "chunked"\r\n',
            errors.TransferEncodingError,
            400,
            id="RFC9112-6.1-quoted-coding",
        ),
    ],
)
def test_ambiguous_framing_rejected(fields: bytes, error: type[Exception], code: int) -> None:
    data = b"POST / HTTP/1.1\r\nHost: h\r\n" + fields + b"\r\nhello"
    with pytest.raises(error) as info:
        RequestParser().feed(data)
    assert info.value.code == code


def test_transfer_encoding_in_http10_rejected() -> None:
    # RFC 9112 §6.1: the framing of an HTTP/1.0 message with Transfer-Encoding is faulty.
    data = b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    with pytest.raises(errors.TransferEncodingError):
        RequestParser().feed(data)


def test_chunked_is_case_insensitive_and_repeated_lengths_agree() -> None:
    head = head_of(b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n")
    assert head.chunked
    events = parse(
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc"
    )
    assert events[1:] == [Data(b"abc"), EndOfMessage()]


@pytest.mark.parametrize(
    "lengths",
    [
        pytest.param(b"Content-Length: 031\r\nContent-Length: 31\r\n", id="031-and-31"),
        pytest.param(b"Content-Length: 0\r\nContent-Length: 00\r\n", id="0-and-00"),
        pytest.param(b"Content-Length: 3, 03\r\n", id="3-and-03-in-a-list"),
    ],
)
def test_same_length_spelled_differently_is_rejected_rfc9110_8_6(lengths: bytes) -> None:
    # RFC 9110 §8.6: only a list of identical values may be recovered from.
    data = b"POST / HTTP/1.1\r\nHost: h\r\n" + lengths + b"\r\n" + b"x" * 31
    assert parse_all(RequestParser, data) == ([], errors.ContentLengthError)


@pytest.mark.parametrize(
    ("digits", "error"),
    [
        pytest.param("9" * 4300, errors.ContentLengthError, id="4300-digits"),
        pytest.param("9" * 4301, errors.ContentLengthError, id="4301-digits"),
        pytest.param("9" * 8000, errors.ContentLengthError, id="8000-digits"),
        pytest.param("0" * 4301 + "3", None, id="4301-leading-zeros"),
    ],
)
def test_content_length_past_int_digit_limit_is_a_typed_error(
    digits: str, error: type[Exception] | None
) -> None:
    # RFC 9110 §8.6: a Content-Length past what the recipient can hold is a framing error
    # (400), never a ValueError from int() that drops the connection.
    data = b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + digits.encode() + b"\r\n\r\nabc"
    events, raised = parse_all(RequestParser, data)
    assert raised is error
    if error is None:
        assert events[1:] == [Data(b"abc"), EndOfMessage()]


def test_leading_empty_lines_are_ignored() -> None:
    # RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
    events = parse(
        b"\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n"
    )
    assert [e.target for e in events if isinstance(e, RequestHead)] == ["/", "/2"]


def test_pipelined_requests_in_one_buffer() -> None:
    one = b"GET /%d HTTP/1.1\r\nHost: h\r\n\r\n"
    data = b"".join(one % i for i in range(16))
    events = parse(data)
    targets = [e.target for e in events if isinstance(e, RequestHead)]
    assert targets == [f"/{i}" for i in range(16)]
    assert events.count(EndOfMessage()) == 16


def test_upgrade_holds_bytes_until_switch() -> None:
    parser = RequestParser()
    events = parser.feed(
        b"GET /ws HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\n"
        b"Upgrade: websocket\r\n\r\n\x81\x05"
    )
    head = events[0]
    assert isinstance(head, RequestHead)
    assert head.upgrade is True
    assert events[1:] == [EndOfMessage()]
    assert parser.feed(b"hello") == []
    assert parser.switch_protocols() == b"\x81\x05hello"
    with pytest.raises(RuntimeError):
        parser.feed(b"more")
    with pytest.raises(RuntimeError):
        parser.switch_protocols()
    with pytest.raises(RuntimeError):
        parser.feed_eof()


def test_declined_upgrade_resumes_http() -> None:
    parser = RequestParser()
    parser.feed(b"GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\nGET /n")
    events = parser.decline_upgrade()
    assert events == []
    events = parser.feed(b"ext HTTP/1.1\r\nHost: h\r\n\r\n")
    head = events[0]
    assert isinstance(head, RequestHead)
    assert head.target == "/next"
    with pytest.raises(RuntimeError):
        parser.decline_upgrade()


def test_declined_upgrade_with_held_request() -> None:
    parser = RequestParser()
    parser.feed(b"GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n")
    parser.feed(b"GET /2 HTTP/1.1\r\nHost: h\r\n\r\n")
    events = parser.decline_upgrade()
    assert [type(e) for e in events] == [RequestHead, EndOfMessage]


def test_bytes_held_after_a_declined_connect_are_an_error_rfc9110_9_3_6() -> None:
    # The bytes were sent for a tunnel that was not opened: never read as requests.
    parser = RequestParser()
    parser.feed(b"CONNECT h:1 HTTP/1.1\r\nHost: h:1\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n")
    with pytest.raises(errors.BadHttpMessage, match="CONNECT"):
        parser.decline_upgrade()
    with pytest.raises(errors.BadHttpMessage, match="CONNECT"):
        parser.feed(b"")


def test_bytes_arriving_after_a_declined_connect_are_an_error() -> None:
    parser = RequestParser()
    parser.feed(b"CONNECT h:1 HTTP/1.1\r\nHost: h:1\r\n\r\n")
    assert parser.decline_upgrade() == []
    assert parser.feed(b"") == []
    assert parser.feed_eof() == []
    with pytest.raises(errors.BadHttpMessage, match="CONNECT"):
        parser.feed(b"\x16\x03\x01")


def test_declined_connect_with_connection_close_discards_what_follows() -> None:
    parser = RequestParser()
    parser.feed(b"CONNECT h:1 HTTP/1.1\r\nHost: h:1\r\nConnection: close\r\n\r\nxyz")
    assert parser.decline_upgrade() == []
    assert parser.feed(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n") == []


@pytest.mark.parametrize(
    ("fields", "upgrade"),
    [
        pytest.param(b"Upgrade: websocket\r\n", False, id="RFC9110-7.8-upgrade-not-in-connection"),
        pytest.param(
            b"Connection: upgrade\r\n", False, id="RFC9110-7.8-connection-without-upgrade"
        ),
        pytest.param(
            b"Connection: Upgrade\r\nUpgrade: websocket\r\n", True, id="RFC9110-7.8-upgrade"
        ),
    ],
)
def test_upgrade_needs_both_fields(fields: bytes, upgrade: bool) -> None:
    assert head_of(b"GET / HTTP/1.1\r\nHost: h\r\n" + fields + b"\r\n").upgrade is upgrade


def test_upgrade_ignored_in_http10() -> None:
    # RFC 9110 §7.8: a server MUST ignore Upgrade received in an HTTP/1.0 request.
    head = head_of(b"GET / HTTP/1.0\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n")
    assert head.upgrade is False


def test_upgrade_request_with_body_holds_after_body() -> None:
    parser = RequestParser()
    events = parser.feed(
        b"POST / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nUpgrade: h2c\r\n"
        b"Content-Length: 2\r\n\r\nabPRI"
    )
    assert events[1:] == [Data(b"ab"), EndOfMessage()]
    assert parser.switch_protocols() == b"PRI"


def test_eof_between_messages_and_inside_messages() -> None:
    parser = RequestParser()
    parser.feed(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")
    assert parser.feed_eof() == []
    assert parser.feed(b"ignored after eof") == []

    parser = RequestParser()
    parser.feed(b"GET / HTTP/1.1\r\nHo")
    with pytest.raises(errors.BadHttpMessage):
        parser.feed_eof()
    with pytest.raises(errors.BadHttpMessage):
        parser.feed(b"st: h\r\n\r\n")

    parser = RequestParser()
    parser.feed(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab")
    with pytest.raises(errors.ContentLengthError):
        parser.feed_eof()
    with pytest.raises(errors.ContentLengthError):
        parser.feed_eof()

    parser = RequestParser()
    parser.feed(b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")
    with pytest.raises(errors.TransferEncodingError):
        parser.feed_eof()


def test_error_after_complete_events_is_deferred() -> None:
    parser = RequestParser()
    events = parser.feed(b"GET / HTTP/1.1\r\nHost: h\r\n\r\nBAD REQUEST LINE\r\n\r\n")
    assert [type(e) for e in events] == [RequestHead, EndOfMessage]
    with pytest.raises(errors.BadStatusLine):
        parser.feed(b"")
    with pytest.raises(errors.BadStatusLine):
        parser.feed_eof()


class TestLimits:
    """Each limit is accepted at its value and rejected one past it."""

    def test_request_line(self) -> None:
        limits = HttpLimits(max_request_line=40)
        prefix, suffix = b"GET /", b" HTTP/1.1"
        ok = prefix + b"a" * (40 - len(prefix) - len(suffix)) + suffix
        assert len(ok) == 40
        for pieces in ([ok + b"\r\nHost: h\r\n\r\n"], bytewise(ok + b"\r\nHost: h\r\n\r\n")):
            events, error = feed_pieces(RequestParser(limits), pieces)
            assert error is None
            assert len(events) == 2
        bad = prefix + b"a" * (41 - len(prefix) - len(suffix)) + suffix
        with pytest.raises(errors.LineTooLong) as info:
            RequestParser(limits).feed(bad + b"\r\nHost: h\r\n\r\n")
        assert info.value.code == 414
        # Without its end in sight, the line is rejected as soon as it is too long.
        parser = RequestParser(limits)
        assert parser.feed(bad) == []
        with pytest.raises(errors.LineTooLong) as info:
            parser.feed(b"\r")
        assert info.value.code == 414

    def test_request_line_is_checked_before_the_head_size(self) -> None:
        # RFC 9112 §3: a request-target longer than the server reads gets 414, even when the
        # whole head is also too large.
        limits = HttpLimits(max_request_line=40, max_head_size=60)
        data = b"GET /" + b"a" * 50 + b" HTTP/1.1\r\nHost: h\r\n\r\n"
        with pytest.raises(errors.LineTooLong) as info:
            RequestParser(limits).feed(data)
        assert info.value.code == 414

    def test_field_line(self) -> None:
        limits = HttpLimits(max_field_size=20)
        ok = b"X: " + b"v" * 17
        assert len(ok) == 20
        data = b"GET / HTTP/1.1\r\nHost: h\r\n" + ok + b"\r\n\r\n"
        head = RequestParser(limits).feed(data)[0]
        assert isinstance(head, RequestHead)
        assert head.headers["X"] == "v" * 17
        with pytest.raises(errors.LineTooLong) as info:
            RequestParser(limits).feed(data.replace(ok, ok + b"v"))
        assert info.value.code == 431

    def test_field_count(self) -> None:
        limits = HttpLimits(max_fields=3)
        ok = b"GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n"
        assert len(RequestParser(limits).feed(ok)) == 2
        with pytest.raises(errors.HeaderSectionTooLarge) as info:
            RequestParser(limits).feed(ok.replace(b"\r\n\r\n", b"\r\nC: 3\r\n\r\n"))
        assert info.value.code == 431

    def test_head_size(self) -> None:
        head = b"GET / HTTP/1.1\r\nHost: h\r\nX: abc\r\n\r\n"
        limits = HttpLimits(max_head_size=len(head))
        assert len(RequestParser(limits).feed(head)) == 2
        too_big = head.replace(b"abc", b"abcd")
        with pytest.raises(errors.HeaderSectionTooLarge) as info:
            RequestParser(limits).feed(too_big)
        assert info.value.code == 431
        # An unfinished head one byte past the limit is rejected without waiting for its end.
        parser = RequestParser(limits)
        events, error = feed_pieces(parser, bytewise(too_big[:-2] + b"xx"))
        assert (events, error) == ([], errors.HeaderSectionTooLarge)

    def test_chunk_line(self) -> None:
        limits = HttpLimits(max_chunk_line=10)
        start = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        ok = b"1;abcdefgh"
        assert len(ok) == 10
        for pieces in ([start + ok + b"\r\nx\r\n0\r\n\r\n"], bytewise(start + ok + b"\r\nx\r\n")):
            events, error = feed_pieces(RequestParser(limits), pieces)
            assert error is None
            assert Data(b"x") in events
        bad = start + ok + b"i\r\nx\r\n0\r\n\r\n"
        assert feed_pieces(RequestParser(limits), [bad])[1] is errors.LineTooLong
        assert feed_pieces(RequestParser(limits), bytewise(bad))[1] is errors.LineTooLong

    def test_chunk_extensions_per_message(self) -> None:
        limits = HttpLimits(max_chunk_extensions=9)
        start = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        # ";abc" and ";abcd": 9 extension bytes in all, then 10.
        ok = start + b"1;abc\r\nx\r\n1;abcd\r\ny\r\n0\r\n\r\n"
        events, error = feed_pieces(RequestParser(limits), [ok])
        assert error is None
        assert events[-1] == EndOfMessage()
        bad = start + b"1;abc\r\nx\r\n1;abcde\r\ny\r\n0\r\n\r\n"
        events, error = feed_pieces(RequestParser(limits), [bad])
        assert error is errors.TransferEncodingError

    def test_trailer_size(self) -> None:
        start = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        trailer = b"X-T: 123456\r\n"
        limits = HttpLimits(max_trailer_size=len(trailer))
        events, error = feed_pieces(RequestParser(limits), bytewise(start + trailer + b"\r\n"))
        assert error is None
        end = events[-1]
        assert isinstance(end, EndOfMessage)
        assert end.trailers is not None
        assert end.trailers["X-T"] == "123456"
        bigger = start + trailer.replace(b"6", b"67") + b"\r\n"
        for pieces in ([bigger], bytewise(bigger)):
            events, error = feed_pieces(RequestParser(limits), pieces)
            assert error is errors.HeaderSectionTooLarge

    def test_trailer_field_count(self) -> None:
        start = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        limits = HttpLimits(max_fields=2)
        assert feed_pieces(RequestParser(limits), [start + b"A: 1\r\nB: 2\r\n\r\n"])[1] is None
        error = feed_pieces(RequestParser(limits), [start + b"A: 1\r\nB: 2\r\nC: 3\r\n\r\n"])[1]
        assert error is errors.HeaderSectionTooLarge


def test_bare_lf_head_rejected_when_seen_whole() -> None:
    # RFC 9112 §2.2: bare LF line endings in a request are rejected, not guessed at.
    with pytest.raises(errors.BadHttpMessage, match="Bare CR or LF"):
        RequestParser().feed(b"GET / HTTP/1.1\nHost: h\n\n")
    assert (
        feed_pieces(RequestParser(), bytewise(b"GET / HTTP/1.1\nHost: h\n\n"), eof=True)[1]
        is errors.BadHttpMessage
    )


def test_nothing_is_read_after_a_closing_request_with_a_body() -> None:
    data = (
        b"POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 2\r\n\r\nab"
        b"GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n"
    )
    events = parse(data)
    assert [type(e) for e in events] == [RequestHead, Data, EndOfMessage]


class TestBoundedTime:
    """Slow or huge input costs time in proportion to its size, never its square."""

    def test_largest_head_one_byte_at_a_time(self) -> None:
        fields = b"".join(b"X-%03d: %s\r\n" % (i, b"v" * 400) for i in range(127))
        data = b"GET / HTTP/1.1\r\nHost: h\r\n" + fields + b"\r\n"
        assert len(data) < 65536
        start = time.perf_counter()
        events, error = feed_pieces(RequestParser(), bytewise(data))
        assert time.perf_counter() - start < 5
        assert error is None
        head = events[0]
        assert isinstance(head, RequestHead)
        assert len(head.headers) == 128

    def test_a_megabyte_of_empty_lines_then_a_request(self) -> None:
        data = b"\r\n" * 500_000 + b"GET / HTTP/1.1\r\nHost: h\r\n\r\n"
        start = time.perf_counter()
        events = RequestParser().feed(data)
        assert time.perf_counter() - start < 5
        assert [type(e) for e in events] == [RequestHead, EndOfMessage]

    def test_many_tiny_chunks(self) -> None:
        data = (
            b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b"1\r\nx\r\n" * 100_000
            + b"0\r\n\r\n"
        )
        start = time.perf_counter()
        events = RequestParser().feed(data)
        assert time.perf_counter() - start < 10
        assert len(events) == 100_002


def test_repeated_header_section_is_parsed_once_and_still_checked_per_request() -> None:
    # A keep-alive client repeating its header section gets the same (immutable) fields back;
    # what depends on the request line (Host required from HTTP/1.1 on) is checked each time.
    parser = RequestParser()
    section = b"Host: example.com\r\nConnection: keep-alive\r\nContent-Encoding: gzip\r\n\r\n"
    first, _ = parser.feed(b"GET /a HTTP/1.1\r\n" + section)
    second, _ = parser.feed(b"GET /b HTTP/1.1\r\n" + section)
    assert isinstance(first, RequestHead)
    assert isinstance(second, RequestHead)
    assert second.target == "/b"
    assert second.headers is first.headers
    assert second.raw_headers == first.raw_headers
    assert (second.keep_alive, second.compression) == (True, "gzip")
    with pytest.raises(errors.BadHttpMessage, match="Missing Host"):
        parser.feed(b"GET /c HTTP/1.1\r\nAccept: */*\r\n\r\n")


def test_repeated_section_without_host_is_refused_when_the_version_needs_it() -> None:
    parser = RequestParser()
    events = parser.feed(b"GET / HTTP/1.0\r\nAccept: */*\r\n\r\n")
    assert isinstance(events[0], RequestHead)
    parser = RequestParser()
    parser.feed(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    with pytest.raises(errors.BadHttpMessage, match="Missing Host"):
        parser.feed(b"GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n")


def test_repeated_section_with_bad_framing_fails_every_time() -> None:
    section = b"Host: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"
    for _ in range(2):
        parser = RequestParser()
        with pytest.raises(errors.HttpProcessingError):
            parser.feed(b"POST / HTTP/1.1\r\n" + section)


def test_repeated_framed_section_is_framed_once_per_version() -> None:
    """A keep-alive client repeating a framed header section gets the same framing; the same
    section under HTTP/1.0 is judged afresh: Transfer-Encoding there is faulty framing (RFC
    9112 §6.1)."""
    parser = RequestParser()
    section = b"Host: a\r\nTransfer-Encoding: chunked\r\n\r\n"
    for target in (b"/a", b"/b"):
        head, end = parser.feed(b"POST " + target + b" HTTP/1.1\r\n" + section + b"0\r\n\r\n")
        assert isinstance(head, RequestHead)
        assert (head.chunked, head.content_length) == (True, None)
        assert isinstance(end, EndOfMessage)
    with pytest.raises(errors.TransferEncodingError, match=r"HTTP/1\.0"):
        parser.feed(b"POST / HTTP/1.0\r\n" + section)


def test_error_property_reports_an_error_found_after_complete_events() -> None:
    parser = RequestParser()
    assert parser.error is None
    good = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"
    events = parser.feed(good + b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
    assert [type(event) for event in events] == [RequestHead, EndOfMessage]
    error = parser.error
    assert isinstance(error, errors.BadHttpMessage)
    with pytest.raises(errors.BadHttpMessage) as raised:
        parser.feed(b"")
    assert raised.value is error


HOSTILE_AT_EVERY_SPLIT = [
    pytest.param(b"GET / HTTP/1.1\nHost: h\n\n", errors.BadHttpMessage, id="bare-lf-everywhere"),
    pytest.param(
        b"GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n", errors.BadHttpMessage, id="bare-lf-field"
    ),
    pytest.param(b"GET / HTTP/1.1\r\nHost: h\r\n\n", errors.BadHttpMessage, id="bare-lf-last"),
    pytest.param(b"GET / HTTP/1.1\r\nHost: h\n", errors.BadHttpMessage, id="bare-lf-unfinished"),
    pytest.param(b"GET / HTTP/2.0\r\nHost: h\r\n", errors.UnsupportedVersion, id="505-unfinished"),
    pytest.param(b"G@T / HTTP/1.1\r\nHost", errors.BadHttpMethod, id="bad-method-unfinished"),
    pytest.param(b"GET / HTTP/1.1 \r\nHost: h\r\n", errors.BadStatusLine, id="bad-line-unfinished"),
    pytest.param(b"GET h:80 HTTP/1.1\r\nHost: h\r\n", errors.InvalidURLError, id="bad-target"),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n",
        errors.TransferEncodingError,
        id="bare-lf-chunk-size-line",
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\nZ: z\r\n\r\n",
        errors.InvalidHeader,
        id="bare-lf-trailer",
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\nhel",
        errors.TransferEncodingError,
        id="bare-lf-chunk-size-line-unfinished",
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\nZ",
        errors.InvalidHeader,
        id="bare-lf-trailer-unfinished",
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\n",
        errors.InvalidHeader,
        id="bare-lf-ending-trailer-section",
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + b"9" * 4301 + b"\r\n\r\n",
        errors.ContentLengthError,
        id="4301-digit-length",
    ),
    pytest.param(
        b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 31\r\nContent-Length: 031\r\n\r\n",
        errors.ContentLengthError,
        id="31-and-031",
    ),
]


@pytest.mark.parametrize(("data", "error"), HOSTILE_AT_EVERY_SPLIT)
def test_same_verdict_at_once_at_every_split_rfc9112_2_2(
    data: bytes, error: type[errors.HttpProcessingError]
) -> None:
    # RFC 9112 §2.2: each check gives the same verdict however the bytes are cut, and gives
    # it as soon as the bytes that break the rule have arrived (not after a timeout).
    assert_same_verdict_everywhere(RequestParser, data, error)


def test_split_start_line_then_bare_lf_is_rejected_at_once() -> None:
    # The case found by hostile testing: answered 408 after 20 seconds instead of 400 at once.
    parser = RequestParser()
    assert parser.feed(b"GET / HTTP/1.1") == []
    with pytest.raises(errors.BadHttpMessage, match="Bare CR or LF"):
        parser.feed(b"\nHost: h\n\n")


@pytest.mark.parametrize(
    ("field", "error"),
    [
        pytest.param(
            "Transfer-Encoding: chun\u212aed", errors.TransferEncodingError, id="te-kelvin"
        ),
        pytest.param(
            "Transfer-Encoding: CHUN\u212aED", errors.TransferEncodingError, id="te-kelvin-upper"
        ),
    ],
)
def test_framing_tokens_compare_in_ascii_only_rfc9110_5_6_2(
    field: str, error: type[errors.HttpProcessingError]
) -> None:
    # str.lower() maps the Kelvin sign (U+212A) to "k": a front end that does not would frame
    # the body differently. Tokens are ASCII, so the value names no coding we know.
    data = b"POST / HTTP/1.1\r\nHost: h\r\n" + field.encode() + b"\r\n\r\n0\r\n\r\n"
    assert verdict(RequestParser(), [data]) is error


def test_keep_alive_option_compares_in_ascii_only() -> None:
    # An HTTP/1.0 connection persists only with the keep-alive option (RFC 9112 §C.2.2).
    data = "GET / HTTP/1.0\r\nConnection: \u212aeep-alive\r\n\r\n".encode()
    head = RequestParser().feed(data)[0]
    assert isinstance(head, RequestHead)
    assert head.keep_alive is False


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"GET / HTTP/1.1\r\nHost: h\r\nX: a\rb", id="cr-in-unfinished-value"),
        pytest.param(b"GET / HT\rTP/1.1\r\n", id="cr-in-start-line"),
        pytest.param(b"GET / HTTP/1.1\r\nHost: h\r\n\rX", id="crlf-cr-x-llhttp-CVE-2025-23167"),
        pytest.param(
            b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\rx",
            id="cr-in-chunk-size-line",
        ),
        pytest.param(
            b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: a\rb",
            id="cr-in-trailer",
        ),
    ],
)
def test_bare_cr_is_refused_when_its_follower_arrives_rfc9112_2_2(data: bytes) -> None:
    # A CR not followed by LF is invalid (RFC 9112 §2.2). A CR at the very end is not judged
    # until the next byte arrives; then the verdict is the same however the bytes were cut.
    for pieces in ([data], bytewise(data), *two_piece_splits(data)):
        assert verdict(RequestParser(), pieces) is not None, pieces


def test_a_cr_that_ends_a_piece_waits_for_its_follower() -> None:
    parser = RequestParser()
    assert parser.feed(b"GET / HTTP/1.1\r") == []
    assert parser.feed(b"\nHost: h\r") == []
    assert parser.error is None
    assert [type(e) for e in parser.feed(b"\n\r\n")] == [RequestHead, EndOfMessage]


def test_no_request_is_read_after_close_after_message_rfc9112_9_6() -> None:
    # A server that sent "close" "MUST NOT process any further requests".
    parser = RequestParser()
    parser.feed(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab")
    parser.close_after_message()
    events = parser.feed(b"cdGET / HTTP/1.1\r\nHost: h\r\n\r\n")
    assert events == [Data(b"cd"), EndOfMessage()]  # the body in progress is still read
    assert parser.feed(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n") == []
    assert parser.buffered == 0


def test_close_after_message_between_requests_drops_a_partial_head() -> None:
    parser = RequestParser()
    parser.feed(b"GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HT")
    parser.close_after_message()
    assert parser.buffered == 0
    assert parser.feed(b"TP/1.1\r\nHost: h\r\n\r\n") == []


def test_a_declined_upgrade_after_close_after_message_reads_nothing_held() -> None:
    parser = RequestParser()
    parser.feed(b"GET / HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n")
    parser.feed(b"GET /2 HTTP/1.1\r\nHost: h\r\n\r\n")
    parser.close_after_message()
    assert parser.decline_upgrade() == []
