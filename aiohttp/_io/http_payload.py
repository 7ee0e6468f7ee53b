"""aiohttp 3.x's body parser and decompressing buffer, over the sans-I/O body readers.

:class:`HttpPayloadParser` reads one message body, framed as its arguments say, into a
:class:`~aiohttp._io.streams.StreamReader`: the framing is read by the body readers of
:mod:`aiohttp._sansio.http1.readers` (the ones the HTTP parsers use), the content coding removed
by :class:`DeflateBuffer`, which is the package's :class:`~aiohttp._io.decoding.DecodingFeed`
with 3.x's constructor. :class:`PayloadState` is what ``feed_data()`` reports.
"""

from __future__ import annotations

import enum
from typing import Any

from .._sansio.errors import HttpProcessingError
from .._sansio.http1 import Data
from .._sansio.http1.readers import (
    BodyReader,
    ChunkedReader,
    ContentLengthReader,
    UntilCloseReader,
)
from .decoding import DecodingFeed
from .http_parser import HeadersParser, _limits
from .streams import StreamReader

__all__ = ["DeflateBuffer", "HttpPayloadParser", "PayloadState"]


class PayloadState(enum.Enum):
    """Where a body stands after :meth:`HttpPayloadParser.feed_data`."""

    #: The whole body was read.
    PAYLOAD_COMPLETE = enum.auto()
    #: More bytes are needed.
    PAYLOAD_NEEDS_INPUT = enum.auto()
    #: Decoded bytes wait until the reader drains (flow control); no more input is needed yet.
    PAYLOAD_HAS_PENDING_INPUT = enum.auto()


class DeflateBuffer(DecodingFeed):
    """Feed ``out`` with the body decoded from ``encoding`` (3.x's name and constructor).

    Args:
        out: the reader the decoded bytes go to.
        encoding: the ``Content-Encoding`` (``gzip``, ``deflate``, ``br``, ``zstd``).
        max_decompress_size: accepted for compatibility: each decoding step gives at most the
            package's step size, and the whole body is capped as for any request or response.
    """

    def __init__(
        self, out: StreamReader, encoding: str | None, max_decompress_size: int = 2**18
    ) -> None:
        super().__init__(out, encoding or "identity")
        self.out = out

    def begin_http_chunk_receiving(self) -> None:
        """Mark the start of a chunk on ``out``."""
        self.out.begin_http_chunk_receiving()

    def end_http_chunk_receiving(self) -> None:
        """Mark the end of a chunk on ``out``."""
        self.out.end_http_chunk_receiving()


class HttpPayloadParser:
    """Read one body into ``payload`` (3.x's ``HttpPayloadParser``).

    The framing is chunked (``chunked``), ``length`` bytes, or up to the end of the connection
    otherwise (a request with neither has no body: pass ``length=0``).

    Args:
        payload: the reader the body goes to.
        length: the ``Content-Length``.
        chunked: the body has the chunked transfer coding (RFC 9112 §7.1).
        compression: the ``Content-Encoding`` to remove (when ``auto_decompress``).
        code: accepted for compatibility.
        method: accepted for compatibility.
        response_with_body: ``False``: there is no body (the answer to a HEAD request).
        auto_decompress: remove the content coding.
        lax: accepted for compatibility (the body readers are strict).
        headers_parser: its limits bound the trailer section.
        max_line_size: the most bytes in a chunk-size line.
        max_field_size: the most bytes in one trailer field line.
        max_trailers: the most trailer field lines.
        limit: accepted for compatibility (the reader's own limit applies).
    """

    def __init__(  # noqa: PLR0917 - the aiohttp 3.x signature
        self,
        payload: StreamReader,
        length: int | None = None,
        chunked: bool = False,
        compression: str | None = None,
        code: int | None = None,
        method: str | None = None,
        response_with_body: bool = True,
        auto_decompress: bool = True,
        lax: bool = False,
        *,
        headers_parser: HeadersParser,
        max_line_size: int = 8190,
        max_field_size: int = 8190,
        max_trailers: int = 128,
        limit: int = 2**18,
    ) -> None:
        self.payload = payload
        self.done = False
        self._buf = b""
        self._feed: StreamReader | DecodingFeed = payload
        if compression and auto_decompress:
            self._feed = DeflateBuffer(payload, compression)
        limits = _limits(max_line_size, max_trailers, max_field_size)
        self._reader: BodyReader | None
        if not response_with_body or (length == 0 and not chunked):
            self._reader = None
            self._finish_body()
        elif chunked:
            self._reader = ChunkedReader(None, limits)
        elif length is not None:
            self._reader = ContentLengthReader(length, limits)
        else:
            self._reader = UntilCloseReader(None, limits)

    def _finish_body(self) -> None:
        self.done = True
        self._feed.feed_eof()

    def _state(self) -> PayloadState:
        if self.done:
            return PayloadState.PAYLOAD_COMPLETE
        if isinstance(self._feed, DecodingFeed) and self._feed.reading_paused:
            return PayloadState.PAYLOAD_HAS_PENDING_INPUT
        return PayloadState.PAYLOAD_NEEDS_INPUT

    def pause_reading(self) -> None:
        """Stop decoding until the reader drains (as when it is above its high-water mark)."""
        if isinstance(self._feed, DecodingFeed):
            self._feed.pause_reading()

    def feed_data(self, chunk: bytes, *args: Any) -> tuple[PayloadState, bytes]:
        """Read body bytes from ``chunk``.

        Returns:
            Where the body stands, and the bytes after its end (``b""`` until it is complete).

        Raises:
            HttpProcessingError: the framing is broken (also set on the reader).
        """
        reader = self._reader
        if reader is None or self.done:
            return PayloadState.PAYLOAD_COMPLETE, bytes(chunk)
        data = self._buf + bytes(chunk)
        events: list[Any] = []
        try:
            pos = reader.read(data, 0, events) if data else 0
        except HttpProcessingError as exc:
            self.payload.set_exception(exc)
            raise
        self._buf = b"" if reader.done else data[pos:]
        for event in events:
            if type(event) is Data:
                self._feed.feed_data(event.data)
        if reader.done:
            self._finish_body()
            return PayloadState.PAYLOAD_COMPLETE, data[pos:]
        return self._state(), b""

    def feed_eof(self) -> None:
        """The connection closed: end a body read until close, or raise if it was cut short.

        Raises:
            ContentLengthError, TransferEncodingError: the body is incomplete.
        """
        if self.done or self._reader is None:
            return
        self._reader.eof()
        self._finish_body()
