"""Closing a server connection: at once, after the request in hand, on shutdown, when the
client closes its side, or because the connection was lost.

:class:`ConnectionClosing` is the part of :class:`~aiohttp.web.RequestHandler` that the
server's owner drives (``close_idle()``, ``shutdown()``, ``force_close()``), that stops
everything when the connection is lost, and that writes the short error answers the connection
sends itself. The lingering close after a refused request is
in :mod:`aiohttp.web.server.timeouts`.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ..._io.protocol import BaseProtocol
from ..._io.websocket import WebSocketChannel
from ..._sansio.errors import HttpProcessingError
from .errors import error_bytes
from .timeouts import ConnectionTimeouts

if TYPE_CHECKING:
    from ..._sansio.http1.connection import HttpConnection
    from ..._sansio.http1.events import Event
    from ..messages.request import BaseRequest
    from .lowlevel import Server

__all__ = ["ConnectionClosing"]


class ConnectionClosing(ConnectionTimeouts):
    """Close now, after the current response, or on shutdown (see the module doc)."""

    __slots__ = ("_waiter",)

    _handling: bool
    _manager: Server
    _task: asyncio.Task[None] | None
    _closed: asyncio.Future[None]
    _waiter: asyncio.Future[None] | None
    _http: HttpConnection
    _request: BaseRequest | None

    if TYPE_CHECKING:  # provided by RequestHandler

        def _dispatch(self, events: list[Event]) -> None: ...

    @property
    def requests_queued(self) -> int:
        """Parsed requests waiting for their turn."""
        return len(self._messages)

    async def wait_closed(self) -> None:
        """Wait until the client closes its side of the connection (or it is lost)."""
        await asyncio.shield(self._closed)

    def connection_lost(self, exc: BaseException | None) -> None:
        """Stop serving: fail pending body reads, stop or cancel the task."""
        BaseProtocol.connection_lost(self, exc)  # (no super object per connection)
        self._closing = True
        self._input_closed = True
        self._deadline.cancel()
        if self._linger_handle is not None:
            self._linger_handle.cancel()
        self._manager.connection_lost(self, exc)  # type: ignore[arg-type]
        payload = self._payload
        if payload is not None:
            self._payload = None
            payload.set_exception(ConnectionResetError("Connection lost"))
        self._messages.clear()
        task = self._task
        if (
            task is not None
            and not task.done()
            and (not self._handling or self._cfg.handler_cancellation)
        ):
            task.cancel()
        if not self._closed.done():
            self._closed.set_result(None)

    def eof_received(self) -> bool | None:
        """The client closed its side: answer what is queued (RFC 9112 §9.6), but a client
        closing while a response streams to it has gone, so the transport closes (as in 3.x);
        with ``handler_cancellation`` a running handler's client has gone too (3.x cancels it)."""
        if self._receiver is not None:
            return super().eof_received()
        if not self._input_closed:
            self._input_closed = True
            try:
                self._dispatch(self._http.receive_eof())
            except HttpProcessingError as exc:  # cut inside a message: close after the answer
                self._closing = True
                payload = self._payload
                if payload is not None:
                    self._payload = None
                    payload.set_exception(exc)
        if not self._closed.done():
            self._closed.set_result(None)  # the client is gone, as far as requests go
        request = self._request
        streaming = request is not None and request._payload_writer.output_size > 0
        if self._handling and self._cfg.handler_cancellation:
            pass  # the client has gone: closing cancels its handler (connection_lost)
        elif self._messages or (self._handling and not streaming):
            return True  # keep the transport to send the answers; closed after them
        self._closing = True
        self._wake()
        return None  # asyncio closes the transport

    def _wake(self) -> None:
        """Wake the request loop waiting for a request (or for the decision to close)."""
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

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
