"""StreamResponse/Response: framing, default headers, compression, cookies, typed headers."""

from __future__ import annotations

import datetime
import gzip
import io
import json
import zlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from aiohttp import payload, web
from aiohttp._sansio.http1.events import HttpVersion10
from aiohttp.test_utils import make_mocked_request
from tests.unit.web.test_server import parse_responses


def sent(req: web.Request) -> bytes:
    return bytes(req.transport.buffer)  # type: ignore[union-attr]


def dechunk(data: bytes) -> bytes:
    out = b""
    while True:
        line, _, data = data.partition(b"\r\n")
        size = int(line, 16)
        if not size:
            return out
        out += data[:size]
        data = data[size + 2 :]


async def send(resp: web.StreamResponse, req: web.Request | None = None, **kw: Any) -> bytes:
    req = req or make_mocked_request("GET", "/", {"Host": "h", **kw})
    await resp.prepare(req)
    await resp.write_eof()
    return sent(req)


async def test_text_response_default_headers() -> None:
    [(status, headers, body)] = parse_responses(await send(web.Response(text="hi")))
    assert (status, body) == (200, b"hi")
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert headers["content-length"] == "2"
    assert headers["server"].startswith("Python/")
    assert headers["date"].endswith(" GMT")


async def test_bytes_body_defaults_to_octet_stream() -> None:
    [(_, headers, body)] = parse_responses(await send(web.Response(body=b"\x00\x01")))
    assert headers["content-type"] == "application/octet-stream"
    assert body == b"\x00\x01"


async def test_seed_style_body_from_encoded_text() -> None:
    resp = web.Response(body=b"Hello, Anonymous")
    [(status, _, body)] = parse_responses(await send(resp))
    assert (status, body) == (200, b"Hello, Anonymous")


async def test_str_body_is_text() -> None:
    resp = web.Response(body="x")
    assert resp.body == b"x"
    assert resp.content_type == "text/plain"


async def test_constructor_conflicts() -> None:
    with pytest.raises(ValueError):
        web.Response(body=b"a", text="a")
    with pytest.raises(ValueError):
        web.Response(text="a", content_type="text/html; charset=utf-8")
    with pytest.raises(ValueError):
        web.Response(text="a", headers={"Content-Type": "text/html"}, content_type="text/x")
    with pytest.raises(TypeError):
        web.Response(text=b"a")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        web.Response(body=object())


def test_text_of_a_payload_body_is_the_payload_decoded() -> None:
    assert web.Response(body=io.BytesIO(b"abc")).text == "abc"
    assert web.Response(body=io.StringIO("caf\u00e9")).text == "caf\u00e9"
    latin = web.Response(body=payload.StringPayload("caf\u00e9", encoding="latin-1"))
    assert (latin.charset, latin.text) == ("latin-1", "caf\u00e9")


def test_text_of_a_streamed_body_not_yet_read_is_a_type_error() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"a"

    with pytest.raises(TypeError, match="not cached"):
        _ = web.Response(body=chunks()).text


async def test_text_and_charset_properties() -> None:
    resp = web.Response(text="é", content_type="text/html", charset="latin-1")
    assert resp.headers["Content-Type"] == "text/html; charset=latin-1"
    assert resp.body == "é".encode("latin-1")
    assert resp.text == "é"
    resp.charset = "utf-8"
    assert resp.charset == "utf-8"
    resp.text = "ü"
    assert resp.body == "ü".encode()
    resp.content_type = "application/json"
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"


async def test_json_response() -> None:
    resp = web.json_response({"a": 1}, status=201)
    [(status, headers, body)] = parse_responses(await send(resp))
    assert status == 201
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert json.loads(body) == {"a": 1}
    with pytest.raises(ValueError):
        web.json_response({"a": 1}, text="x")
    assert web.json_response().body is None


async def test_rfc9112_6_3_stream_response_without_length_is_chunked() -> None:
    req = make_mocked_request("GET", "/", {"Host": "h"})
    resp = web.StreamResponse()
    await resp.prepare(req)
    await resp.write(b"abc")
    await resp.write(b"de")
    await resp.write_eof()
    head, _, rest = sent(req).partition(b"\r\n\r\n")
    assert b"Transfer-Encoding: chunked" in head
    assert dechunk(rest) == b"abcde"


async def test_http10_stream_response_without_length_closes() -> None:
    req = make_mocked_request("GET", "/", version=HttpVersion10)
    resp = web.StreamResponse()
    await resp.prepare(req)
    await resp.write(b"abc")
    await resp.write_eof()
    assert resp.keep_alive is False
    assert sent(req).endswith(b"\r\n\r\nabc")
    assert b"Transfer-Encoding" not in sent(req)


