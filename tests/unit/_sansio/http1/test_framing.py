"""Framing helpers shared by the server and the client."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from aiohttp._sansio.errors import ContentLengthError
from aiohttp._sansio.http1 import Framing, HttpVersion11, response_has_body
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


def _fields(*pairs: tuple[str, str]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(pairs))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(("13",), 13, id="RFC9110-8.6-single"),
        pytest.param(("013",), 13, id="RFC9110-8.6-leading-zeros"),
        pytest.param(("13, 13",), 13, id="RFC9110-8.6-identical-list"),
        pytest.param(("13", "013"), 13, id="RFC9110-8.6-identical-lines"),
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
