"""The client's connection protocol: response bytes in, heads and body streams out.

:class:`ResponseHandler` sits on :class:`aiohttp._io.protocol.BaseProtocol` and drives one
:class:`aiohttp._sansio.http1.ResponseParser` per connection. For each request the caller
calls :meth:`ResponseHandler.expect_response`, writes the request, then awaits
:meth:`ResponseHandler.read_head`, which gives the final :class:`ResponseHead` and the body
:class:`~aiohttp._io.streams.StreamReader`. The parser's events flow one way:

- a 1xx head wakes an ``Expect: 100-continue`` waiter and is otherwise skipped;
- the final head resolves the head waiter; a head directly followed by the end of the message
  gets the shared always-empty payload;
- body bytes go to the payload, through the content decoder when one is set: the decoder
  yields pieces of at most its chunk size, and once the payload is above its high-water mark
  the rest of the decoding (and every event after it) waits until the reader drains the
  payload, so a small compressed body that expands enormously never sits in memory whole
  (:mod:`aiohttp.client.held_decoding`);
- the end of the message ends the payload and calls ``on_message_complete`` (the connector
  puts a keep-alive connection back in its pool there).

Failures are translated here, once: a parser error before the head is raised from
:meth:`ResponseHandler.read_head` as the parser's own ``HttpProcessingError`` (the request,
which knows the request info, turns it into :class:`ClientResponseError`); after the head the
payload gets :class:`ClientPayloadError`; a connection that closes early, even in the middle
of a head, gives :class:`ServerDisconnectedError`.

Code written for aiohttp 3.x reads responses from the protocol as a queue instead
(:mod:`aiohttp.client.response_queue`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, cast

from .._io.protocol import DEFAULT_READ_BUFFER_SIZE, Receiver
from .._io.streams import EMPTY_PAYLOAD, StreamReader
from .._sansio.codings import ContentCodingError
from .._sansio.errors import HttpProcessingError
from .._sansio.http1 import ResponseParser
from .._sansio.http1.events import Data, EndOfMessage, ResponseHead
from .._sansio.limits import HttpLimits
from .decoders import ContentDecoder
from .exceptions import ClientPayloadError, ServerDisconnectedError
from .held_decoding import HeldDecoding, payload_error
from .protocol_compat import ResponseHandlerCompat
from .response_queue import ResponseQueue

__all__ = ("ContentDecoder", "ResponseHandler")


class _Lost:
    """The connection closed while decoded body was still waiting for the reader."""

    __slots__ = ("exc",)

    def __init__(self, exc: BaseException | None) -> None:
        self.exc = exc


class _Broken:
    """The bytes after the events before it break the protocol (a deferred parser error)."""

    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def _disconnected(exc: BaseException) -> ServerDisconnectedError:
    """The error of a connection closed in the middle of a response head."""
    err = ServerDisconnectedError()
    err.__cause__ = exc
    return err


def _unfinished_error(exc: BaseException) -> ClientPayloadError:
    """The error a body stream cut short by ``exc`` fails its reads with."""
    if isinstance(exc, ClientPayloadError):
        return exc
    err = ClientPayloadError(f"Response payload is not completed: {exc!r}")
    err.__cause__ = exc
    return err


class ResponseHandler(ResponseHandlerCompat, HeldDecoding, ResponseQueue):
    """One client connection: parses responses and feeds their bodies.

    Args:
        loop: The event loop.
        limits: The parser's size limits (line, field and header-count caps).
        read_bufsize: The body stream's low-water mark in bytes; never below one socket read
            (256 KiB), so the stream does not pause and resume reading after every read.

    Attributes:
        on_message_complete: Called once a response ends (set by the connector).
        continued: Whether ``100 Continue`` arrived for the current request.
    It is also aiohttp 3.x's queue of ``(head, body stream)`` pairs (see
    :mod:`aiohttp.client.response_queue`).
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        *,
        limits: HttpLimits | None = None,
        read_bufsize: int = 2**16,
    ) -> None:
        super().__init__(loop)
        self._init_queue(loop)
        self._limits = limits or HttpLimits()
        self._parser = ResponseParser(limits=self._limits)
        self._read_bufsize = max(read_bufsize, DEFAULT_READ_BUFFER_SIZE)
        self._head_waiter: asyncio.Future[tuple[ResponseHead, StreamReader]] | None = None
        self._continue_waiter: asyncio.Future[None] | None = None
        self._head: ResponseHead | None = None
        self._payload: StreamReader | None = None
        self._decoder: ContentDecoder | None = None
        self._decoder_factory: Callable[[str], ContentDecoder | None] | None = None
        # Decoded body not yet fed (the payload was full), and the events that arrived behind
        # it; ``_held`` is not None exactly while the body waits for the reader.
        self._pieces: Iterator[bytes] | None = None
        self._held: list[Any] | None = None
        self._payload_full = False
        self._catch_up_handle: asyncio.Handle | None = None
        self._timer: AbstractContextManager[object] | None = None
        self._in_message = False
        self._message_complete = False
        self._upgraded = False
        self._read_timeout: float | None = None
        self._close_after = False
        self._keep_alive = True
        self._peer_eof = False
        self.continued = False
        self.on_message_complete: Callable[[], None] | None = None

    # -- state the pool asks about ---------------------------------------------------------

    @property
    def should_close(self) -> bool:
        """Whether the connection cannot carry another request."""
        return (
            self._exception is not None
            or self._peer_eof
            or self.transport is None
            or not self._keep_alive
            or (self._in_message and not self._message_complete)
            or self._upgraded
            or len(self._buffer) != 0  # a response nobody read
            or self._close_after
        )

    def is_connected(self) -> bool:
        """Whether the transport is open and the peer has not closed its side."""
        transport = self.transport
        return transport is not None and not transport.is_closing() and not self._peer_eof

    @property
    def decoding(self) -> bool:
        """Whether the current response's body is being decoded (it has a content coding)."""
        return self._decoder is not None

    @property
    def message_complete(self) -> bool:
        """Whether the current response was read to its framed end."""
        return self._message_complete

    def close(self) -> None:
        """Close the transport (the connection is not reused)."""
        self._keep_alive = False
        transport = self.transport
        if transport is not None:
            transport.close()

    def set_limits(self, limits: HttpLimits) -> None:
        """Use other parser limits from the next response on (between responses only)."""
        if limits != self._limits and not self._in_message:
            self._limits = limits
            self._parser = ResponseParser(limits=limits)

    # -- per request ------------------------------------------------------------------------

    def expect_response(
        self,
        method: str,
        *,
        timer: AbstractContextManager[object] | None = None,
        decoder_factory: Callable[[str], ContentDecoder | None] | None = None,
        expect_continue: bool = False,
        read_bufsize: int | None = None,
    ) -> None:
        """Prepare for the response to a request with ``method`` about to be written.

        Args:
            method: The request method (HEAD responses have no body; CONNECT opens a tunnel).
            timer: Entered around each wait for body bytes (the read and total timeouts).
            decoder_factory: Called with the response's content coding; returns a decoder or
                ``None`` to pass the body through as it is.
            expect_continue: Whether the request waits for ``100 Continue``.
            read_bufsize: The body stream's low-water mark for this response.
        """
        if self._exception is not None:
            raise self._exception
        if self._queue_method is not None:
            self._leave_queue_mode()
        self._parser.expect_response(method)
        self._head = None
        self._payload = None
        self._decoder_factory = decoder_factory
        self._timer = timer
        if read_bufsize is not None:
            self._read_bufsize = max(read_bufsize, DEFAULT_READ_BUFFER_SIZE)
        self._in_message = True
        self._message_complete = False
        self.continued = False
        self._head_waiter = self._loop.create_future()
        if expect_continue:
            self._continue_waiter = self._loop.create_future()

    async def wait_continue(self) -> None:
        """Wait for ``100 Continue`` (or for a final response, which also ends the wait)."""
        waiter = self._continue_waiter
        if waiter is not None:
            await waiter

    async def read_head(self) -> tuple[ResponseHead, StreamReader]:
        """Wait for the final response head; return it with the body stream.

        Raises:
            HttpProcessingError: The response head is malformed.
            ServerDisconnectedError: The connection closed before a head arrived.
        """
        waiter = self._head_waiter
        if waiter is None:
            raise self._exception or ServerDisconnectedError()
        return await waiter

    def close_after_response(self) -> None:
        """The request said ``Connection: close``: never send another on this connection
        (RFC 9112 §9.6)."""
        self._close_after = True

    def has_final_head(self) -> bool:
        """Whether the final response head of the current request has arrived."""
        return self._head is not None

    def writer_failed(self, exc: BaseException) -> None:
        """The request body could not be written.

        Once a final head arrived the server has answered and the failure only means the
        connection cannot be reused; before that, the response fails with ``exc``.
        """
        self._keep_alive = False
        if self._head is None:
            self._fail(exc)

    # -- bytes in ---------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        """Feed response bytes to the parser and route the events."""
        if self._upgraded:
            self._parser.feed(data)  # held by the parser until switch_protocol()
            return
        if self._queue_method is not None:
            self._queue_expect(len(data))
        elif not self._in_message or self._message_complete:
            # Bytes nobody asked for: the connection cannot be trusted any more.
            self._keep_alive = False
            self.close()
            return
        try:
            events = self._parser.feed(data)
        except HttpProcessingError as exc:
            self._fail(exc)
            return
        if events:
            self._route(events)
            error = self._parser.error
            if error is not None and not self._message_complete:
                self._on_deferred(error)

    def _on_deferred(self, exc: BaseException) -> None:
        """Fail now on an error the parser found behind the events it returned.

        The parser returns the events that came before an error in the same bytes and raises
        the error on its next call; failing at once means a peer that goes silent after broken
        framing does not leave the body waiting for bytes or a timeout.
        """
        held = self._held
        if held is not None:  # judged once the body before it has been read
            held.append(_Broken(exc))
        else:
            self._fail(exc)

    def _route(self, events: list[Any]) -> None:
        held = self._held
        if held is not None:  # decoding waits for the reader: queue behind it
            held.extend(events)
        else:
            self._dispatch(events)

    def _dispatch(self, events: list[Any]) -> None:
        count = len(events)
        for index in range(count):
            if self._exception is not None:
                return
            event = events[index]
            kind = type(event)
            if kind is Data:
                self._on_data(event.data)
                held = self._held
                if held is not None:  # the payload is full: the rest waits for the reader
                    held.extend(events[index + 1 :])
                    return
            elif kind is ResponseHead:
                empty = index + 1 < count and type(events[index + 1]) is EndOfMessage
                self._on_head(event, empty)
            elif kind is EndOfMessage:
                self._on_end()
            elif kind is _Lost:
                self._on_lost(event.exc)
            elif kind is _Broken:
                self._fail(event.exc)

    def _on_head(self, head: ResponseHead, empty: bool) -> None:
        # 1xx heads other than 101 are interim (RFC 9110 §15.2); a status outside 100..599 is
        # final, processed as a 5xx (§15).
        if 100 <= head.status < 200 and not head.upgrade:
            if head.status == 100 and self._continue_waiter is not None:
                self.continued = True
                self._release_continue()
            if self._head_waiter is None:
                self.feed_data((head, EMPTY_PAYLOAD))  # queue mode: 3.x hands it out
            return
        self._head = head
        self._keep_alive = head.keep_alive
        self._decoder = None
        if empty:
            self._payload = EMPTY_PAYLOAD
        else:
            self._payload = StreamReader(
                cast(Any, self), self._read_bufsize, timer=self._timer, loop=self._loop
            )
            if head.compression is not None and self._decoder_factory is not None:
                self._decoder = self._decoder_factory(head.compression)
                if self._decoder is not None:
                    self._payload.total_compressed_bytes = 0  # counted as the bytes arrive
        self._release_continue()
        waiter = self._head_waiter
        if waiter is None:
            self._queue_head(head, self._payload)
        elif not waiter.done():
            waiter.set_result((head, self._payload))

    def _release_continue(self) -> None:
        waiter = self._continue_waiter
        if waiter is not None:
            self._continue_waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _on_data(self, data: bytes) -> None:
        payload = self._payload
        if payload is None or payload is EMPTY_PAYLOAD:
            return
        decoder = self._decoder
        if decoder is None:
            payload.feed_data(data)
        else:
            payload.total_compressed_bytes += len(data)  # type: ignore[operator]  # 0 at head
            self._feed_pieces(payload, decoder.feed(data))

    def _on_end(self) -> None:
        payload = self._payload
        decoder = self._decoder
        if decoder is not None and payload is not None:
            try:
                decoder.finish()
            except ContentCodingError as exc:
                self._fail(payload_error(exc))
                return
        self._message_complete = True
        self._in_message = False
        if payload is not None and payload is not EMPTY_PAYLOAD:
            payload.feed_eof()
        head = self._head
        if head is not None and head.upgrade:
            self._upgraded = True  # 101 or CONNECT 2xx: the connection leaves HTTP
            return
        if self._parser.buffered:
            self._keep_alive = False  # bytes past the response nobody asked for
        callback = self.on_message_complete
        if callback is not None:
            self.on_message_complete = None
            callback()

    def switch_protocol(self, receiver: Receiver, data: bytes = b"") -> None:
        """Hand the connection to ``receiver``, first with the bytes the parser held back."""
        held = self._parser.switch_protocols() if self._upgraded else b""
        super().switch_protocol(receiver, held + data)

    # -- failures ---------------------------------------------------------------------------

    def _fail(self, exc: BaseException) -> None:
        """Fail the current response with ``exc`` and close the connection."""
        if self._exception is not None:
            return  # the first failure is the one the caller sees
        self._end_queue(exc)
        self._pieces = self._held = None
        waiter = self._head_waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)
            waiter.exception()  # mark retrieved: read_head() may never be called
        self._release_continue()
        payload = self._payload
        if (
            payload is not None
            and payload is not EMPTY_PAYLOAD
            and not payload.is_eof()
            and payload.exception() is None  # the reader already let go (response closed)
        ):
            payload.set_exception(_unfinished_error(exc))
        self.close()

    def eof_received(self) -> bool | None:
        """The server closed its side: finish a read-until-close body or fail the response."""
        if self._receiver is not None:
            return super().eof_received()
        self._peer_eof = True
        if self._in_message and not self._message_complete:
            try:
                events = self._parser.feed_eof()
            except HttpProcessingError as exc:
                # A head cut short is a disconnect (as in 3.x); a body cut short, bad framing.
                self._fail(exc if self._head is not None else _disconnected(exc))
                return None
            if events:
                self._route(events)
        return None

    def connection_lost(self, exc: BaseException | None) -> None:
        """The connection closed: fail whatever was still expected."""
        super().connection_lost(exc)
        held = self._held
        if held is not None:
            held.append(_Lost(exc))  # judged once the body before it has been read
        else:
            self._on_lost(exc)
        self._resolve_closed(exc)

    def _on_lost(self, exc: BaseException | None) -> None:
        if self._receiver is None and self._in_message and not self._message_complete:
            if self._head is None:
                err: BaseException = ServerDisconnectedError()
            else:
                err = ClientPayloadError("Response payload is not completed")
            if exc is not None:
                err.__cause__ = exc
            self._fail(err)
        else:
            self._queue_disconnected(exc)
