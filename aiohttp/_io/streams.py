"""Payload streams: the body of a request or response as an async byte stream.

:class:`StreamReader` (the aiohttp 3.x API) is fed by the protocol (``feed_data``,
``feed_eof``, ``set_exception``, ``begin_http_chunk_receiving``/``end_http_chunk_receiving``)
and read by user code::

    await reader.read(n=-1)        # up to n bytes; everything when n < 0
    await reader.readany()         # whatever is buffered, waiting for at least one byte
    await reader.readline()        # up to and including b"\\n"
    await reader.readuntil(sep)
    await reader.readexactly(n)    # asyncio.IncompleteReadError when EOF comes first
    await reader.readchunk()       # (data, end_of_http_chunk)
    reader.read_nowait(n=-1)
    async for line in reader: ...
    async for data in reader.iter_chunked(n) / reader.iter_any(): ...
    async for data, end in reader.iter_chunks(): ...

Flow control: the reader asks its protocol to ``pause_reading()`` once more than the
high-water mark (``2 * limit``) is buffered, and to ``resume_reading()`` once reads bring it
below the low-water mark (``limit``). The protocol is anything with ``pause_reading``,
``resume_reading`` and a ``reading_paused`` flag (:class:`aiohttp._io.protocol.BaseProtocol`).

:data:`EMPTY_PAYLOAD` is an always-at-EOF reader for bodiless messages. Queues of whole
messages are in :mod:`aiohttp._io.queues` (they raise
:class:`~aiohttp._io.stream_iterators.EofStream` at the end);
removing a content coding on the way in is :mod:`aiohttp._io.decoding`.
"""

from __future__ import annotations

import asyncio
import collections
import warnings
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol, TypeVar

from .._sansio.errors import LineTooLong
from .log import internal_logger
from .stream_iterators import AsyncStreamReaderMixin

__all__ = [
    "EMPTY_PAYLOAD",
    "EmptyStreamReader",
    "FlowControlProtocol",
    "StreamReader",
    "set_exception",
]

_T = TypeVar("_T")

# The "no cause given" default of ``set_exception(exc, exc_cause)``, as in aiohttp 3.x.
EXC_SENTINEL = BaseException()
#: The client's default read buffer size (``read_bufsize``), as in aiohttp 3.x.
DEFAULT_CHUNK_SIZE = 2**18


class _Failable(Protocol):
    def set_exception(self, exc: BaseException, /) -> None: ...


def set_exception(
    fut: asyncio.Future[_T] | _Failable,
    exc: BaseException,
    exc_cause: BaseException = EXC_SENTINEL,
) -> None:
    """Fail ``fut`` (a future, or anything with ``set_exception``) with ``exc``.

    A future that is already done is left alone. ``exc_cause``, when given (and not ``exc``
    itself), becomes ``exc.__cause__``.
    """
    if asyncio.isfuture(fut) and fut.done():
        return
    if exc_cause is not EXC_SENTINEL and exc_cause is not exc:
        exc.__cause__ = exc_cause
    fut.set_exception(exc)


def set_result(fut: asyncio.Future[_T], result: _T) -> None:
    """Resolve ``fut`` with ``result`` unless it is already done."""
    if not fut.done():
        fut.set_result(result)


class FlowControlProtocol(Protocol):
    """The protocol side a reader throttles.

    :class:`aiohttp._io.protocol.BaseProtocol` provides it; any object with these three
    members works.
    """

    @property
    def reading_paused(self) -> bool:
        """Whether reading is paused."""

    def pause_reading(self) -> None:
        """Stop reading from the transport."""

    def resume_reading(self) -> None:
        """Start reading from the transport again."""


#: The limit a reader's repr() does not show (aiohttp 3.x's; servers and clients use 2**16).
_UNSHOWN_LIMIT = 2**18
#: The fewest buffered HTTP chunk ends that pause reading, however small the limit (3.x's).
_MIN_HIGH_WATER_CHUNKS = 4
#: Reads at EOF that pass silently before each further one logs a possible endless loop.
_EOF_READS_LOGGED_AFTER = 5


