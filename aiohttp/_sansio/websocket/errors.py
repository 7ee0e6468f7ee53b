"""WebSocket errors, each carrying the close code to answer with.

::

    Exception
     +-- WebSocketError(code, message)           something went wrong on a WebSocket
     |    +-- WebSocketProtocolError             the peer broke RFC 6455/7692: 1002
     |    |    +-- InvalidUTF8Error              text was not UTF-8 (§8.1): 1007
     |    |    +-- MessageTooBigError            a size limit was passed: 1009
     |    +-- HandshakeError(status, message)    the opening handshake failed (§4)
     |    +-- InvalidStateError                  local misuse, e.g. sending after close
     +-- WSHandshakeError                        aiohttp 3.x's name; HandshakeError is one
"""

from __future__ import annotations

__all__ = [
    "HandshakeError",
    "InvalidStateError",
    "InvalidUTF8Error",
    "MessageTooBigError",
    "WSHandshakeError",
    "WebSocketError",
    "WebSocketProtocolError",
]


class WebSocketError(Exception):
    """A WebSocket failure; :attr:`code` is the close code to send (aiohttp 3.x API).

    Args:
        code: the close code (RFC 6455 §7.4.1).
        message: a short reason.
    """

    def __init__(self, code: int, message: str) -> None:
        self.code = code
        super().__init__(code, message)

    def __str__(self) -> str:
        return str(self.args[1])


class WebSocketProtocolError(WebSocketError):
    """The peer violated the protocol; close with 1002 unless a subclass says otherwise."""

    def __init__(self, message: str, code: int = 1002) -> None:
        super().__init__(code, message)


class InvalidUTF8Error(WebSocketProtocolError):
    """A text message or close reason was not valid UTF-8 (RFC 6455 §8.1): close 1007."""

    def __init__(self, message: str = "invalid UTF-8 in text") -> None:
        super().__init__(message, 1007)


class MessageTooBigError(WebSocketProtocolError):
    """A frame or message passed a configured limit: close 1009 (RFC 6455 §7.4.1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 1009)


class WSHandshakeError(Exception):
    """The WebSocket opening handshake failed (aiohttp 3.x's name)."""


class HandshakeError(WebSocketError, WSHandshakeError):
    """The opening handshake failed (RFC 6455 §4).

    Args:
        status: the HTTP status a server answers with (400, 426, ...).
        message: a short reason.
        headers: extra response headers (e.g. ``Sec-WebSocket-Version`` with a 426).
    """

    def __init__(
        self, status: int, message: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> None:
        super().__init__(1002, message)
        self.status = status
        self.headers = headers


class InvalidStateError(WebSocketError):
    """The local side used the connection wrongly (e.g. sending after a close)."""

    def __init__(self, message: str) -> None:
        super().__init__(1011, message)
