"""Framing helpers shared by the server and the client."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from aiohttp._sansio.http1 import Framing, HttpVersion11, response_has_body
from aiohttp._sansio.http1.framing import connection_options, request_framing, response_framing


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
