"""A connection lent by a connector to one request: :class:`Connection`.

The connector lends it (the pool's ``acquire``); it goes back exactly once, by :meth:`release`
(pooled when reusable) or :meth:`close`, or leaves the pool's care by :meth:`detach` (a
WebSocket, a tunnel). The protocol calls :meth:`release` itself when a response ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from .protocol import ResponseHandler

if TYPE_CHECKING:
    from .connector import BaseConnector

__all__ = ("Connection",)


class Connection:
    """A connection lent to one request; it returns to the pool or closes exactly once.

    Args:
        connector: The connector that lent it.
        key: The pool key.
        protocol: The connection's protocol.
        loop: 3.x's argument, which the deprecated :attr:`loop` returns (else the
            protocol's loop).
        reused: Whether it came from the pool (so a failure may be a stale connection).
    """

    __slots__ = (
        "_callbacks",
        "_connector",
        "_key",
        "_loop",
        "_protocol",
        "broken_before_use",
        "reused",
        "writer_task",
    )

    def __init__(
        self,
        connector: BaseConnector,
        key: Hashable,
        protocol: ResponseHandler,
        loop: asyncio.AbstractEventLoop | None = None,
        *,
        reused: bool = False,
    ) -> None:
        self._connector = connector
        self._key = key
        self._protocol: ResponseHandler | None = protocol
        self.reused = reused
        self.broken_before_use = False
        self.writer_task: asyncio.Task[None] | None = None
        self._callbacks: list[Callable[[], None]] | None = None
        self._loop = loop
        protocol.on_message_complete = self.release

    @property
    def protocol(self) -> ResponseHandler:
        """The protocol (raises once the connection was given back)."""
        if self._protocol is None:
            raise RuntimeError("Connection already released")
        return self._protocol

    @property
    def transport(self) -> asyncio.Transport | None:
        """The transport, while the connection is lent."""
        return self._protocol.transport if self._protocol is not None else None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """Deprecated (3.x): the event loop."""
        warnings.warn("connector.loop property is deprecated", DeprecationWarning, stacklevel=2)
        return self._loop if self._loop is not None else self.protocol.loop

    def add_callback(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` once when the connection is released or closed (3.x); what it
        raises is ignored."""
        if callback is not None:
            if self._callbacks is None:
                self._callbacks = []
            self._callbacks.append(callback)

    def _notify_release(self) -> None:
        callbacks, self._callbacks = self._callbacks or [], None
        for callback in callbacks:
            with contextlib.suppress(Exception):
                callback()

    @property
    def closed(self) -> bool:
        """Whether the connection was given back or closed."""
        return self._protocol is None or not self._protocol.is_connected()

    def release(self) -> None:
        """Give the connection back: pooled when reusable, else closed."""
        if self._callbacks is not None:
            self._notify_release()
        protocol = self._protocol
        if protocol is not None:
            self._protocol = None
            protocol.on_message_complete = None
            task = self.writer_task
            if task is not None and not task.done():
                task.cancel()  # the upload outlived the response: never reuse
                protocol.close()
            self._connector._release(self._key, protocol)

    def close(self) -> None:
        """Close the connection; it is never reused."""
        if self._callbacks is not None:
            self._notify_release()
        protocol = self._protocol
        if protocol is not None:
            self._protocol = None
            protocol.on_message_complete = None
            task = self.writer_task
            if task is not None and not task.done():
                task.cancel()
            protocol.close()
            self._connector._release(self._key, protocol)

    def detach(self) -> ResponseHandler:
        """Take the protocol out of the pool's care (WebSocket, tunnels): it is never pooled."""
        protocol = self.protocol
        self._protocol = None
        protocol.on_message_complete = None
        self._connector._release(self._key, None)
        return protocol

    def __repr__(self) -> str:
        return f"Connection<{self._key}>"
