"""Framing helpers shared by the server and the client."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from aiohttp._sansio.errors import ContentLengthError, TransferEncodingError
from aiohttp._sansio.http1 import Framing, HttpVersion11, ResponseParser, response_has_body
from aiohttp._sansio.http1.events import (
    Data,
    EndOfMessage,
    HttpVersion,
    HttpVersion10,
    ResponseHead,
)
from aiohttp._sansio.http1.framing import (
    connection_options,
    content_coding,
    request_framing,
    response_framing,
)


@pytest.mark.parametrize(
    ("method", "status", "expected"),
    [
        pytest.param("GET", 200, True, id="RFC9112-6.3-get-200"),
        pytest.param("HEAD", 200, False, id="RFC9112-6.3-1-head"),
        pytest.param("GET", 100, False, id="RFC9112-6.3-1-1xx"),
        pytest.param("GET", 101, False, id="RFC9112-6.3-1-101"),
        pytest.param("GET", 204, False, id="RFC9112-6.3-1-204"),
        pytest.param("GET", 304, False, id="RFC9112-6.3-1-304"),
        pytest.param("CONNECT", 200, False, id="RFC9112-6.3-2-connect-2xx"),
        pytest.param("CONNECT", 407, True, id="RFC9112-6.3-2-connect-error"),
        pytest.param("POST", 500, True, id="RFC9112-6.3-post-500"),
        pytest.param("GET", 99, True, id="RFC9110-15-invalid-099-as-5xx"),
        pytest.param("GET", 0, True, id="RFC9110-15-invalid-000-as-5xx"),
    ],
)
def test_response_has_body(method: str, status: int, expected: bool) -> None:
    assert response_has_body(method, status) is expected


def fields(*pairs: tuple[str, str]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(pairs))


def test_response_framing_table() -> None:
    assert response_framing("GET", 200, HttpVersion11, fields()) == (Framing.UNTIL_CLOSE, None)
    assert response_framing("GET", 101, HttpVersion11, fields()) == (Framing.TUNNEL, 0)
    assert response_framing("GET", 204, HttpVersion11, fields(("Content-Length", "3"))) == (
        Framing.NONE,
        0,
    )
    assert response_framing("GET", 200, HttpVersion11, fields(("Content-Length", "3"))) == (
        Framing.LENGTH,
        3,
    )
    chunked = fields(("Transfer-Encoding", "chunked"), ("Content-Length", "3"))
    assert response_framing("GET", 200, HttpVersion11, chunked, lenient=True) == (
        Framing.CHUNKED,
        None,
    )


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(("foo",), id="RFC9112-6.3-4-unknown-coding"),
        pytest.param(("gzip",), id="RFC9112-6.3-4-gzip-alone"),
        pytest.param(("chunked, gzip",), id="RFC9112-6.3-4-chunked-not-final"),
        pytest.param(("chunked", "br"), id="RFC9112-6.3-4-chunked-not-final-two-lines"),
    ],
)
def test_response_te_not_ending_in_chunked_is_read_until_close(values: tuple[str, ...]) -> None:
    # RFC 9112 §6.3 (4): in a response, a final coding other than chunked means the body
    # runs until the server closes the connection.
    headers = fields(*(("Transfer-Encoding", value) for value in values))
    assert response_framing("GET", 200, HttpVersion11, headers) == (Framing.UNTIL_CLOSE, None)


def test_response_parser_reads_te_not_chunked_until_close() -> None:
    # RFC 9112 §6.3 (4), through the parser: the body is every byte until the close, and the
    # connection is not reused.
    parser = ResponseParser()
    parser.expect_response("GET")
    events = parser.feed(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: foo\r\n\r\nhel")
    events += parser.feed(b"lo")
    events += parser.feed_eof()
    head = events[0]
    assert isinstance(head, ResponseHead)
    assert (head.chunked, head.keep_alive) == (False, False)
    assert b"".join(e.data for e in events if isinstance(e, Data)) == b"hello"
    assert isinstance(events[-1], EndOfMessage)


def test_response_te_not_chunked_with_content_length() -> None:
    # RFC 9112 §6.3 (3): Transfer-Encoding overrides Content-Length, which is an error unless
    # the recipient chose to recover.
    headers = fields(("Transfer-Encoding", "foo"), ("Content-Length", "3"))
    with pytest.raises(ContentLengthError):
        response_framing("GET", 200, HttpVersion11, headers)
    assert response_framing("GET", 200, HttpVersion11, headers, lenient=True) == (
        Framing.UNTIL_CLOSE,
        None,
    )


@pytest.mark.parametrize(
    ("version", "value"),
    [
        pytest.param(HttpVersion10, "foo", id="RFC9112-6.1-te-in-http10"),
        pytest.param(HttpVersion11, "", id="RFC9112-6.1-empty-te"),
        pytest.param(HttpVersion11, "f@o", id="RFC9110-10.1.4-coding-not-a-token"),
        pytest.param(HttpVersion11, "chunked, chunked", id="RFC9112-6.1-chunked-twice"),
        pytest.param(HttpVersion11, "chunked, foo, chunked", id="RFC9112-6.1-chunked-twice-apart"),
    ],
)
def test_response_te_still_rejected(version: HttpVersion, value: str) -> None:
    headers = fields(("Transfer-Encoding", value))
    with pytest.raises(TransferEncodingError):
        response_framing("GET", 200, version, headers)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("foo", id="RFC9112-6.3-4-request-unknown-coding"),
        pytest.param("chunked, gzip", id="RFC9112-6.3-4-request-chunked-not-final"),
    ],
)
def test_request_te_not_ending_in_chunked_is_refused(value: str) -> None:
    # RFC 9112 §6.3 (4): a request whose final coding is not chunked cannot be framed: 400.
    with pytest.raises(TransferEncodingError) as info:
        request_framing(HttpVersion11, fields(("Transfer-Encoding", value)))
    assert info.value.code == 400


def test_connection_options() -> None:
    assert connection_options(fields()) == []
    assert connection_options(fields(("Connection", "  "))) == []
    assert connection_options(fields(("Connection", "Keep-Alive"))) == ["keep-alive"]
    assert connection_options(fields(("Connection", "a, B"), ("Connection", "c"))) == [
        "a",
        "b",
        "c",
    ]


def test_request_framing_without_fields_has_no_body() -> None:
    # RFC 9112 §6.3 (7): neither Transfer-Encoding nor Content-Length: length zero.
    assert request_framing(HttpVersion11, fields()) == (False, 0)
    assert request_framing(HttpVersion11, fields(("Content-Length", "7"))) == (False, 7)


def _fields(*pairs: tuple[str, str]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(pairs))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(("13",), 13, id="RFC9110-8.6-single"),
        pytest.param(("013",), 13, id="RFC9110-8.6-leading-zeros"),
        pytest.param(("13, 13",), 13, id="RFC9110-8.6-identical-list"),
        pytest.param(("13", "13"), 13, id="RFC9110-8.6-identical-lines"),
        pytest.param(("0" * 4300 + "7",), 7, id="RFC9110-8.6-many-leading-zeros"),
        pytest.param((str(2**63 - 1),), 2**63 - 1, id="RFC9110-8.6-largest"),
    ],
)
def test_request_framing_content_length(values: tuple[str, ...], expected: int) -> None:
    headers = _fields(*(("Content-Length", value) for value in values))
    assert request_framing(HttpVersion11, headers) == (False, expected)


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(("9223372036854775808",), id="RFC9110-8.6-single-too-large"),
        pytest.param(
            ("9223372036854775808, 9223372036854775808",), id="RFC9110-8.6-list-too-large"
        ),
        pytest.param(("1", "2"), id="RFC9110-8.6-conflicting"),
        # Only identical values may be recovered (§8.6): a front end that reads "031" in
        # another base, or "00" as something else, would frame the message differently.
        pytest.param(("31", "031"), id="RFC9110-8.6-same-number-spelled-differently"),
        pytest.param(("0, 00",), id="RFC9110-8.6-zero-spelled-twice-in-a-list"),
        pytest.param(("0", "00"), id="RFC9110-8.6-zero-spelled-twice-in-lines"),
        # Past Python's 4,300-digit int() limit: a typed error, not a ValueError.
        pytest.param(("9" * 4301,), id="RFC9110-8.6-more-digits-than-int-allows"),
        pytest.param(("1" * 20,), id="RFC9110-8.6-twenty-digits"),
        pytest.param(("9" * 4301 + ", " + "9" * 4301,), id="RFC9110-8.6-list-of-huge"),
        pytest.param((str(2**63),), id="RFC9110-8.6-one-past-largest"),
    ],
)
def test_request_framing_content_length_rejected(values: tuple[str, ...]) -> None:
    headers = _fields(*(("Content-Length", value) for value in values))
    with pytest.raises(ContentLengthError):
        request_framing(HttpVersion11, headers)


def test_content_coding_rfc9110_8_4() -> None:
    assert content_coding(_fields()) is None
    assert content_coding(_fields(("Content-Encoding", "identity"))) is None
    assert content_coding(_fields(("Content-Encoding", "gzip, BR"))) == "br"
