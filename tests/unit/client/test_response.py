"""ClientResponse: charset rules, JSON, links, release."""

from __future__ import annotations

import asyncio
import codecs
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

import aiohttp
from aiohttp import client_reqrep
from aiohttp._io.streams import StreamReader
from aiohttp._sansio.errors import BadHttpMessage
from aiohttp._sansio.http1.events import HttpVersion11, ResponseHead
from aiohttp.client.exceptions import (
    ClientConnectionError,
    ClientPayloadError,
    ClientResponseError,
    ContentTypeError,
)
from aiohttp.client.request import RequestInfo
from aiohttp.client.response import ClientResponse, detect_json_encoding


class Paused:
    reading_paused = False

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class FakeConnection:
    def __init__(self) -> None:
        self.released = self.closed = False

    def release(self) -> None:
        self.released = True

    def close(self) -> None:
        self.closed = True


async def respond(
    body: bytes, headers: dict[str, str] | None = None, status: int = 200, *, eof: bool = True
) -> tuple[ClientResponse, FakeConnection]:
    fields = CIMultiDictProxy(CIMultiDict(headers or {}))
    head = ResponseHead(
        HttpVersion11, status, "Reason", fields, (), True, False, False, None, len(body)
    )
    stream = StreamReader(Paused(), 2**16, loop=asyncio.get_running_loop())  # type: ignore[arg-type]
    stream.feed_data(body)
    if eof:
        stream.feed_eof()
    url = URL("http://example.com/path#frag")
    info = RequestInfo(url.with_fragment(None), "GET", CIMultiDictProxy(CIMultiDict()), url)
    resp = ClientResponse("GET", url, request_info=info)
    conn = FakeConnection()
    resp._start(head, stream, conn)  # type: ignore[arg-type]
    return resp, conn


@pytest.mark.parametrize(
    ("body", "encoding"),
    [
        pytest.param(codecs.BOM_UTF8 + b"{}", "utf-8-sig", id="bom-utf8"),
        pytest.param(codecs.BOM_UTF16_LE + "{}".encode("utf-16-le"), "utf-16", id="bom-utf16"),
        pytest.param("{}".encode("utf-16-be"), "utf-16-be", id="RFC4627-3-utf16be"),
        pytest.param("{}".encode("utf-16-le"), "utf-16-le", id="RFC4627-3-utf16le"),
        pytest.param("{}".encode("utf-32-be"), "utf-32-be", id="RFC4627-3-utf32be"),
        pytest.param("{}".encode("utf-32-le"), "utf-32-le", id="RFC4627-3-utf32le"),
        pytest.param(b'{"a": 1}', "utf-8", id="RFC8259-8.1-utf8"),
        pytest.param(b"1", "utf-8", id="short"),
    ],
)
def test_json_encoding_detection(body: bytes, encoding: str) -> None:
    assert detect_json_encoding(body) == encoding


async def test_attributes() -> None:
    resp, _ = await respond(
        b"x", {"Content-Type": "Text/HTML; charset=ISO-8859-1", "Content-Length": "1"}
    )
    assert resp.url == URL("http://example.com/path")
    assert resp.real_url.fragment == "frag"
    assert (resp.content_type, resp.charset, resp.content_length) == ("text/html", "ISO-8859-1", 1)
    assert resp.ok
    assert resp.host == "example.com"
    assert "200 Reason" in repr(resp)


def test_repr_escapes_a_reason_that_is_not_ascii() -> None:
    """As in 3.x, the repr stays ASCII: a reason phrase's other characters are escaped."""
    url = URL("http://example.com/path")
    info = RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url)
    resp = ClientResponse("GET", url, request_info=info)
    resp.reason = "λ"
    assert repr(resp).startswith("<ClientResponse(http://example.com/path) [None \\u03bb]>")
    resp.reason = None
    assert repr(resp).startswith("<ClientResponse(http://example.com/path) [None None]>")


def test_the_3x_module_keeps_its_default_timeout() -> None:
    from aiohttp import client

    assert aiohttp.ClientTimeout(total=300, sock_connect=30) == client.DEFAULT_TIMEOUT