async def test_enable_chunked_rejected_on_http10_and_with_length() -> None:
    req = make_mocked_request("GET", "/", version=HttpVersion10)
    resp = web.StreamResponse()
    resp.enable_chunked_encoding()
    with pytest.raises(RuntimeError, match="chunked"):
        await resp.prepare(req)
    resp2 = web.StreamResponse()
    resp2.content_length = 3
    with pytest.raises(RuntimeError):
        resp2.enable_chunked_encoding()


@pytest.mark.parametrize(
    ("method", "status", "has_length"),
    [
        pytest.param("HEAD", 200, True, id="rfc9110-9.3.2-head-keeps-length"),
        pytest.param("GET", 204, False, id="rfc9110-15.3.5-no-content"),
        # RFC 9110 §8.6 lets a 304 omit Content-Length; 3.x omits it, and so do we.
        pytest.param("GET", 304, False, id="rfc9110-15.4.5-not-modified"),
        pytest.param("CONNECT", 200, False, id="rfc9110-8.6-connect-2xx"),
    ],
)
async def test_rfc9110_bodiless_responses(method: str, status: int, has_length: bool) -> None:
    req = make_mocked_request(method, "/", {"Host": "h"})
    data = await send(web.Response(status=status, body=b"body"), req)
    head, _, rest = data.partition(b"\r\n\r\n")
    assert rest == b""
    assert (b"Content-Length: 4" in head) == has_length


@pytest.mark.parametrize("body", [None, b""], ids=["unset", "empty"])
async def test_head_response_with_no_body_sends_no_content_length(body: bytes | None) -> None:
    """RFC 9110 §8.6 lets a HEAD response omit Content-Length; 3.x omits it for an empty
    body (a GET of the same gets ``Content-Length: 0``)."""

    class Subclassed(web.Response):  # not the fast path of a plain Response
        pass

    for response in (web.Response(body=body), Subclassed(body=body)):
        data = await send(response, make_mocked_request("HEAD", "/", {"Host": "h"}))
        assert b"Content-Length" not in data
    data = await send(web.Response(body=body), make_mocked_request("GET", "/", {"Host": "h"}))
    assert b"Content-Length: 0\r\n" in data


@pytest.mark.parametrize(
    ("status", "compress"), [(204, False), (200, True)], ids=["no-content", "compressed"]
)
async def test_content_length_of_a_payload_sent_without_one_is_none(
    status: int, compress: bool
) -> None:
    """After prepare, ``content_length`` says what went: a payload sent with no
    Content-Length (a 204, or compressed on the fly) has none, as in 3.x."""
    resp = web.Response(body=payload.BytesPayload(b"answer"), status=status)
    assert resp.content_length == 6
    if compress:
        resp.enable_compression(web.ContentCoding.gzip)
    req = make_mocked_request("GET", "/", {"Accept-Encoding": "gzip"}, version=HttpVersion10)
    data = await send(resp, req)
    assert b"Content-Length" not in data
    assert resp.content_length is None


async def test_keep_alive_and_force_close() -> None:
    req = make_mocked_request("GET", "/", {"Host": "h"})
    resp = web.Response()
    resp.force_close()
    data = await send(resp, req)
    assert b"Connection: close\r\n" in data
    assert resp.keep_alive is False


async def test_status_reason_and_set_status() -> None:
    resp = web.Response(status=418, reason="Short and stout")
    assert (resp.status, resp.reason) == (418, "Short and stout")
    resp.set_status(201)
    assert resp.reason == "Created"
    await send(resp)
    with pytest.raises(AssertionError):
        resp.set_status(200)


async def test_reason_with_newline_is_refused() -> None:
    with pytest.raises(ValueError):
        await send(web.Response(reason="ok\r\nX: y"))


async def test_header_injection_is_refused() -> None:
    with pytest.raises(ValueError):
        await send(web.Response(headers={"X": "a\r\nSet-Cookie: x=1"}))


@pytest.mark.parametrize(
    ("accept", "coding", "decode"),
    [
        ("gzip", "gzip", gzip.decompress),
        ("deflate", "deflate", zlib.decompress),
        ("br;q=0.5, gzip;q=0.1", "br", None),
        ("zstd", "zstd", None),
    ],
)
async def test_rfc9110_12_5_3_negotiated_compression(accept: str, coding: str, decode: Any) -> None:
    text = "hello " * 100
    resp = web.Response(text=text)
    resp.enable_compression()
    [(_, headers, body)] = parse_responses(await send(resp, **{"Accept-Encoding": accept}))
    assert headers["content-encoding"] == coding
    assert headers["vary"] == "Accept-Encoding"
    if coding == "br":
        import brotli

        decode = brotli.decompress
    elif coding == "zstd":
        import zstandard

        decode = zstandard.ZstdDecompressor().decompressobj().decompress
    assert decode(body).decode() == text


