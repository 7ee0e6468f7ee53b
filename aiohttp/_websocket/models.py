"""aiohttp 3.x import path for the WebSocket message types (see :mod:`aiohttp.http`)."""

from .._sansio.websocket.deflate import DEFLATE_TRAILING as WS_DEFLATE_TRAILING
from .._sansio.websocket.errors import WSHandshakeError
from ..http import (
    WS_CLOSED_MESSAGE,
    WS_CLOSING_MESSAGE,
    WebSocketError,
    WSCloseCode,
    WSMessage,
    WSMessageDecodeText,
    WSMessageNoDecodeText,
    WSMessageTextBytes,
    WSMsgType,
)

__all__ = [
    "WS_CLOSED_MESSAGE",
    "WS_CLOSING_MESSAGE",
    "WS_DEFLATE_TRAILING",
    "WSCloseCode",
    "WSHandshakeError",
    "WSMessage",
    "WSMessageDecodeText",
    "WSMessageNoDecodeText",
    "WSMessageTextBytes",
    "WSMsgType",
    "WebSocketError",
]
