"""WebSocket (RFC 6455) and permessage-deflate (RFC 7692), with no I/O.

``types`` holds the public value types, ``frames`` the framing layer, ``message`` the assembly of
fragments, ``deflate`` the compression extension, ``handshake`` the opening handshake and
``connection`` the endpoint that ties them together with the closing handshake.
"""

from .connection import DEFAULT_MAX_MSG_SIZE, ConnectionState, WebSocketConnection
from .deflate import DeflateParams
from .errors import (
    HandshakeError,
    InvalidStateError,
    InvalidUTF8Error,
    MessageTooBigError,
    WebSocketError,
    WebSocketProtocolError,
)
from .types import WSCloseCode, WSMessage, WSMsgType

__all__ = [
    "DEFAULT_MAX_MSG_SIZE",
    "ConnectionState",
    "DeflateParams",
    "HandshakeError",
    "InvalidStateError",
    "InvalidUTF8Error",
    "MessageTooBigError",
    "WSCloseCode",
    "WSMessage",
    "WSMsgType",
    "WebSocketConnection",
    "WebSocketError",
    "WebSocketProtocolError",
]
