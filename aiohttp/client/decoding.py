"""The client's decode loop: a response body's content coding removed as fast as it is read.

:class:`ResponseDecoding` is the part of :class:`~aiohttp.client.protocol.ResponseHandler`
that feeds body bytes to the payload, through the content decoder when one is set. The decoder
yields pieces of at most its chunk size; once the payload is above its high-water mark the rest
of the decoding, and every event that arrived behind it (the end of the message, a lost
connection, a parser error found after the body), waits until the reader drains the payload.
A small compressed body that expands enormously therefore never sits in memory whole, and the
reader gets what arrived before a failure, then the failure.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from .._io.protocol import BaseProtocol
from .._io.streams import EMPTY_PAYLOAD, StreamReader
from .._sansio.codings import ContentCodingError
from .._sansio.codings import DecompressionLimitError as CodingLimitError
from .exceptions import ClientPayloadError, DecompressionLimitError

__all__ = ("ContentDecoder", "ResponseDecoding")


class ContentDecoder(Protocol):
    """An incremental content decoder (see :mod:`aiohttp._sansio.codings`)."""

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decode the next piece of body, yielding bounded pieces as they are produced."""

    def finish(self) -> None:
        """Declare the end of the body (raises when the coded stream is truncated)."""


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


def _payload_error(exc: Exception) -> ClientPayloadError:
    """Translate a content-decoding failure into the client's tree."""
    if isinstance(exc, CodingLimitError):
        err: ClientPayloadError = DecompressionLimitError(str(exc))
    else:
        err = ClientPayloadError(f"Can not decode content-encoding: {exc}")
    err.__cause__ = exc
    return err


class ResponseDecoding(BaseProtocol):
    """Feed body bytes through the content decoder as fast as the payload is read."""

    _payload: StreamReader | None
    _decoder: ContentDecoder | None
    _pieces: Iterator[bytes] | None
    _held: list[Any] | None
    _payload_full: bool
    _catch_up_handle: asyncio.Handle | None
    _exception: BaseException | None

    if TYPE_CHECKING:  # ResponseHandler's, which this class is mixed into

        def _fail(self, exc: BaseException) -> None: ...

        def _dispatch(self, events: list[Any]) -> None: ...

    @property
    def decoding(self) -> bool:
        """Whether the current response's body is being decoded (it has a content coding)."""
        return self._decoder is not None

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

    def _feed_pieces(self, payload: StreamReader, pieces: Iterator[bytes]) -> None:
        """Feed decoded pieces until the payload asks to pause; keep the rest for later."""
        try:
            for piece in pieces:
                payload.feed_data(piece)
                if self._payload_full:
                    self._pieces = pieces
                    if self._held is None:
                        self._held = []
                    return
        except ContentCodingError as exc:
            self._fail(_payload_error(exc))
            return
        self._pieces = None

    def _catch_up(self) -> None:
        """Go on with the decoding that waited for the reader, then the events behind it."""
        self._catch_up_handle = None
        pieces = self._pieces
        payload = self._payload
        if pieces is not None and payload is not None:
            self._feed_pieces(payload, pieces)
            if self._pieces is not None or self._exception is not None:
                return
        held, self._held = self._held, None
        if held:
            self._dispatch(held)
        if self._held is None and not self._payload_full:
            super().resume_reading()

    # -- flow control -----------------------------------------------------------------------

    @property
    def reading_paused(self) -> bool:
        """Whether the body stream asked to stop (until it calls :meth:`resume_reading`)."""
        return self._payload_full

    def pause_reading(self) -> None:
        """The body stream is above its high-water mark: stop reading and decoding."""
        self._payload_full = True
        super().pause_reading()

    def resume_reading(self, resume_parser: bool = True) -> None:
        """The body stream drained: decode what waited, then read from the transport again."""
        self._payload_full = False
        if self._held is None:
            super().resume_reading()
        elif self._catch_up_handle is None:
            # Not from inside the reader's read call: a read that takes all that is buffered
            # would otherwise take the whole decoded body.
            self._catch_up_handle = self._loop.call_soon(self._catch_up)
