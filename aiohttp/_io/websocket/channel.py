"""The asyncio receiver of one WebSocket connection: :class:`WebSocketChannel`.

It is what a connection is switched to after the ``101`` (see
:meth:`aiohttp._io.protocol.BaseProtocol.switch_protocol`): bytes go into the sans-I/O
:class:`~aiohttp._sansio.websocket.WebSocketConnection`, messages come out into a queue. Pings
are answered as the frames arrive (``autoping``); the peer's Close (``autoclose``) and a protocol
error are answered when the application reads them, at the latest after the close timeout;
heartbeat pings run with a pong deadline (:mod:`.heartbeat`); the closing handshake ends with the
server closing the TCP connection first (RFC 6455 §7.1.1), a client waiting for that and closing
itself only after the close timeout.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import Callable

from ..._sansio.websocket import (
    ConnectionState,
    InvalidStateError,
    WebSocketConnection,
    WebSocketError,
    WSMessage,
    WSMsgType,
)
from ..._sansio.websocket.types import WS_CLOSED_MESSAGE, WS_CLOSING_MESSAGE, WSCloseCode
from ..protocol import BaseProtocol
from .closing import Closing

__all__ = ["CLOSED_RECEIVE_LIMIT", "Outbox", "WebSocketChannel"]

# Enum members as module names: an Enum class attribute costs a metaclass hook per read.
_TEXT = WSMsgType.TEXT
_BINARY = WSMsgType.BINARY
_PING = WSMsgType.PING
_PONG = WSMsgType.PONG
_CLOSE = WSMsgType.CLOSE
_ERROR = WSMsgType.ERROR
_CLOSING_STATE = ConnectionState.CLOSING
_CLOSED_STATE = ConnectionState.CLOSED

# receive() after the end keeps answering CLOSED; this many times, then it raises, so a loop
# that never checks for CLOSED cannot spin forever (aiohttp 3.x does the same).
CLOSED_RECEIVE_LIMIT = 5
# Pause reading from the socket while this many messages, or this many bytes of message data,
# wait unread; resume once both are at or below the low marks (aiohttp 3.x pauses at 64 KiB).
QUEUE_HIGH_WATER = 64
QUEUE_LOW_WATER = 8
QUEUE_HIGH_WATER_BYTES = 64 * 1024
QUEUE_LOW_WATER_BYTES = 16 * 1024
# Frames written in one loop turn are joined up to this many bytes; larger ones go straight out.
WRITE_COALESCE = 64 * 1024


class Outbox:
    """Frames written in one loop turn leave together, in one ``transport.write``.

    An echo of a burst, a pong and a message usually cost one system call instead of one each;
    past :data:`WRITE_COALESCE` bytes the queue is flushed at once, so a batch stays small, and
    a large frame goes straight out. The one write after the application took the last message
    waiting (``direct``) goes straight out too, when nothing is queued before it: the application
    is about to wait for the next message, so there is nothing to join it with, and the loop
    turn a scheduled flush would cost is saved.

    Args:
        protocol: the connection whose transport is written to.
    """

    __slots__ = ("_loop", "_out", "_out_size", "_protocol", "direct", "reset_error")

    def __init__(
        self,
        protocol: BaseProtocol,
        reset_error: type[ConnectionResetError] = ConnectionResetError,
    ) -> None:
        self.reset_error = reset_error
        self._protocol = protocol
        self._loop = protocol.loop
        self._out: list[bytes] | None = None
        self._out_size = 0
        self.direct = False

    def write(self, data: bytes) -> None:
        """Queue bytes for the transport.

        Raises:
            ConnectionResetError: the connection is closing or gone.
        """
        transport = self._protocol.transport
        out = self._out
        if len(data) < WRITE_COALESCE:
            if out is not None and transport is not None:
                # The common case: a frame joins this turn's batch (the transport was found
                # open when the batch started, and flush() checks it again).
                out.append(data)
                self._out_size += len(data)
                if self._out_size >= WRITE_COALESCE:
                    self.flush()
                return
            if transport is None or transport.is_closing():
                raise self.reset_error("Cannot write to closing transport")
            if self.direct:
                self.direct = False
                transport.write(data)
                return
            self._out = [data]
            self._out_size = len(data)
            self._loop.call_soon(self.flush)
            return
        if transport is None or transport.is_closing():
            raise self.reset_error("Cannot write to closing transport")
        if out is not None:
            self.flush()
        # Large data goes out at once, as a view: the transport then keeps what the socket did
        # not take without first copying it into a new bytes object.
        transport.write(memoryview(data))

    def flush(self) -> None:
        """Write what :meth:`write` queued."""
        out = self._out
        if out is None:
            return
        self._out = []  # a later write in this turn keeps queueing behind the flush
        transport = self._protocol.transport
        if transport is not None and not transport.is_closing():
            transport.write(out[0] if len(out) == 1 else b"".join(out))
        self._out = None

    def write_quietly(self, data: bytes) -> None:
        """Queue bytes if the transport still takes them; drop them otherwise."""
        if data:
            with contextlib.suppress(ConnectionResetError):
                self.write(data)


class WebSocketChannel(Closing):
    """One open WebSocket over an ``_io`` protocol.

    Args:
        protocol: the connection, already switched to this channel.
        conn: the sans-I/O endpoint.
        autoping: answer pings with pongs and keep both out of ``receive()``.
        autoclose: answer the peer's Close at once.
        heartbeat: send a ping after this many idle seconds; no pong (or any data) within half
            of it closes the connection with 1006.
        receive_timeout: the default timeout of :meth:`receive`.
        close_timeout: how long :meth:`close` waits for the peer's Close and, on a client,
            for the server to close the TCP connection.
        timeout_error: builds the exception recorded when the heartbeat's pong is missing.

    Attributes:
        protocol: the connection (``protocol.writing_paused`` says whether to wait for drain).
        conn: the sans-I/O endpoint.
        reset_error: the ``ConnectionResetError`` (sub)class raised by a send on a closing
            connection (the client raises its ``ClientConnectionResetError``).
    """

    reset_error: type[ConnectionResetError] = ConnectionResetError

    def __init__(
        self,
        protocol: BaseProtocol,
        conn: WebSocketConnection,
        *,
        autoping: bool = True,
        autoclose: bool = True,
        heartbeat: float | None = None,
        receive_timeout: float | None = None,
        close_timeout: float = 10.0,
        timeout_error: Callable[[str], BaseException] = asyncio.TimeoutError,
    ) -> None:
        self._protocol = protocol
        self.protocol = protocol
        self._loop = protocol.loop
        self.conn = conn
        self.autoping = autoping
        self.autoclose = autoclose
        self.heartbeat = heartbeat
        self.receive_timeout = receive_timeout
        self.close_timeout = close_timeout
        self._timeout_error = timeout_error
        self._messages: collections.deque[WSMessage] = collections.deque()
        self._queued_bytes = 0  # data bytes of the text and binary messages in _messages
        self._waiter: asyncio.Future[None] | None = None
        self._receiving = False
        self._closed_receives = 0
        self.closed = False  # we sent a Close, or the connection ended
        self.lost = False  # the transport is gone
        self.close_code: int | None = None
        self.exception: BaseException | None = None
        self._peer_closed = self._loop.create_future()
        self._lost_future = self._loop.create_future()
        self._last_recv = self._loop.time()
        self._ping_at = 0.0
        self._timer: asyncio.TimerHandle | None = None
        self._pending_end: Callable[[], None] | None = None
        self._outbox = Outbox(protocol, self.reset_error)
        if heartbeat:
            self._timer = self._loop.call_later(heartbeat, self._heartbeat_tick)

    # -- receiver interface (called by the protocol) -------------------------------------

    def data_received(self, data: bytes) -> None:
        """Feed bytes from the peer; queue messages, answer pings, closes and errors."""
        if self.heartbeat:
            self._last_recv = self._loop.time()
        messages = self._messages
        queued = self._queued_bytes
        for msg in self.conn.receive_data(data):
            kind = msg[0]
            if kind is _TEXT or kind is _BINARY:  # the common case first
                messages.append(msg)
                queued += len(msg[1])
                continue
            if kind is _PING:
                if self.autoping:
                    if not self.closed:  # none after our Close (RFC 6455 §5.5.1)
                        self._outbox.write_quietly(self.conn.send_pong(msg.data))
                    continue
            elif kind is _PONG:
                if self.autoping:
                    continue
            elif kind is _CLOSE:
                self._on_peer_close(msg.data)
            elif kind is _ERROR:
                self._on_error(msg.data)
            messages.append(msg)
        self._queued_bytes = queued
        if messages:
            if len(messages) > QUEUE_HIGH_WATER or queued > QUEUE_HIGH_WATER_BYTES:
                self._protocol.pause_reading()
            waiter = self._waiter  # _wake(), inline on the per-message path
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    def eof_received(self) -> bool | None:
        """The peer stopped sending; let the transport close."""
        return None

    def connection_lost(self, exc: BaseException | None) -> None:
        """The TCP connection is gone: wake everyone waiting."""
        if self.lost:
            return
        self.lost = True
        self.conn.receive_eof()
        if not self.closed:
            self.closed = True
            self.close_code = self.conn.close_code
            if exc is not None and self.exception is None:
                self.exception = exc
        self._cancel_timer()
        for fut in (self._peer_closed, self._lost_future):
            if not fut.done():
                fut.set_result(None)
        self._wake()

    # -- events ------------------------------------------------------------------------

    def _push(self, msg: WSMessage) -> None:
        self._messages.append(msg)
        if len(self._messages) > QUEUE_HIGH_WATER:
            self._protocol.pause_reading()
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _on_peer_close(self, code: int) -> None:
        if not self._peer_closed.done():
            self._peer_closed.set_result(None)
        if self.conn.state is _CLOSED_STATE:  # it answers our Close: close() finishes
            self.close_code = code
        elif self.autoclose:
            # Answered when the application reads the Close, so replies to the messages
            # before it still go out first (RFC 6455 §7.1.2); at the latest after the timeout.
            self._defer(lambda: self._answer_close(code))

    def _answer_close(self, code: int) -> None:
        if not self.closed:
            self.closed = True
            self.close_code = code
            self._outbox.write_quietly(self.conn.send_close(code if code != 1005 else None))
        self._finish()

    def _on_error(self, exc: WebSocketError) -> None:
        # RFC 6455 §7.1.7: fail the connection, sending the close code that says why. Nothing
        # more is read; the Close goes when the application reads the error (so it may still
        # answer the messages before it), at the latest after the close timeout.
        self.exception = exc
        self.close_code = exc.code
        self._defer(lambda: self.fail(exc.code, ""))

    def _defer(self, end: Callable[[], None]) -> None:
        """End the connection once the application has read the Close (or the error), so a
        handler sees it before the server drops TCP; at the latest after the close timeout."""
        self._cancel_timer()
        self._pending_end = end
        self._timer = self._loop.call_later(self.close_timeout, self._end_now)

    def _end_now(self) -> None:
        end = self._pending_end
        if end is not None:
            self._pending_end = None
            self._timer = None
            end()

    def fail(self, code: int, reason: str) -> None:
        """Send a Close with ``code`` if none went yet, and drop the connection."""
        if not self.closed:
            self.closed = True
            self.close_code = code
            self._outbox.write_quietly(self.conn.send_close(code, reason))
        self._abort()

    def _finish(self) -> None:
        """Both Close frames went: the server closes TCP first, a client waits for it."""
        self._cancel_timer()
        self.flush()
        transport = self._protocol.transport
        if transport is None:
            return
        if not self.conn.is_client:
            transport.close()
        elif self._timer is None:
            self._timer = self._loop.call_later(self.close_timeout, self._abort)

    def _abort(self) -> None:
        self._cancel_timer()
        self.flush()
        transport = self._protocol.transport
        if transport is not None:
            transport.close()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # -- sending -------------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        """Queue bytes for the transport (see :class:`Outbox`).

        Raises:
            ConnectionResetError: the connection is closing or gone.
        """
        self._outbox.write(data)

    def flush(self) -> None:
        """Write what :meth:`write` queued."""
        self._outbox.flush()

    def send_message(self, opcode: int, payload: bytes, compress: bool | None) -> None:
        """Frame and write one message (the hot path of ``send_str``/``send_bytes``).

        Raises:
            ConnectionResetError: we already sent a Close, or the connection is gone.
            RuntimeError: a fragmented message is being sent.
        """
        if self.closed:
            raise self.reset_error("Cannot write to closing transport")
        try:
            if len(payload) < WRITE_COALESCE:
                self._outbox.write(self.conn.send_message(opcode, payload, compress=compress))
                return
            parts = self.conn.send_message_parts(opcode, payload, compress=compress)
        except InvalidStateError as exc:
            if self.conn.state is _CLOSING_STATE:
                raise self.reset_error("Cannot write to closing transport") from None
            raise RuntimeError(str(exc)) from None
        write = self._outbox.write
        for part in parts:
            write(part)

    def send(self, build: Callable[[], bytes]) -> None:
        """Build a frame with the sans-I/O endpoint and write it.

        Raises:
            ConnectionResetError: we already sent a Close, or the connection is gone.
            RuntimeError: a fragmented message is being sent.
        """
        if self.closed or self.conn.state is _CLOSING_STATE:
            raise self.reset_error("Cannot write to closing transport")
        try:
            data = build()
        except InvalidStateError as exc:
            raise RuntimeError(str(exc)) from None
        self.write(data)

    @property
    def transport(self) -> asyncio.Transport | None:
        """The connection's transport while it is open."""
        return self._protocol.transport

    @property
    def needs_drain(self) -> bool:
        """Whether the transport asked us to stop writing."""
        return self._protocol.writing_paused

    async def drain(self) -> None:
        """Wait while the transport's buffer is above its high-water mark."""
        await self._protocol.drain()

    # -- receiving -----------------------------------------------------------------------

    def receive_nowait(self) -> WSMessage | None:
        """The next message if one is already waiting (and no task is receiving), else ``None``.

        The fast path of :meth:`receive` without a coroutine: ``async for`` tries it first.
        """
        if not self._messages or self._receiving:
            return None
        return self._take()

    def _take(self) -> WSMessage:
        messages = self._messages
        msg = messages.popleft()
        self._outbox.direct = not messages  # a reply to the last one waiting goes straight out
        kind = msg[0]
        if kind is _TEXT or kind is _BINARY:
            self._queued_bytes -= len(msg[1])
        if (
            len(messages) <= QUEUE_LOW_WATER
            and self._queued_bytes <= QUEUE_LOW_WATER_BYTES
            and self._protocol.reading_paused
        ):
            self._protocol.resume_reading()
        if kind is _CLOSE or kind is _ERROR:
            self._end_now()
        return msg

    async def receive(self, timeout: float | None = None) -> WSMessage:  # noqa: ASYNC109 (aiohttp 3.x API)
        """The next message; ``CLOSED`` once the connection has ended.

        Raises:
            RuntimeError: another task is already receiving, or ``CLOSED`` was returned
                :data:`CLOSED_RECEIVE_LIMIT` times.
            TimeoutError: nothing arrived within the timeout (on the client, as after a
                cancelled wait, the close code becomes 1006).
        """
        if self._receiving:
            raise RuntimeError("Concurrent call to receive() is not allowed")
        if self._messages:  # the common case: a message is waiting
            return self._take()
        self._receiving = True
        limit = timeout or self.receive_timeout
        try:  # one coroutine per wait: the loop is inlined here, not awaited from a helper
            while True:
                if self._messages:
                    return self._take()
                if self.lost or self.conn.state is _CLOSED_STATE:
                    self._closed_receives += 1
                    if self._closed_receives > CLOSED_RECEIVE_LIMIT:
                        raise RuntimeError("WebSocket connection is closed.")
                    return WS_CLOSED_MESSAGE
                if self.closed:
                    return WS_CLOSING_MESSAGE
                if self._outbox._out is not None:  # about to wait: what was sent leaves now
                    self._outbox.flush()
                self._waiter = self._loop.create_future()
                try:
                    if limit is None:
                        await self._waiter
                    else:
                        async with asyncio.timeout(limit):
                            await self._waiter
                except (TimeoutError, asyncio.CancelledError):
                    if self.conn.is_client:  # 3.x's client calls it abnormal; its server not
                        self.close_code = WSCloseCode.ABNORMAL_CLOSURE
                    raise
                finally:
                    self._waiter = None
        finally:
            self._receiving = False
