"""Names that 3.x modules expose beyond ``__all__`` and that extensions import from there."""

from __future__ import annotations

import importlib
import zlib

import pytest
from multidict import CIMultiDict

from aiohttp import http, web


@pytest.mark.parametrize(
    ("module", "name", "expected"),
    [
        # aiohttp-swagger3 annotates with ``from aiohttp.abc import StreamResponse``.
        ("aiohttp.abc", "StreamResponse", web.StreamResponse),
        ("aiohttp.abc", "BaseRequest", web.BaseRequest),
        ("aiohttp.abc", "Request", web.Request),
        ("aiohttp.abc", "Application", web.Application),
        ("aiohttp.abc", "HTTPException", web.HTTPException),
        # aiohttp-rpc annotates with ``web_ws.WSMessage``.
        ("aiohttp.web_ws", "WSMessage", http.WSMessage),
        ("aiohttp.web_ws", "WSCloseCode", http.WSCloseCode),
        ("aiohttp.web_ws", "WebSocketError", http.WebSocketError),
        ("aiohttp.web_ws", "WS_CLOSED_MESSAGE", http.WS_CLOSED_MESSAGE),
        ("aiohttp.web_ws", "WS_CLOSING_MESSAGE", http.WS_CLOSING_MESSAGE),
        ("aiohttp.web_ws", "WS_KEY", http.WS_KEY),
        # aiohttp-wsgi: ``from aiohttp.web_response import CIMultiDict``.
        ("aiohttp.web_response", "CIMultiDict", CIMultiDict),
    ],
)
def test_module_attribute_is_the_web_class(module: str, name: str, expected: object) -> None:
    assert getattr(importlib.import_module(module), name) is expected


def test_3x_module_constants_are_the_ones_the_server_uses() -> None:
    from aiohttp import helpers, web_protocol, web_request, web_urldispatcher
    from aiohttp._io.dev_mode import DEBUG
    from aiohttp.web.server.lowlevel import make_config

    # The pipelining bound is the low-level server's default (32, as in 3.x).
    assert web_protocol.MAX_MSG_QUEUE_SIZE == make_config().max_pipelined_requests == 32
    # Form files above this size are spooled to disk (1 MiB, as in 3.x).
    assert web_request._FILE_SPOOL_MAX_SIZE == 1024**2
    assert helpers.DEBUG is DEBUG
    assert frozenset({"HEAD"}) == helpers.EMPTY_BODY_METHODS
    # A Forwarded pair (RFC 7239 §4): token "=" token / quoted-string.
    match = web_request._FORWARDED_PAIR_RE.fullmatch('for="[2001:db8::1]:80"')
    assert match is not None
    assert match.group(1, 2) == ("for", '"[2001:db8::1]:80"')
    assert web_request._FORWARDED_PAIR_RE.fullmatch("for") is None
    # Route patterns separate segments with PATH_SEP.
    resource = web.DynamicResource("/{a}/{b}")
    sep = web_urldispatcher.PATH_SEP
    assert (
        resource.get_info()["pattern"].pattern
        == f"{sep}(?P<a>[^{{}}{sep}]+){sep}(?P<b>[^{{}}{sep}]+)"
    )


def test_3x_websocket_module_paths_give_the_pieces_that_do_the_job() -> None:
    from aiohttp import http, http_websocket
    from aiohttp._websocket import helpers, models, reader, writer

    assert reader.WebSocketReader is http.WebSocketReader is http_websocket.WebSocketReader
    assert writer.WebSocketWriter is http.WebSocketWriter is http_websocket.WebSocketWriter
    assert reader.WebSocketDataQueue is not None
    assert models.WSMsgType is http.WSMsgType
    assert http.ws_ext_parse is helpers.ws_ext_parse is http_websocket.ws_ext_parse
    assert http.ws_ext_gen is helpers.ws_ext_gen is http_websocket.ws_ext_gen
    # What a sync-flushed deflate block ends with (RFC 7692 §7.2.1).
    compressor = zlib.compressobj(wbits=-15)
    block = compressor.compress(b"hello") + compressor.flush(zlib.Z_SYNC_FLUSH)
    assert block.endswith(models.WS_DEFLATE_TRAILING)
    # The head packers give RFC 6455 §5.2 frame heads; a Close frame starts with its code.
    assert helpers.PACK_LEN1(0x81, 5) == b"\x81\x05"
    assert helpers.PACK_LEN2(0x82, 126, 300) == b"\x82\x7e\x01\x2c"
    assert helpers.PACK_LEN3(0x82, 127, 70000) == b"\x82\x7f" + (70000).to_bytes(8, "big")
    assert helpers.PACK_CLOSE_CODE(1001) == b"\x03\xe9"
    assert helpers.WS_KEY == b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def test_3x_serialize_headers_checks_and_serializes_a_head() -> None:
    from aiohttp.http_writer import _serialize_headers

    head = _serialize_headers("HTTP/1.1 200 OK", CIMultiDict({"Content-Type": "text/plain"}))
    assert head == b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"
    # RFC 9110 §5.5: no CR, LF or NUL in a field value (no header injection).
    with pytest.raises(ValueError, match="Invalid header"):
        _serialize_headers("HTTP/1.1 200 OK", CIMultiDict({"X": "a\r\nSet-Cookie: b"}))


def test_3x_names_of_web_request_and_web_urldispatcher() -> None:
    from aiohttp import helpers, web_request, web_urldispatcher

    assert web_request.ETag is helpers.ETag
    assert web_request.ETag(value="abc").is_weak is False
    route = web.ResourceRoute("GET", _handler, web.PlainResource("/"))
    assert route._expect_handler is web_urldispatcher._default_expect_handler


async def _handler(request: web.Request) -> web.Response:
    return web.Response()


# ``import aiohttp`` alone makes these 3.x submodules attributes of the package, and code reads
# them that way (``aiohttp.client_exceptions.ClientError``, ``aiohttp.connector.TCPConnector``).
_3X_SUBMODULES = [
    "_cookie_helpers",
    "_websocket",
    "abc",
    "base_protocol",
    "client",
    "client_exceptions",
    "client_middleware_digest_auth",
    "client_middlewares",
    "client_proto",
    "client_reqrep",
    "client_ws",
    "compression_utils",
    "connector",
    "cookiejar",
    "formdata",
    "hdrs",
    "helpers",
    "http",
    "http_exceptions",
    "http_parser",
    "http_websocket",
    "http_writer",
    "log",
    "multipart",
    "payload",
    "payload_streamer",
    "resolver",
    "streams",
    "tcp_helpers",
    "tracing",
    "typedefs",
]


def test_import_aiohttp_makes_the_3x_submodules_attributes() -> None:
    import subprocess
    import sys

    code = (
        "import aiohttp, sys; "
        f"missing = [n for n in {_3X_SUBMODULES!r} if not hasattr(aiohttp, n)]; "
        "print(' '.join(missing)); sys.exit(1 if missing else 0)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"not attributes after a bare import: {done.stdout}{done.stderr}"
