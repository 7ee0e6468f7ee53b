"""The asyncio side of a WebSocket, shared by the server's and the client's WebSocket objects.

:mod:`.channel` is the connection's receiver (framing, pings, closing, timeouts);
:mod:`.messages` is the public message API both ``web.WebSocketResponse`` and
``ClientWebSocketResponse`` inherit.
"""

from .channel import WebSocketChannel
from .messages import FragmentSender, SendResult, WebSocketMessages

__all__ = ["FragmentSender", "SendResult", "WebSocketChannel", "WebSocketMessages"]
