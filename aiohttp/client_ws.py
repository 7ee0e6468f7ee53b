"""aiohttp 3.x import path for the client WebSocket (see :mod:`aiohttp.client.websocket`)."""

from .client.websocket import DEFAULT_WS_CLIENT_TIMEOUT, ClientWebSocketResponse, ClientWSTimeout

__all__ = ["DEFAULT_WS_CLIENT_TIMEOUT", "ClientWSTimeout", "ClientWebSocketResponse"]
