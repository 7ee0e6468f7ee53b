"""The client's incremental HTTP/1.1 parser: :class:`ResponseParser` (RFC 9112 §4).

It reads bytes in any split, as :class:`~aiohttp._sansio.http1.parser.MessageParser` does, and
matches each response to the method of the request it answers.
"""

from __future__ import annotations

from collections import deque
from typing import cast

from ..errors import BadHttpMessage
from ..hdrs import CONNECTION, CONTENT_ENCODING, CONTENT_LENGTH
from ..limits import HttpLimits
from .events import Event, HttpVersion, ResponseHead
from .framing import content_coding, keep_alive, list_options, response_framing
from .head import parse_fields, parse_status_line
from .parser import (
    _CHUNKED,
    _FAILED,
    _LENGTH,
    _TUNNEL,
    _UNTIL_CLOSE,
    MessageParser,
    _tuple_new,
)
from .readers import READERS, BodyReader, ContentLengthReader

__all__ = ["ResponseParser"]


class ResponseParser(MessageParser):
    """Parse responses, as a client reads them (RFC 9112 §4).

    Call :meth:`expect_response` with the method of each request sent, in order, before its
    response arrives, so the parser knows that a response to HEAD has no body and that a 2xx
    answer to CONNECT opens a tunnel. Bytes arriving when no request is pending raise
    :class:`~aiohttp._sansio.errors.BadHttpMessage`: the connection cannot be trusted.

    Args:
        limits: The size limits to enforce.
        lenient: Recover where RFC 9112 lets a recipient recover instead of rejecting: a
            response with both Transfer-Encoding and Content-Length is read as chunked (§6.3
            (3)) and the connection is not reused. Off by default.

    1xx responses other than 101 come out as heads with no body and no end of message; the
    final response follows (see :mod:`aiohttp._sansio.http1.events`). After a 101 or a 2xx
    answer to CONNECT the head is followed by
    :class:`~aiohttp._sansio.http1.events.EndOfMessage` and the parser holds further bytes for
    :meth:`~aiohttp._sansio.http1.parser.MessageParser.switch_protocols`. obs-fold in a field
    value is replaced by SP (RFC 9112 §5.2).
    """

    __slots__ = ("_lenient", "_methods")

    _line_what = "status line"

    def __init__(self, limits: HttpLimits | None = None, *, lenient: bool = False) -> None:
        super().__init__(limits)
        self._line_limit = self._limits.max_status_line
        self._lenient = lenient
        self._methods: deque[str] = deque()
        self._head: ResponseHead | None = None

    def expect_response(self, method: str) -> None:
        """Record that a request with ``method`` was sent; responses are matched in order."""
        self._methods.append(method)

    def _read_head(self, data: bytes, pos: int, events: list[Event]) -> int:
        # RFC 9112 §9.2: a response with no request waiting for it cannot be matched to one; it
        # must not become the answer to the next request.
        if not self._methods:
            error = BadHttpMessage("Response bytes received with no request pending")
            if not events:
                raise error
            # Complete events came first: return them, keep the stray bytes visible in
            # ``buffered`` (the connection must not be reused) and raise on the next call.
            self._state, self._error = _FAILED, error
            self._buf += memoryview(data)[pos:]
            return len(data)
        return super()._read_head(data, pos, events)

    _parse_start = staticmethod(parse_status_line)

    def _on_head(self, start: tuple[object, ...], block: bytes, events: list[Event]) -> None:
        version, status, reason = cast("tuple[HttpVersion, int, str]", start)
        limits = self._limits
        raw, headers = parse_fields(block, limits, unfold=True)
        methods = self._methods
        method = methods[0]
        framing, length = response_framing(method, status, version, headers, lenient=self._lenient)
        connection = headers.getall(CONNECTION, None)
        persist = (
            keep_alive(version, [] if connection is None else list_options(connection))
            and framing is not _UNTIL_CLOSE
        )
        if framing is _CHUNKED and CONTENT_LENGTH in headers:
            persist = False  # the lenient reading of §6.3 (3): never reuse the connection
        head: ResponseHead = _tuple_new(
            ResponseHead,
            (
                version,
                status,
                reason,
                headers,
                raw,
                persist,
                framing is _TUNNEL,
                framing is _CHUNKED,
                content_coding(headers) if CONTENT_ENCODING in headers else None,
                length,
            ),
        )
        events.append(head)
        if 100 <= status < 200 and status != 101:
            return  # interim response: the final one follows (RFC 9110 §15.2)
        # Below 100 is invalid and processed as a 5xx (RFC 9110 §15): a final response.
        methods.popleft()
        self._head = head
        if framing is _LENGTH:  # the common case first; READERS has the rest
            reader_type: type[BodyReader] | None = ContentLengthReader if length else None
        else:
            reader_type = READERS.get(framing)
        if reader_type is None:
            self._start_body(None, events)
        else:
            self._start_body(reader_type(length, limits), events)
