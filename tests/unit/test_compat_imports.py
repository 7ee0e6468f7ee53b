"""Names that 3.x modules expose beyond ``__all__`` and that extensions import from there."""

from __future__ import annotations

import importlib

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
    from aiohttp.web.dev_mode import DEBUG
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
