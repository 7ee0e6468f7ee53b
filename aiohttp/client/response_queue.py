"""The client protocol as aiohttp 3.x's queue of ``(response head, body stream)`` pairs.

:class:`ResponseQueue` makes :class:`aiohttp.client.protocol.ResponseHandler` a
:class:`~aiohttp._io.queues.DataQueue`, as 3.x's is. The session's own path never uses the
queue: it calls ``expect_response`` and awaits ``read_head``, which hands the head over
directly. Code written for 3.x drives the connection by hand instead: it calls
``set_response_params`` (which puts the protocol in *queue mode*), feeds or receives the bytes,
and awaits ``protocol.read()`` for each response, interim ``1xx`` ones included (RFC 9110
§15.2). In queue mode every response answers a request of the same method (``HEAD`` when
``skip_payload`` was given, else ``GET``), so pipelined responses come out in order.

A failure fails the waiting reader; a connection lost while no response is being read fails
later reads with :class:`ServerDisconnectedError` (:class:`ClientOSError` when an OS error
closed it). :attr:`ResponseQueue.closed` is the future 3.x's connector waits on.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from .._io.decoding import DEFAULT_DECODERS
from .._io.queues import DataQueue
from .._io.streams import EMPTY_PAYLOAD, StreamReader
from .._sansio.http1.connection import HttpConnection
from .._sansio.http1.events import ResponseHead
from .._sansio.http1.machine import joint
from .._sansio.http1.states import Role, State
from .._sansio.limits import HttpLimits
from .exceptions import ClientConnectionError, ClientOSError, ServerDisconnectedError

__all__ = ("ResponseQueue",)

#: The shortest complete response head: a read of ``n`` bytes holds at most
#: ``n // _SHORTEST_HEAD + 1`` response starts.
_SHORTEST_HEAD = len(b"HTTP/1.1 200 \r\n\r\n")
#: The client's states in which it may send another request.
_MAY_ASK = (State.IDLE, State.DONE)
#: Queue mode between responses: the requests assumed ahead wait for their answers.
_AHEAD = joint(State.DONE, State.RESPONSE_DUE)


class ResponseQueue(DataQueue[tuple[ResponseHead, StreamReader]]):
    """The 3.x queue of responses; mixed into :class:`ResponseHandler`, whose state it reads."""

    _http: HttpConnection
    _limits: HttpLimits
    _head_waiter: asyncio.Future[tuple[ResponseHead, StreamReader]] | None
    _connection_lost: bool

    if TYPE_CHECKING:
        _decoder_factory: Any

    def _init_queue(self, loop: asyncio.AbstractEventLoop) -> None:
        DataQueue.__init__(self, loop)
        self._queue_method: str | None = None
        self._queue_expected = 0
        self._closed: asyncio.Future[None] | None = None

    @property
    def closed(self) -> asyncio.Future[None] | None:
        """Resolved when the connection is lost (failed with :class:`ClientConnectionError`
        when an error closed it); ``None`` once lost if it was never asked for before, as in
        3.x."""
        if self._closed is None and not self._connection_lost:
            self._closed = self._loop.create_future()
        return self._closed

    # -- queue mode -------------------------------------------------------------------------

    def _queue_responses(self, method: str, auto_decompress: bool) -> None:
        """Queue mode: hand every response from now on out through :meth:`read`."""
        self._queue_method = method
        self._decoder_factory = DEFAULT_DECODERS if auto_decompress else None
        self._head_waiter = None

    def _leave_queue_mode(self) -> None:
        """The session's path takes the connection back: a connection that expects nothing."""
        self._queue_method = None
        if self._queue_expected:
            self._queue_expected = 0
            self._http = HttpConnection(Role.CLIENT, self._limits)

    def _queue_expect(self, size: int) -> None:
        """Let the connection take as many responses as ``size`` bytes could start (as
        pipelined requests, RFC 9112 §9.3.2), while it may take more."""
        wanted = size // _SHORTEST_HEAD + 1
        http = self._http
        method = self._queue_method
        assert method is not None
        while self._queue_expected < wanted and http.our_state in _MAY_ASK:
            http.request_sent(method)
            self._queue_expected += 1

    def _queue_interim(self, head: ResponseHead) -> None:
        """An interim head arrived in queue mode: 3.x hands it out too (RFC 9110 §15.2)."""
        self.feed_data((head, EMPTY_PAYLOAD))

    @property
    def _queue_idle(self) -> bool:
        """Queue mode between responses: only the requests assumed ahead are unanswered."""
        http = self._http
        return self._queue_method is not None and http.state.joint == _AHEAD and not http.buffered

    def _queue_head(self, head: ResponseHead, payload: StreamReader) -> None:
        """A final head arrived in queue mode: queue it with its body stream."""
        self.feed_data((head, payload))
        self._queue_expected -= 1

    # -- the end ----------------------------------------------------------------------------

    def _end_queue(self, exc: BaseException) -> None:
        """Fail the reader waiting for a response, and every later read."""
        DataQueue.set_exception(self, exc)

    def _queue_disconnected(self, exc: BaseException | None) -> None:
        """The connection closed while no response was being read."""
        if self._exception is None:
            if isinstance(exc, OSError):
                self._end_queue(ClientOSError(*exc.args))
            else:
                self._end_queue(ServerDisconnectedError())

    def _resolve_closed(self, exc: BaseException | None) -> None:
        closed = self._closed
        if closed is None or closed.done():
            return
        if exc is None:
            closed.set_result(None)
            return
        error = ClientConnectionError(f"Connection lost: {exc}")
        error.__cause__ = exc
        closed.set_exception(error)
        closed.exception()  # mark retrieved: nobody need wait on it
