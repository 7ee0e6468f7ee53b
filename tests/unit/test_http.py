"""aiohttp.http: the aiohttp 3.x names for versions, heads and errors."""

from __future__ import annotations

import pytest

from aiohttp import http
from aiohttp._sansio import errors
from aiohttp._sansio.http1 import HttpVersion, RequestHead, ResponseHead


def test_names_are_the_core_objects() -> None:
    assert http.HttpVersion is HttpVersion
    assert http.HttpVersion11 == (1, 1)
    assert http.HttpVersion10 == (1, 0)
    assert http.RawRequestMessage is RequestHead
    assert http.RawResponseMessage is ResponseHead
    assert http.HttpProcessingError is errors.HttpProcessingError
    assert issubclass(http.LineTooLong, http.BadHttpMessage)
    assert all(hasattr(http, name) for name in http.__all__)


def test_websocket_message_types_of_3x() -> None:
    import json
    from decimal import Decimal

    from aiohttp import http_websocket

    text = http.WSMessage(http.WSMsgType.TEXT, '{"a": 1.5}', None)
    assert text.json() == {"a": 1.5}
    assert text.json(loads=lambda s: json.loads(s, parse_float=Decimal)) == {"a": Decimal("1.5")}
    raw = http.WSMessageTextBytes(http.WSMsgType.TEXT, b'{"a": 1}', None)
    assert raw.json() == {"a": 1}
    assert http.WSMessageDecodeText is http.WSMessage
    assert isinstance(raw, http.WSMessageNoDecodeText)
    assert isinstance(text, http.WSMessageNoDecodeText)
    assert http_websocket.WSMessageTextBytes is http.WSMessageTextBytes


def test_handshake_errors_are_3x_ws_handshake_errors() -> None:
    from aiohttp import http_websocket
    from aiohttp._sansio.websocket import HandshakeError

    assert issubclass(HandshakeError, http_websocket.WSHandshakeError)
    with pytest.raises(http_websocket.WSHandshakeError):
        raise HandshakeError(400, "no Upgrade: websocket")


def test_stream_writer_is_exported() -> None:
    from aiohttp import http_writer

    assert http.StreamWriter is http_writer.StreamWriter
