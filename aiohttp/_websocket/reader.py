"""aiohttp 3.x import path for the WebSocket reader (see :mod:`aiohttp._io.websocket.plumbing`)."""

from .._io.websocket.plumbing import WebSocketDataQueue, WebSocketReader

__all__ = ["WebSocketDataQueue", "WebSocketReader"]
