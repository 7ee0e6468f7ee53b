"""The connection pool: idle keep-alive connections by key, and the connection limits.

The pool has one pair of calls: :meth:`ConnectionPool.acquire` lends a connection for a key,
:meth:`ConnectionPool.release` takes it back. What opening a connection means is the
connector's business: ``acquire`` is given an ``open`` coroutine function to call when no idle
connection will do.

Rules (what a user can rely on):

- A connection goes back to the pool only when its response was read to its framed end and
  both sides agreed to keep it alive; anything else is closed.
- An idle connection is handed out again only if it is still open and the server has not
  closed its side (a FIN read while idle marks it); connections idle longer than
  ``keepalive_timeout`` are closed, lazily on the next acquire and by a cleanup timer.
- ``limit`` caps connections in use plus being opened, across hosts; ``limit_per_host`` caps
  them per key. Requests past a limit wait in FIFO order.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Awaitable, Callable, Hashable, Sequence

from .protocol import ResponseHandler
from .tracing import (
    Trace,
    TraceConnectionCreateEndParams,
    TraceConnectionCreateStartParams,
    TraceConnectionQueuedEndParams,
    TraceConnectionQueuedStartParams,
    TraceConnectionReuseconnParams,
    send_all,
)

__all__ = ("ConnectionPool",)

Idle = dict[Hashable, list[tuple[ResponseHandler, float]]]


class ConnectionPool:
    """Idle connections and the slots that bound how many are in use.

    Args:
        loop: The event loop.
        limit: Connections in use across all keys (0: no limit).
        limit_per_host: Connections in use per key (0: no limit).
        keepalive_timeout: Seconds an idle connection is kept (``None``: no limit).
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        *,
        limit: int = 100,
        limit_per_host: int = 0,
        keepalive_timeout: float | None = 15.0,
    ) -> None:
        self._loop = loop
        self.limit = limit
        self.limit_per_host = limit_per_host
        self.keepalive_timeout = keepalive_timeout
        self._idle: Idle = {}
        self._in_use = 0
        self._in_use_per_key: collections.Counter[Hashable] = collections.Counter()
        self._waiters: collections.deque[tuple[Hashable, asyncio.Future[None]]] = (
            collections.deque()
        )
        self._cleanup_handle: asyncio.TimerHandle | None = None

    # -- the pair ---------------------------------------------------------------------------

    async def acquire(
        self,
        key: Hashable,
        open_connection: Callable[[], Awaitable[ResponseHandler]],
        traces: Sequence[Trace] = (),
    ) -> tuple[ResponseHandler, bool]:
        """A connection for ``key`` and whether it was idle in the pool (so it may be stale).

        An idle, healthy connection is reused at once. Otherwise the call waits, in FIFO order,
        until the limits allow one more connection, takes a connection that went idle
        meanwhile, or calls ``open_connection()``. Each connection acquired must be given to
        :meth:`release` exactly once.

        Raises:
            Exception: Whatever ``open_connection()`` raises (the slot is given back).
        """
        protocol = self._take_idle(key)
        if protocol is not None:
            self._take_slot(key)
            if traces:
                await send_all(traces, "connection_reuseconn", TraceConnectionReuseconnParams())
            return protocol, True
        if self._waiters or not self._has_slot(key):
            if traces:
                params = TraceConnectionQueuedStartParams()
                await send_all(traces, "connection_queued_start", params)
            await self._wait_slot(key)
            if traces:
                await send_all(traces, "connection_queued_end", TraceConnectionQueuedEndParams())
            protocol = self._take_idle(key)
            if protocol is not None:
                return protocol, True
        else:
            self._take_slot(key)
        try:
            if traces:
                await send_all(
                    traces, "connection_create_start", TraceConnectionCreateStartParams()
                )
            protocol = await open_connection()
            if traces:
                await send_all(traces, "connection_create_end", TraceConnectionCreateEndParams())
        except BaseException:
            self._free_slot(key)
            raise
        return protocol, False

    def release(self, key: Hashable, protocol: ResponseHandler | None) -> None:
        """Take back a connection :meth:`acquire` lent for ``key``.

        ``protocol`` is kept for the next request to ``key``; ``None`` gives back only the slot
        (the connection was closed, or left the pool's care: a WebSocket, a tunnel).
        """
        self._free_slot(key)
        if protocol is not None:
            self._put_idle(key, protocol)

    # -- what the pool holds ----------------------------------------------------------------

    @property
    def idle(self) -> Idle:
        """The idle connections by key, each with the time it was parked."""
        return self._idle

    def idle_count(self, key: Hashable | None = None) -> int:
        """Idle connections for ``key``, or in all."""
        if key is not None:
            return len(self._idle.get(key, ()))
        return sum(len(conns) for conns in self._idle.values())

    @property
    def in_use(self) -> int:
        """Connections lent or being opened."""
        return self._in_use

    def waiting(self) -> int:
        """Requests waiting for the limits to allow a connection."""
        return sum(1 for _, fut in self._waiters if not fut.done())

    def close(self) -> list[ResponseHandler]:
        """Close every idle connection, cancel the waiters; return what was closed."""
        if self._cleanup_handle is not None:
            self._cleanup_handle.cancel()
            self._cleanup_handle = None
        closed = []
        for conns in self._idle.values():
            for protocol, _ in conns:
                protocol.close()
                closed.append(protocol)
        self._idle.clear()
        for _, fut in self._waiters:
            if not fut.done():
                fut.cancel()
        self._waiters.clear()
        return closed

    # -- slots ------------------------------------------------------------------------------

    def _has_slot(self, key: Hashable) -> bool:
        if self.limit and self._in_use >= self.limit:
            return False
        return not (self.limit_per_host and self._in_use_per_key[key] >= self.limit_per_host)

    async def _wait_slot(self, key: Hashable) -> None:
        fut: asyncio.Future[None] = self._loop.create_future()
        entry = (key, fut)
        self._waiters.append(entry)
        try:
            await fut
        except BaseException:
            if entry in self._waiters:
                self._waiters.remove(entry)
            elif fut.done() and not fut.cancelled():
                self._free_slot(key)  # the slot was handed over, but we gave up
            raise

    def _take_slot(self, key: Hashable) -> None:
        self._in_use += 1
        self._in_use_per_key[key] += 1

    def _free_slot(self, key: Hashable) -> None:
        """Count one connection less for ``key``; hand the slot to the first waiter that fits."""
        self._in_use -= 1
        self._in_use_per_key[key] -= 1
        if self._in_use_per_key[key] <= 0:
            del self._in_use_per_key[key]
        for entry in self._waiters:
            waiter_key, fut = entry
            if not fut.done() and self._has_slot(waiter_key):
                self._waiters.remove(entry)
                self._take_slot(waiter_key)
                fut.set_result(None)
                return

    # -- idle connections -------------------------------------------------------------------

    def _take_idle(self, key: Hashable) -> ResponseHandler | None:
        """An idle, still-usable connection for ``key``, or ``None``; stale ones are closed."""
        conns = self._idle.get(key)
        if not conns:
            return None
        now = time.monotonic()
        keepalive = self.keepalive_timeout
        while conns:
            protocol, stamp = conns.pop()
            if protocol.is_connected() and (keepalive is None or now - stamp <= keepalive):
                if not conns:
                    del self._idle[key]
                return protocol
            protocol.close()
        del self._idle[key]
        return None

    def _put_idle(self, key: Hashable, protocol: ResponseHandler) -> None:
        self._idle.setdefault(key, []).append((protocol, time.monotonic()))
        if self._cleanup_handle is None and self.keepalive_timeout:
            self._cleanup_handle = self._loop.call_later(self.keepalive_timeout, self._cleanup)

    def _cleanup(self) -> None:
        self._cleanup_handle = None
        if self.keepalive_timeout is None:
            return
        deadline = time.monotonic() - self.keepalive_timeout
        for key in list(self._idle):
            keep = []
            for protocol, stamp in self._idle[key]:
                if stamp > deadline and protocol.is_connected():
                    keep.append((protocol, stamp))
                else:
                    protocol.close()
            if keep:
                self._idle[key] = keep
            else:
                del self._idle[key]
        if self._idle:
            self._cleanup_handle = self._loop.call_later(self.keepalive_timeout, self._cleanup)
