"""The timers of a server connection: what its one deadline means in each phase, the request
body's timeouts, and the lingering close.

:class:`ConnectionTimeouts` is the part of :class:`~aiohttp.web.RequestHandler` that decides,
when the connection's single :class:`~aiohttp._io.timeouts.LazyDeadline` fires, whether an idle
connection closes, a head that is late is answered ``408``, or a body that stalled or crawls
fails (see the timeouts in :mod:`aiohttp.web.server.protocol`); and that reads and drops what a
client still sends after its answer (RFC 9112 §9.6).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ..._io.protocol import BaseProtocol, Receiver
from ..._io.streams import StreamReader
from ..._io.timeouts import LazyDeadline
from ..._sansio.errors import HttpProcessingError
from ..exceptions import HTTPException, HTTPRequestTimeout
from .flow import ConnectionFlow

if TYPE_CHECKING:
    from ..._io.decoding import DecodingFeed
    from .lowlevel import ServerConfig

__all__ = ["ConnectionTimeouts"]

#: Seconds a body has before ``body_min_rate`` applies when ``body_timeout`` is off.
_RATE_GRACE = 60.0

# Connection phases, which decide what the one timer means.
_IDLE = 0  # between requests: keepalive_timeout
_HEAD = 1  # waiting for (the rest of) a head: head_timeout
_BUSY = 2  # a request is queued or being handled: body_timeout while its body arrives


class ConnectionTimeouts(ConnectionFlow):
    """The deadline's meaning per phase, the body's timeouts and the lingering close."""

    # The slots of the state these timers change; RequestHandler declares the rest.
    __slots__ = (
        "_body_min_rate",
        "_body_rx",
        "_body_start",
        "_body_timeout",
        "_closing",
        "_deadline",
        "_head_bytes",
        "_input_closed",
        "_linger_handle",
        "_payload",
        "_phase",
        "_progress_at",
        "_rx",
        "_rx_checked",
    )

    _cfg: ServerConfig
    _deadline: LazyDeadline
    _phase: int
    _head_bytes: bool
    _payload: StreamReader | DecodingFeed | None
    _decoding: DecodingFeed | None
    _closing: bool
    _input_closed: bool
    _rx: int
    _rx_checked: int
    _body_rx: int
    _body_start: float
    _progress_at: float
    _body_timeout: float | None
    _body_min_rate: float | None
    _linger_handle: asyncio.TimerHandle | None
    _receiver: Receiver | None

    if TYPE_CHECKING:  # provided by ConnectionClosing

        def _write_error(self, status: int, message: str) -> None: ...

        def _close(self) -> None: ...

    def _setup_timers(self, config: ServerConfig, loop: asyncio.AbstractEventLoop) -> None:
        self._phase = _HEAD
        self._head_bytes = False
        self._rx = self._rx_checked = self._body_rx = 0  # bytes received: all, at checks, at body
        self._body_start = self._progress_at = 0.0
        self._body_timeout = config.body_timeout
        self._body_min_rate = config.body_min_rate
        self._linger_handle: asyncio.TimerHandle | None = None
        self._deadline = LazyDeadline(loop, self._on_deadline)

    def set_body_timeouts(
        self, *, timeout: float | None = None, min_rate: float | None = None
    ) -> None:
        """Change the bounds on the request body being received; ``None`` turns one off.

        For a handler that streams a slow body on purpose (a long poll upload, a sensor
        feed)::

            request.protocol.set_body_timeouts(timeout=300, min_rate=None)

        Args:
            timeout: Seconds the body may make no progress (``body_timeout``).
            min_rate: Bytes per second the body must average after its first ``timeout``
                seconds (``body_min_rate``).
        """
        self._body_timeout = timeout
        self._body_min_rate = min_rate
        if self._payload is not None:
            self._check_body()

    def _head_started(self) -> None:
        """Bytes of a head arrived but not its end: the head timeout runs from now."""
        if not self._head_bytes:
            self._head_bytes = True
            if self._phase == _IDLE:
                self._phase = _HEAD
                self._deadline.set(self._loop.time() + self._cfg.head_timeout)

    def _on_deadline(self) -> None:
        phase = self._phase
        if phase == _IDLE:
            self._close()
        elif phase == _HEAD:
            if self._head_bytes:
                self._write_error(408, "Request head not received in time")
            self._close()
        elif self._payload is not None:
            self._check_body()

    def _check_body(self) -> None:
        """Fail a body that stalled or crawls (see the module doc), else look again later."""
        now = self._loop.time()
        if self._rx != self._rx_checked or self._reading_paused:
            self._rx_checked, self._progress_at = self._rx, now
        timeout = self._body_timeout
        if timeout and now - self._progress_at >= timeout:
            self._body_failed("Request body not received in time")
        elif self._body_min_rate and now >= self._rate_due(now, self._body_min_rate):
            self._body_failed("Request body arrives too slowly")
        else:
            self._arm_body()

    def _rate_due(self, now: float, rate: float) -> float:
        """When the body falls below ``rate`` unless more of it arrives."""
        paused = self._paused_total + (now - self._paused_at if self._reading_paused else 0.0)
        grace = self._body_timeout or _RATE_GRACE
        return self._body_start + grace + paused + (self._rx - self._body_rx) / rate

    def _arm_body(self) -> None:
        timeout = self._body_timeout
        when = self._progress_at + timeout if timeout else 0.0
        if self._body_min_rate:
            due = self._rate_due(self._loop.time(), self._body_min_rate)
            when = min(when, due) if when else due
        if when:
            self._deadline.set(when)
        else:
            self._deadline.clear()

    def _body_failed(self, reason: str) -> None:
        payload, self._payload = self._payload, None
        self._input_closed = True
        self._closing = True
        if payload is not None:
            payload.set_exception(HTTPRequestTimeout(text=reason))

    async def _linger(self, payload: StreamReader) -> bool:
        """Read and drop an unread body for up to ``lingering_time``; whether it ended."""
        decoding = self._decoding
        if decoding is not None and decoding.reader is payload:
            decoding.discard()  # nobody reads it: never expand it (CVE-2026-54278's class)
        lingering_time = self._cfg.lingering_time
        return lingering_time > 0 and not self._closing and await _drop(payload, lingering_time)

    def _close_lingering(self) -> None:
        """Stop writing but keep reading and dropping input for up to ``lingering_time``.

        A client still sending a request we refused then reads our answer instead of a
        connection reset (RFC 9112 §9.6); its EOF, or the time limit, closes the connection.
        """
        transport = self.transport
        lingering_time = self._cfg.lingering_time
        if transport is None or lingering_time <= 0 or self._receiver is not None:
            self._close()
            return
        if not transport.can_write_eof():  # TLS: no half-close; its closure alert is the signal
            self._close()
            return
        self._closing = True
        self._input_closed = True
        self._deadline.cancel()
        BaseProtocol.resume_reading(self)
        try:
            transport.write_eof()
        except OSError:  # the peer is already gone (ENOTCONN): nothing to linger for
            self._close()
            return
        self._linger_handle = self._loop.call_later(lingering_time, transport.close)


async def _drop(payload: StreamReader, limit: float) -> bool:
    """Read and drop the rest of ``payload`` for up to ``limit`` seconds; whether it ended."""
    try:
        async with asyncio.timeout(limit):
            while not payload.is_eof():
                await payload.readany()
            return True
    except (TimeoutError, HttpProcessingError, HTTPException, ConnectionError):
        return False
