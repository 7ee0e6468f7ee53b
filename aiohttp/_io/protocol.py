"""The asyncio protocol base shared by the server, the client and WebSockets.

:class:`BaseProtocol` is an :class:`asyncio.BufferedProtocol`: the transport reads straight into
one reused buffer (``get_buffer``/``buffer_updated``) instead of allocating a fresh 256 KiB
``bytes`` per socket read, and the bytes read are handed to :meth:`BaseProtocol.data_received`
as a ``bytes`` copy. Subclasses override the ``data_received``/``eof_received``/
``connection_made``/``connection_lost`` hooks as with a plain :class:`asyncio.Protocol`.

Flow control both ways:

- reading: :meth:`BaseProtocol.pause_reading` and :meth:`BaseProtocol.resume_reading` stop
  and restart the transport (idempotent; :attr:`BaseProtocol.reading_paused` tells which);
  :class:`aiohttp._io.streams.StreamReader` calls them at its water marks;
- writing: the transport calls ``pause_writing``/``resume_writing`` at its own water marks
  and ``await protocol.drain()`` waits while writing is paused; it raises
  :class:`ConnectionResetError` once the connection is lost.

Switching protocols: after a ``101 Switching Protocols`` (or a 2xx to CONNECT),
``protocol.switch_protocol(receiver, data)`` routes every later event to ``receiver``:
first ``receiver.data_received(data)`` with the bytes the HTTP parser held back, then each
socket read, then ``receiver.eof_received()`` and ``receiver.connection_lost(exc)``. The
receiver writes through ``protocol.transport`` and may keep using ``pause_reading``,
``resume_reading`` and ``drain``.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Protocol, cast

__all__ = ["PAUSE_RESUME_READING_ERRORS", "BaseProtocol", "Receiver"]

#: Size of the buffer the transport reads into; one read returns at most this many bytes.
DEFAULT_READ_BUFFER_SIZE = 256 * 1024
#: What ``pause_reading()``/``resume_reading()`` raise on a transport without flow control
#: (a closing one, a test double ...); ignored there, as in aiohttp 3.x.
PAUSE_RESUME_READING_ERRORS = (AttributeError, NotImplementedError, RuntimeError)


class Receiver(Protocol):
    """What :meth:`BaseProtocol.switch_protocol` hands the connection to."""

    def data_received(self, data: bytes) -> None:
        """Take bytes read from the peer."""

    def eof_received(self) -> bool | None:
        """The peer closed its sending side; return true to keep the transport half-open."""

    def connection_lost(self, exc: BaseException | None) -> None:
        """The connection is closed; ``exc`` is the error that closed it, if any."""


class _ReadBuffer(threading.local):
    """One read buffer per thread: the transport fills it and we copy out at once.

    Protocols asking for different read sizes share the largest buffer, through views; each
    protocol keeps the view it was given (one that outlives a bigger buffer keeps the old,
    smaller one alive, which is as safe: the bytes are copied out before any other read).
    """

    def __init__(self) -> None:
        self.buffer = bytearray(0)
        self.views: dict[int, memoryview] = {}

    def get(self, size: int) -> memoryview:
        view = self.views.get(size)
        if view is None:
            if size > len(self.buffer):
                self.buffer = bytearray(size)
                self.views.clear()
            view = self.views[size] = memoryview(self.buffer)[:size]
        return view


_READ_BUFFER = _ReadBuffer()


class BaseProtocol(asyncio.BufferedProtocol):
    """An asyncio protocol with flow control both ways and a protocol switch.

    A single read buffer per thread is shared by every connection: asyncio (and uvloop) call
    ``get_buffer``, fill it and call ``buffer_updated`` synchronously, and the bytes are copied
    out before any other connection reads, so no per-connection buffer is kept.

    Args:
        loop: The event loop the connection runs on.
        parser: Kept as ``self._parser`` for subclasses written for aiohttp 3.x, whose
            protocols hold their parser there; the base does not use it.
        read_buffer_size: The most bytes a single socket read returns.

    Attributes:
        transport: The transport while connected, else ``None``.
    """

    # Slots keep a connection small: thousands of idle ones each save an instance dict.
    __slots__ = (
        "__weakref__",
        "_connection_lost",
        "_drain_waiter",
        "_loop",
        "_lost_exc",
        "_parser",
        "_paused",
        "_read_buffer_size",
        "_read_view",
        "_reading_paused",
        "_receiver",
        "transport",
    )

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        parser: Any = None,
        *,
        read_buffer_size: int = DEFAULT_READ_BUFFER_SIZE,
    ) -> None:
        self._loop = loop
        self._parser = parser
        self.transport: asyncio.Transport | None = None
        self._read_buffer_size = read_buffer_size
        self._read_view = memoryview(b"")
        self._reading_paused = False
        self._paused = False
        self._drain_waiter: asyncio.Future[None] | None = None
        self._connection_lost = False
        self._lost_exc: BaseException | None = None
        self._receiver: Receiver | None = None

    # -- state ------------------------------------------------------------------------------

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The event loop the connection runs on."""
        return self._loop

    @property
    def connected(self) -> bool:
        """Whether the transport is attached and the connection not lost."""
        return self.transport is not None

    @property
    def writing_paused(self) -> bool:
        """Whether the transport asked us to stop writing."""
        return self._paused

    @property
    def reading_paused(self) -> bool:
        """Whether reading from the transport is paused."""
        return self._reading_paused

    # -- asyncio callbacks ------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Attach the transport (asyncio callback)."""
        # uvloop's transports are not asyncio.Transport subclasses, but behave as one.
        self.transport = cast(asyncio.Transport, transport)

    def get_buffer(self, sizehint: int) -> memoryview:
        """Return the shared read buffer (asyncio callback)."""
        view = self._read_view
        if len(view) != self._read_buffer_size:
            view = self._read_view = _READ_BUFFER.get(self._read_buffer_size)
        return view

    def buffer_updated(self, nbytes: int) -> None:
        """Copy the bytes just read out of the shared buffer and dispatch them."""
        data = bytes(self._read_view[:nbytes])
        receiver = self._receiver
        if receiver is not None:
            receiver.data_received(data)
        else:
            self.data_received(data)

    def data_received(self, data: bytes) -> None:
        """Handle bytes read from the peer; subclasses override this."""

    def eof_received(self) -> bool | None:
        """The peer closed its sending side (asyncio callback)."""
        receiver = self._receiver
        if receiver is not None:
            return receiver.eof_received()
        return None

    def connection_lost(self, exc: BaseException | None) -> None:
        """Detach the transport and wake any writer waiting in :meth:`drain`."""
        self._connection_lost = True
        self._lost_exc = exc
        self.transport = None
        waiter = self._drain_waiter
        if waiter is not None:
            self._drain_waiter = None
            if not waiter.done():
                waiter.set_result(None)
        receiver = self._receiver
        if receiver is not None:
            receiver.connection_lost(exc)

    # -- flow control: reading --------------------------------------------------------------

    def pause_reading(self) -> None:
        """Stop reading from the transport until :meth:`resume_reading`."""
        if not self._reading_paused and self.transport is not None:
            try:
                self.transport.pause_reading()
            except PAUSE_RESUME_READING_ERRORS:
                return  # no flow control on this transport: there is nothing to pause
            self._reading_paused = True

    def resume_reading(self, resume_parser: bool = True) -> None:
        """Start reading from the transport again.

        Args:
            resume_parser: Whether a subclass should also go on with input it held back
                while paused (aiohttp 3.x's flag; the base holds nothing back).
        """
        if self._reading_paused and self.transport is not None:
            self._reading_paused = False
            # contextlib.suppress costs a context manager per call on this hot path.
            try:  # noqa: SIM105
                self.transport.resume_reading()
            except PAUSE_RESUME_READING_ERRORS:
                pass  # the transport has no flow control (or is closing): nothing to resume

    # -- flow control: writing --------------------------------------------------------------

    def pause_writing(self) -> None:
        """The transport's write buffer is above its high-water mark (asyncio callback)."""
        self._paused = True

    def resume_writing(self) -> None:
        """The transport's write buffer drained below its low-water mark (asyncio callback)."""
        self._paused = False
        waiter = self._drain_waiter
        if waiter is not None:
            self._drain_waiter = None
            if not waiter.done():
                waiter.set_result(None)

    async def drain(self) -> None:
        """Wait until the transport accepts more data.

        Raises:
            ConnectionResetError: The connection is lost.
        """
        if self._connection_lost:
            raise self._reset_error()
        if not self._paused:
            return
        waiter = self._drain_waiter
        if waiter is None:
            waiter = self._drain_waiter = self._loop.create_future()
        await asyncio.shield(waiter)
        if self._connection_lost:
            raise self._reset_error()

    def _reset_error(self) -> ConnectionResetError:
        err = ConnectionResetError("Connection lost")
        err.__cause__ = self._lost_exc
        return err

    # aiohttp 3.x spelling used by its stream writer.
    _drain_helper = drain

    # -- switching protocols ----------------------------------------------------------------

    def switch_protocol(self, receiver: Receiver, data: bytes = b"") -> None:
        """Route the rest of the connection's events to ``receiver``.

        Args:
            receiver: The new consumer of incoming bytes, EOF and connection loss.
            data: Bytes already read past the HTTP message (what the parser held back);
                they are delivered first.
        """
        self._receiver = receiver
        if data:
            receiver.data_received(data)
        if self._connection_lost:
            receiver.connection_lost(self._lost_exc)
