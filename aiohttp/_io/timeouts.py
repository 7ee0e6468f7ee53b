"""A lazily re-armed deadline: cheap to move on every request, rescheduled rarely.

A server moves a connection's deadline on every request (keep-alive idle, head, body), and
cancelling and re-creating an event-loop timer each time costs more than the work it guards.
:class:`LazyDeadline` keeps one timer: moving the deadline later only stores a number, and
when the timer fires before the stored deadline it re-arms itself once for the rest::

    deadline = LazyDeadline(loop, on_expired)
    deadline.set(loop.time() + 75.0)   # arms a timer
    deadline.set(loop.time() + 75.0)   # later: just stores the new time
    deadline.clear()                   # no deadline; the pending timer fires and does nothing
    deadline.cancel()                  # cancel the timer for good (connection closed)
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable

__all__ = ["LazyDeadline", "calculate_timeout_when"]

# asyncio runs a timer up to one clock resolution early; closer than this counts as expired.
_RESOLUTION = 0.001


class LazyDeadline:
    """Calls ``callback()`` once the loop's clock passes the current deadline.

    Args:
        loop: The event loop whose clock and timers are used.
        callback: Called with no arguments when the deadline passes.

    Attributes:
        when: The current deadline in loop time, or ``0.0`` for none.
    """

    __slots__ = ("_armed_at", "_callback", "_handle", "_loop", "when")

    def __init__(self, loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
        self._loop = loop
        self._callback = callback
        self._handle: asyncio.TimerHandle | None = None
        self._armed_at = 0.0
        self.when = 0.0

    @property
    def armed(self) -> bool:
        """Whether a timer is scheduled (it may fire early and re-arm)."""
        return self._handle is not None

    def set(self, when: float) -> None:
        """Move the deadline to ``when`` (loop time); re-arm only if it moved earlier."""
        self.when = when
        if self._armed_at > when or self._handle is None:
            if self._handle is not None:
                self._handle.cancel()
            self._armed_at = when
            self._handle = self._loop.call_at(when, self._fire)

    def clear(self) -> None:
        """Drop the deadline; a pending timer fires later and does nothing."""
        self.when = 0.0

    def cancel(self) -> None:
        """Drop the deadline and cancel the timer."""
        self.when = 0.0
        handle = self._handle
        if handle is not None:
            self._handle = None
            handle.cancel()

    def _fire(self) -> None:
        self._handle = None
        when = self.when
        if not when:
            return
        if when - self._loop.time() > _RESOLUTION:
            self._armed_at = when
            self._handle = self._loop.call_at(when, self._fire)
            return
        self.when = 0.0
        self._callback()


def calculate_timeout_when(
    loop_time: float, timeout: float, timeout_ceiling_threshold: float
) -> float:
    """The loop time a timeout of ``timeout`` seconds started at ``loop_time`` runs out.

    Timeouts longer than ``timeout_ceiling_threshold`` are rounded up to the next whole second
    (as aiohttp 3.x does), so that many timers fall due together.
    """
    when = loop_time + timeout
    if timeout > timeout_ceiling_threshold:
        return math.ceil(when)
    return when
