"""The closing handshake of a WebSocket channel (RFC 6455 §7.1.2, §7.1.1).

:meth:`Closing.close` sends our Close, hands a task waiting in ``receive()`` ``CLOSING``, waits
(bounded by the close timeout) for the peer's Close, and on a client then for the server to
close the TCP connection first (§7.1.1).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ..._sansio.websocket import ConnectionState
from ..._sansio.websocket.types import WSCloseCode
from .heartbeat import Heartbeat

__all__ = ["Closing"]

_CLOSED_STATE = ConnectionState.CLOSED


class Closing(Heartbeat):
    """The closing side of :class:`~aiohttp._io.websocket.channel.WebSocketChannel`, a mixin
    (the attributes below are the channel's)."""

    lost: bool
    close_timeout: float
    _receiving: bool
    _peer_closed: asyncio.Future[None]
    _lost_future: asyncio.Future[None]

    if TYPE_CHECKING:

        def flush(self) -> None: ...
        async def drain(self) -> None: ...
        def _wake(self) -> None: ...
        def _end_now(self) -> None: ...
        def _finish(self) -> None: ...

    async def going_away(self, message: str = "Server shutdown") -> None:
        """Close with 1001 (RFC 6455 §7.4.1): the server's graceful shutdown calls this."""
        await self.close(1001, message, wait=True)

    async def close(
        self,
        code: int = 1000,
        message: bytes | str = b"",
        *,
        drain: bool = True,
        wait: bool | None = None,
    ) -> bool:
        """Run the closing handshake (RFC 6455 §7.1.2); ``False`` if already closed.

        With ``drain=False`` the Close frame is not waited on to reach the socket before the
        peer's Close is awaited. A task waiting in :meth:`receive` gets ``CLOSING``.

        ``wait`` says whether to wait for the peer's Close; by default the server does not
        when a task was receiving (it drops the connection after its Close, as aiohttp 3.x
        does), and otherwise it does.

        Raises:
            ValueError: the code may not be sent (§7.4) or the reason is too long.
        """
        if self.closed:
            self._end_now()
            if self.conn.is_client and not self.lost and self._peer_closed.done():
                await self._wait_lost()
            return False
        payload = self.conn.send_close(code, message)  # validates before anything changes
        self.closed = True
        if self.close_code is None:
            self.close_code = code
        try:
            self.write(payload)
            if drain:
                await self.drain()
        except ConnectionError as exc:
            self.close_code = WSCloseCode.ABNORMAL_CLOSURE
            self.exception = exc
            self._abort()
            return True
        receiving = self._receiving
        if receiving:  # the task in receive() gets CLOSING, as in 3.x, once the Close is out
            self.flush()
            self._wake()
        if wait is None:
            wait = not receiving or self.conn.is_client
        if not self._peer_closed.done():
            if not wait:
                self._abort()
                return True
            if not await self._peer_close_in_time():
                return True
        if self.conn.state is _CLOSED_STATE and not self.lost:
            self._finish()
        if self.conn.is_client:
            await self._wait_lost()
        return True

    async def _peer_close_in_time(self) -> bool:
        """Wait for the peer's Close up to the close timeout; past it, drop the connection
        with 1006 and say ``False``."""
        try:
            async with asyncio.timeout(self.close_timeout):
                await asyncio.shield(self._peer_closed)
        except TimeoutError as exc:
            self.close_code = WSCloseCode.ABNORMAL_CLOSURE
            self.exception = exc  # exception() tells why, as in 3.x
            self._abort()
            return False
        return True

    async def _wait_lost(self) -> None:
        try:
            async with asyncio.timeout(self.close_timeout):
                await asyncio.shield(self._lost_future)
        except TimeoutError:
            self._abort()
