"""Removing a content coding on the way into a :class:`~aiohttp._io.streams.StreamReader`.

:class:`DecodingFeed` is the one content decoder of both sides: the server feeds request bodies
through it, the client response bodies. It stands between a protocol and a reader and removes
``Content-Encoding`` (gzip, deflate, br, zstd through :mod:`aiohttp._sansio.codings`) from the
bytes fed through it, capping the decoded size (``max_size``: the client's
``max_decompressed_size``).

Decoding follows the reader's flow control: the feed stands between the reader and its
protocol, and once the reader is above its high-water mark the rest of the decoding waits
until the reader drains it. A small compressed body that expands enormously (a decompression
bomb) is never decoded faster than it is read, so at most the reader's high-water mark plus
one decoded piece and the coded bytes already received are held.

What the protocol feeds keeps its order: coded bytes, the end of the body and a failure
(``set_exception``: the connection was lost, the framing broke, a timeout) wait behind the
decoding in progress, so the reader gets everything that arrived before a failure, then the
failure. A body that cannot be decoded fails the reader through ``on_error`` (by default with
:class:`~aiohttp._sansio.errors.ContentEncodingError`, a 400, or 415 for an unknown coding); a
client passes its own translation into its error tree, and closes the connection there.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterator

from .._sansio.codings import (
    DEFAULT_MAX_DECOMPRESSED_SIZE,
    ContentCodingError,
    Decoder,
    UnknownContentCodingError,
    decoder_for,
)
from .._sansio.errors import ContentEncodingError
from .streams import FlowControlProtocol, StreamReader

__all__ = ["DEFAULT_DECODERS", "DecodingFeed", "content_encoding_error", "decoder_factory"]

_EOF = object()  # the end of the body, queued behind the bytes before it


def content_encoding_error(exc: ContentCodingError) -> ContentEncodingError:
    """The server's answer to a body it cannot decode: 415 for an unknown coding, else 400."""
    if isinstance(exc, UnknownContentCodingError):
        message = f"Unsupported content coding: {exc.coding[:32]!r}"
        return ContentEncodingError(message, code=415)
    return ContentEncodingError(f"Cannot decode body: {exc}")


def decoder_factory(max_size: int | None) -> Callable[[str], Decoder | None]:
    """The decoder for each content coding, inflating at most ``max_size`` bytes (``None``:
    no limit); an unknown coding gets none, so a client passes the body through as it is."""

    def make(coding: str) -> Decoder | None:
        try:
            return decoder_for(coding, max_size=max_size)
        except UnknownContentCodingError:
            return None

    return make


#: The decoders without a size limit.
DEFAULT_DECODERS = decoder_factory(None)