async def test_charset_from_content_type_wins() -> None:
    resp, _ = await respond("é".encode("latin1"), {"Content-Type": "text/plain; charset=latin1"})
    assert await resp.text() == "é"


async def test_unknown_charset_falls_back_to_detection() -> None:
    resp, _ = await respond(b"plain ascii", {"Content-Type": "text/plain; charset=nonsense"})
    assert await resp.text() == "plain ascii"


async def test_encoding_needs_the_body() -> None:
    resp, _ = await respond(b"x", {"Content-Type": "text/plain"}, eof=False)
    with pytest.raises(RuntimeError, match=r"^Cannot compute fallback encoding of a not yet"):
        resp.get_encoding()


async def test_json_is_utf_8_before_its_body_is_read() -> None:
    """RFC 8259 §8.1: JSON is UTF-8; no body is needed to say so (3.x answers the same)."""
    resp, _ = await respond(b"{}", {"Content-Type": "application/json"}, eof=False)
    assert resp.get_encoding() == "utf-8"


@pytest.mark.parametrize(
    ("content_type", "encoding"),
    [
        ("text/plain; charset=UTF-8", "utf-8"),
        ("text/plain; charset=latin1", "iso8859-1"),
        ("text/html; charset=\udc81gutf-8\udc81", "utf-8"),  # not a charset: the body decides
        ("text/html; charset=no-such-codec", "utf-8"),
    ],
)
async def test_the_charset_is_given_by_its_codec_name(content_type: str, encoding: str) -> None:
    """As in 3.x: a known charset is named as Python's codec names it, and a charset that
    can't be looked up (unknown, or not even encodable) is ignored."""
    resp, _ = await respond(b"abc", {"Content-Type": content_type})
    await resp.read()
    assert resp.get_encoding() == encoding


async def test_json_and_its_content_type_check() -> None:
    resp, _ = await respond(b'{"a": [1]}', {"Content-Type": "application/problem+json"})
    assert await resp.json() == {"a": [1]}
    resp, _ = await respond(b"[]", {"Content-Type": "application/vnd.a-1_b+c+json;charset=cp1251"})
    assert await resp.json() == []  # a "+" in the subtype before the +json suffix (3.x too)
    resp, _ = await respond(b"  ", {"Content-Type": "application/json"})
    assert await resp.json() is None
    resp, _ = await respond(b"{}", {"Content-Type": "text/plain"})
    with pytest.raises(ContentTypeError):
        await resp.json()
    resp, _ = await respond(b"{}", {"Content-Type": "text/x-json"})
    assert await resp.json(content_type="text/x-json") == {}


async def test_links_rfc8288() -> None:
    link = '</page/2>; rel="next", <https://e.org/last>; rel=last; title="end"'
    resp, _ = await respond(b"", {"Link": link})
    assert resp.links["next"]["url"] == URL("http://example.com/page/2")
    assert resp.links["last"]["title"] == "end"


async def test_links_split_only_between_link_values() -> None:
    # RFC 8288 §3: link-values are separated by "," but a URI may hold commas, and a
    # quoted-string may hold ";" and ",".
    link = '<http://x/a,b>; rel="next"; Title="t;x, y", </rel>; rel=prev; flag, <u3>; rel="a b"'
    resp, _ = await respond(b"", {"Link": link})
    links = resp.links
    assert list(links) == ["next", "prev", "a b"]
    assert dict(links["next"]) == {"rel": "next", "Title": "t;x, y", "url": URL("http://x/a,b")}
    assert links["prev"]["url"] == URL("http://example.com/rel")
    assert links["a b"]["url"] == URL("http://example.com/u3")


@pytest.mark.parametrize(
    "value",
    [
        "\n\t" * 13367 + "\x00",
        '\x00="' + "\t" * 14436 + "\x00",
        ("a=" * 6000) + "'" + ("b" * 6000) + " b",
        "key=" + (" " * 16000) + "'" + ("x" * 16000) + " x",
    ],
)
def test_link_param_pattern_refuses_what_is_not_a_link_param(value: str) -> None:
    # Text that is no link-param (RFC 8288 §3) does not match, and is refused in linear
    # time (these are the inputs that made 3.x's pattern backtrack); the name is 3.x's.
    assert client_reqrep._LINK_PARAM_RE.match(value) is None