async def test_compression_without_accept_encoding_is_identity() -> None:
    resp = web.Response(text="x" * 100)
    resp.enable_compression()
    [(_, headers, body)] = parse_responses(await send(resp))
    assert "content-encoding" not in headers
    assert body == b"x" * 100


async def test_forced_compression_and_min_size() -> None:
    resp = web.Response(text="x" * 100)
    resp.enable_compression(web.ContentCoding.gzip)
    [(_, headers, body)] = parse_responses(await send(resp))
    assert headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == b"x" * 100
    small = web.Response(text="tiny")
    small.enable_compression(web.ContentCoding.gzip, min_size=10)
    [(_, headers2, _)] = parse_responses(await send(small))
    assert "content-encoding" not in headers2


async def test_large_body_compresses_in_the_executor() -> None:
    body = bytes(range(256)) * 100
    resp = web.Response(body=body, zlib_executor_size=10)
    resp.enable_compression(web.ContentCoding.deflate)
    [(_, _, got)] = parse_responses(await send(resp))
    assert zlib.decompress(got) == body


async def test_streamed_compression_is_chunked() -> None:
    req = make_mocked_request("GET", "/", {"Host": "h", "Accept-Encoding": "gzip"})
    resp = web.StreamResponse()
    resp.enable_compression()
    await resp.prepare(req)
    await resp.write(b"a" * 1000)
    await resp.write_eof()
    head, _, rest = sent(req).partition(b"\r\n\r\n")
    assert b"Content-Encoding: gzip" in head
    assert gzip.decompress(dechunk(rest)) == b"a" * 1000


async def test_boolean_force_is_deprecated() -> None:
    resp = web.Response(text="x")
    with pytest.warns(DeprecationWarning, match="Using boolean for force is deprecated"):
        resp.enable_compression(True)


async def test_cookies_become_set_cookie_fields() -> None:
    resp = web.Response()
    resp.set_cookie("a", "1", max_age=10, httponly=True, samesite="Lax", secure=True)
    resp.set_cookie(
        "b", "2", domain="example.com", path="/x", expires="Wed, 21 Oct 2026 07:28:00 GMT"
    )
    resp.del_cookie("c")
    data = await send(resp)
    lines = [line for line in data.split(b"\r\n") if line.startswith(b"Set-Cookie:")]
    assert len(lines) == 3
    text = b"\n".join(lines).decode()
    assert "a=1" in text
    assert "HttpOnly" in text
    assert "Max-Age=10" in text
    assert "SameSite=Lax" in text
    assert "Domain=example.com" in text
    assert 'c=""' in text
    assert "Max-Age=0" in text


@pytest.mark.parametrize(
    "attribute",
    [
        {"path": "/; Domain=evil.example"},
        {"domain": "example.com; Secure"},
        {"domain": "example.com\r\nX-Injected: 1"},
        {"expires": "Wed, 21 Oct 2026 07:28:00 GMT; Path=/admin"},
        {"max_age": "10; Domain=evil.example"},
        {"samesite": "Lax; Domain=evil.example"},
        {"version": "1\n"},
    ],
    ids=[
        "path-semicolon",
        "domain-semicolon",
        "domain-crlf",
        "expires",
        "max-age",
        "samesite",
        "version-lf",
    ],
)
def test_set_cookie_refuses_attribute_injection_rfc6265_s4_1_1(attribute: dict[str, str]) -> None:
    resp = web.Response()
    with pytest.raises(ValueError, match="cookie"):
        resp.set_cookie("a", "b", **attribute)  # type: ignore[arg-type]
    assert "a" not in resp.cookies


async def test_valid_cookies_serialize_as_before() -> None:
    resp = web.Response()
    resp.set_cookie("a", "1", max_age=10, httponly=True, samesite="Lax", secure=True)
    resp.set_cookie(
        "b", "x y", domain="example.com", path="/p", expires="Wed, 21 Oct 2026 07:28:00 GMT"
    )
    data = await send(resp)
    lines = [line for line in data.split(b"\r\n") if line.startswith(b"Set-Cookie:")]
    assert lines == [
        b"Set-Cookie: a=1; HttpOnly; Max-Age=10; Path=/; SameSite=Lax; Secure",
        b'Set-Cookie: b="x y"; Domain=example.com; expires=Wed, 21 Oct 2026 07:28:00 GMT; Path=/p',
    ]


