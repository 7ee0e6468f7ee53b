"""The server side of one HTTP/1.1 connection: :class:`RequestHandler`.

Bytes from the socket go to the connection's state machine
(:class:`aiohttp._sansio.http1.HttpConnection`, server role); each request head becomes a
queued message whose body is a :class:`~aiohttp.streams.StreamReader`. One task takes the
messages in order (pipelined requests are answered in order, each after the previous response
was sent) and answers each (:mod:`~aiohttp.web.server.answering`). Keep-alive, half-close and
protocol switches are read from the connection's state (RFC 9112 §9.3, §9.6; RFC 9110 §7.8).
A parser error is answered in turn with its status and short reason, then the connection
closes. Flow control is in :mod:`~aiohttp.web.server.flow`, the timeouts and the lingering
close in :mod:`~aiohttp.web.server.timeouts`, closing in :mod:`~aiohttp.web.server.closing`.
"""

from __future__ import annotations

import asyncio
import socket
from collections import deque
from typing import TYPE_CHECKING

from ..._io.decoding import DecodingFeed
from ..._io.protocol import BaseProtocol, Receiver
from ..._io.streams import EMPTY_PAYLOAD, StreamReader
from ..._sansio.errors import HttpProcessingError
from ..._sansio.http1.connection import HttpConnection
from ..._sansio.http1.events import Data, Event, RequestHead
from ..._sansio.http1.machine import joints
from ..._sansio.http1.states import Role, State
from ..messages.request_body import BodyReader
from .answering import RequestAnswering
from .protocol_compat import RequestHandlerCompat
from .timeouts import _BUSY, _HEAD, _IDLE

if TYPE_CHECKING:
    from ..messages.request import BaseRequest
    from .lowlevel import Server, ServerConfig

__all__ = ["RequestHandler"]


_Message = tuple[RequestHead, StreamReader] | HttpProcessingError
# The request queue of a connection handed to another protocol: shared, always empty (an
# empty deque still holds a 760-byte block, which an idle WebSocket need not keep).
_NO_MESSAGES: deque[_Message] = deque(maxlen=0)
# The client's states in which no further request can come (RFC 9112 §9.6, RFC 9110 §7.8);
# bytes after a refused CONNECT (the client in MUST_CLOSE) are still read, to answer 400.
_GONE = joints(Role.CLIENT, State.CLOSED, State.SWITCHED, State.ERROR)


