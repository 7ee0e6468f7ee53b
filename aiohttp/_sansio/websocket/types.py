"""Public WebSocket value types: message kinds, messages and close codes (RFC 6455).

These are the names of aiohttp 3.x: :class:`WSMsgType`, :class:`WSMessage`, :class:`WSCloseCode`.
"""

from __future__ import annotations

import enum
import json
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

__all__ = [
    "WS_CLOSED_MESSAGE",
    "WS_CLOSING_MESSAGE",
    "WSCloseCode",
    "WSMessage",
    "WSMessageDecodeText",
    "WSMessageNoDecodeText",
    "WSMessageTextBytes",
    "WSMsgType",
]


class WSMsgType(enum.IntEnum):
    """The kind of a :class:`WSMessage`.

    The first six values are the frame opcodes of RFC 6455 §5.2 (§5.5 for the control frames);
    ``CLOSING``, ``CLOSED`` and ``ERROR`` are local states that never appear on the wire.
    The lower-case names are the aliases aiohttp 3.x keeps for older code.
    """

    CONTINUATION = 0x0
    TEXT = 0x1
    BINARY = 0x2
    PING = 0x9
    PONG = 0xA
    CLOSE = 0x8
    CLOSING = 0x100
    CLOSED = 0x101
    ERROR = 0x102

    continuation = CONTINUATION
    text = TEXT
    binary = BINARY
    ping = PING
    pong = PONG
    close = CLOSE
    closing = CLOSING
    closed = CLOSED
    error = ERROR


class WSCloseCode(enum.IntEnum):
    """Close status codes registered by RFC 6455 §7.4.1 and the IANA registry (§11.7)."""

    OK = 1000
    GOING_AWAY = 1001
    PROTOCOL_ERROR = 1002
    UNSUPPORTED_DATA = 1003
    ABNORMAL_CLOSURE = 1006
    INVALID_TEXT = 1007
    POLICY_VIOLATION = 1008
    MESSAGE_TOO_BIG = 1009
    MANDATORY_EXTENSION = 1010
    INTERNAL_ERROR = 1011
    SERVICE_RESTART = 1012
    TRY_AGAIN_LATER = 1013
    BAD_GATEWAY = 1014


class WSMessage(NamedTuple):
    """One received WebSocket message or local event.

    Attributes:
        type: the :class:`WSMsgType`.
        data: ``str`` for TEXT, ``bytes`` for BINARY/PING/PONG, the close code (``int``) for CLOSE,
            the exception for ERROR, ``None`` otherwise.
        extra: the close reason (``str``) for CLOSE, else ``None``.
    """

    type: WSMsgType
    data: Any
    extra: Any

    @property
    def tp(self) -> WSMsgType:
        """Deprecated alias of :attr:`type`."""
        warnings.warn("WSMessage.tp is deprecated, use WSMessage.type", DeprecationWarning, 2)
        return self.type

    def json(self, *, loads: Callable[[Any], Any] = json.loads) -> Any:
        """Decode the message data as JSON.

        Args:
            loads: the decoder.
        """
        return loads(self.data)


class WSMessageTextBytes(NamedTuple):
    """A TEXT message delivered undecoded: ``data`` is its UTF-8 bytes (``decode_text=False``).

    Attributes:
        type: :attr:`WSMsgType.TEXT`.
        data: the payload as ``bytes``.
        extra: ``None``.
    """

    type: WSMsgType
    data: Any
    extra: Any

    def json(self, *, loads: Callable[[Any], Any] = json.loads) -> Any:
        """Decode the message data as JSON (``json.loads`` takes bytes too)."""
        return loads(self.data)


#: What a connection that decodes text delivers (aiohttp 3.x's name).
WSMessageDecodeText = WSMessage
#: What a connection that leaves text undecoded delivers (aiohttp 3.x's name).
WSMessageNoDecodeText = WSMessage | WSMessageTextBytes


WS_CLOSED_MESSAGE = WSMessage(WSMsgType.CLOSED, None, None)
WS_CLOSING_MESSAGE = WSMessage(WSMsgType.CLOSING, None, None)

# Codes an endpoint may put in a Close frame (RFC 6455 §7.4.1, §7.4.2): the registered ones
# below 3000, and the whole 3000-4999 range (IANA registered and private use). 1005, 1006 and
# 1015 are reserved for local reporting and never sent.
_SENDABLE_REGISTERED = frozenset(
    {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014}
)


def is_valid_close_code(code: int) -> bool:
    """Whether ``code`` may appear in a Close frame on the wire (RFC 6455 §7.4)."""
    return code in _SENDABLE_REGISTERED or 3000 <= code <= 4999
