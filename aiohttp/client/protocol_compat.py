"""aiohttp 3.x's members of ``ResponseHandler`` that the request path does not use: what
custom connectors and code driving a connection by hand call (``set_response_params``,
``set_parser``, ``force_close`` ...), on top of :mod:`aiohttp.client.protocol`."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from .._io.protocol import DEFAULT_READ_BUFFER_SIZE, Receiver
from .._io.streams import EXC_SENTINEL
from .._sansio.limits import HttpLimits
from .exceptions import ServerDisconnectedError
from .response_events import SWITCHED

if TYPE_CHECKING:
    from .._sansio.http1.connection import HttpConnection

__all__ = ("ResponseHandlerCompat",)


class ResponseHandlerCompat:
    """The 3.x members; the attributes below are :class:`ResponseHandler`'s."""

    _read_timeout: float | None
    _close_after: bool
    _http: HttpConnection
    _timer: AbstractContextManager[object] | None
    _read_bufsize: int
    transport: Any

    if TYPE_CHECKING:  # ResponseHandler's, which this class is mixed into

        def _fail(self, exc: BaseException) -> None: ...
        def _queue_responses(self, method: str, auto_decompress: bool) -> None: ...
        def set_limits(self, limits: HttpLimits) -> None: ...
        def close(self) -> None: ...
        def switch_protocol(self, receiver: Receiver, data: bytes = b"") -> None: ...

    @property
    def upgraded(self) -> bool:
        """Whether the connection left HTTP (a ``101`` or a ``CONNECT`` tunnel)."""
        return self._http.state.joint in SWITCHED

    @property
    def read_timeout(self) -> float | None:
        """The read timeout given to :meth:`set_response_params` (``sock_read``)."""
        return self._read_timeout

    def force_close(self) -> None:
        """Close the connection after the current response instead of reusing it."""
        self._close_after = True

    def abort(self) -> None:
        """Drop the connection at once, without waiting for buffered writes."""
        self._close_after = True
        transport = self.transport
        if transport is not None:
            transport.abort()

    def set_exception(self, exc: BaseException, exc_cause: BaseException = EXC_SENTINEL) -> None:
        """Fail the current response with ``exc`` (its cause ``exc_cause``) and close."""
        if exc_cause is not EXC_SENTINEL and exc_cause is not exc:
            exc.__cause__ = exc_cause
        self._fail(exc)

    def set_response_params(
        self,
        *,
        timer: AbstractContextManager[object] | None = None,
        skip_payload: bool = False,
        read_until_eof: bool = False,
        auto_decompress: bool = True,
        read_timeout: float | None = None,
        read_bufsize: int = 2**18,
        timeout_ceil_threshold: float = 5,
        max_line_size: int = 8190,
        max_field_size: int = 8190,
        max_headers: int = 128,
    ) -> None:
        """Settings for the responses to come, as aiohttp 3.x's session gives them: its
        parser's limits, the body stream's buffer size and the read timeout. From then on each
        response is queued for ``await protocol.read()`` (see
        :mod:`aiohttp.client.response_queue`) as the answer to a ``HEAD`` (``skip_payload``)
        or ``GET`` request, its body decoded unless ``auto_decompress`` is false; the framing
        follows the response itself (RFC 9112 §6.3)."""
        self._timer = timer
        self._queue_responses("HEAD" if skip_payload else "GET", auto_decompress)
        self._read_timeout = read_timeout
        self._read_bufsize = max(read_bufsize, DEFAULT_READ_BUFFER_SIZE)
        self.set_limits(
            HttpLimits(
                max_status_line=max_line_size,
                max_field_size=max_field_size,
                max_fields=max_headers,
            )
        )

    def set_parser(
        self, parser: Any, payload: Any, data_received_cb: Callable[[], None] | None = None
    ) -> None:
        """Hand the rest of the connection to ``parser`` (3.x's way into WebSocket): its
        ``feed_data(data)`` gets the bytes (and ends the connection when it answers true),
        ``feed_eof()`` the end; ``payload`` gets a lost connection's error."""
        self.switch_protocol(_ParserReceiver(self, parser, payload, data_received_cb))

    def start_timeout(self) -> None:
        """Accepted for 3.x callers: the read timeout runs from each wait for data (the
        ``timer`` of :meth:`set_response_params`), not from a call."""


class _ParserReceiver:
    """A 3.x parser (``feed_data``/``feed_eof``) as the receiver of a switched connection."""

    __slots__ = ("_callback", "_parser", "_payload", "_protocol")

    def __init__(
        self,
        protocol: ResponseHandlerCompat,
        parser: Any,
        payload: Any,
        callback: Callable[[], None] | None,
    ) -> None:
        self._protocol = protocol
        self._parser = parser
        self._payload = payload
        self._callback = callback

    def data_received(self, data: bytes) -> None:
        if self._callback is not None:
            self._callback()
        done, _tail = self._parser.feed_data(data)
        if done:
            self._protocol.close()

    def eof_received(self) -> bool | None:
        self._parser.feed_eof()
        return None

    def connection_lost(self, exc: BaseException | None) -> None:
        if exc is not None:
            self._payload.set_exception(ServerDisconnectedError(str(exc)))
        else:
            self._parser.feed_eof()