class RequestHandler(RequestHandlerCompat, RequestAnswering):
    """The protocol serving one connection (aiohttp 3.x ``web_protocol.RequestHandler``).

    A :class:`~aiohttp.web.Server` makes one per connection from its shared settings; the 3.x
    constructor and hooks are in :class:`~aiohttp.web.server.protocol_compat.RequestHandlerCompat`.
    """

    __slots__ = (
        "_cfg", "_closed", "_debug", "_decoding", "_http", "_manager", "_messages", "_task",
        "trusted_proxies",
    )  # fmt: skip

    def __repr__(self) -> str:
        return f"<RequestHandler {'disconnected' if self.transport is None else 'connected'}>"

    def _setup(
        self,
        manager: Server,
        config: ServerConfig,
        loop: asyncio.AbstractEventLoop,
        debug: bool = False,
    ) -> None:
        BaseProtocol.__init__(self, loop, read_buffer_size=config.read_buffer_size)
        self._debug = debug
        self._manager = manager
        self._cfg = config
        self.trusted_proxies = config.trusted_proxies
        self._http = HttpConnection(Role.SERVER, config.limits)
        self._messages: deque[_Message] = deque()
        self._payload: StreamReader | DecodingFeed | None = None
        self._decoding: DecodingFeed | None = None  # the last body with a content coding
        self._waiter: asyncio.Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._request: BaseRequest | None = None
        self._closing = False  # we decided to serve no further requests
        self._input_closed = False  # ignore further bytes
        self._handling = self._linger_close = False
        self._backlog_paused = self._hold_paused = False  # flow control (see flow.py)
        self._paused_at = self._paused_total = 0.0
        self._setup_timers(config, loop)
        self._closed = loop.create_future()

    # -- asyncio callbacks ----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Start serving the connection (asyncio callback)."""
        BaseProtocol.connection_made(self, transport)  # (no super object per connection)
        if self._cfg.tcp_keepalive:
            sock = transport.get_extra_info("socket")
            if sock is not None:  # any socket, as in 3.x; one that refuses is left alone
                try:  # noqa: SIM105 (a try costs nothing here; a suppress() block does)
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
                except OSError:
                    pass
        self._manager.connection_made(self, transport)
        self._task = self._loop.create_task(self._run())
        self._deadline.set(self._loop.time() + self._cfg.first_head_timeout)

    def data_received(self, data: bytes) -> None:
        """Parse bytes from the client and queue the requests they complete."""
        if self._input_closed:
            return
        self._rx += len(data)
        http = self._http
        try:
            events = http.receive_requests(data)
            if events:
                self._dispatch(events)
            # An error behind the events (raised here), bytes held behind a request that asks
            # to switch protocols, or closing.
            if http.stopped and http.check_stopped() and self._check_hold(http.buffered):
                return
        except HttpProcessingError as exc:
            self._bad_input(exc)
            return
        if self._phase != _BUSY and not events:
            self._head_started()

    def switch_protocol(self, receiver: Receiver, data: bytes = b"") -> None:
        """Hand the connection to ``receiver`` after a 101 response (see the module doc)."""
        http = self._http
        if http.our_state is not State.SWITCHED:
            http.response_sent(101, keep_alive=True)  # RFC 9110 §7.8
        held = http.switch_protocols()
        self._input_closed = True
        self._deadline.cancel()
        self._resume_held()  # the receiver applies its own flow control from here on
        self._messages = _NO_MESSAGES  # no request follows on this connection
        super().switch_protocol(receiver, held + data)

    # -- parsing ---------------------------------------------------------------------------------

    def _dispatch(self, events: list[Event]) -> None:
        """Queue each request head with its body's reader; feed the bodies."""
        payload = self._payload
        cfg = self._cfg
        for event in events:
            kind = type(event)
            if kind is Data:
                assert payload is not None
                payload.feed_data(event.data)  # type: ignore[union-attr]
            elif kind is RequestHead:
                head: RequestHead = event  # type: ignore[assignment]
                reader: StreamReader
                if head.chunked or head.content_length:
                    reader = payload = BodyReader(self, cfg.read_bufsize, loop=self._loop)
                    if head.compression and cfg.auto_decompress:
                        payload = self._decoding = DecodingFeed(reader, head.compression)
                    # The body's timeouts run from now (see timeouts.py).
                    self._rx_checked = self._body_rx = self._rx
                    self._body_start = self._progress_at = self._loop.time()
                    self._paused_total = 0.0
                    self._body_timeout, self._body_min_rate = cfg.body_timeout, cfg.body_min_rate
                    self._arm_body()
                else:
                    reader = EMPTY_PAYLOAD
                    self._deadline.when = 0.0  # no deadline while the handler runs
                self._phase = _BUSY
                self._head_bytes = False
                messages = self._messages
                messages.append((head, reader))
                if len(messages) > cfg.max_pipelined_requests and not self._reading_paused:
                    self._backlog_paused = True  # too many waiting: read again once one is taken
                    self.pause_reading()
                waiter = self._waiter  # wake the request loop
                if waiter is not None and not waiter.done():
                    waiter.set_result(None)
            elif payload is not None:  # EndOfMessage
                payload.feed_eof()
                payload = None
        self._payload = payload
        # Read big pieces while a body streams in; small ones while heads arrive, so one read
        # of a pipelining flood cannot turn into an unbounded number of parsed heads.
        self._read_buffer_size = (
            cfg.read_buffer_size if payload is None else cfg.body_read_buffer_size
        )

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

    # -- the request loop -----------------------------------------------------------------------

    async def _run(self) -> None:
        loop = self._loop  # self._messages is read afresh: switch_protocol() replaces it
        http = self._http
        state = http.state
        try:
            while True:
                if not self._messages:
                    if self._closing or state.joint in _GONE:
                        break
                    waiter = self._waiter = loop.create_future()
                    await waiter
                    self._waiter = None
                    continue
                item = self._messages.popleft()
                if self._backlog_paused:
                    self.resume_reading()
                if type(item) is not tuple:  # a parser error, answered in turn
                    self._write_error(item.code, item.message)  # type: ignore[union-attr]
                    self._linger_close = True
                    break
                head, reader = item
                if not await self._respond(head, reader) or self._closing:
                    break
                if not self._messages:  # the head or keep-alive timeout runs
                    if http.unparsed:  # part of the next head is already here
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
