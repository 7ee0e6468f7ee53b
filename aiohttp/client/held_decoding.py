"""Decoded body that waits for its reader: :class:`HeldDecoding`, part of the client protocol.

A small compressed body can inflate enormously. The protocol feeds the decoder's pieces to the
body stream until the stream passes its high-water mark and pauses reading; from then on the
rest of the decoding (the decoder's iterator of pieces) and every parser event that arrives
behind it (``_held``) wait. Once the reader drains the stream and resumes reading, decoding goes
on from a fresh loop iteration, then the held events, and only then the transport is read
again. So at most about one high-water mark of decoded body is ever in memory.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .._io.protocol import BaseProtocol
from .._io.streams import StreamReader
from .._sansio.codings import ContentCodingError
from .._sansio.codings import DecompressionLimitError as CodingLimitError
from .exceptions import ClientPayloadError, DecompressionLimitError

__all__ = ("HeldDecoding", "payload_error")


def payload_error(exc: Exception) -> ClientPayloadError:
    """Translate a content-decoding failure into the client's tree."""
    if isinstance(exc, CodingLimitError):
        err: ClientPayloadError = DecompressionLimitError(str(exc))
    else:
        err = ClientPayloadError(f"Can not decode content-encoding: {exc}")
    err.__cause__ = exc
    return err


class HeldDecoding(BaseProtocol):
    """The protocol's flow control, holding back decoding while the body stream is full;
    the attributes below are :class:`~aiohttp.client.protocol.ResponseHandler`'s."""

    _pieces: Iterator[bytes] | None
    _held: list[Any] | None
    _payload_full: bool
    _catch_up_handle: asyncio.Handle | None
    _payload: StreamReader | None
    _exception: BaseException | None

    if TYPE_CHECKING:  # ResponseHandler's

        def _fail(self, exc: BaseException) -> None: ...
        def _dispatch(self, events: list[Any]) -> None: ...

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
            self._fail(payload_error(exc))
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
