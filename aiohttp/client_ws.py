"""aiohttp 3.x import path for the client WebSocket (see :mod:`aiohttp.client.websocket`)."""

from .client.websocket import ClientWebSocketResponse, ClientWSTimeout

__all__ = ["ClientWSTimeout", "ClientWebSocketResponse"]
