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
