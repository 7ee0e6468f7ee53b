"""Iterating over streams and queues with ``async for``: the iterators
:meth:`~aiohttp._io.streams.StreamReader.iter_chunked` and friends return, and
:class:`EofStream`, which queues raise at their end.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from .streams import StreamReader

__all__ = [
    "AsyncStreamIterator",
    "AsyncStreamReaderMixin",
    "ChunkTupleAsyncStreamIterator",
    "EofStream",
]

_T = TypeVar("_T")


class EofStream(Exception):
    """Raised by :meth:`DataQueue.read` after the end of the stream."""


class AsyncStreamIterator(Generic[_T]):
    """Iterate by calling a read coroutine until it returns an empty value or hits EOF."""

    __slots__ = ("_read_func",)

    def __init__(self, read_func: Callable[[], Awaitable[_T]]) -> None:
        self._read_func = read_func

    def __aiter__(self) -> AsyncStreamIterator[_T]:
        return self

    async def __anext__(self) -> _T:
        try:
            rv = await self._read_func()
        except EofStream:
            raise StopAsyncIteration from None
        if rv == b"":
            raise StopAsyncIteration
        return rv


class ChunkTupleAsyncStreamIterator:
    """Iterate over ``(data, end_of_http_chunk)`` pairs of a :class:`StreamReader`."""

    __slots__ = ("_stream",)

    def __init__(self, stream: StreamReader) -> None:
        self._stream = stream

    def __aiter__(self) -> ChunkTupleAsyncStreamIterator:
        return self

    async def __anext__(self) -> tuple[bytes, bool]:
        rv = await self._stream.readchunk()
        if rv == (b"", False):
            raise StopAsyncIteration
        return rv


class AsyncStreamReaderMixin:
    """The ``async for`` helpers shared by :class:`StreamReader` and the empty reader."""

    def __aiter__(self) -> AsyncStreamIterator[bytes]:
        return AsyncStreamIterator(self.readline)  # type: ignore[attr-defined]

    def iter_chunked(self, n: int) -> AsyncStreamIterator[bytes]:
        """Yield chunks of at most ``n`` bytes (the last may be shorter)."""
        return AsyncStreamIterator(lambda: self.read(n))  # type: ignore[attr-defined]

    def iter_any(self) -> AsyncStreamIterator[bytes]:
        """Yield data as soon as it arrives."""
        return AsyncStreamIterator(self.readany)  # type: ignore[attr-defined]

    def iter_chunks(self) -> ChunkTupleAsyncStreamIterator:
        """Yield ``(data, end_of_http_chunk)`` pairs, following the sender's HTTP chunks."""
        return ChunkTupleAsyncStreamIterator(self)  # type: ignore[arg-type]
