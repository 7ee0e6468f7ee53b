"""A raw TCP connection that records every octet the peer sends, with timestamps."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time

#: Seconds to wait for a TCP connection to the server under test.
CONNECT_TIMEOUT = 2.0


class RawConnection:
    """Both directions of one TCP connection, with the peer's octets collected in the background.

    Attributes:
        received: every octet received so far.
        closed: set when the peer closed or reset the connection.
        reset: the peer reset the connection (rather than closing it cleanly).
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self.received = bytearray()
        self.closed = asyncio.Event()
        self.reset = False
        self.write_failed = False
        self._changed = asyncio.Event()
        self._started = time.monotonic()
        sock = writer.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._task = asyncio.create_task(self._collect())

    @classmethod
    async def open(
        cls, host: str, port: int, ssl_context: ssl.SSLContext | None = None
    ) -> RawConnection:
        """Connect to ``host:port`` (at most :data:`CONNECT_TIMEOUT` seconds), over TLS when
        ``ssl_context`` is given."""
        connecting = asyncio.open_connection(host, port, ssl=ssl_context)
        reader, writer = await asyncio.wait_for(connecting, CONNECT_TIMEOUT)
        return cls(reader, writer)

    async def _collect(self) -> None:
        try:
            while True:
                chunk = await self._reader.read(65536)
                if not chunk:
                    break
                self.received += chunk
                self._changed.set()
        except (ConnectionError, OSError):
            self.reset = True
        finally:
            self.closed.set()
            self._changed.set()

    async def send(self, data: bytes) -> bool:
        """Write ``data``; ``False`` when the peer has already gone."""
        if self._writer.is_closing():
            self.write_failed = True
            return False
        try:
            self._writer.write(data)
            await self._writer.drain()
        except (ConnectionError, OSError):
            self.write_failed = True
            return False
        return True

    def shutdown_write(self) -> None:
        """Send FIN, keep reading."""
        with contextlib.suppress(OSError, RuntimeError):
            if self._writer.can_write_eof():
                self._writer.write_eof()

    async def wait_change(self, deadline: float, seen: int) -> bool:
        """Wait until more than ``seen`` octets arrived or the peer closed, or ``deadline``.

        Returns:
            ``False`` when the deadline (monotonic clock) passed first.
        """
        self._changed.clear()
        if len(self.received) != seen or self.closed.is_set():
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        try:
            await asyncio.wait_for(self._changed.wait(), remaining)
        except TimeoutError:
            return False
        return True

    async def close(self) -> None:
        """Close our side and stop collecting."""
        self._writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._writer.wait_closed(), 1.0)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task
