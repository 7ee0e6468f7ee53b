"""ResponseParser: status lines, body framing for responses, interim responses, tunnels."""

from __future__ import annotations

import pytest

from aiohttp._sansio import errors
from aiohttp._sansio.http1 import (
    Data,
    EndOfMessage,
    Event,
    HttpVersion10,
    HttpVersion11,
    ResponseHead,
    ResponseParser,
)
from aiohttp._sansio.limits import HttpLimits

from .feeding import assert_same_verdict_everywhere, bytewise, client_parser, feed_pieces


def parse(data: bytes, *methods: str, eof: bool = False, lenient: bool = False) -> list[Event]:
    def make() -> ResponseParser:
        return client_parser(*(methods or ("GET",) * 4), lenient=lenient)

    whole = feed_pieces(make(), [data], eof=eof)
    assert feed_pieces(make(), bytewise(data), eof=eof) == whole
    events, error = whole
    assert error is None
    return events


def first_head(events: list[Event]) -> ResponseHead:
    head = events[0]
    assert isinstance(head, ResponseHead)
    return head


def test_content_length_response() -> None:
    events = parse(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nServer: x\r\n\r\nabc", "GET")
    head = first_head(events)
    assert (head.version, head.status, head.reason) == (HttpVersion11, 200, "OK")
    assert head.headers["server"] == "x"
    assert head.raw_headers == ((b"Content-Length", b"3"), (b"Server", b"x"))
    assert (head.keep_alive, head.upgrade, head.chunked, head.content_length) == (
        True,
        False,
        False,
        3,
    )
    assert events[1:] == [Data(b"abc"), EndOfMessage()]


@pytest.mark.parametrize(
    ("line", "status", "reason"),
    [
        pytest.param(b"HTTP/1.1 404 Not Found", 404, "Not Found", id="RFC9112-4-reason"),
        pytest.param(b"HTTP/1.1 200 ", 200, "", id="RFC9112-4-empty-reason"),
        pytest.param(b"HTTP/1.1 200", 200, "", id="RFC9112-4-no-sp-before-empty-reason"),
        pytest.param(b"HTTP/1.1 299 A \tB", 299, "A \tB", id="RFC9112-4-reason-htab-sp"),
        pytest.param(b"HTTP/1.1 200 \xc3\xa9", 200, "\u00e9", id="RFC9112-4-reason-obs-text"),
        pytest.param(b"HTTP/1.1 599 X", 599, "X", id="RFC9110-15-unknown-5xx-at-the-limit"),
        pytest.param(b"HTTP/1.1 100 Continue", 100, "Continue", id="RFC9110-15-lowest"),
    ],
)
def test_status_lines(line: bytes, status: int, reason: str) -> None:
    head = first_head(parse(line + b"\r\nContent-Length: 0\r\n\r\n"))
    assert (head.status, head.reason) == (status, reason)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param(b"HTTP/1.1 20 OK\r\n\r\n", errors.BadStatusLine, id="RFC9112-4-two-digits"),
        pytest.param(b"HTTP/1.1 2000 OK\r\n\r\n", errors.BadStatusLine, id="RFC9112-4-four-digits"),
        pytest.param(
            b"HTTP/1.1  200 OK\r\n\r\n", errors.BadStatusLine, id="RFC9112-4-double-space"
        ),
        pytest.param(
            b"HTTP/1.1 200 O\x00K\r\n\r\n", errors.BadStatusLine, id="RFC9112-4-nul-in-reason"
        ),
        pytest.param(
            b"HTTP/2.0 200 OK\r\n\r\n", errors.UnsupportedVersion, id="RFC9112-2.3-major-2"
        ),
        pytest.param(b"ICY 200 OK\r\n\r\n", errors.BadStatusLine, id="RFC9112-4-not-http"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nX : y\r\n\r\n",
            errors.InvalidHeader,
            id="RFC9112-5.1-space-before-colon",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\n folded: y\r\n\r\n",
            errors.InvalidHeader,
            id="RFC9112-2.2-whitespace-before-first-field",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nA: b\r\n c\x00\r\n\r\n",
            errors.InvalidHeader,
            id="RFC9112-5.2-obs-fold-then-nul",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            errors.ContentLengthError,
            id="RFC9112-6.3-different-lengths",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            errors.ContentLengthError,
            id="RFC9110-8.6-negative",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n",
            errors.ContentLengthError,
            id="RFC9112-6.3-te-and-cl-strict",
        ),
        pytest.param(
            b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            errors.TransferEncodingError,
            id="RFC9112-6.1-te-in-http10",
        ),
    ],
)
def test_rejections(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        client_parser().feed(data)


def test_unsupported_coding_in_response_is_not_501() -> None:
    with pytest.raises(errors.TransferEncodingError) as info:
        client_parser().feed(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: br, chunked\r\n\r\n")
    assert info.value.code == 400


def test_lenient_te_with_cl_reads_chunked_and_closes() -> None:
    # RFC 9112 §6.3 (3): Transfer-Encoding overrides Content-Length; the connection ends.
    data = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3\r\nabc\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"
    )
    events = parse(data, "GET", lenient=True)
    head = first_head(events)
    assert head.chunked is True
    assert head.keep_alive is False
    assert events[1:] == [Data(b"abc"), EndOfMessage()]


def test_obs_fold_replaced_by_space() -> None:
    # RFC 9112 §5.2: a user agent replaces each obs-fold in a response with SP.
    data = b"HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\n\tc\r\nContent-Length: 0\r\n\r\n"
    head = first_head(parse(data))
    assert head.headers["X-Long"] == "a b c"
    assert head.raw_headers[0] == (b"X-Long", b"a b c")


@pytest.mark.parametrize(
    ("method", "status"),
    [
        pytest.param("HEAD", 200, id="RFC9112-6.3-1-head"),
        pytest.param("GET", 204, id="RFC9112-6.3-1-204"),
        pytest.param("GET", 304, id="RFC9112-6.3-1-304"),
    ],
)
def test_no_body_responses_ignore_framing(method: str, status: int) -> None:
    data = (
        b"HTTP/1.1 %d X\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz"
    )
    events = parse(data % status, method, "GET")
    assert [type(e) for e in events] == [
        ResponseHead,
        EndOfMessage,
        ResponseHead,
        Data,
        EndOfMessage,
    ]
    assert first_head(events).content_length == 0
    assert events[3] == Data(b"z")


def test_interim_responses_come_before_the_final_one() -> None:
    data = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"
    )
    events = parse(data, "HEAD")
    heads = [e for e in events if isinstance(e, ResponseHead)]
    assert [h.status for h in heads] == [100, 103, 200]
    # The final response answers HEAD, so it has no body despite Content-Length.
    assert events[3:] == [EndOfMessage()]
    assert heads[1].headers["Link"] == "</s.css>; rel=preload"


