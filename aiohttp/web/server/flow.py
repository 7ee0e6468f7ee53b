"""Read-side flow control of a server connection.

:class:`ConnectionFlow` is the part of :class:`~aiohttp.web.RequestHandler` that pauses reading
from the client and resumes it. Three things pause it: a request body's reader above its
high-water mark (through :class:`~aiohttp._io.streams.StreamReader`), more than
``max_pipelined_requests`` parsed requests waiting for their turn (the backlog), and more than
twice ``read_bufsize`` bytes held behind a request that asks to switch protocols, until it is
answered. The time spent paused is kept, so that it does not count against a slow body (see
:mod:`aiohttp.web.server.timeouts`).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from ..._io.protocol import BaseProtocol

if TYPE_CHECKING:
    from ..._io.streams import StreamReader
    from ..._sansio.errors import HttpProcessingError
    from ..._sansio.http1.events import RequestHead
    from .lowlevel import ServerConfig

__all__ = ["ConnectionFlow"]


class ConnectionFlow(BaseProtocol):
    """Pause and resume reading: body, backlog and held bytes (see the module doc)."""

    __slots__ = (
        "_backlog_paused",
        "_hold_paused",
        "_paused_at",
        "_paused_total",
    )

    _backlog_paused: bool  # (the four are set up by RequestHandler._setup)
    _hold_paused: bool
    _paused_at: float
    _paused_total: float
    _cfg: ServerConfig
    _messages: deque[tuple[RequestHead, StreamReader] | HttpProcessingError]

    def pause_reading(self) -> None:
        """Stop reading (the time paused does not count against the client's body)."""
        if not self._reading_paused:
            self._paused_at = self._loop.time()
        super().pause_reading()

    def resume_reading(self, resume_parser: bool = True) -> None:
        """Resume reading unless too many requests are queued."""
        if len(self._messages) <= self._cfg.max_pipelined_requests:
            self._backlog_paused = False
            if self._reading_paused:
                self._paused_total += self._loop.time() - self._paused_at
            super().resume_reading(resume_parser)

    def _check_hold(self, held: int) -> bool:
        """``held`` bytes wait behind a request that asks to switch protocols: pause past twice
        ``read_bufsize`` (until the request is answered); whether it paused."""
        if held <= 2 * self._cfg.read_bufsize:
            return False
        self._hold_paused = True
        self.pause_reading()
        return True

    def _resume_held(self) -> None:
        if self._hold_paused:
            self._hold_paused = False
            self.resume_reading()
