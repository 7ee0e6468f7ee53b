"""Closing a server connection: at once, after the request in hand, or on shutdown.

:class:`ConnectionClosing` is the part of :class:`~aiohttp.web.RequestHandler` that the
server's owner drives (``close_idle()``, ``shutdown()``, ``force_close()``) and that writes the
short error answers the connection sends itself. The lingering close after a refused request is
in :mod:`aiohttp.web.server.timeouts`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING

from ..._io.websocket import WebSocketChannel
from .errors import error_bytes
from .timeouts import ConnectionTimeouts

if TYPE_CHECKING:
    from ..._io.streams import StreamReader
    from ..._sansio.errors import HttpProcessingError
    from ..._sansio.http1.events import RequestHead

__all__ = ["ConnectionClosing"]


class ConnectionClosing(ConnectionTimeouts):
    """Close now, after the current response, or on shutdown (see the module doc)."""

    __slots__ = ()

    _handling: bool
    _messages: deque[tuple[RequestHead, StreamReader] | HttpProcessingError]
    _task: asyncio.Task[None] | None

    if TYPE_CHECKING:  # provided by RequestHandler

        def _wake(self) -> None: ...

    @property
    def requests_queued(self) -> int:
        """Parsed requests waiting for their turn."""
        return len(self._messages)

    def _write_error(self, status: int, message: str) -> None:
        transport = self.transport
        if transport is not None and not transport.is_closing():
            transport.write(error_bytes(status, message))

    def _close(self) -> None:
        self._closing = True
        self._deadline.cancel()
        transport = self.transport
        if transport is not None:
            transport.close()

    def close_idle(self) -> None:
        """Close now if no request is in hand; otherwise close after the current response."""
        self._closing = True
        if not self._handling and not self._messages:
            self._close()
            self._wake()

    async def shutdown(self, timeout: float | None = 15.0) -> None:  # noqa: ASYNC109
        """Finish the request in hand (waiting up to ``timeout``), then close.

        An open WebSocket is closed first with 1001 "going away" (RFC 6455 §7.4.1), so its
        handler ends instead of waiting out the timeout.
        """
        self.close_idle()
        task = self._task
        receiver = self._receiver
        if task is not None and not task.done():
            try:
                async with asyncio.timeout(timeout):
                    if isinstance(receiver, WebSocketChannel):
                        await receiver.going_away()  # RFC 6455 §7.4.1
                    await asyncio.shield(task)
            except TimeoutError:
                task.cancel()
                await asyncio.wait([task], timeout=timeout)
        self._close()

    def force_close(self) -> None:
        """Close the connection after the current response."""
        self._closing = True
