"""The stream writer: sends one HTTP message's head and body over a protocol's transport.

:class:`StreamWriter` implements aiohttp 3.x's ``AbstractStreamWriter``::

    writer = StreamWriter(protocol, loop)
    writer.enable_chunking()                 # Transfer-Encoding: chunked framing
    writer.enable_compression("gzip")        # deflate, gzip, br, zstd (content coding)
    await writer.write_headers("HTTP/1.1 200 OK", headers)   # buffered until the body
    await writer.write(b"data")              # drains once buffer_size passes 64 KiB
    await writer.write_eof(b"last")          # ends the message (last chunk when chunked)

The head is held back and sent together with the first body bytes, so a small response
leaves in one ``transport.write``. ``write_head(head_bytes)`` takes a head already serialized
by :mod:`aiohttp._sansio.http1` (the server's fast path). ``buffer_size`` counts bytes written
since the last drain, ``output_size`` all bytes written; ``length`` (when set) caps the body
at that many bytes, as a Content-Length framing guard.

Head bytes and chunk framing come from :mod:`aiohttp._sansio.http1`; compression from
:mod:`aiohttp._sansio.codings`. Writing to a closed transport raises
:class:`ConnectionResetError`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Executor
from typing import BinaryIO

from .._sansio.codings import Encoder
from .._sansio.http1.events import HttpVersion
from .._sansio.http1.serializer import (
    encode_chunk,
    encode_last_chunk,
    serialize_request_head,
    serialize_response_head,
)
from .protocol import BaseProtocol

__all__ = ["DEFAULT_ZLIB_EXECUTOR_SIZE", "AbstractStreamWriter", "StreamWriter"]

#: Chunks larger than this are compressed in an executor so the loop is not blocked.
DEFAULT_ZLIB_EXECUTOR_SIZE = 1024 * 1024
# Body bytes up to this size are joined to a held-back head and sent in one write.
_JOIN_LIMIT = 16 * 1024
#: ``write()`` drains once this many bytes were written since the last drain.
DRAIN_LIMIT = 0x10000


def _version(text: str) -> HttpVersion:
    if not text.startswith("HTTP/") or len(text) != 8 or text[6] != ".":
        raise ValueError(f"Invalid HTTP-version: {text!r}")
    return HttpVersion(int(text[5]), int(text[7]))


def serialize_start_line(start_line: str, headers: Mapping[str, str]) -> bytes:
    """Serialize a head given as a start line (status line or request line) and headers.

    ``"HTTP/1.1 200 OK"`` goes through ``serialize_response_head`` and ``"GET /path HTTP/1.1"``
    through ``serialize_request_head`` (:mod:`aiohttp._sansio.http1.serializer`), so every
    field is checked the same way.

    Raises:
        ValueError: The start line is malformed, or a field contains CR, LF or NUL.
    """
    if start_line.startswith("HTTP/"):
        version, _, rest = start_line.partition(" ")
        status, _, reason = rest.partition(" ")
        if not (status.isascii() and status.isdigit()):
            raise ValueError(f"Invalid status line: {start_line!r}")
        return serialize_response_head(int(status), reason, headers, _version(version))
    parts = start_line.split(" ")
    if len(parts) != 3:
        raise ValueError(f"Invalid request line: {start_line!r}")
    return serialize_request_head(parts[0], parts[1], headers, _version(parts[2]))


class AbstractStreamWriter:
    """The interface of a message body writer (aiohttp 3.x ``aiohttp.abc``).

    Attributes:
        buffer_size: Bytes written since the last drain.
        output_size: Bytes written in total.
        length: The remaining body length the message is framed with, if known.
        on_body_write: Called as ``on_body_write(n, output_size)`` for each body chunk
            accepted, with its size before compression and framing (upload progress).
    """

    buffer_size: int = 0
    output_size: int = 0
    length: int | None = 0
    on_body_write: Callable[[int, int], None] | None = None

    @property
    def transport(self) -> asyncio.WriteTransport | None:
        """The transport written to, if any (``None`` for writers without one)."""
        return None

    async def write(self, chunk: bytes | bytearray | memoryview) -> None:
        """Write a chunk of the body."""
        raise NotImplementedError

    async def write_eof(self, chunk: bytes = b"") -> None:
        """Write the last chunk and end the message."""
        raise NotImplementedError

    async def drain(self) -> None:
        """Wait until the transport accepts more data."""
        raise NotImplementedError

    def enable_compression(self, encoding: str = "deflate", strategy: int | None = None) -> None:
        """Compress the body with ``encoding``."""
        raise NotImplementedError

    def enable_chunking(self) -> None:
        """Frame the body with the chunked transfer coding."""
        raise NotImplementedError

    async def write_headers(self, status_line: str, headers: Mapping[str, str]) -> None:
        """Write the start line and header section."""
        raise NotImplementedError

    def send_headers(self) -> None:
        """Send a buffered head now, without waiting for the body."""
        raise NotImplementedError


class StreamWriter(AbstractStreamWriter):
    """Writes one message at a time to ``protocol.transport``.

    Args:
        protocol: The connection's protocol (its transport and drain are used).
        loop: The event loop.
        on_chunk_sent: Awaited with each body chunk before it is written (client tracing).
        on_headers_sent: Awaited with the headers before they are written.
    """

    length: int | None = None
    chunked: bool = False
    max_chunk_size: int | None = None
    """With chunking, the largest chunk sent: longer writes are split (the 0.x ``chunked=N``)."""
    head_written = False
    """Whether a message head was given (raw writes before it, such as an interim
    ``100 Continue`` written by an expect handler, are not one)."""

    def __init__(
        self,
        protocol: BaseProtocol,
        loop: asyncio.AbstractEventLoop,
        on_chunk_sent: Callable[[bytes], Awaitable[None]] | None = None,
        on_headers_sent: Callable[[Mapping[str, str]], Awaitable[None]] | None = None,
    ) -> None:
        self._protocol = protocol
        self.loop = loop
        self.buffer_size = 0
        self.output_size = 0
        self._eof = False
        self._head: bytes | None = None
        self._compress: Encoder | None = None
        self._zlib_executor_size = DEFAULT_ZLIB_EXECUTOR_SIZE
        self._zlib_executor: Executor | None = None
        self._on_chunk_sent = on_chunk_sent
        self._on_headers_sent = on_headers_sent

    @property
    def transport(self) -> asyncio.Transport | None:
        """The protocol's transport, or ``None`` once the connection is lost."""
        return self._protocol.transport

    @property
    def protocol(self) -> BaseProtocol:
        """The protocol this writer sends through."""
        return self._protocol

    def enable_chunking(self) -> None:
        """Frame the body with the chunked transfer coding (RFC 9112 §7.1)."""
        self.chunked = True

    def enable_compression(
        self,
        encoding: str = "deflate",
        strategy: int | None = None,
        *,
        executor_size: int = DEFAULT_ZLIB_EXECUTOR_SIZE,
        executor: Executor | None = None,
    ) -> None:
        """Compress the body with ``encoding`` (``deflate``, ``gzip``, ``br`` or ``zstd``).

        Args:
            encoding: The content coding.
            strategy: Accepted for aiohttp 3.x compatibility; the library's default
                strategy is always used.
            executor_size: Chunks larger than this are compressed in ``executor``.
            executor: The executor for large chunks (the loop's default when ``None``).
        """
        self._compress = Encoder(encoding)
        self._zlib_executor_size = executor_size
        self._zlib_executor = executor

    def _write(self, data: bytes) -> None:
        size = len(data)
        self.buffer_size += size
        self.output_size += size
        transport = self._protocol.transport
        if transport is None or transport.is_closing():
            raise ConnectionResetError("Cannot write to closing transport")
        transport.write(data)

    async def _compressed(self, chunk: bytes) -> bytes:
        compress = self._compress
        assert compress is not None
        if len(chunk) > self._zlib_executor_size:
            return await self.loop.run_in_executor(self._zlib_executor, compress.compress, chunk)
        return compress.compress(chunk)

    def _frame(self, chunk: bytes) -> bytes:
        """Apply the length cap and the chunked framing; prepend a held-back head."""
        if self.length is not None:
            if self.length >= len(chunk):
                self.length -= len(chunk)
            else:
                chunk = chunk[: self.length]
                self.length = 0
        if chunk and self.chunked:
            size = self.max_chunk_size
            if size is None or len(chunk) <= size:
                chunk = encode_chunk(chunk)
            else:
                chunk = b"".join(
                    encode_chunk(chunk[i : i + size]) for i in range(0, len(chunk), size)
                )
        head = self._head
        if head is not None:
            self._head = None
            if len(chunk) > _JOIN_LIMIT:  # a large body: two writes beat copying it
                self._write(head)
                return chunk
            return head + chunk
        return chunk

    async def write(
        self,
        chunk: bytes | bytearray | memoryview,
        *,
        drain: bool = True,
        LIMIT: int = DRAIN_LIMIT,
    ) -> None:
        """Write a body chunk, draining once ``LIMIT`` bytes were written since the last drain.

        Raises:
            ConnectionResetError: The connection is closed.
        """
        if self._on_chunk_sent is not None:
            await self._on_chunk_sent(bytes(chunk))
        data = bytes(chunk)
        notify = self.on_body_write
        size = len(data)
        if self._compress is not None:
            data = await self._compressed(data)
            if not data:
                if notify is not None and size:
                    notify(size, self.output_size)
                return
        elif notify is not None and self.length is not None:
            size = min(size, self.length)  # what is past the framed length is not sent
        data = self._frame(data)
        if data:
            self._write(data)
            if notify is not None and size:
                notify(size, self.output_size)
            if drain and self.buffer_size > LIMIT:
                self.buffer_size = 0
                await self.drain()

    def write_head(self, head: bytes) -> None:
        """Hold serialized head bytes back until the first body bytes (or :meth:`send_headers`)."""
        self._head = head
        self.head_written = True

    async def write_headers(self, status_line: str, headers: Mapping[str, str]) -> None:
        """Serialize the start line and ``headers`` and hold them for the first body bytes.

        Raises:
            ValueError: A field contains CR, LF or NUL.
        """
        if self._on_headers_sent is not None:
            await self._on_headers_sent(headers)
        self._head = serialize_start_line(status_line, headers)
        self.head_written = True

    def send_headers(self) -> None:
        """Send a held-back head now."""
        head = self._head
        if head is not None:
            self._head = None
            self._write(head)

    async def sendfile(self, fobj: BinaryIO, offset: int, count: int) -> None:
        """Send ``count`` bytes of ``fobj`` from ``offset`` after any held-back head.

        Zero-copy through :meth:`asyncio.AbstractEventLoop.sendfile` where the transport
        allows it, reading and writing otherwise. No chunked framing or compression applies:
        frame the body with ``Content-Length``.

        Raises:
            ConnectionResetError: The connection is closed.
        """
        self.send_headers()
        transport = self._protocol.transport
        if transport is None or transport.is_closing():
            raise ConnectionResetError("Cannot write to closing transport")
        await self.drain()
        sent = await self.loop.sendfile(transport, fobj, offset, count, fallback=True)
        self.output_size += sent
        if self.length is not None:
            self.length -= min(sent, self.length)

    def write_whole(self, head: bytes, body: bytes) -> None:
        """Send a whole message: ``head`` (serialized) and all of its ``body``, then end it.

        No chunked framing or compression applies; the ``length`` cap does. A small body leaves
        in the same ``transport.write`` as the head. The caller drains if writing is paused.

        Raises:
            ConnectionResetError: The connection is closed.
        """
        self._head = head
        data = self._frame(body)
        self._eof = True
        self._write(data)

    def set_eof(self) -> None:
        """Mark the message complete without writing (a body sent by other means)."""
        self._eof = True

    async def write_eof(self, chunk: bytes = b"") -> None:
        """Write ``chunk`` and end the message: flush the compressor, send the last chunk."""
        if self._eof:
            return
        if chunk and self._on_chunk_sent is not None:
            await self._on_chunk_sent(chunk)
        if self._compress is not None:
            data = await self._compressed(chunk) if chunk else b""
            data += self._compress.finish()
            self._compress = None
        else:
            data = chunk
        data = self._frame(data)
        if self.chunked:
            data += encode_last_chunk()
        if data:
            self._write(data)
        self._eof = True
        if chunk and (notify := self.on_body_write) is not None:
            notify(len(chunk), self.output_size)
        protocol = self._protocol
        if protocol.writing_paused and protocol.transport is not None:
            await protocol.drain()

    async def drain(self) -> None:
        """Wait while the transport is paused for writing.

        Raises:
            ConnectionResetError: The connection is lost.
        """
        protocol = self._protocol
        if protocol.transport is not None and protocol.writing_paused:
            await protocol.drain()
