"""Heartbeat pings of a WebSocket channel (RFC 6455 §5.5.2 and §5.5.3).

After ``heartbeat`` seconds without data from the peer a Ping goes out; if neither its Pong nor
any other data comes back within half that time, the connection is dropped with 1006.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..._sansio.websocket import (
    InvalidStateError,
    WebSocketConnection,
    WSCloseCode,
    WSMessage,
    WSMsgType,
)

__all__ = ["Heartbeat"]

_ERROR = WSMsgType.ERROR


class Heartbeat:
    """The heartbeat of :class:`~aiohttp._io.websocket.channel.WebSocketChannel`, a mixin.

    It shares the channel's one timer slot (``_timer``) with the close deadline, and its clock of
    the last data received (``_last_recv``, which ``data_received`` keeps).
    """

    heartbeat: float | None
    conn: WebSocketConnection
    exception: BaseException | None
    closed: bool
    close_code: int | None
    _loop: asyncio.AbstractEventLoop
    _timer: asyncio.TimerHandle | None
    _last_recv: float
    _ping_at: float
    _timeout_error: Callable[[str], BaseException]

    if TYPE_CHECKING:

        def write(self, data: bytes) -> None: ...
        def _push(self, msg: WSMessage) -> None: ...
        def _abort(self) -> None: ...

    def _heartbeat_tick(self) -> None:
        self._timer = None
        assert self.heartbeat
        due = self._last_recv + self.heartbeat
        if due > self._loop.time():
            self._timer = self._loop.call_at(due, self._heartbeat_tick)
            return
        try:
            self.write(self.conn.send_ping())
        except (ConnectionError, InvalidStateError):
            return
        self._ping_at = self._loop.time()
        self._timer = self._loop.call_later(self.heartbeat / 2, self._pong_deadline)

    def _pong_deadline(self) -> None:
        self._timer = None
        assert self.heartbeat
        if self._last_recv >= self._ping_at:
            self._timer = self._loop.call_at(self._last_recv + self.heartbeat, self._heartbeat_tick)
            return
        exc = self._timeout_error(f"No PONG received after {self.heartbeat / 2} seconds")
        self.exception = exc
        self.closed = True
        self.close_code = WSCloseCode.ABNORMAL_CLOSURE
        self._push(WSMessage(_ERROR, exc, None))
        self._abort()
