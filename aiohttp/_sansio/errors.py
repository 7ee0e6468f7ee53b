"""Errors raised by the sans-I/O HTTP/1.1 core, saying whose fault it was.

Every :class:`HttpProcessingError` means **the peer** sent something we will not accept: a
server answers it with ``code`` (and ``headers``) and closes the connection; a client turns it
into a specific client error. Mistakes made by our own caller are never in that tree: sending
what the connection's state forbids raises :class:`LocalProtocolError` (a ``RuntimeError``),
and a field value with CR or LF in it ``ValueError``, so neither can be mistaken for the
peer's fault::

    LocalProtocolError (RuntimeError)       our caller broke the protocol (nothing was sent)

    HttpProcessingError                     code, message, headers (the aiohttp 3.x base)
    └── BadHttpMessage                      400  malformed message from the peer
        ├── HttpBadRequest                  400  the aiohttp 3.x name for a plain 400
        ├── BadStatusLine                   400  request line or status line
        │   ├── BadHttpMethod               400  method is not a token
        │   └── UnsupportedVersion          505  HTTP-version with a major other than 1
        ├── InvalidURLError                 400  request-target of the wrong form
        ├── InvalidHeader                   400  field line or field value breaks the grammar
        ├── LineTooLong                     414 request line, 431 field line, 400 otherwise
        ├── HeaderSectionTooLarge           431  too many fields or too many bytes in the head
        ├── PayloadEncodingError            400  the body's framing is broken
        │   ├── ContentEncodingError        400  a content coding cannot be decoded
        │   ├── ContentLengthError          400  bad Content-Length, or EOF before the end
        │   └── TransferEncodingError       400  bad chunked framing (501: coding not supported)
        └── RemoteProtocolError             400 (502 from a server)  a message out of turn
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

__all__ = [
    "BadHttpMessage",
    "BadHttpMethod",
    "BadStatusLine",
    "ContentEncodingError",
    "ContentLengthError",
    "HeaderSectionTooLarge",
    "HttpBadRequest",
    "HttpProcessingError",
    "InvalidHeader",
    "InvalidURLError",
    "LineTooLong",
    "LocalProtocolError",
    "PayloadEncodingError",
    "RemoteProtocolError",
    "TransferEncodingError",
    "UnsupportedVersion",
]


class HttpProcessingError(Exception):
    """Base of every HTTP processing error.

    Args:
        code: The HTTP status to answer with; the class default when omitted.
        message: A short human-readable reason.
        headers: Extra header fields to send with the error response.

    Attributes:
        code: The HTTP status to answer with.
        message: A short reason, safe to show to the peer.
        headers: Extra header fields for the error response, or ``None``.
    """

    code = 0
    message = ""
    headers: Mapping[str, str] | None = None

    def __init__(
        self,
        *,
        code: int | None = None,
        message: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if code is not None:
            self.code = code
        self.headers = headers
        self.message = message
        super().__init__()

    def __str__(self) -> str:
        # The 3.x layout: the status, then the message indented on its own lines.
        return f"{self.code}, message:\n{textwrap.indent(self.message, '  ')}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.code}, message={self.message!r}>"


class BadHttpMessage(HttpProcessingError):
    """The peer sent a message that breaks the HTTP/1.1 grammar or framing rules.

    Args:
        message: A short reason.
        code: The status to answer with (default 400).
        headers: Extra header fields for the error response.
    """

    code = 400
    message = "Bad Request"

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code=code, message=message, headers=headers)
        self.args = (message,)


class HttpBadRequest(BadHttpMessage):
    """A plain 400 Bad Request (the aiohttp 3.x name)."""


class BadStatusLine(BadHttpMessage):
    """The request line or status line is malformed (RFC 9112 §3, §4).

    Args:
        line: The offending line (shown in the message, truncated).
        error: A specific reason; a generic one naming ``line`` when omitted.
        code: The status to answer with (default 400).
    """

    def __init__(
        self, line: str | bytes = "", error: str | None = None, *, code: int | None = None
    ) -> None:
        text = str(line)
        super().__init__(error or f"Bad status line {text[:80]!r}", code=code)
        self.line = text
        self.args = (text,)


class BadHttpMethod(BadStatusLine):
    """The method is not a token (RFC 9110 §9.1)."""

    def __init__(self, line: str | bytes = "", error: str | None = None) -> None:
        text = str(line)
        super().__init__(text, error or f"Bad HTTP method in status line {text[:80]!r}")


class UnsupportedVersion(BadStatusLine):
    """The HTTP-version has a major version other than 1 (RFC 9110 §15.6.6: 505)."""

    code = 505

    def __init__(self, version: str) -> None:
        super().__init__(version, f"HTTP version not supported: {version[:16]!r}")


class InvalidURLError(BadHttpMessage):
    """The request-target does not have a form allowed for the method (RFC 9112 §3.2)."""


class InvalidHeader(BadHttpMessage):
    """A field line breaks the grammar, or a field value is invalid (RFC 9112 §5).

    Args:
        hdr: The offending field line or field name.
        error: A specific reason; a generic one naming ``hdr`` when omitted.
    """

    def __init__(self, hdr: bytes | str, error: str | None = None) -> None:
        text = hdr.decode("utf-8", "backslashreplace") if isinstance(hdr, bytes) else hdr
        super().__init__(error or f"Invalid HTTP header: {hdr[:80]!r}")
        self.hdr = text
        self.args = (hdr,)


class LineTooLong(BadHttpMessage):
    """A line is longer than its limit.

    Args:
        line: What was being read (``"request line"``, ``"field line"``) or its start.
        limit: The configured limit in bytes.
        actual_size: How many bytes were seen, as far as known (kept in ``args``).
        code: 414 for the request line, 431 for a field line, 400 otherwise.
    """

    def __init__(
        self,
        line: str | bytes,
        limit: int | str = "Unknown",
        actual_size: int | str = "Unknown",
        *,
        code: int | None = None,
    ) -> None:
        super().__init__(f"Got more than {limit} bytes when reading: {line[:100]!r}.", code=code)
        self.args = (line, limit, actual_size)


class HeaderSectionTooLarge(BadHttpMessage):
    """Too many field lines, or too many bytes in the head (RFC 6585 §5: 431)."""

    code = 431


class PayloadEncodingError(BadHttpMessage):
    """The message body's framing or coding is broken."""


class ContentEncodingError(PayloadEncodingError):
    """A content coding (``Content-Encoding``) cannot be decoded."""


class ContentLengthError(PayloadEncodingError):
    """``Content-Length`` is invalid or ambiguous, or the body ended early."""


class TransferEncodingError(PayloadEncodingError):
    """``Transfer-Encoding`` is invalid or unsupported, or the chunked framing is broken."""


class RemoteProtocolError(BadHttpMessage):
    """The peer sent a message its state forbids (RFC 9112 §9, RFC 9110 §7.8, §15.2).

    A well-formed message at the wrong time: a 101 that answers no Upgrade, a response with no
    request waiting for it, a message where the connection was to carry no more.

    Args:
        message: A short reason.
        code: The status to answer with: 400 when the peer is a client, 502 when it is a server
            (what a gateway answers for an invalid response, RFC 9110 §15.6.3).
    """


class LocalProtocolError(RuntimeError):
    """Our own caller tried to send what the connection's state forbids.

    Sending a response when no request waits for one, more body than ``Content-Length``
    announced, a 1xx to an HTTP/1.0 client ... The message says which rule was broken; nothing
    was sent. Never raised for something the peer did.
    """
