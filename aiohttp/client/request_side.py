"""One request at a time on a client connection: what the caller of
:class:`~aiohttp.client.protocol.ResponseHandler` does around each request.

:meth:`RequestSide.expect_response` records the request about to be written with the
connection's state (:meth:`~aiohttp._sansio.http1.connection.HttpConnection.request_sent`,
RFC 9112 §9.3) and sets up the waiters; :meth:`RequestSide.request_ended` ends a request whose
body was streamed; :meth:`RequestSide.read_head` waits for the final response head and
:meth:`RequestSide.wait_continue` for ``100 Continue`` (RFC 9110 §10.1.1).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from .._io.protocol import DEFAULT_READ_BUFFER_SIZE
from .._io.streams import StreamReader
from .._sansio.codings import Decoder
from .._sansio.errors import LocalProtocolError
from .._sansio.http1.events import ResponseHead
from .exceptions import ServerDisconnectedError
from .response_events import ResponseEvents

__all__ = ("RequestSide",)


class RequestSide(ResponseEvents):
    """Per request: record it, then wait for its answer (see the module doc)."""

    _close_after: bool
    _queue_method: str | None

    if TYPE_CHECKING:  # ResponseQueue's

        def _leave_queue_mode(self) -> None: ...

    def expect_response(
        self,
        method: str,
        *,
        timer: AbstractContextManager[object] | None = None,
        decoder_factory: Callable[[str], Decoder | None] | None = None,
        expect_continue: bool = False,
        read_bufsize: int | None = None,
        body: bool = False,
        last: bool = False,
    ) -> None:
        """Prepare for the response to a request with ``method`` about to be written.

        Args:
            method: The request method (HEAD responses have no body; CONNECT opens a tunnel).
            timer: Entered around each wait for body bytes (the read and total timeouts).
            decoder_factory: Called with the response's content coding; returns a decoder or
                ``None`` to pass the body through as it is.
            expect_continue: Whether the request waits for ``100 Continue``.
            read_bufsize: The body stream's low-water mark for this response.
            body: A body follows the head; :meth:`request_ended` says when it is sent.
            last: The request says ``close`` (RFC 9112 §9.6).

        The server may switch protocols in its answer (RFC 9110 §7.8); whether the request
        asked for it is the caller's judgement.
        """
        if self._exception is not None:
            raise self._exception
        if self._queue_method is not None:
            self._leave_queue_mode()
        switch = "connect" if method == "CONNECT" else "upgrade"
        self._http.request_sent(method, last, expect_continue, switch, not body)
        self._head = None
        self._payload = None
        self._decoder_factory = decoder_factory
        self._timer = timer
        if read_bufsize is not None:
            self._read_bufsize = max(read_bufsize, DEFAULT_READ_BUFFER_SIZE)
        self.continued = False
        self._head_waiter = self._loop.create_future()
        if expect_continue:
            self._continue_waiter = self._loop.create_future()

    def request_ended(self) -> None:
        """The request's body was sent to its end (see ``body`` of :meth:`expect_response`)."""
        try:
            self._http.send_end()
        except LocalProtocolError:  # the request failed before: the connection is not reused
            self._close_after = True

    async def wait_continue(self) -> None:
        """Wait for ``100 Continue`` (or for a final response, which also ends the wait)."""
        waiter = self._continue_waiter
        if waiter is not None:
            await waiter

    async def read_head(self) -> tuple[ResponseHead, StreamReader]:
        """Wait for the final response head; return it with the body stream.

        Raises:
            HttpProcessingError: The response head is malformed.
            ServerDisconnectedError: The connection closed before a head arrived.
        """
        waiter = self._head_waiter
        if waiter is None:
            raise self._exception or ServerDisconnectedError()
        return await waiter

    def has_final_head(self) -> bool:
        """Whether the final response head of the current request has arrived."""
        return self._head is not None

    def writer_failed(self, exc: BaseException) -> None:
        """The request body could not be written.

        Once a final head arrived the server has answered and the failure only means the
        connection cannot be reused; before that, the response fails with ``exc``.
        """
        self._close_after = True
        if self._head is None:
            self._fail(exc)
