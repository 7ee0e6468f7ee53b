"""The server side of one HTTP/1.1 connection: :class:`RequestHandler`.

Bytes from the socket go to :class:`aiohttp._sansio.http1.RequestParser`; each request head
becomes a queued message whose body is a :class:`~aiohttp.streams.StreamReader`. One task per
connection takes the messages in order (so pipelined requests are answered in order), builds
the request through the server's ``request_factory``, awaits the handler and sends its
response. A request is never started before the previous response was sent.

Back-pressure: a body reader pauses the socket above its high-water mark, and more than
``max_pipelined_requests`` queued requests pause it too; writers wait in ``drain()`` while the
transport is paused for writing.

Timeouts (:mod:`aiohttp._io.timeouts`, one lazily re-armed timer per connection, whose
meaning in each phase is decided in :mod:`aiohttp.web.server.timeouts`):

- ``head_timeout``: a request head (or the first one on a new connection, which also gets no
  longer than ``keepalive_timeout``) not complete in time is answered ``408 Request Timeout``
  (silently closed if nothing arrived);
- ``body_timeout``: a body that makes no progress for this long fails the handler's reads
  with ``408`` and the connection closes (time spent paused by us does not count);
- ``body_min_rate``: once its first ``body_timeout`` seconds are over, a body must have
  arrived at this many bytes per second on average, or it fails the same way (a body
  trickled a byte at a time cannot hold the connection); paused time does not count either.
  A handler that streams a slow body on purpose calls :meth:`RequestHandler.set_body_timeouts`;
- ``keepalive_timeout``: an idle keep-alive connection is closed.

Errors: a parser error is answered in turn with its status and short reason and the
connection closes; a handler exception is logged and answered with a bare ``500`` (nothing
about the exception reaches the client) and the connection closes.

Upgrades: a handler answering ``101`` (a WebSocket) calls ``request.protocol.switch_protocol(
receiver)``; the bytes the parser held back go to the receiver first, and HTTP processing
ends on this connection.
"""

from __future__ import annotations

import asyncio
import socket
from collections import deque
from typing import TYPE_CHECKING, Any

from ..._io.decoding import DecodingFeed
from ..._io.protocol import BaseProtocol, Receiver
from ..._io.streams import EMPTY_PAYLOAD, StreamReader
from ..._io.timeouts import LazyDeadline
from ..._io.websocket import WebSocketChannel
from ..._io.writer import StreamWriter
from ..._sansio.errors import HttpProcessingError
from ..._sansio.http1.events import Data, Event, RequestHead
from ..._sansio.http1.parser import RequestParser
from ..exceptions import HTTPMisdirectedRequest
from ..messages.full_response import Response
from ..messages.request_body import BodyReader
from ..messages.response import StreamResponse
from .errors import error_bytes, handler_error_response, not_a_response
from .protocol_compat import RequestHandlerCompat
from .timeouts import _BUSY, _HEAD, _IDLE, ConnectionTimeouts

if TYPE_CHECKING:
    from ..messages.request import BaseRequest
    from .lowlevel import Server, ServerConfig

__all__ = ["RequestHandler"]


_Message = tuple[RequestHead, StreamReader] | HttpProcessingError
# The request queue of a connection handed to another protocol: shared, always empty (an
# empty deque still holds a 760-byte block, which an idle WebSocket need not keep).
_NO_MESSAGES: deque[_Message] = deque(maxlen=0)


