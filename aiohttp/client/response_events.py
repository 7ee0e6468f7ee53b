"""The response events of one client connection, routed to the caller: heads, bodies, ends
and failures.

:class:`ResponseEvents` is the part of :class:`~aiohttp.client.protocol.ResponseHandler` that
takes the events :class:`~aiohttp._sansio.http1.HttpConnection` returns (client role) and
hands them on:

- a 1xx head wakes an ``Expect: 100-continue`` waiter and is otherwise skipped (RFC 9110
  §15.2);
- the final head resolves the head waiter; a head directly followed by the end of the message
  gets the shared always-empty payload;
- body bytes go to the body stream, through the shared content decoder
  (:class:`~aiohttp._io.decoding.DecodingFeed`) when the response has a content coding: it
  decodes only as fast as the stream is read, so a small compressed body that expands
  enormously never sits in memory whole, and what arrives behind it waits in order;
- once the body has ended (decoded, when it was coded) ``on_message_complete`` is called (the
  connector puts a reusable connection back in its pool there).

Failures are translated here, once: after the head the body stream gets
:class:`ClientPayloadError` (:class:`DecompressionLimitError` past the decoded-size limit);
before it the head waiter gets the failure; a connection that closes early, even in the middle
of a head, gives :class:`ServerDisconnectedError`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from .._io.decoding import DecodingFeed
from .._io.protocol import BaseProtocol
from .._io.streams import EMPTY_PAYLOAD, StreamReader
from .._sansio.codings import ContentCodingError, Decoder
from .._sansio.codings import DecompressionLimitError as CodingLimitError
from .._sansio.http1.events import Data, EndOfMessage, Event, ResponseHead
from .._sansio.http1.machine import joints
from .._sansio.http1.states import Role, State
from .exceptions import ClientPayloadError, DecompressionLimitError, ServerDisconnectedError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from .._sansio.http1.connection import HttpConnection

__all__ = ("ResponseEvents", "payload_error")

#: The server's states in which its response's body is being received.
IN_BODY = joints(Role.SERVER, State.BODY)
#: The states in which the connection left HTTP/1.1 (RFC 9110 §7.8, §9.3.6).
SWITCHED = joints(Role.CLIENT, State.SWITCHED)


def payload_error(exc: Exception) -> ClientPayloadError:
    """Translate a content-decoding failure into the client's tree."""
    if isinstance(exc, CodingLimitError):
        err: ClientPayloadError = DecompressionLimitError(str(exc))
    else:
        err = ClientPayloadError(f"Can not decode content-encoding: {exc}")
    err.__cause__ = exc
    return err


def disconnected(exc: BaseException) -> ServerDisconnectedError:
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


