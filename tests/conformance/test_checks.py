"""Comparing observed messages with expectations."""

from __future__ import annotations

import pytest

from conformance.http1.checks import body_problem, header_problem, response_problem, status_ok
from conformance.http1.reader import read_response


@pytest.mark.parametrize(
    ("status", "allowed", "ok"),
    [
        (400, [400], True),
        (404, ["4xx"], True),
        (404, ["404"], True),
        (500, [400, "4xx"], False),
        (200, [], False),
    ],
)
def test_status_ok(status: int, allowed: list[int | str], ok: bool) -> None:
    assert status_ok(status, allowed) is ok


def _msg(head: str, body: bytes = b""):  # type: ignore[no-untyped-def]
    data = head.encode() + b"\r\n\r\n" + body
    return read_response(data, eof=True)[0]  # type: ignore[index]


def test_header_problems() -> None:
    msg = _msg("HTTP/1.1 200 OK\r\nX-A: 1\r\nX-A: 2\r\nConnection: close\r\nContent-Length: 0")
    assert header_problem(msg, {"connection": "close"}, [], {}) is None
    assert header_problem(msg, {"date": "*"}, [], {}) == "no date field"
    assert "instead of" in (header_problem(msg, {"x-a": "1"}, [], {}) or "")
    assert header_problem(msg, {"x-a": "*"}, [], {}) is None
    assert "must not" in (header_problem(msg, {}, ["connection"], {}) or "")
    assert header_problem(msg, {"connection": "$c"}, [], {"$c": "close"}) is None


def test_body_and_response_problems() -> None:
    assert body_problem(None, b"x") is None
    assert body_problem("*", b"x") is None
    assert body_problem("x{CRLF}", b"x\r\n") is None
    assert "instead of" in (body_problem("x", None) or "")
    msg = _msg("HTTP/1.0 200 OK\r\nContent-Length: 2", b"ok")
    assert response_problem({"status": [200], "body": "ok"}, msg) is None
    assert "HTTP/1.0 instead" in (response_problem({"status": [200], "version": "1.1"}, msg) or "")
    assert "1xx" in (response_problem({"status": [200], "interim": [100]}, msg) or "")
    assert "status 200" in (response_problem({"status": [204]}, msg) or "")
    assert "body" in (response_problem({"status": [200], "body": "no"}, msg) or "")
    assert "no date" in (response_problem({"status": [200], "headers": {"date": "*"}}, msg) or "")
