"""Queues of whole items for one reader: :class:`DataQueue` and :class:`FlowControlDataQueue`.

``await queue.read()`` returns the next item, raises the exception given to
``set_exception``, or raises :class:`~aiohttp._io.stream_iterators.EofStream` once ``feed_eof`` was
called and the queue is empty; ``async for item in queue`` stops there. The flow-controlled
queue pauses its protocol's reading while the summed ``size`` of queued items exceeds its limit.
"""

from __future__ import annotations

import asyncio
import collections
from typing import Generic, TypeVar

from .stream_iterators import AsyncStreamIterator, EofStream
from .streams import EXC_SENTINEL, FlowControlProtocol, set_exception

__all__ = ["DataQueue", "FlowControlDataQueue"]

_T = TypeVar("_T")


class DataQueue(Generic[_T]):
    """A queue of whole items (messages) with one reader.

    ``read()`` returns the next item, raises the exception set with :meth:`set_exception`,
    or raises :class:`EofStream` after :meth:`feed_eof` once the queue is empty.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._eof = False
        self._waiter: asyncio.Future[None] | None = None
        self._exception: BaseException | None = None
        self._buffer: collections.deque[tuple[_T, int]] = collections.deque()

    def __len__(self) -> int:
        return len(self._buffer)

    def is_eof(self) -> bool:
        """Return whether :meth:`feed_eof` was called."""
        return self._eof

    def at_eof(self) -> bool:
        """Return whether the queue ended and is empty."""
        return self._eof and not self._buffer

    def exception(self) -> BaseException | None:
        """Return the exception set with :meth:`set_exception`, if any."""
        return self._exception

    def set_exception(self, exc: BaseException, exc_cause: BaseException = EXC_SENTINEL) -> None:
        """Make the pending and later reads raise ``exc`` (with ``exc_cause`` as its cause)."""
        self._eof = True
        self._exception = exc
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            set_exception(waiter, exc, exc_cause)

    def feed_data(self, data: _T, size: int = 0) -> None:
        """Append an item (``size`` counts toward flow control in subclasses)."""
        self._buffer.append((data, size))
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def feed_eof(self) -> None:
        """Mark the end of the queue and wake the reader."""
        self._eof = True
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    async def read(self) -> _T:
        """Return the next item.

        Raises:
            EofStream: The queue ended.
        """
        if not self._buffer and not self._eof:
            assert self._waiter is None, "read() called concurrently"
            self._waiter = self._loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        if self._buffer:
            data, size = self._buffer.popleft()
            self._on_read(size)
            return data
        if self._exception is not None:
            raise self._exception
        raise EofStream

    def _on_read(self, size: int) -> None:
        """Hook for flow control: ``size`` bytes left the queue."""

    def __aiter__(self) -> AsyncStreamIterator[_T]:
        return AsyncStreamIterator(self.read)


class FlowControlDataQueue(DataQueue[_T]):
    """A :class:`DataQueue` that pauses its protocol while more than ``limit`` is queued.

    Args:
        protocol: The protocol to pause and resume.
        limit: The byte count (the sum of the ``size`` given to :meth:`feed_data`) above which
            reading pauses; reading resumes once the queued size falls back below it.
        loop: The event loop.
    """

    def __init__(
        self, protocol: FlowControlProtocol, limit: int, *, loop: asyncio.AbstractEventLoop
    ) -> None:
        super().__init__(loop=loop)
        self._protocol = protocol
        self._limit = limit
        self._size = 0

    def feed_data(self, data: _T, size: int = 0) -> None:
        """Append an item of ``size`` bytes; pause the protocol above the limit."""
        super().feed_data(data, size)
        self._size += size
        if self._size > self._limit and not self._protocol.reading_paused:
            self._protocol.pause_reading()

    def _on_read(self, size: int) -> None:
        self._size -= size
        if self._size < self._limit and self._protocol.reading_paused:
            self._protocol.resume_reading()
