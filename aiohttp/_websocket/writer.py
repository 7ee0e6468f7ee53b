"""aiohttp 3.x import path for the WebSocket writer (see :mod:`aiohttp._io.websocket.plumbing`)."""

from .._io.websocket.plumbing import WebSocketWriter

__all__ = ["WebSocketWriter"]
