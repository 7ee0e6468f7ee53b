"""Serializers: exact bytes out, and no way to inject a field line or split a message."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict

from aiohttp._sansio.http1 import (
    HttpVersion,
    HttpVersion10,
    encode_chunk,
    encode_last_chunk,
    serialize_request_head,
    serialize_response_head,
)


def test_request_head_bytes() -> None:
    head = serialize_request_head("GET", "/a?b=1", [("Host", "h"), ("X-A", "1"), ("X-A", "2")])
    assert head == b"GET /a?b=1 HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nX-A: 2\r\n\r\n"


def test_request_head_from_mapping_and_version() -> None:
    fields = CIMultiDict([("Host", "h"), ("Accept", "*/*"), ("Accept", "x/y")])
    head = serialize_request_head("OPTIONS", "*", fields, HttpVersion10)
    assert head == b"OPTIONS * HTTP/1.0\r\nHost: h\r\nAccept: */*\r\nAccept: x/y\r\n\r\n"
    assert serialize_request_head("GET", "/") == b"GET / HTTP/1.1\r\n\r\n"


def test_response_head_bytes() -> None:
    assert serialize_response_head(200, None, {"Content-Length": "0"}) == (
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    )
    assert serialize_response_head(404, "Nope") == b"HTTP/1.1 404 Nope\r\n\r\n"
    assert serialize_response_head(599) == b"HTTP/1.1 599 \r\n\r\n"
    assert serialize_response_head(200, "", version=HttpVersion10) == b"HTTP/1.0 200 \r\n\r\n"


def test_non_ascii_values_are_utf8() -> None:
    head = serialize_response_head(200, "Caf\u00e9", [("X", "\u00fcber")])
    assert head == "HTTP/1.1 200 Caf\u00e9\r\nX: \u00fcber\r\n\r\n".encode()


@pytest.mark.parametrize(
    ("method", "target", "fields"),
    [
        pytest.param("GET\r\n", "/", [], id="RFC9110-9.1-method-crlf"),
        pytest.param("G T", "/", [], id="RFC9110-9.1-method-space"),
        pytest.param("", "/", [], id="RFC9110-9.1-method-empty"),
        pytest.param("GET", "/a b", [], id="RFC9112-3.2-target-space"),
        pytest.param("GET", "/\r\nX: y", [], id="RFC9112-3.2-target-crlf"),
        pytest.param("GET", "/\x00", [], id="RFC9112-3.2-target-nul"),
        pytest.param("GET", "", [], id="RFC9112-3.2-target-empty"),
        pytest.param("GET", "/a#frag", [], id="RFC9112-3.2.1-target-fragment"),
        pytest.param("GET", "/", [("X", "a\r\nInjected: 1")], id="RFC9110-5.5-value-crlf"),
        pytest.param("GET", "/", [("X", "a\nb")], id="RFC9110-5.5-value-lf"),
        pytest.param("GET", "/", [("X", "a\rb")], id="RFC9110-5.5-value-cr"),
        pytest.param("GET", "/", [("X", "a\x00b")], id="RFC9110-5.5-value-nul"),
        pytest.param("GET", "/", [("X", "a\x7f")], id="RFC9110-5.5-value-del"),
        pytest.param("GET", "/", [("X-Y\r\nZ", "1")], id="RFC9110-5.1-name-crlf"),
        pytest.param("GET", "/", [("X Y", "1")], id="RFC9110-5.1-name-space"),
        pytest.param("GET", "/", [("X: Y", "1")], id="RFC9110-5.1-name-colon"),
        pytest.param("GET", "/", [("", "1")], id="RFC9110-5.1-name-empty"),
        pytest.param("GET", "/", [("A", "ok"), ("B", "x\r\n")], id="RFC9110-5.5-second-field"),
    ],
)
def test_request_injection_refused(method: str, target: str, fields: list[tuple[str, str]]) -> None:
    with pytest.raises(ValueError):
        serialize_request_head(method, target, fields)


@pytest.mark.parametrize(
    ("status", "reason", "fields"),
    [
        pytest.param(200, "OK\r\nX: y", [], id="RFC9112-4-reason-crlf"),
        pytest.param(200, "O\x00K", [], id="RFC9112-4-reason-nul"),
        pytest.param(99, "x", [], id="RFC9110-15-status-below-100"),
        pytest.param(1000, "x", [], id="RFC9110-15-status-four-digits"),
        pytest.param(200, "OK", [("Set-Cookie", "a=1\r\n\r\n<html>")], id="RFC9110-5.5-split"),
    ],
)
def test_response_injection_refused(
    status: int, reason: str, fields: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValueError):
        serialize_response_head(status, reason, fields)


def test_error_names_the_bad_field() -> None:
    with pytest.raises(ValueError, match="Injected"):
        serialize_response_head(200, None, [("A", "1"), ("X", "a\r\nInjected: 1")])


def test_chunks() -> None:
    assert encode_chunk(b"hello") == b"5\r\nhello\r\n"
    assert encode_chunk(b"x" * 26) == b"1a\r\n" + b"x" * 26 + b"\r\n"
    # An empty chunk would end the body: nothing is produced.
    assert encode_chunk(b"") == b""
    assert encode_last_chunk() == b"0\r\n\r\n"
    assert encode_last_chunk({"X-Sum": "abc"}) == b"0\r\nX-Sum: abc\r\n\r\n"
    assert encode_last_chunk([]) == b"0\r\n\r\n"
    with pytest.raises(ValueError):
        encode_last_chunk({"X": "a\r\nb"})


def test_fields_from_any_iterable_of_pairs() -> None:
    pairs = iter([("A", "1"), ("B", "2")])
    assert serialize_request_head("GET", "/", pairs) == b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n"
    assert serialize_request_head("GET", "/", (("A", "1"),)) == b"GET / HTTP/1.1\r\nA: 1\r\n\r\n"


def test_many_fields_and_name_checks_repeat() -> None:
    # More distinct names than the serializer remembers as checked.
    many = [(f"Many-{i}", "") for i in range(5000)]
    assert serialize_response_head(200, "OK", many).count(b"\r\n") == 5002
    fields = [(f"X-{i}", str(i)) for i in range(300)]
    head = serialize_response_head(200, "OK", fields)
    assert head.count(b"\r\n") == 302
    # A name checked once is accepted again; a bad name is refused every time.
    for _ in range(2):
        assert serialize_response_head(200, "OK", fields[:1]).endswith(b"X-0: 0\r\n\r\n")
        with pytest.raises(ValueError):
            serialize_response_head(200, "OK", [("Bad Name", "1")])
    # A known name next to a new one: only the new one needs checking.
    mixed = serialize_response_head(200, "OK", [("X-0", "0"), ("Brand-New", "1")])
    assert mixed.endswith(b"X-0: 0\r\nBrand-New: 1\r\n\r\n")


def test_non_string_names_and_unencodable_values_are_refused() -> None:
    with pytest.raises(ValueError):
        serialize_response_head(200, "OK", [(b"X", "1")])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        serialize_response_head(200, "OK", [("X", "\ud800")])


def test_status_lines_are_checked_once_and_the_cache_stays_bounded() -> None:
    # A server answering with many reason phrases (hostile or generated) must not grow memory.
    from aiohttp._sansio.http1 import serializer

    for number in range(serializer._STATUS_LINES_MAX + 100):
        head = serialize_response_head(200, f"OK {number}", [("A", "b")])
        assert head == f"HTTP/1.1 200 OK {number}\r\nA: b\r\n\r\n".encode()
    assert len(serializer._STATUS_LINES) <= serializer._STATUS_LINES_MAX
    with pytest.raises(ValueError, match="reason"):
        serialize_response_head(200, "OK\r\nX: y")
    with pytest.raises(ValueError, match="reason"):
        serialize_response_head(200, "OK\r\nX: y")  # a refused line is not remembered


def test_non_string_values_are_formatted_and_non_pairs_refused() -> None:
    assert serialize_response_head(200, None, {"Content-Length": 5}) == (  # type: ignore[dict-item]
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
    )
    with pytest.raises(ValueError, match="unpack"):
        serialize_response_head(200, None, [("A", "b", "c")])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("version", "line"),
    [
        pytest.param(HttpVersion(1, 0), b"GET / HTTP/1.0\r\n", id="1.0"),
        pytest.param(HttpVersion(1, 2), b"GET / HTTP/1.2\r\n", id="1.2"),
        pytest.param(HttpVersion(9, 9), b"GET / HTTP/9.9\r\n", id="9.9"),
    ],
)
def test_request_version_is_two_digits_rfc9112_2_3(version: HttpVersion, line: bytes) -> None:
    assert serialize_request_head("GET", "/", (), version).startswith(line)


@pytest.mark.parametrize(
    "version",
    [
        pytest.param(HttpVersion(10, 1), id="two-digit-major"),
        pytest.param(HttpVersion(1, -1), id="negative"),
        pytest.param(("1", "1"), id="text-digits"),
        pytest.param("1.1\r\nX: y", id="crlf-injection"),
    ],
)
def test_request_version_that_is_not_two_digits_is_refused(version: object) -> None:
    # CVE-2023-49081: a version that was not a pair of digits reached the request line.
    with pytest.raises((ValueError, TypeError)):
        serialize_request_head("GET", "/", (), version)  # type: ignore[arg-type]
