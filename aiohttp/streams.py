"""aiohttp 3.x import path for the payload streams (see :mod:`aiohttp._io.streams`)."""

from ._io.queues import DataQueue, FlowControlDataQueue
from ._io.stream_iterators import AsyncStreamIterator, ChunkTupleAsyncStreamIterator, EofStream
from ._io.streams import EMPTY_PAYLOAD, EmptyStreamReader, StreamReader

__all__ = [
    "EMPTY_PAYLOAD",
    "AsyncStreamIterator",
    "ChunkTupleAsyncStreamIterator",
    "DataQueue",
    "EmptyStreamReader",
    "EofStream",
    "FlowControlDataQueue",
    "StreamReader",
]