async def test_cookies_from_set_cookie() -> None:
    resp, _ = await respond(b"", {"Set-Cookie": "sid=1; Path=/"})
    assert resp.cookies["sid"].value == "1"


async def test_release_before_end_hands_back_the_connection() -> None:
    resp, conn = await respond(b"part", eof=False)
    await resp.release()
    assert conn.released
    assert resp.closed


async def test_close_closes_the_connection() -> None:
    resp, conn = await respond(b"part", eof=False)
    resp.close()
    assert conn.closed


@pytest.mark.parametrize("let_go", ["close", "release"])
async def test_reading_after_letting_go_of_an_unfinished_body(let_go: str) -> None:
    """As in 3.x: the body is gone, and reading says the connection closed."""
    resp, _ = await respond(b"part", eof=False)
    getattr(resp, let_go)()
    assert resp._released
    with pytest.raises(ClientConnectionError, match="Connection closed") as info:
        await asyncio.wait_for(resp.read(), 5)
    assert not isinstance(info.value, ClientPayloadError)
    with pytest.raises(ClientConnectionError, match="Connection closed"):
        await asyncio.wait_for(resp.content.read(), 5)


async def test_raise_for_status() -> None:
    resp, _ = await respond(b"", status=418)
    with pytest.raises(ClientResponseError) as info:
        resp.raise_for_status()
    assert info.value.status == 418
    assert info.value.request_info.method == "GET"


@pytest.mark.parametrize(
    "status",
    [
        pytest.param(99, id="RFC9110-15-invalid-099"),
        pytest.param(0, id="RFC9110-15-invalid-000"),
        pytest.param(600, id="RFC9110-15-invalid-600"),
    ],
)
async def test_invalid_status_is_processed_as_a_server_error(status: int) -> None:
    # RFC 9110 §15: a client SHOULD process a status outside 100..599 as a 5xx.
    resp, _ = await respond(b"hello", status=status)
    assert resp.status == status
    assert not resp.ok
    assert await resp.read() == b"hello"
    with pytest.raises(ClientResponseError) as info:
        resp.raise_for_status()
    assert info.value.status == status


class QueueConnection(FakeConnection):
    """A 3.x-style connection whose protocol is a queue of ``(head, body)`` pairs."""

    def __init__(self, protocol: aiohttp.DataQueue[Any]) -> None:
        super().__init__()
        self.protocol = protocol


def head_of(status: int) -> ResponseHead:
    fields = CIMultiDictProxy(CIMultiDict({"Content-Length": "0"}))
    return ResponseHead(HttpVersion11, status, "R", fields, (), False, False, False, None, 0)


def a_response() -> ClientResponse:
    url = URL("http://example.com/")
    info = RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url)
    return ClientResponse("GET", url, request_info=info)


async def test_start_reads_the_head_past_interim_responses() -> None:
    """3.x subclasses and tests call ``await resp.start(connection)`` themselves: it reads the
    protocol's queue of responses, skipping interim (1xx) ones (RFC 9110 §15.2)."""
    loop = asyncio.get_running_loop()
    queue: aiohttp.DataQueue[Any] = aiohttp.DataQueue(loop)
    body = StreamReader(Paused(), 2**16, loop=loop)  # type: ignore[arg-type]
    body.feed_eof()
    queue.feed_data((head_of(103), body))
    queue.feed_data((head_of(204), body))
    resp = a_response()
    assert await resp.start(QueueConnection(queue)) is resp  # type: ignore[arg-type]
    assert resp.status == 204


async def test_start_turns_a_parse_error_into_client_response_error() -> None:
    queue: aiohttp.DataQueue[Any] = aiohttp.DataQueue(asyncio.get_running_loop())
    queue.set_exception(BadHttpMessage("bad status line"))
    resp = a_response()
    with pytest.raises(ClientResponseError) as info:
        await resp.start(QueueConnection(queue))  # type: ignore[arg-type]
    assert info.value.request_info is resp.request_info
    assert info.value.status == 400
    assert info.value.message == "bad status line"