class RequestHandler(RequestHandlerCompat, ConnectionTimeouts):
    """The protocol serving one connection (aiohttp 3.x ``web_protocol.RequestHandler``).

    A :class:`~aiohttp.web.Server` makes one per connection from its shared settings; the 3.x
    constructor and hooks are in :class:`~aiohttp.web.server.protocol_compat.RequestHandlerCompat`.
    """

    __slots__ = (
        "_backlog_paused", "_body_rx", "_body_start", "_cfg", "_closed", "_deadline", "_debug",
        "_decoding", "_handling", "_head_bytes", "_hold_high_water", "_hold_paused",
        "_linger_close", "_manager", "_messages", "_parser", "_paused_total", "_phase", "_request",
        "_rx", "_task", "_waiter", "trusted_proxies",
    )  # fmt: skip

    def _setup(
        self,
        manager: Server,
        config: ServerConfig,
        loop: asyncio.AbstractEventLoop,
        *,
        debug: bool = False,
    ) -> None:
        BaseProtocol.__init__(self, loop, read_buffer_size=config.read_buffer_size)
        self._debug = debug
        self._manager = manager
        self._cfg = config
        self.trusted_proxies = config.trusted_proxies
        self._parser = RequestParser(config.limits)
        self._messages: deque[_Message] = deque()
        self._payload: StreamReader | DecodingFeed | None = None
        self._decoding: DecodingFeed | None = None  # the last body with a content coding
        self._waiter: asyncio.Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._request: BaseRequest | None = None
        self._closing = False  # serve no further requests
        self._input_closed = False  # ignore further bytes
        self._handling = False
        self._phase = _HEAD
        self._head_bytes = False
        self._rx = 0  # bytes received
        self._rx_checked = 0  # self._rx when the body deadline last looked
        self._body_rx = 0  # self._rx when the current body started
        self._body_start = 0.0
        self._progress_at = 0.0
        self._body_timeout = config.body_timeout
        self._body_min_rate = config.body_min_rate
        self._paused_at = 0.0
        self._paused_total = 0.0
        self._backlog_paused = False
        self._hold_paused = False
        # Bytes held after an upgrade or CONNECT request pause reading past this mark.
        self._hold_high_water = 2 * config.read_bufsize
        self._linger_close = False
        self._linger_handle: asyncio.TimerHandle | None = None
        self._deadline = LazyDeadline(loop, self._on_deadline)
        self._closed = loop.create_future()

    # -- public state ---------------------------------------------------------------------------

    @property
    def requests_queued(self) -> int:
        """Parsed requests waiting for their turn."""
        return len(self._messages)

    async def wait_closed(self) -> None:
        """Wait until the client closes its side of the connection (or it is lost)."""
        await asyncio.shield(self._closed)

    # -- asyncio callbacks ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Start serving the connection (asyncio callback)."""
        super().connection_made(transport)
        if self._cfg.tcp_keepalive:
            sock = transport.get_extra_info("socket")
            if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        self._manager.connection_made(self, transport)
        self._task = self._loop.create_task(self._run())
        # A connection's first head: no longer than an idle keep-alive one waits (3.x).
        cfg = self._cfg
        first = min(cfg.head_timeout, cfg.keepalive_timeout or cfg.head_timeout)
        self._deadline.set(self._loop.time() + first)

    def data_received(self, data: bytes) -> None:
        """Parse bytes from the client and queue the requests they complete."""
        if self._input_closed:
            return
        self._rx += len(data)
        parser = self._parser
        try:
            events = parser.feed(data)
            if events:
                self._dispatch(events)
                if parser.error is not None:  # found after the last complete event
                    parser.feed(b"")  # raises it
        except HttpProcessingError as exc:
            self._bad_input(exc)
            return
        if parser.holding and parser.buffered > self._hold_high_water:
            self._hold_paused = True  # resumed once the upgrade is answered
            self.pause_reading()
        elif self._phase != _BUSY and not events:
            self._head_started()

    def eof_received(self) -> bool | None:
        """The client closed its side: answer what is queued (RFC 9112 §9.6), but a client
        closing while a response streams to it has gone, so the transport closes (as in 3.x)."""
        if self._receiver is not None:
            return super().eof_received()
        if not self._input_closed:
            self._input_closed = True
            try:
                self._dispatch(self._parser.feed_eof())
            except HttpProcessingError as exc:
                payload = self._payload
                if payload is not None:
                    self._payload = None
                    payload.set_exception(exc)
        self._closing = True
        if not self._closed.done():
            self._closed.set_result(None)  # the client is gone, as far as requests go
        request = self._request
        streaming = request is not None and request._payload_writer.output_size > 0
        if self._messages or (self._handling and not streaming):
            return True  # keep the transport to send the answers; closed after them
        self._wake()
        return None  # asyncio closes the transport

    def connection_lost(self, exc: BaseException | None) -> None:
        """Stop serving: fail pending body reads, stop or cancel the task."""
        super().connection_lost(exc)
        self._closing = True
        self._input_closed = True
        self._deadline.cancel()
        if self._linger_handle is not None:
            self._linger_handle.cancel()
        self._manager.connection_lost(self, exc)
        payload = self._payload
        if payload is not None:
            self._payload = None
            payload.set_exception(ConnectionResetError("Connection lost"))
        self._messages.clear()
        task = self._task
        cancel = not self._handling or self._cfg.handler_cancellation
        if task is not None and not task.done() and cancel:
            task.cancel()
        if not self._closed.done():
            self._closed.set_result(None)

    def resume_reading(self, resume_parser: bool = True) -> None:
        """Resume reading unless too many requests are queued."""
        if len(self._messages) <= self._cfg.max_pipelined_requests:
            self._backlog_paused = False
            if self._reading_paused:
                self._paused_total += self._loop.time() - self._paused_at
            super().resume_reading(resume_parser)

    def switch_protocol(self, receiver: Receiver, data: bytes = b"") -> None:
        """Hand the connection to ``receiver`` after a 101 response (see the module doc)."""
        held = self._parser.switch_protocols()
        self._input_closed = True
        self._deadline.cancel()
        self._resume_held()  # the receiver applies its own flow control from here on
        self._messages = _NO_MESSAGES  # no request follows on this connection
        super().switch_protocol(receiver, held + data)

    def _resume_held(self) -> None:
        if self._hold_paused:
            self._hold_paused = False
            self.resume_reading()

    # -- parsing ---------------------------------------------------------------------------------

    def _dispatch(self, events: list[Event]) -> None:
        payload = self._payload
        for event in events:
            kind = type(event)
            if kind is Data:
                assert payload is not None
                payload.feed_data(event.data)  # type: ignore[union-attr]
            elif kind is RequestHead:
                payload = self._start_message(event)  # type: ignore[arg-type]
            elif payload is not None:  # EndOfMessage
                payload.feed_eof()
                payload = None
        self._payload = payload
        # Read big pieces while a body streams in; small ones while heads arrive, so one read
        # of a pipelining flood cannot turn into an unbounded number of parsed heads.
        cfg = self._cfg
        self._read_buffer_size = (
            cfg.read_buffer_size if payload is None else cfg.body_read_buffer_size
        )

    def _start_message(self, head: RequestHead) -> StreamReader | DecodingFeed | None:
        cfg = self._cfg
        feed: StreamReader | DecodingFeed | None
        reader: StreamReader
        if head.chunked or head.content_length:
            reader = BodyReader(self, cfg.read_bufsize, loop=self._loop)
            feed = reader
            if head.compression and cfg.auto_decompress:
                feed = self._decoding = DecodingFeed(reader, head.compression)
            self._rx_checked = self._body_rx = self._rx
            self._body_start = self._progress_at = self._loop.time()
            self._paused_total = 0.0
            self._body_timeout, self._body_min_rate = cfg.body_timeout, cfg.body_min_rate
            self._arm_body()
        else:
            reader = EMPTY_PAYLOAD
            feed = None
            self._deadline.when = 0.0  # no deadline while the handler runs
        self._phase = _BUSY
        self._head_bytes = False
        messages = self._messages
        messages.append((head, reader))
        if len(messages) > cfg.max_pipelined_requests and not self._reading_paused:
            self._backlog_paused = True
            self.pause_reading()
        self._wake()
        return feed

    def _head_started(self) -> None:
        """Bytes of a head arrived but not its end: the head timeout runs from now."""
        if not self._head_bytes:
            self._head_bytes = True
            if self._phase == _IDLE:
                self._phase = _HEAD
                self._deadline.set(self._loop.time() + self._cfg.head_timeout)

    def _bad_input(self, exc: HttpProcessingError) -> None:
        self._input_closed = True
        self.pause_reading()
        payload = self._payload
        if payload is not None:
            # The body of a queued request is broken: its handler's reads raise the error.
            self._payload = None
            payload.set_exception(exc)
            self._closing = True
        else:
            self._messages.append(exc)
            self._phase = _BUSY
            self._deadline.clear()
            self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # -- the request loop -----------------------------------------------------------------------

    async def _run(self) -> None:
        loop = self._loop  # self._messages is read afresh: switch_protocol() replaces it
        try:
            while True:
                if not self._messages:
                    if self._closing:
                        break
                    waiter = self._waiter = loop.create_future()
                    await waiter
                    self._waiter = None
                    continue
                item = self._messages.popleft()
                if self._backlog_paused:
                    self.resume_reading()
                if isinstance(item, HttpProcessingError):
                    self._write_error(item.code, item.message)
                    self._linger_close = True
                    break
                if not await self._respond(*item) or self._closing:
                    break
                if not self._messages:
                    if self._parser.buffered:  # part of the next head is already here
                        self._phase = _HEAD
                        self._head_bytes = True
                        self._deadline.set(loop.time() + self._cfg.head_timeout)
                    else:
                        self._phase = _IDLE
                        self._deadline.set(loop.time() + self._cfg.keepalive_timeout)
        except (asyncio.CancelledError, ConnectionError):
            pass
        except Exception:
            self._cfg.logger.exception("Unhandled error in the connection handler")
        finally:
            if self._linger_close:
                self._close_lingering()
            else:
                self._close()

    async def _respond(self, head: RequestHead, payload: StreamReader) -> bool:
        """Run the handler for one request and send its response; whether to keep alive."""
        loop = self._loop
        manager = self._manager
        writer = StreamWriter(self, loop)
        request = manager.request_factory(head, payload, self, writer, self._task)
        self._request = request
        self._handling = True
        access_logger = self._cfg.access_logger
        start = loop.time() if access_logger is not None else 0.0
        manager.requests_count += 1
        try:
            try:
                if head.target[0] == "/" or not misdirected(head.target, request):
                    resp: Any = await manager.request_handler(request)
                else:
                    resp = HTTPMisdirectedRequest(text="An https target needs a TLS connection")
            except (asyncio.CancelledError, ConnectionError):
                raise
            except Exception as exc:
                accept = request.headers.get("Accept", "")
                cfg = self._cfg
                resp = handler_error_response(
                    exc, cfg.logger, request.remote, accept=accept, debug=cfg.debug
                )
            if type(resp) is not Response and not isinstance(resp, StreamResponse):
                resp = not_a_response(resp, self._cfg.logger)
            if self._closing:
                resp.force_close()
            keep_alive = False
            if resp.prepared or not writer.head_written:  # else a failed handler began a reply
                try:
                    await resp._prepare_and_end(request)
                    keep_alive = bool(resp.keep_alive)
                except ConnectionError:
                    pass
        finally:
            self._handling = False
            self._request = None
            request._finish()
        if access_logger is not None and access_logger.enabled:
            access_logger.log(request, resp, loop.time() - start)
        if not payload.is_eof():
            if keep_alive:
                keep_alive = await self._linger(payload)
            self._linger_close = not keep_alive
        if self._receiver is not None:
            return False
        if head.upgrade and keep_alive and not self._input_closed:
            if head.method == "CONNECT" and 200 <= resp.status < 300:
                return False  # the client now expects a tunnel that was never opened
            self._resume_held()
            try:
                self._dispatch(self._parser.decline_upgrade())
            except HttpProcessingError as exc:
                self._bad_input(exc)
        return keep_alive

    # -- closing ---------------------------------------------------------------------------------

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


def misdirected(target: str, request: BaseRequest) -> bool:
    """Whether an absolute-form target asks for ``https`` on a connection that is not secured.

    RFC 9110 §7.4: "a request for an "https" resource MUST be rejected unless it has been
    received over a connection that has been secured". A trusted proxy that terminated TLS
    (``X-Forwarded-Proto: https`` from ``trusted_proxies``) counts as secured.
    """
    return target[:8].lower() == "https://" and not request.secure
