"""The client's connection protocol: response bytes in, heads and body streams out.

:class:`ResponseHandler` sits on :class:`aiohttp._io.protocol.BaseProtocol` and drives one
:class:`aiohttp._sansio.http1.HttpConnection` (client role) per connection: it feeds it bytes,
hands its events on (:mod:`aiohttp.client.response_events`) and reads from its state whether
the connection may carry another request (RFC 9112 §9.3, §9.6), left HTTP/1.1 (RFC 9110 §7.8)
or was closed by the server. For each request the caller calls
:meth:`ResponseHandler.expect_response`, writes the request, then awaits
:meth:`ResponseHandler.read_head`, which gives the final :class:`ResponseHead` and the body
:class:`~aiohttp._io.streams.StreamReader`.

A parser error before the head is raised from :meth:`ResponseHandler.read_head` as the
parser's own ``HttpProcessingError`` (the request, which knows the request info, turns it into
:class:`ClientResponseError`). Code written for aiohttp 3.x reads responses from the protocol
as a queue instead (:mod:`aiohttp.client.response_queue`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AbstractContextManager

from .._io.decoding import DecodingFeed
from .._io.protocol import DEFAULT_READ_BUFFER_SIZE, Receiver
from .._io.streams import StreamReader
from .._sansio.codings import Decoder
from .._sansio.errors import HttpProcessingError
from .._sansio.http1.connection import HttpConnection
from .._sansio.http1.events import ResponseHead
from .._sansio.http1.machine import joint, joints
from .._sansio.http1.states import Role, State
from .._sansio.limits import HttpLimits
from .protocol_compat import ResponseHandlerCompat
from .request_side import RequestSide
from .response_events import SWITCHED, disconnected
from .response_queue import ResponseQueue

__all__ = ("ResponseHandler",)

_S = Role.SERVER
# The server's states in which a response is due or being received (RFC 9112 §9.2).
_EXPECTING = joints(_S, State.RESPONSE_DUE, State.BODY)
# Both sides idle between messages (RFC 9112 §9.3).
_START = joint(State.IDLE, State.IDLE)
# The server closed its sending side (RFC 9112 §9.6).
_PEER_CLOSED = joints(_S, State.CLOSED)


class ResponseHandler(ResponseHandlerCompat, RequestSide, ResponseQueue):
    """One client connection: parses responses and feeds their bodies.

    Args:
        loop: The event loop.
        limits: The parser's size limits (line, field and header-count caps).
        read_bufsize: The body stream's low-water mark in bytes; never below one socket read
            (256 KiB), so the stream does not pause and resume reading after every read.

    Attributes:
        on_message_complete: Called once a response ends (set by the connector).
        continued: Whether ``100 Continue`` arrived for the current request.
    It is also aiohttp 3.x's queue of ``(head, body stream)`` pairs (see
    :mod:`aiohttp.client.response_queue`).
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        *,
        limits: HttpLimits | None = None,
        read_bufsize: int = 2**16,
    ) -> None:
        super().__init__(loop)
        self._init_queue(loop)
        self._limits = limits or HttpLimits()
        self._http = HttpConnection(Role.CLIENT, self._limits)
        self._read_bufsize = max(read_bufsize, DEFAULT_READ_BUFFER_SIZE)
        self._head_waiter: asyncio.Future[tuple[ResponseHead, StreamReader]] | None = None
        self._continue_waiter: asyncio.Future[None] | None = None
        self._head: ResponseHead | None = None
        self._payload: StreamReader | DecodingFeed | None = None
        self._decoding: DecodingFeed | None = None
        self._decoder_factory: Callable[[str], Decoder | None] | None = None
        self._timer: AbstractContextManager[object] | None = None
        self._read_timeout: float | None = None
        self._close_after = False  # our decision: never reuse the connection
        self._early = b""  # bytes after a switch of protocols, before switch_protocol()
        self.continued = False
        self.on_message_complete: Callable[[], None] | None = None

    # -- state the pool asks about ---------------------------------------------------------

    @property
    def should_close(self) -> bool:
        """Whether the connection cannot carry another request."""
        return (
            self._exception is not None
            or self.transport is None
            or self._close_after
            # RFC 9112 §9.3, §9.6: _reusable(), without its call
            or not (
                (self._http.state.joint == _START and not self._http.unparsed) or self._queue_idle
            )
            or len(self._buffer) != 0  # a response nobody read
        )

    def _reusable(self) -> bool:
        """The connection's ``reusable``, read without its property calls."""
        http = self._http
        return http.state.joint == _START and not http.unparsed

    def is_connected(self) -> bool:
        """Whether the transport is open and the server has not closed its side."""
        transport = self.transport
        return (
            transport is not None
            and not transport.is_closing()
            and self._http.state.joint not in _PEER_CLOSED
        )

    @property
    def decoding(self) -> bool:
        """Whether the current response's body is being decoded (it has a content coding)."""
        return self._decoding is not None

    @property
    def message_complete(self) -> bool:
        """Whether the current response was read to its framed end (and decoded)."""
        decoding = self._decoding
        return (
            self._head is not None
            and self._http.state.joint not in _EXPECTING
            and (decoding is None or not decoding.decoding)
        )

    def close(self) -> None:
        """Close the transport (the connection is not reused)."""
        self._close_after = True
        transport = self.transport
        if transport is not None:
            transport.close()

    def set_limits(self, limits: HttpLimits) -> None:
        """Use other parser limits from the next response on (between responses only)."""
        if limits is self._limits:
            return
        if limits == self._limits:
            self._limits = limits  # the same values: the next call compares identities only
        elif self._reusable():
            self._limits = limits
            self._http = HttpConnection(Role.CLIENT, limits)

    # -- bytes in ---------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        """Feed response bytes to the connection and route the events."""
        http = self._http
        joint = http.state.joint
        if joint in SWITCHED:
            self._early += data  # held until switch_protocol()
            return
        if self._queue_method is not None:
            self._queue_expect(len(data))
        elif joint not in _EXPECTING:
            self.close()  # bytes nobody asked for: the connection cannot be trusted any more
            return
        try:
            events = http.receive_responses(data)
        except HttpProcessingError as exc:
            self._fail(exc)
            return
        if events:
            self._dispatch(events)
            # An error found behind the events: fail now, so a peer that goes silent after
            # broken framing does not leave the body waiting for bytes or a timeout. (A
            # response unfinished is one the server still owes: the state says so first.)
            if http.state.joint in _EXPECTING:
                error = http.error
                if error is not None and self._unfinished():
                    self._fail(error)

    def switch_protocol(self, receiver: Receiver, data: bytes = b"") -> None:
        """Hand the connection to ``receiver``, first with the bytes the parser held back."""
        http = self._http
        held = http.switch_protocols() + self._early if http.state.joint in SWITCHED else b""
        super().switch_protocol(receiver, held + data)

    def eof_received(self) -> bool | None:
        """The server closed its side: finish a read-until-close body or fail the response."""
        if self._receiver is not None:
            return super().eof_received()
        http = self._http
        if http.state.joint not in SWITCHED:
            try:
                events = http.receive_eof()
            except HttpProcessingError as exc:
                # A head cut short is a disconnect (as in 3.x); a body cut short, bad framing.
                self._fail(exc if self._head is not None else disconnected(exc))
                return None
            if events:
                self._dispatch(events)
        return None

    def connection_lost(self, exc: BaseException | None) -> None:
        """The connection closed: fail whatever was still expected."""
        super().connection_lost(exc)
        self._on_lost(exc)
        self._resolve_closed(exc)
