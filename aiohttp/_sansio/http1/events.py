"""What the HTTP/1.1 parsers emit: light, immutable value objects.

``parser.feed(data)`` returns a list of events in wire order:

- one head (:class:`RequestHead` or :class:`ResponseHead`) per message;
- zero or more :class:`Data` events carrying body bytes (after transfer decoding);
- one :class:`EndOfMessage`, carrying the trailer section when there is one.

A 1xx informational response (RFC 9110 §15.2) is a :class:`ResponseHead` with ``status < 200``
that is followed by no body and no :class:`EndOfMessage`; the final response follows it.
"""

from __future__ import annotations

from typing import NamedTuple

from multidict import CIMultiDictProxy


class HttpVersion(NamedTuple):
    """An HTTP-version (RFC 9112 §2.3): ``HTTP/`` DIGIT ``.`` DIGIT."""

    major: int
    minor: int


HttpVersion10 = HttpVersion(1, 0)
HttpVersion11 = HttpVersion(1, 1)

RawHeaders = tuple[tuple[bytes, bytes], ...]


class RequestHead(NamedTuple):
    """A parsed request line and header section (RFC 9112 §3, §5).

    Attributes:
        method: The method token, case preserved (RFC 9110 §9.1).
        target: The request-target exactly as sent (origin-, absolute-, authority- or
            asterisk-form, RFC 9112 §3.2).
        version: The HTTP-version of the request line.
        headers: The field lines, names case-insensitive, in wire order.
        raw_headers: The same field lines as sent, as ``(name, value)`` byte pairs.
        keep_alive: Whether the connection persists after this message (RFC 9112 §9.3).
        upgrade: Whether the client asks to switch protocols (``Upgrade`` named in
            ``Connection``, RFC 9110 §7.8) or sent CONNECT.
        chunked: Whether the body uses the chunked transfer coding (RFC 9112 §7.1).
        compression: The last content coding named by ``Content-Encoding``, if any.
        content_length: The framed body length, or ``None`` for chunked bodies.
    """

    method: str
    target: str
    version: HttpVersion
    headers: CIMultiDictProxy[str]
    raw_headers: RawHeaders
    keep_alive: bool
    upgrade: bool
    chunked: bool
    compression: str | None
    content_length: int | None

    @property
    def path(self) -> str:
        """The request-target (aiohttp 3.x's name for it)."""
        return self.target

    @property
    def should_close(self) -> bool:
        """Whether the connection closes after this message (aiohttp 3.x's flag)."""
        return not self.keep_alive


class ResponseHead(NamedTuple):
    """A parsed status line and header section (RFC 9112 §4, §5).

    Attributes:
        version: The HTTP-version of the status line.
        status: The three-digit status code.
        reason: The reason phrase (may be empty).
        headers: The field lines, names case-insensitive, in wire order.
        raw_headers: The same field lines as sent, as ``(name, value)`` byte pairs.
        keep_alive: Whether the connection persists after this message.
        upgrade: Whether the server switched protocols (101, or 2xx to CONNECT).
        chunked: Whether the body uses the chunked transfer coding.
        compression: The last content coding named by ``Content-Encoding``, if any.
        content_length: The framed body length; ``None`` when chunked or read until close.
    """

    version: HttpVersion
    status: int
    reason: str
    headers: CIMultiDictProxy[str]
    raw_headers: RawHeaders
    keep_alive: bool
    upgrade: bool
    chunked: bool
    compression: str | None
    content_length: int | None

    @property
    def code(self) -> int:
        """The status code (aiohttp 3.x's name for it)."""
        return self.status

    @property
    def should_close(self) -> bool:
        """Whether the connection closes after this message (aiohttp 3.x's flag)."""
        return not self.keep_alive


class Data(NamedTuple):
    """A piece of message body, transfer coding already removed."""

    data: bytes


class EndOfMessage(NamedTuple):
    """The end of one message; ``trailers`` holds the trailer section (RFC 9112 §7.1.2)."""

    trailers: CIMultiDictProxy[str] | None = None


Event = RequestHead | ResponseHead | Data | EndOfMessage
