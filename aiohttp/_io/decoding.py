"""Removing a content coding on the way into a :class:`~aiohttp._io.streams.StreamReader`.

:class:`DecodingFeed` sits between a protocol and a reader and removes ``Content-Encoding``
(gzip, deflate, br, zstd through :mod:`aiohttp._sansio.codings`) from the bytes fed through
it; a corrupt stream becomes :class:`~aiohttp._sansio.errors.ContentEncodingError` (400) on the
reader, an unknown coding the same error with code 415, and the decoded size is capped.
"""

from __future__ import annotations

from .._sansio.codings import (
    DEFAULT_MAX_DECOMPRESSED_SIZE,
    ContentCodingError,
    Decoder,
    UnknownContentCodingError,
    decoder_for,
)
from .._sansio.errors import ContentEncodingError
from .streams import StreamReader

__all__ = ["DecodingFeed"]


class DecodingFeed:
    """Feeds a :class:`StreamReader` through a content-coding decoder.

    Args:
        reader: The reader that receives the decoded bytes.
        encoding: The ``Content-Encoding`` value.
        max_size: The most decoded bytes accepted (a decompression-bomb guard).
    """

    __slots__ = ("_decoder", "_reader")

    def __init__(
        self,
        reader: StreamReader,
        encoding: str,
        *,
        max_size: int | None = DEFAULT_MAX_DECOMPRESSED_SIZE,
    ) -> None:
        self._reader = reader
        self._decoder: Decoder | None
        try:
            self._decoder = decoder_for(encoding, max_size=max_size)
        except UnknownContentCodingError:
            self._decoder = None
            reader.set_exception(
                ContentEncodingError(f"Unsupported content coding: {encoding[:32]!r}", code=415)
            )

    def feed_data(self, data: bytes, size: int = 0) -> None:
        """Decode ``data`` and feed the result."""
        decoder = self._decoder
        if decoder is None:
            return
        try:
            for piece in decoder.feed(data):
                self._reader.feed_data(piece)
        except ContentCodingError as exc:
            self._fail(exc)

    def feed_eof(self) -> None:
        """Check the coded stream ended properly and end the reader."""
        decoder = self._decoder
        if decoder is None:
            return
        try:
            decoder.finish()
        except ContentCodingError as exc:
            self._fail(exc)
            return
        self._reader.feed_eof()

    def set_exception(self, exc: BaseException) -> None:
        """Fail the reader."""
        self._reader.set_exception(exc)

    def _fail(self, exc: ContentCodingError) -> None:
        self._decoder = None
        self._reader.set_exception(ContentEncodingError(f"Cannot decode body: {exc}"))