def test_switching_protocols_holds_the_rest() -> None:
    parser = client_parser("GET")
    events = parser.feed(
        b"HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n"
        b"\x81\x02hi"
    )
    head = first_head(events)
    assert head.upgrade is True
    assert events[1:] == [EndOfMessage()]
    assert parser.feed(b"!") == []
    assert parser.feed_eof() == []
    assert parser.switch_protocols() == b"\x81\x02hi!"


def test_connect_2xx_is_a_tunnel_and_error_is_not() -> None:
    parser = client_parser("CONNECT")
    events = parser.feed(b"HTTP/1.1 200 Connection established\r\nContent-Length: 5\r\n\r\nTLS")
    assert first_head(events).upgrade is True
    assert parser.switch_protocols() == b"TLS"

    events = parse(b"HTTP/1.1 407 Auth\r\nContent-Length: 2\r\n\r\nno", "CONNECT")
    assert first_head(events).upgrade is False
    assert events[1] == Data(b"no")


def test_read_until_close() -> None:
    events = parse(b"HTTP/1.1 200 OK\r\n\r\nall of this", "GET", eof=True)
    head = first_head(events)
    assert head.content_length is None
    assert head.keep_alive is False
    assert events[1:] == [Data(b"all of this"), EndOfMessage()]


def test_http10_keep_alive_with_length() -> None:
    data = (
        b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\na"
        b"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nb"
        b"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nc"
    )
    events = parse(data, "GET", "GET", "GET")
    heads = [e for e in events if isinstance(e, ResponseHead)]
    assert [h.keep_alive for h in heads] == [True, False]
    assert heads[0].version == HttpVersion10
    # After a response that closes the connection, further bytes are discarded.
    assert events[-2:] == [Data(b"b"), EndOfMessage()]


