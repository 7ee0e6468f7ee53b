"""aiohttp 3.x's protocol-bound HTTP parsers, over the sans-I/O ones.

:class:`HttpRequestParser` and :class:`HttpResponseParser` have 3.x's constructor and its
``feed_data()``/``feed_eof()``: bytes in, ``(message head, StreamReader)`` pairs out, the body
of each message fed into its reader. The parsing is :class:`~aiohttp._sansio.http1.RequestParser`'s
and :class:`~aiohttp._sansio.http1.ResponseParser`'s (one parser, as everywhere in the package), so
the heads are theirs (:class:`~aiohttp._sansio.http1.RequestHead`,
:class:`~aiohttp._sansio.http1.ResponseHead`, which 3.x calls ``RawRequestMessage`` and
``RawResponseMessage``) and so are the errors (3.x's ``BadHttpMessage`` tree). An error in a
head is raised; an error in a body is set on that body's reader, as 3.x does. The servers and
clients of this package do not use these classes: they are for code written against 3.x's.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any, Generic, TypeVar

from multidict import CIMultiDictProxy

from .._sansio.http1 import (
    Data,
    RequestHead,
    RequestParser,
    ResponseHead,
    ResponseParser,
    response_has_body,
)
from .._sansio.http1.head import parse_fields
from .._sansio.http1.parser import MessageParser
from .._sansio.limits import DEFAULT_LIMITS, HttpLimits
from .decoding import DecodingFeed
from .streams import EMPTY_PAYLOAD, FlowControlProtocol, StreamReader

__all__ = ["HeadersParser", "HttpParser", "HttpRequestParser", "HttpResponseParser"]

_MsgT = TypeVar("_MsgT", RequestHead, ResponseHead)
_MIN_RESPONSE = len(b"HTTP/1.1 200 \r\n\r\n")  # the shortest complete response head


def _limits(max_line_size: int, max_headers: int, max_field_size: int) -> HttpLimits:
    return dataclasses.replace(
        DEFAULT_LIMITS,
        max_request_line=max_line_size,
        max_status_line=max_line_size,
        max_field_size=max_field_size,
        max_fields=max_headers,
    )


class HeadersParser:
    """Parse a header section given as lines (3.x's ``HeadersParser``).

    Args:
        max_line_size: accepted for compatibility (a field line is limited by
            ``max_field_size``).
        max_headers: the most field lines.
        max_field_size: the most bytes in one field line.
        lax: replace obs-fold with a space (as a client reading a response may, RFC 9112 §5.2)
            instead of rejecting it.
    """

    def __init__(
        self,
        max_line_size: int = 8190,
        max_headers: int = 32768,
        max_field_size: int = 8190,
        lax: bool = False,
    ) -> None:
        self.max_line_size = max_line_size
        self.max_headers = max_headers
        self.max_field_size = max_field_size
        self._lax = lax
        self._limits = _limits(max_line_size, max_headers, max_field_size)

    def parse_headers(
        self, lines: list[bytes]
    ) -> tuple[CIMultiDictProxy[str], tuple[tuple[bytes, bytes], ...]]:
        """The fields of ``lines`` (without line endings) up to the first empty one.

        Raises:
            InvalidHeader, LineTooLong, BadHttpMessage: the lines break RFC 9112 §5.
        """
        block = bytearray()
        for line in lines:
            if not line:
                break
            block += line
            block += b"\r\n"
        raw, headers = parse_fields(bytes(block), self._limits, unfold=self._lax)
        return headers, raw


class HttpParser(Generic[_MsgT]):
    """What the request and response parsers share (3.x's base class; use a subclass).

    Args:
        protocol: the connection whose reading the bodies' readers pause and resume.
        loop: the event loop of the readers.
        limit: the readers' low-water mark in bytes.
        max_line_size: the most bytes in the request or status line.
        max_headers: the most field lines in a head.
        max_field_size: the most bytes in one field line.
        timer: passed to each reader (a timeout context for reads).
        code: accepted for compatibility.
        method: (responses) the method of the request answered; a response to ``HEAD`` has
            no body.
        payload_exception: the exception type set on a reader when its body is malformed
            (the parser's own error by default).
        response_with_body: (responses) ``False`` reads every response as bodiless.
        read_until_eof: accepted for compatibility: a response with no framing is read until
            the connection closes (RFC 9112 §6.3), as the sans-I/O parser always does.
        auto_decompress: remove the ``Content-Encoding`` from the bodies.
        max_msg_queue_size: accepted for compatibility.
    """

    def __init__(  # noqa: PLR0917 - the aiohttp 3.x signature
        self,
        protocol: Any = None,
        loop: asyncio.AbstractEventLoop | None = None,
        limit: int = 2**16,
        max_line_size: int = 8190,
        max_headers: int = 128,
        max_field_size: int = 8190,
        timer: Any = None,
        code: int | None = None,
        method: str | None = None,
        payload_exception: type[BaseException] | None = None,
        response_with_body: bool = True,
        read_until_eof: bool = False,
        auto_decompress: bool = True,
        max_msg_queue_size: int = 0,
    ) -> None:
        self.protocol = protocol
        self.loop = loop
        self.limit = limit
        self.max_line_size = max_line_size
        self.max_headers = max_headers
        self.max_field_size = max_field_size
        self.timer = timer
        self.code = code
        self.method = method
        self.payload_exception = payload_exception
        self.response_with_body = response_with_body
        self.read_until_eof = read_until_eof
        self.auto_decompress = auto_decompress
        self._parser = self._make_parser(_limits(max_line_size, max_headers, max_field_size))
        self._feed: StreamReader | DecodingFeed | None = None
        self._upgraded = False

    def _make_parser(self, limits: HttpLimits) -> MessageParser:
        raise NotImplementedError

    def _before_feed(self, data: bytes) -> None:
        """Hook run before ``data`` reaches the sans-I/O parser."""

    def set_upgraded(self, val: bool) -> None:
        """Mark the connection upgraded: later bytes are returned as the tail, unparsed."""
        self._upgraded = val

    def feed_data(
        self, data: bytes, *args: Any
    ) -> tuple[list[tuple[_MsgT, StreamReader]], bool, bytes]:
        """Parse ``data``.

        Returns:
            The heads completed, each with the reader of its body; whether the connection
            switched protocols; and the bytes after the switch (``b""`` otherwise).

        Raises:
            HttpProcessingError: a head breaks the protocol (3.x's ``BadHttpMessage`` tree).
        """
        if self._upgraded:
            return [], True, bytes(data)
        data = bytes(data)
        self._before_feed(data)
        messages: list[tuple[_MsgT, StreamReader]] = []
        self._dispatch(self._parser.feed(data), messages)
        error = self._parser.error
        if error is not None and self._feed is not None:
            self._fail_body(error)
        tail = b""
        if self._parser.holding:
            self._upgraded = True
            tail = self._parser.switch_protocols()
        return messages, self._upgraded, tail

    def feed_eof(self) -> None:
        """The connection closed: end a body read until close, or fail an unfinished one."""
        try:
            self._dispatch(self._parser.feed_eof(), [])
        except Exception as exc:
            if self._feed is None:
                raise
            self._fail_body(exc)

    def _fail_body(self, exc: BaseException) -> None:
        feed, self._feed = self._feed, None
        assert feed is not None
        if self.payload_exception is not None:
            exc = self.payload_exception(str(exc))
        feed.set_exception(exc)

    def _dispatch(self, events: list[Any], messages: list[tuple[_MsgT, StreamReader]]) -> None:
        for event in events:
            if isinstance(event, Data):
                assert self._feed is not None
                self._feed.feed_data(event.data)
            elif isinstance(event, RequestHead | ResponseHead):
                messages.append((event, self._start(event)))  # type: ignore[arg-type]
            elif self._feed is not None:  # EndOfMessage
                self._feed.feed_eof()
                self._feed = None

    def _start(self, head: RequestHead | ResponseHead) -> StreamReader:
        if not self._has_body(head):
            return EMPTY_PAYLOAD
        protocol: FlowControlProtocol = self.protocol
        reader = StreamReader(protocol, self.limit, timer=self.timer, loop=self.loop)
        self._feed = reader
        if head.compression and self.auto_decompress:
            self._feed = DecodingFeed(reader, head.compression)
        return reader

    def _has_body(self, head: RequestHead | ResponseHead) -> bool:
        return head.chunked or bool(head.content_length)


class HttpRequestParser(HttpParser[RequestHead]):
    """Requests in, as a server reads them (3.x's ``HttpRequestParser``).

    See :class:`HttpParser` for the arguments.
    """

    def _make_parser(self, limits: HttpLimits) -> MessageParser:
        return RequestParser(limits)


class HttpResponseParser(HttpParser[ResponseHead]):
    """Responses in, as a client reads them (3.x's ``HttpResponseParser``; see :class:`HttpParser`).

    Each response is taken as the answer to a request with ``method`` (``GET`` when not given).
    """

    def _make_parser(self, limits: HttpLimits) -> MessageParser:
        self._awaiting = 0
        return ResponseParser(limits)

    def _before_feed(self, data: bytes) -> None:
        # The sans-I/O parser matches each response to a request sent (RFC 9112 §9.2); here
        # every response answers ``method``: expect as many as ``data`` could hold.
        wanted = len(data) // _MIN_RESPONSE + 1
        if self._awaiting < wanted:
            method = "HEAD" if not self.response_with_body else self.method or "GET"
            parser = self._parser
            assert isinstance(parser, ResponseParser)
            for _ in range(wanted - self._awaiting):
                parser.expect_response(method)
            self._awaiting = wanted

    def _start(self, head: RequestHead | ResponseHead) -> StreamReader:
        assert isinstance(head, ResponseHead)
        if head.status >= 200 or head.status == 101:  # a 1xx other than 101 is not the answer
            self._awaiting -= 1
        return super()._start(head)

    def _has_body(self, head: RequestHead | ResponseHead) -> bool:
        assert isinstance(head, ResponseHead)
        method = "HEAD" if not self.response_with_body else self.method or "GET"
        if not response_has_body(method, head.status):
            return False
        return head.chunked or head.content_length != 0