class ResponseEvents(BaseProtocol):
    """Heads, bodies, ends and failures of the responses (see the module doc); the
    attributes below are :class:`~aiohttp.client.protocol.ResponseHandler`'s."""

    _http: HttpConnection
    _head: ResponseHead | None
    _payload: StreamReader | DecodingFeed | None
    _decoding: DecodingFeed | None
    _decoder_factory: Callable[[str], Decoder | None] | None
    _head_waiter: asyncio.Future[tuple[ResponseHead, StreamReader]] | None
    _continue_waiter: asyncio.Future[None] | None
    _timer: AbstractContextManager[object] | None
    _read_bufsize: int
    _exception: BaseException | None
    continued: bool
    on_message_complete: Callable[[], None] | None

    if TYPE_CHECKING:  # ResponseHandler's (and its queue's)

        def close(self) -> None: ...
        def _queue_interim(self, head: ResponseHead) -> None: ...
        def _queue_head(self, head: ResponseHead, payload: StreamReader) -> None: ...
        def _end_queue(self, exc: BaseException) -> None: ...
        def _queue_disconnected(self, exc: BaseException | None) -> None: ...

    def _dispatch(self, events: list[Event]) -> None:
        for index, event in enumerate(events, 1):  # index: the next event's
            if self._exception is not None:
                return
            kind = type(event)
            if kind is Data:
                payload = self._payload
                if payload is not None:
                    payload.feed_data(event.data)  # type: ignore[union-attr]
            elif kind is ResponseHead:
                empty = index < len(events) and type(events[index]) is EndOfMessage
                self._on_head(event, empty)  # type: ignore[arg-type]
            else:  # EndOfMessage: the body ends
                payload = self._payload
                if payload is not None:
                    self._payload = None
                    payload.feed_eof()
                    if payload is self._decoding:
                        continue  # _body_ended follows once the decoded body is read
                # _body_ended, without its call: the usual response ends here
                callback = self.on_message_complete
                if callback is not None and self._http.state.joint not in SWITCHED:
                    self.on_message_complete = None
                    callback()

    def _on_head(self, head: ResponseHead, empty: bool) -> None:
        # 1xx heads other than 101 are interim (RFC 9110 §15.2); a status outside 100..599 is
        # final, processed as a 5xx (§15).
        if 100 <= head.status < 200 and not head.upgrade:
            if head.status == 100 and self._continue_waiter is not None:
                self.continued = True
                self._release_continue()
            if self._head_waiter is None:
                self._queue_interim(head)  # queue mode: 3.x hands it out
            return
        self._head = head
        self._decoding = None
        if empty:
            reader = EMPTY_PAYLOAD
            self._payload = None
        else:
            reader = StreamReader(self, self._read_bufsize, timer=self._timer, loop=self._loop)
            self._payload = reader
            factory = self._decoder_factory
            if head.compression is not None and factory is not None:
                decoder = factory(head.compression)
                if decoder is not None:
                    self._payload = self._decoding = DecodingFeed(
                        reader,
                        head.compression,
                        decoder=decoder,
                        on_error=self._decode_failed,
                        on_end=self._body_ended,
                    )
        if self._continue_waiter is not None:
            self._release_continue()
        waiter = self._head_waiter
        if waiter is None:
            self._queue_head(head, reader)
        elif not waiter.done():
            waiter.set_result((head, reader))

    def _release_continue(self) -> None:
        waiter = self._continue_waiter
        if waiter is not None:
            self._continue_waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _body_ended(self) -> None:
        """The body ended (decoded, when it was coded): give the connection back."""
        if self._http.state.joint in SWITCHED:
            return  # 101 or CONNECT 2xx: the connection leaves HTTP
        callback = self.on_message_complete
        if callback is not None:
            self.on_message_complete = None
            callback()

    def _decode_failed(self, exc: ContentCodingError) -> None:
        self._fail(payload_error(exc))

    def _unfinished(self) -> bool:
        """Whether the response's head is still awaited or its body is being received."""
        waiter = self._head_waiter
        return (waiter is not None and not waiter.done()) or self._http.state.joint in IN_BODY

    # -- failures ---------------------------------------------------------------------------

    def _fail(self, exc: BaseException) -> None:
        """Fail the current response with ``exc`` and close the connection."""
        if self._exception is not None:
            return  # the first failure is the one the caller sees
        self._end_queue(exc)
        waiter = self._head_waiter
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)
            waiter.exception()  # mark retrieved: read_head() may never be called
        self._release_continue()
        payload = self._payload
        if payload is None and self._decoding is not None:
            payload = self._decoding  # its end may still wait behind the decoding
        if payload is not None:
            reader = payload.reader if payload is self._decoding else payload
            # A reader that already let go (the response closed) keeps its own error.
            if not reader.is_eof() and reader.exception() is None:  # type: ignore[union-attr]
                payload.set_exception(_unfinished_error(exc))
        self.close()

    def _on_lost(self, exc: BaseException | None) -> None:
        if self._receiver is None and self._unfinished():
            if self._head is None:
                err: BaseException = ServerDisconnectedError()
            else:
                err = ClientPayloadError("Response payload is not completed")
            if exc is not None:
                err.__cause__ = exc
            self._fail(err)
        else:
            self._queue_disconnected(exc)
