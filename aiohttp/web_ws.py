"""aiohttp 3.x import path for the server WebSocket (see :mod:`aiohttp.web.websocket`)."""

from ._sansio.websocket import WSMsgType
from .web.websocket import WebSocketReady, WebSocketResponse

__all__ = ["WSMsgType", "WebSocketReady", "WebSocketResponse"]