async def test_last_modified_and_etag() -> None:
    resp = web.Response()
    resp.last_modified = 0
    assert resp.headers["Last-Modified"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert resp.last_modified == datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    resp.last_modified = datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert resp.headers["Last-Modified"] == "Thu, 02 Jan 2020 03:04:05 GMT"
    resp.last_modified = None
    assert "Last-Modified" not in resp.headers
    resp.etag = "abc"
    assert resp.headers["ETag"] == '"abc"'
    resp.etag = web.ETag("w", is_weak=True)
    assert resp.headers["ETag"] == 'W/"w"'
    assert resp.etag == web.ETag("w", is_weak=True)
    with pytest.raises(ValueError, match="is not a valid etag"):
        resp.etag = 'a"b'
    with pytest.raises(ValueError, match="Unsupported etag type"):
        resp.etag = 5
    resp.etag = "*"  # 3.x takes the wildcard here too
    assert (resp.headers["ETag"], resp.etag) == ("*", web.ETag("*"))
    with pytest.raises(ValueError, match="Unsupported etag type"):
        resp.etag = web.ETag(value=123)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2020, 12, 2, 9, 51, 2, 500000, datetime.UTC),
        datetime.datetime(2020, 12, 2, 9, 51, 2, 500000),  # naive: read as UTC, as in 3.x
        datetime.datetime(2020, 12, 2, 9, 51, 2, 500000, datetime.UTC).timestamp(),
    ],
)
def test_last_modified_rounds_a_fraction_of_a_second_up(moment: Any) -> None:
    """Never earlier than the true modification time, or a cache would keep a stale copy
    (RFC 9110 §8.8.2.1: ``Last-Modified`` has whole seconds)."""
    resp = web.StreamResponse()
    resp.last_modified = moment
    assert resp.headers["Last-Modified"] == "Wed, 02 Dec 2020 09:51:03 GMT"


def test_last_modified_refuses_other_types_with_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"^Unsupported type for last_modified: object$"):
        web.StreamResponse().last_modified = object()


async def test_write_before_prepare_and_after_eof() -> None:
    resp = web.StreamResponse()
    with pytest.raises(RuntimeError):
        await resp.write(b"x")
    req = make_mocked_request("GET", "/")
    await resp.prepare(req)
    await resp.write_eof()
    with pytest.raises(RuntimeError):
        await resp.write(b"x")
    assert await resp.prepare(req) is None


async def test_prepare_runs_on_response_prepare() -> None:
    app = web.Application()
    seen: list[int] = []

    async def hook(request: web.Request, response: web.StreamResponse) -> None:
        seen.append(response.status)
        response.headers["X-Hook"] = "1"

    app.on_response_prepare.append(hook)
    app.freeze()
    req = make_mocked_request("GET", "/", app=app)
    data = await send(web.Response(status=202), req)
    assert seen == [202]
    assert b"X-Hook: 1" in data


async def test_on_response_prepare_sees_the_prepared_head_and_may_drop_server() -> None:
    app = web.Application()
    seen: dict[str, str] = {}

    async def hook(request: web.Request, response: web.StreamResponse) -> None:
        seen.update(response.headers)
        del response.headers["Server"]

    app.on_response_prepare.append(hook)
    app.freeze()
    req = make_mocked_request("GET", "/", app=app)
    data = await send(web.Response(text="x"), req)
    assert {"Server", "Date", "Content-Length"} <= set(seen)
    assert b"Server:" not in data


async def test_start_is_a_deprecated_prepare() -> None:
    req = make_mocked_request("GET", "/")
    resp = web.StreamResponse()
    with pytest.warns(DeprecationWarning, match="prepare"):
        fut = resp.start(req)
    await fut
    assert resp.prepared


async def test_state_mapping_and_repr() -> None:
    key = web.ResponseKey("k", int)
    resp = web.Response()
    resp[key] = 1
    assert dict(resp) == {key: 1}
    del resp[key]
    assert len(resp) == 0
    with pytest.warns(web.NotAppKeyWarning, match="web.ResponseKey"):
        resp["test_state_mapping_and_repr"] = 1
    resp["test_state_mapping_and_repr"] = 2  # warned once per key
    del resp["test_state_mapping_and_repr"]
    assert repr(resp) == "<Response OK not prepared>"
    await send(resp)
    assert repr(resp) == "<Response OK eof>"
    assert resp.body_length > 0