class DecodingFeed:
    """Feeds a :class:`StreamReader` through a content-coding decoder, as fast as it is read.

    Args:
        reader: The reader that receives the decoded bytes; its flow control now goes through
            this feed to the protocol it had.
        encoding: The ``Content-Encoding`` value.
        max_size: The most decoded bytes accepted (a decompression-bomb guard); ``None`` for
            no cap.
        on_error: Called with the :class:`~aiohttp._sansio.codings.ContentCodingError` when
            the body cannot be decoded (also for an unknown coding); it must fail the reader.
            By default the reader fails with :func:`content_encoding_error`.
        decoder: The decoder to use instead of one made for ``encoding`` (a client's own
            choice, see :func:`decoder_factory`).
        on_end: Called once the decoded body ended the reader (a client gives its connection
            back then, not while decoded bytes still wait for the reader).

    Attributes:
        reader: The reader fed.
    """

    __slots__ = (
        "_decoder",
        "_full",
        "_on_end",
        "_on_error",
        "_pending",
        "_protocol",
        "_pump_handle",
        "_queue",
        "reader",
    )

    def __init__(
        self,
        reader: StreamReader,
        encoding: str,
        *,
        max_size: int | None = DEFAULT_MAX_DECOMPRESSED_SIZE,
        on_error: Callable[[ContentCodingError], None] | None = None,
        decoder: Decoder | None = None,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        self.reader = reader
        reader.total_compressed_bytes = 0
        self._protocol: FlowControlProtocol = reader._protocol
        reader._protocol = self
        self._on_error = on_error
        self._on_end = on_end
        self._pending: Iterator[bytes] | None = None  # decoded pieces not fed yet
        self._queue: deque[object] = deque()  # what arrived behind them, in order
        self._full = False
        self._pump_handle: asyncio.Handle | None = None
        self._decoder: Decoder | None = decoder
        if decoder is None:
            try:
                self._decoder = decoder_for(encoding, max_size=max_size)
            except UnknownContentCodingError as exc:
                self._failed(exc)

    @classmethod
    def if_known(
        cls,
        reader: StreamReader,
        encoding: str,
        *,
        max_size: int | None = DEFAULT_MAX_DECOMPRESSED_SIZE,
        on_error: Callable[[ContentCodingError], None] | None = None,
    ) -> DecodingFeed | None:
        """A feed for ``encoding``, or ``None`` when it is a coding we cannot decode.

        For a client, which passes such a body through as it came.
        """
        try:
            decoder_for(encoding)
        except UnknownContentCodingError:
            return None
        return cls(reader, encoding, max_size=max_size, on_error=on_error)

    @property
    def decoding(self) -> bool:
        """Whether the body is still being decoded (not finished, failed or discarded)."""
        return self._decoder is not None

    # -- what the protocol feeds ------------------------------------------------------------

    def feed_data(self, data: bytes, size: int = 0) -> None:
        """Decode ``data`` and feed the result, as far as the reader takes it."""
        reader = self.reader
        reader.total_compressed_bytes = (reader.total_compressed_bytes or 0) + len(data)
        if self._decoder is None:
            return  # failed, finished or discarded: nothing more is decoded
        if self._pending is not None or self._queue:
            self._queue.append(data)  # behind what waits for the reader
        else:
            self._pending = self._decoder.feed(data)
            self._pump()

    def feed_eof(self) -> None:
        """The body ended: check the coded stream is complete, then end the reader."""
        self._then(_EOF)

    def set_exception(self, exc: BaseException) -> None:
        """Fail the reader, after what arrived before the failure was decoded and fed."""
        self._then(exc)

    def discard(self) -> None:
        """Stop decoding: what is not decoded yet, and what comes, is dropped unread.

        For a body nobody will read (the server drains it after its response): a compressed
        body is then never expanded. What was queued behind it (its end, a failure) still
        reaches the reader.
        """
        if self._decoder is None:
            return  # failed or finished already
        self._decoder = None
        self._pending = None
        queue, self._queue = self._queue, deque()
        self._stop_waiting()
        for item in queue:
            if type(item) is not bytes:
                self._then(item)

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
        if self._pump_handle is None:
            # Not from inside the reader's read call: a read that takes all that is buffered
            # would otherwise take the whole decoded body. The pump lets the protocol read
            # again once nothing waits.
            self._pump_handle = asyncio.get_running_loop().call_soon(self._pump)

    # -- internals --------------------------------------------------------------------------

    def _then(self, item: object) -> None:
        """End the body with ``item`` (``_EOF`` or an exception) once what is before it is fed."""
        if self._pending is not None or self._queue:
            self._queue.append(item)
        elif item is _EOF:
            self._finish()
        else:
            self._drop()
            self.reader.set_exception(item)  # type: ignore[arg-type]

    def _pump(self) -> None:
        """Feed decoded pieces until the reader is full or nothing is left."""
        self._pump_handle = None
        decoder = self._decoder
        reader = self.reader
        queue = self._queue
        try:
            while True:
                pending = self._pending
                if pending is None:
                    if not queue:
                        break
                    item = queue.popleft()
                    if type(item) is not bytes:  # the end, or a failure: nothing follows it
                        queue.clear()
                        self._then(item)
                        return
                    assert decoder is not None  # a discarded or failed feed queues no bytes
                    pending = self._pending = decoder.feed(item)
                for piece in pending:
                    reader.feed_data(piece)
                    if self.reading_paused:  # the reader is full: the rest waits for it
                        return
                self._pending = None
        except ContentCodingError as exc:
            self._failed(exc)
            return
        if self._protocol.reading_paused:  # everything that came is decoded and fed
            self._protocol.resume_reading()

    def _finish(self) -> None:
        decoder = self._decoder
        if decoder is not None:
            try:
                decoder.finish()
            except ContentCodingError as exc:
                self._failed(exc)
                return
        self._decoder = None
        self.reader.feed_eof()
        self._stop_waiting()
        if self._on_end is not None:
            self._on_end()

    def _drop(self) -> None:
        self._decoder = None
        self._pending = None
        self._queue.clear()
        self._stop_waiting()

    def _stop_waiting(self) -> None:
        """Cancel a scheduled pump: nothing more waits for the reader, so the protocol reads
        again (the reader itself pauses it again if it fills up)."""
        if self._pump_handle is not None:
            self._pump_handle.cancel()
            self._pump_handle = None
        self._full = False
        if self._protocol.reading_paused:
            self._protocol.resume_reading()

    def _failed(self, exc: ContentCodingError) -> None:
        self._drop()
        if self._on_error is not None:
            self._on_error(exc)
        else:
            self.reader.set_exception(content_encoding_error(exc))
