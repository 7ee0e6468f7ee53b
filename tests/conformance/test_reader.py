"""The harness's own strict HTTP/1.1 reader (RFC 9112)."""

from __future__ import annotations

import pytest

from conformance.http1.reader import (
    MAX_HEAD,
    ReaderError,
    head_only,
    read_request,
    read_response,
)


def test_response_with_content_length() -> None:
    data = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhelloNEXT"
    parsed = read_response(data)
    assert parsed is not None
    msg, end = parsed
    assert (msg.status, msg.version, msg.body, msg.framing) == (200, (1, 1), b"hello", "length")
    assert data[end:] == b"NEXT"
    assert msg.get("x-a") == "b"
    assert msg.get("missing") is None


def test_response_incomplete_returns_none_at_every_split() -> None:
    data = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nT: 1\r\n\r\n"
    )
    for cut in range(len(data)):
        assert read_response(data[:cut]) is None
    msg, end = read_response(data)  # type: ignore[misc]
    assert (msg.body, msg.framing, msg.trailers, end) == (
        b"hello",
        "chunked",
        [("T", "1")],
        len(data),
    )


def test_response_close_delimited_needs_eof() -> None:
    data = b"HTTP/1.0 200 OK\r\n\r\nuntil close"
    assert read_response(data) is None
    msg, _ = read_response(data, eof=True)  # type: ignore[misc]
    assert (msg.body, msg.framing) == (b"until close", "close")


def test_interim_responses_are_collected() -> None:
    data = (
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early\r\nLink: x\r\n\r\nHTTP/1.1 204 No\r\n\r\n"
    )
    msg, _ = read_response(data)  # type: ignore[misc]
    assert (msg.status, msg.interim, msg.body) == (204, [100, 103], b"")


@pytest.mark.parametrize(("head", "status"), [(True, 200), (False, 304)])
def test_bodyless_responses(head: bool, status: int) -> None:
    data = b"HTTP/1.1 %d X\r\nContent-Length: 5\r\n\r\n" % status
    msg, end = read_response(data, head=head)  # type: ignore[misc]
    assert (msg.body, end) == (b"", len(data))


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (b"HTTP/1.1 200\r\n\r\n", "§4"),
        (b"HTTP/1.1 2000 OK\r\n\r\n", "§4"),
        (b"http/1.1 200 OK\r\n\r\n", "§4"),
        (b"HTTP/1.1 200 OK\nX: y\r\n\r\n", "§2.2"),
        (b"HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", "§2.2"),
        (b"HTTP/1.1 200 OK\r\nX : y\r\n\r\n", "§5"),
        (b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n", "§5.2"),
        (b"HTTP/1.1 200 OK\r\nX: a\x00b\r\n\r\n", "§5.5"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", "§6.2"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "§6.3"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: +1\r\n\r\n", "§6.3"),
        (b"HTTP/1.1 204 OK\r\nContent-Length: 0\r\n\r\n", "§8.6"),
        (b"HTTP/1.1 100 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "§6.1"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "§6.1"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n", "§7.1"),
        (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", "§7.1"),
    ],
)
def test_response_violations_name_their_rule(data: bytes, rule: str) -> None:
    with pytest.raises(ReaderError, match=rule):
        read_response(data, eof=True)


def test_101_ends_the_http_part() -> None:
    data = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n\x81\x00"
    msg, end = read_response(data)  # type: ignore[misc]
    assert (msg.status, data[end:]) == (101, b"\x81\x00")


def test_head_size_limit() -> None:
    assert read_response(b"HTTP/1.1 200 OK\r\nX: " + b"a" * (MAX_HEAD - 30)) is None
    with pytest.raises(ReaderError, match="head longer"):
        read_response(b"HTTP/1.1 200 OK\r\nX: " + b"a" * (MAX_HEAD + 1))


def test_repeated_identical_content_length_is_one_length() -> None:
    data = b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok"
    msg, _ = read_response(data)  # type: ignore[misc]
    assert msg.body == b"ok"


def test_unknown_transfer_coding_reads_until_close() -> None:
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz"
    msg, _ = read_response(data, eof=True)  # type: ignore[misc]
    assert (msg.framing, msg.body) == ("close", b"xyz")


def test_request_with_body_and_next() -> None:
    data = b"POST /a?b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcGET"
    msg, end = read_request(data)  # type: ignore[misc]
    assert (msg.method, msg.target, msg.body, data[end:]) == ("POST", "/a?b", b"abc", b"GET")


def test_request_chunked_and_head_only() -> None:
    data = b"PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    msg, end = read_request(data)  # type: ignore[misc]
    assert (msg.body, msg.framing, end) == (b"abc", "chunked", len(data))
    head, offset = head_only(data)  # type: ignore[misc]
    assert head.method == "PUT"
    assert data[offset:].startswith(b"3\r\n")
    assert head_only(b"PUT / HTTP/1.1\r\n") is None


def test_request_without_body_fields_has_no_body() -> None:
    msg, end = read_request(b"GET / HTTP/1.1\r\nHost: h\r\n\r\nrest")  # type: ignore[misc]
    assert (msg.body, msg.framing, end) == (b"", "none", 27)


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (b"GET / HTTP/1.1\r\n\r\n", "Host"),
        (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "Host"),
        (b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "§3"),
        (b"GET / HTTP/1.1\r\nHost: a\r\nTE: chunked\r\nConnection: te\r\n\r\n", "§7.4"),
        (b"GET / HTTP/1.1\r\nHost: a\r\nTE: trailers\r\n\r\n", "§7.4"),
        (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", "§6.3"),
    ],
)
def test_request_violations(data: bytes, rule: str) -> None:
    with pytest.raises(ReaderError, match=rule):
        read_request(data)
    if rule != "§6.3":
        with pytest.raises(ReaderError):
            head_only(data)


def test_http10_request_needs_no_host() -> None:
    msg, _ = read_request(b"GET / HTTP/1.0\r\n\r\n")  # type: ignore[misc]
    assert msg.version == (1, 0)
