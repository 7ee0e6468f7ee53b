"""Removing a content coding on the way into a :class:`~aiohttp._io.streams.StreamReader`.

:class:`DecodingFeed` sits between a protocol and a reader and removes ``Content-Encoding``
(gzip, deflate, br, zstd through :mod:`aiohttp._sansio.codings`) from the bytes fed through
it; a corrupt stream becomes :class:`~aiohttp._sansio.errors.ContentEncodingError` (400) on the
reader, an unknown coding the same error with code 415, and the decoded size is capped.

Decoding follows the reader's flow control: the feed stands between the reader and its
protocol, and once the reader is above its high-water mark the rest of the decoding waits
until the reader drains it. A small compressed body that expands enormously (a decompression
bomb) is never decoded faster than it is read, so at most the reader's high-water mark plus
one decoded piece and one socket read of coded bytes are held.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterator

from .._sansio.codings import (
    DEFAULT_MAX_DECOMPRESSED_SIZE,
    ContentCodingError,
    Decoder,
    UnknownContentCodingError,
    decoder_for,
)
from .._sansio.errors import ContentEncodingError
from .streams import FlowControlProtocol, StreamReader

__all__ = ["DecodingFeed"]


class DecodingFeed:
    """Feeds a :class:`StreamReader` through a content-coding decoder, as fast as it is read.

    Args:
        reader: The reader that receives the decoded bytes; its flow control now goes through
            this feed to the protocol it had.
        encoding: The ``Content-Encoding`` value.
        max_size: The most decoded bytes accepted (a decompression-bomb guard).
    """

    __slots__ = (
        "_coded",
        "_decoder",
        "_discarding",
        "_eof",
        "_full",
        "_pending",
        "_protocol",
        "_pump_handle",
        "reader",
    )

    def __init__(
        self,
        reader: StreamReader,
        encoding: str,
        *,
        max_size: int | None = DEFAULT_MAX_DECOMPRESSED_SIZE,
    ) -> None:
        self.reader = reader
        reader.total_compressed_bytes = 0
        self._protocol: FlowControlProtocol = reader._protocol
        reader._protocol = self
        self._pending: Iterator[bytes] | None = None  # decoded pieces not fed yet
        self._coded: deque[bytes] = deque()  # coded bytes that arrived behind them
        self._eof = False
        self._discarding = False
        self._full = False
        self._pump_handle: asyncio.Handle | None = None
        self._decoder: Decoder | None
        try:
            self._decoder = decoder_for(encoding, max_size=max_size)
        except UnknownContentCodingError:
            self._decoder = None
            reader.set_exception(
                ContentEncodingError(f"Unsupported content coding: {encoding[:32]!r}", code=415)
            )

    # -- what the protocol feeds ------------------------------------------------------------

    def feed_data(self, data: bytes, size: int = 0) -> None:
        """Decode ``data`` and feed the result, as far as the reader takes it."""
        self.reader.total_compressed_bytes = (self.reader.total_compressed_bytes or 0) + len(data)
        if self._decoder is None:
            return
        if self._pending is not None or self._coded:
            self._coded.append(data)  # behind what waits for the reader
        else:
            self._pending = self._decoder.feed(data)
            self._pump()

    def feed_eof(self) -> None:
        """Check the coded stream ended properly and end the reader (once it has it all)."""
        self._eof = True
        if self._discarding:
            self.reader.feed_eof()
        elif self._pending is None and not self._coded:
            self._finish()

    def set_exception(self, exc: BaseException) -> None:
        """Fail the reader."""
        self._drop()
        self.reader.set_exception(exc)

    def discard(self) -> None:
        """Stop decoding: what is not decoded yet, and what comes, is dropped unread.

        For a body nobody will read (the server drains it after its response): a compressed
        body is then never expanded.
        """
        if self._decoder is None:
            return  # failed or finished already
        self._drop()
        self._discarding = True
        if self._eof:
            self.reader.feed_eof()

    # -- the reader's flow control ----------------------------------------------------------

    @property
    def reading_paused(self) -> bool:
        """Whether the reader asked to stop (until it calls :meth:`resume_reading`)."""
        return self._full

    def pause_reading(self) -> None:
        """The reader is above its high-water mark: stop decoding and reading."""
        self._full = True
        self._protocol.pause_reading()

    def resume_reading(self) -> None:
        """The reader drained: decode what waited, then read from the transport again."""
        self._full = False
        if self._pending is None and not self._coded:
            self._protocol.resume_reading()
        elif self._pump_handle is None:
            # Not from inside the reader's read call: a read that takes all that is buffered
            # would otherwise take the whole decoded body.
            self._pump_handle = asyncio.get_running_loop().call_soon(self._pump)

    # -- internals --------------------------------------------------------------------------

    def _pump(self) -> None:
        """Feed decoded pieces until the reader is full or nothing is left."""
        self._pump_handle = None
        decoder = self._decoder
        reader = self.reader
        try:
            while decoder is not None and not self._full:
                pending = self._pending
                if pending is None:
                    if not self._coded:
                        break
                    pending = self._pending = decoder.feed(self._coded.popleft())
                for piece in pending:
                    reader.feed_data(piece)
                    if self.reading_paused:  # the reader is full: the rest waits for it
                        return
                self._pending = None
        except ContentCodingError as exc:
            self._fail(exc)
            return
        if self._full or self._decoder is None:
            return
        if self._eof:
            self._finish()
        elif self._protocol.reading_paused:
            self._protocol.resume_reading()

    def _finish(self) -> None:
        decoder = self._decoder
        if decoder is None:
            return
        try:
            decoder.finish()
        except ContentCodingError as exc:
            self._fail(exc)
            return
        self._decoder = None
        self.reader.feed_eof()

    def _drop(self) -> None:
        self._decoder = None
        self._pending = None
        self._coded.clear()
        if self._pump_handle is not None:
            self._pump_handle.cancel()
            self._pump_handle = None
        if self._full:
            self._full = False
            self._protocol.resume_reading()

    def _fail(self, exc: ContentCodingError) -> None:
        self._drop()
        self.reader.set_exception(ContentEncodingError(f"Cannot decode body: {exc}"))