def _separator_end(chunk: bytes, separator: bytes, first: bytes, offset: int) -> int:
    """How many bytes of ``first`` (a buffered block, read from ``offset``) end ``separator``;
    -1 when it is not there (nor straddling the end of ``chunk`` and the block's start)."""
    seplen = len(separator)
    if chunk and seplen > 1:
        tail = chunk[1 - seplen :]
        found = (tail + first[offset : offset + seplen - 1]).find(separator)
        if found != -1:
            return found + seplen - len(tail)
    found = first.find(separator, offset)
    return -1 if found == -1 else found - offset + seplen


class StreamReader(AsyncStreamReaderMixin):
    """A buffered, flow-controlled stream of body bytes.

    Args:
        protocol: The protocol to pause and resume (see :class:`FlowControlProtocol`).
        limit: The low-water mark in bytes; reading pauses above ``2 * limit`` buffered.
        timer: An optional context manager entered around every wait for data (a read
            timeout raises from inside it).
        loop: The event loop; the current one when omitted.

    Attributes:
        total_bytes: How many bytes were fed in total.
        total_compressed_bytes: How many bytes arrived before their content coding was
            removed, when the body had one (set by the decoder), else ``None``.
    """

    total_bytes = 0
    total_compressed_bytes: int | None = None
    _eof_reads = 0

    def __init__(
        self,
        protocol: FlowControlProtocol,
        limit: int,
        *,
        timer: AbstractContextManager[object] | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self._protocol = protocol
        self._low_water = limit
        self._high_water = limit * 2
        self._limit = limit  # the chunk water marks are worked out from it for chunked bodies
        self._loop = asyncio.get_event_loop() if loop is None else loop
        self._size = 0
        self._cursor = 0
        self._http_chunk_splits: list[int] | None = None
        self._buffer: collections.deque[bytes] = collections.deque()
        self._buffer_offset = 0
        self._eof = False
        self._waiter: asyncio.Future[None] | None = None
        self._eof_waiter: asyncio.Future[None] | None = None
        self._exception: BaseException | None = None
        self._timer = timer
        self._eof_callbacks: list[Callable[[], None]] = []

    def __repr__(self) -> str:
        info = [self.__class__.__name__]
        if self._size:
            info.append(f"{self._size} bytes")
        if self._eof:
            info.append("eof")
        if self._low_water != _UNSHOWN_LIMIT:
            info.append(f"low={self._low_water} high={self._high_water}")
        if self._waiter:
            info.append(f"w={self._waiter!r}")
        if self._exception:
            info.append(f"e={self._exception!r}")
        return "<{}>".format(" ".join(info))

    def get_read_buffer_limits(self) -> tuple[int, int]:
        """Return the ``(low, high)`` water marks."""
        return (self._low_water, self._high_water)

    def set_read_chunk_size(self, n: int) -> None:
        """Raise the water marks to ``(n, 2 * n)`` for a consumer reading ``n`` at a time.

        Lower values leave the marks as they are.
        """
        if n > self._low_water:
            self._low_water = n
            self._high_water = n * 2

    @property
    def total_raw_bytes(self) -> int:
        """How many bytes arrived on the wire for this body (before any content decoding)."""
        compressed = self.total_compressed_bytes
        return self.total_bytes if compressed is None else compressed

    def exception(self) -> BaseException | None:
        """Return the exception set with :meth:`set_exception`, if any."""
        return self._exception

    def set_exception(self, exc: BaseException, exc_cause: BaseException = EXC_SENTINEL) -> None:
        """Make pending and future reads raise ``exc`` (with ``exc_cause`` as its cause)."""
        self._exception = exc
        self._eof_callbacks.clear()
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            set_exception(waiter, exc, exc_cause)
        waiter = self._eof_waiter
        if waiter is not None:
            self._eof_waiter = None
            set_exception(waiter, exc, exc_cause)

    def on_eof(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` at EOF (at once if already there).

        An exception the callback raises is logged to ``aiohttp.internal``, not raised.
        """
        if self._eof:
            _call_eof_callback(callback)
        else:
            self._eof_callbacks.append(callback)

    def feed_eof(self) -> None:
        """Mark the end of the stream and wake readers."""
        self._eof = True
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)
        waiter = self._eof_waiter
        if waiter is not None:
            self._eof_waiter = None
            if not waiter.done():
                waiter.set_result(None)
        if self._protocol.reading_paused:
            self._protocol.resume_reading()
        callbacks, self._eof_callbacks = self._eof_callbacks, []
        for cb in callbacks:
            _call_eof_callback(cb)

    def is_eof(self) -> bool:
        """Return whether :meth:`feed_eof` was called."""
        return self._eof

    def at_eof(self) -> bool:
        """Return whether the stream ended and every byte was read."""
        return self._eof and not self._buffer

    async def wait_eof(self) -> None:
        """Wait until :meth:`feed_eof` is called."""
        if self._eof:
            return
        assert self._eof_waiter is None
        self._eof_waiter = self._loop.create_future()
        try:
            await self._eof_waiter
        finally:
            self._eof_waiter = None

    def unread_data(self, data: bytes) -> None:
        """Push ``data`` back to the front of the buffer (deprecated, as in aiohttp 3.x)."""
        warnings.warn(
            "unread_data() is deprecated and will be removed in future releases (#3260)",
            DeprecationWarning,
            stacklevel=2,
        )
        self._eof_reads = 0
        if not data:
            return
        if self._buffer_offset:
            self._buffer[0] = self._buffer[0][self._buffer_offset :]
            self._buffer_offset = 0
        self._size += len(data)
        self._cursor -= len(data)
        self._buffer.appendleft(data)

    def feed_data(self, data: bytes, size: int = 0) -> None:
        """Append ``data`` and wake a waiting reader; pause the protocol above high water."""
        assert not self._eof, "feed_data after feed_eof"
        if not data:
            return
        n = len(data)
        self._size += n
        self._buffer.append(data)
        self.total_bytes += n
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)
        if self._size > self._high_water and not self._protocol.reading_paused:
            self._protocol.pause_reading()

    def begin_http_chunk_receiving(self) -> None:
        """Start an HTTP chunk (called by the protocol for chunked bodies)."""
        if self._http_chunk_splits is None:
            if self.total_bytes:
                raise RuntimeError(
                    "Called begin_http_chunk_receiving when some data was already fed"
                )
            self._http_chunk_splits = []
            # Each HTTP chunk costs memory whatever its size: many tiny ones pause too.
            high = self._high_water_chunks = max(self._limit // 16, _MIN_HIGH_WATER_CHUNKS)
            self._low_water_chunks = max(high // 2, _MIN_HIGH_WATER_CHUNKS // 2)

    def end_http_chunk_receiving(self) -> None:
        """End an HTTP chunk: :meth:`readchunk` returns at this boundary."""
        if self._http_chunk_splits is None:
            raise RuntimeError(
                "Called end_chunk_receiving without calling begin_chunk_receiving first"
            )
        pos = self._http_chunk_splits[-1] if self._http_chunk_splits else 0
        if self.total_bytes == pos:
            return  # an empty chunk: nothing to mark
        self._http_chunk_splits.append(self.total_bytes)
        if (
            len(self._http_chunk_splits) > self._high_water_chunks
            and not self._protocol.reading_paused
        ):
            self._protocol.pause_reading()
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    async def _wait(self, func_name: str) -> None:
        if self._waiter is not None:
            raise RuntimeError(
                f"{func_name}() called while another coroutine is already waiting for incoming data"
            )
        waiter = self._waiter = self._loop.create_future()
        try:
            if self._timer is not None:
                with self._timer:
                    await waiter
            else:
                await waiter
        finally:
            self._waiter = None

    async def readline(self, *, max_line_length: int | None = None) -> bytes:
        """Read one line, up to and including ``b"\\n"`` (less at EOF).

        Raises:
            LineTooLong: The line, its ``b"\\n"`` included, is longer than
                ``max_line_length`` (by default the high-water mark).
        """
        return await self.readuntil(b"\n", max_size=max_line_length)

    async def readuntil(self, separator: bytes = b"\n", *, max_size: int | None = None) -> bytes:
        """Read up to and including ``separator`` (less at EOF).

        Raises:
            ValueError: The separator is empty.
            LineTooLong: More than ``max_size`` bytes (by default the high-water mark) come
                before the end of the separator; they are consumed.
        """
        seplen = len(separator)
        if seplen == 0:
            raise ValueError("Separator should be at least one-byte string")
        if self._exception is not None:
            raise self._exception
        limit = max_size or self._high_water
        chunk = b""
        while True:
            while self._buffer:
                n = _separator_end(chunk, separator, self._buffer[0], self._buffer_offset)
                chunk += self._read_nowait_chunk(n)
                if len(chunk) > limit:
                    raise LineTooLong(repr(chunk[:100] + b"..."), limit)
                if n != -1:
                    return chunk
            if self._eof:
                return chunk
            await self._wait("readuntil")

    async def read(self, n: int = -1) -> bytes:
        """Read up to ``n`` bytes, or everything until EOF when ``n < 0``.

        Reading again and again at EOF logs a warning to ``aiohttp.internal`` (with the stack)
        from the sixth read on, as in 3.x: a loop that never sees ``b""`` would spin forever.
        """
        if self._exception is not None:
            raise self._exception
        if self._eof and not self._buffer:
            self._eof_reads += 1
            if self._eof_reads > _EOF_READS_LOGGED_AFTER:
                internal_logger.warning(
                    "Multiple access to StreamReader in eof state, might be infinite loop.",
                    stack_info=True,
                )
        if not n:
            return b""
        if n < 0:
            blocks = []
            while True:
                block = await self.readany()
                if not block:
                    break
                blocks.append(block)
            return b"".join(blocks)
        while not self._buffer and not self._eof:
            await self._wait("read")
        return self._read_nowait(n)

    async def readany(self) -> bytes:
        """Return what is buffered, waiting for at least one byte; ``b""`` at EOF."""
        if self._exception is not None:
            raise self._exception
        while not self._buffer and not self._eof:
            await self._wait("readany")
        return self._read_nowait(-1)

    async def readchunk(self) -> tuple[bytes, bool]:
        """Return ``(data, end_of_http_chunk)``; ``(b"", False)`` at EOF.

        For chunked bodies the data never crosses an HTTP chunk boundary and the flag tells
        whether it ends one; otherwise this behaves as :meth:`readany` with the flag false.
        """
        while True:
            if self._exception is not None:
                raise self._exception
            while self._http_chunk_splits:
                pos = self._http_chunk_splits.pop(0)
                if pos == self._cursor:
                    return (b"", True)
                if pos > self._cursor:
                    return (self._read_nowait(pos - self._cursor), True)
            if self._buffer:
                return (self._read_nowait_chunk(-1), False)
            if self._eof:
                return (b"", False)
            await self._wait("readchunk")

    async def readexactly(self, n: int) -> bytes:
        """Read exactly ``n`` bytes.

        Raises:
            asyncio.IncompleteReadError: EOF came first; ``partial`` holds what was read.
        """
        if self._exception is not None:
            raise self._exception
        blocks: list[bytes] = []
        while n > 0:
            block = await self.read(n)
            if not block:
                partial = b"".join(blocks)
                raise asyncio.IncompleteReadError(partial, len(partial) + n)
            blocks.append(block)
            n -= len(block)
        return b"".join(blocks)

    def read_nowait(self, n: int = -1) -> bytes:
        """Return up to ``n`` buffered bytes without waiting.

        Raises:
            RuntimeError: Another coroutine is waiting for data on this stream.
        """
        if self._exception is not None:
            raise self._exception
        if self._waiter and not self._waiter.done():
            raise RuntimeError("Called while some coroutine is waiting for incoming data.")
        return self._read_nowait(n)

    def _read_nowait_chunk(self, n: int) -> bytes:
        first = self._buffer[0]
        offset = self._buffer_offset
        if n != -1 and len(first) - offset > n:
            data = first[offset : offset + n]
            self._buffer_offset += n
        elif offset:
            self._buffer.popleft()
            data = first[offset:]
            self._buffer_offset = 0
        else:
            data = self._buffer.popleft()
        size = len(data)
        self._size -= size
        self._cursor += size
        splits = self._http_chunk_splits
        while splits and splits[0] < self._cursor:
            splits.pop(0)
        if (
            self._size < self._low_water
            and (splits is None or len(splits) < self._low_water_chunks)
            and self._protocol.reading_paused
        ):
            self._protocol.resume_reading()
        return data

    def _read_nowait(self, n: int) -> bytes:
        chunks = []
        # Only what is buffered now: resuming may feed more at once (a decoder's next piece),
        # which waits for the next read instead of growing this one without bound.
        for _ in range(len(self._buffer)):
            chunk = self._read_nowait_chunk(n)
            chunks.append(chunk)
            if n != -1:
                n -= len(chunk)
                if n == 0:
                    break
        if len(chunks) == 1:
            return chunks[0]
        return b"".join(chunks)


def _call_eof_callback(callback: Callable[[], None]) -> None:
    try:
        callback()
    except Exception:
        internal_logger.exception("Exception in eof callback")


class EmptyStreamReader(StreamReader):
    """A reader that is always at EOF: the ``content`` of a message without a body."""

    def __init__(self) -> None:
        self._read_eof_chunk = False
        self._eof = True
        self._exception = None
        self._buffer = collections.deque()

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}>"

    def exception(self) -> BaseException | None:
        """Always ``None``."""
        return None

    def set_exception(self, exc: BaseException, exc_cause: BaseException = EXC_SENTINEL) -> None:
        """Ignored: an empty stream cannot fail."""

    def set_read_chunk_size(self, n: int) -> None:
        """Ignored: an empty stream buffers nothing."""

    def on_eof(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` at once (an exception it raises is logged)."""
        _call_eof_callback(callback)

    def feed_eof(self) -> None:
        """Ignored: the stream is already at EOF."""

    def is_eof(self) -> bool:
        """Always true."""
        return True

    def at_eof(self) -> bool:
        """Always true."""
        return True

    async def wait_eof(self) -> None:
        """Return at once."""

    def feed_data(self, data: bytes, size: int = 0) -> bool:  # type: ignore[override]
        """Ignored: an empty stream takes no data (``False``, as in aiohttp 3.x)."""
        return False

    async def readline(self, *, max_line_length: int | None = None) -> bytes:
        """Return ``b""``."""
        return b""

    async def readuntil(self, separator: bytes = b"\n", *, max_size: int | None = None) -> bytes:
        """Return ``b""``."""
        return b""

    async def read(self, n: int = -1) -> bytes:
        """Return ``b""``."""
        return b""

    async def readany(self) -> bytes:
        """Return ``b""``."""
        return b""

    async def readchunk(self) -> tuple[bytes, bool]:
        """Return ``(b"", False)`` once, then ``(b"", True)``, as aiohttp 3.x does."""
        if not self._read_eof_chunk:
            self._read_eof_chunk = True
            return (b"", False)
        return (b"", True)

    async def readexactly(self, n: int) -> bytes:
        """Raise :class:`asyncio.IncompleteReadError`: there is nothing to read."""
        raise asyncio.IncompleteReadError(b"", n)

    def read_nowait(self, n: int = -1) -> bytes:
        """Return ``b""``."""
        return b""


#: The shared ``content`` of every message without a body.
EMPTY_PAYLOAD: StreamReader = EmptyStreamReader()
