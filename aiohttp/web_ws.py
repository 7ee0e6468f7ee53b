"""aiohttp 3.x import path for the server WebSocket (see :mod:`aiohttp.web.messages.websocket`)."""

from ._sansio.websocket import WSMsgType
from .http import (  # noqa: F401 - 3.x code imports these from here too
    WS_CLOSED_MESSAGE,
    WS_CLOSING_MESSAGE,
    WS_KEY,
    WebSocketError,
    WSCloseCode,
    WSMessage,
)
from .web.messages.websocket import WebSocketReady, WebSocketResponse

__all__ = ["WSMsgType", "WebSocketReady", "WebSocketResponse"]