def test_chunked_response_with_trailers() -> None:
    data = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
        b"2\r\nab\r\n0\r\nExpires: never\r\n\r\n"
    )
    events = parse(data, "GET")
    head = first_head(events)
    assert (head.chunked, head.compression, head.content_length) == (True, "gzip", None)
    end = events[-1]
    assert isinstance(end, EndOfMessage)
    assert end.trailers is not None
    assert end.trailers["expires"] == "never"


def test_bytes_with_no_request_pending_are_refused() -> None:
    # RFC 9112 §9.2: a response nobody asked for must not answer the next request.
    parser = ResponseParser()
    with pytest.raises(errors.BadHttpMessage, match="no request pending"):
        parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx")
    parser = client_parser("GET")
    events = parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n")
    assert events[1:] == [Data(b"x"), EndOfMessage()]
    assert parser.buffered == len(b"HTTP/1.1 200 OK\r\n")
    parser.expect_response("GET")
    with pytest.raises(errors.BadHttpMessage, match="no request pending"):
        parser.feed(b"Content-Length: 0\r\n\r\n")


def test_eof_inside_response_body() -> None:
    parser = client_parser()
    parser.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab")
    with pytest.raises(errors.ContentLengthError):
        parser.feed_eof()


def test_status_line_limit() -> None:
    limits = HttpLimits(max_status_line=15)
    ok = b"HTTP/1.1 200 OK"
    assert len(ok) == 15
    assert len(client_parser(limits=limits).feed(ok + b"\r\nContent-Length: 0\r\n\r\n")) == 2
    with pytest.raises(errors.LineTooLong) as info:
        client_parser(limits=limits).feed(ok + b"!\r\nContent-Length: 0\r\n\r\n")
    assert info.value.code == 400
    events, error = feed_pieces(client_parser(limits=limits), bytewise(ok + b"!!!"))
    assert (events, error) == ([], errors.LineTooLong)


def test_body_remaining_is_unknown_until_close() -> None:
    parser = client_parser()
    parser.feed(b"HTTP/1.1 200 OK\r\n\r\nabc")
    assert parser.body_remaining is None


@pytest.mark.parametrize(
    "status",
    [
        pytest.param(b"099", id="RFC9110-15-one-below-100"),
        pytest.param(b"000", id="RFC9110-15-zero"),
        pytest.param(b"600", id="RFC9110-15-one-past-599"),
        pytest.param(b"999", id="RFC9110-15-999"),
    ],
)
def test_status_outside_100_to_599_is_a_final_response(status: bytes) -> None:
    # RFC 9110 §15: values outside 100..599 are invalid, and a client SHOULD process such a
    # response as a 5xx: the parser hands it on as a final response (never an interim one,
    # whatever its first digit), with its body framed as usual, at every split point.
    data = b"HTTP/1.1 " + status + b" Odd\r\nContent-Length: 5\r\n\r\nhello"
    for pieces in ([data], bytewise(data)):
        events, error = feed_pieces(client_parser(), pieces)
        assert error is None
        assert events[0].status == int(status)
        assert b"".join(e.data for e in events[1:] if hasattr(e, "data")) == b"hello"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param(b"HTTP/1.1 200 OK\nContent-Length: 0\n\n", errors.BadHttpMessage, id="lf"),
        pytest.param(b"HTTP/1.1 200 OK\r\nX: y\n", errors.BadHttpMessage, id="lf-field"),
        pytest.param(b"HTTP/1.1 20x OK\r\nX: y\r\n", errors.BadStatusLine, id="bad-status"),
        pytest.param(b"HTTP/2.0 200 OK\r\nX: y\r\n", errors.UnsupportedVersion, id="http2"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nContent-Length: " + b"9" * 4301 + b"\r\n\r\n",
            errors.ContentLengthError,
            id="4301-digit-length",
        ),
    ],
)
def test_same_verdict_at_once_at_every_split_rfc9112_2_2(
    data: bytes, error: type[errors.HttpProcessingError]
) -> None:
    # RFC 9112 §2.2: the client judges a status line and head the same way however they are
    # split, and as soon as the offending bytes arrive (not when its total timeout expires).
    assert_same_verdict_everywhere(client_parser, data, error)
