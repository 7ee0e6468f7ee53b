"""Client timeouts: :class:`ClientTimeout` and the deadline arithmetic the request uses."""

from __future__ import annotations

import asyncio
import dataclasses
import math
import weakref
from collections.abc import Callable
from types import TracebackType
from typing import Any

__all__ = (
    "CEIL_THRESHOLD",
    "DEFAULT_TIMEOUT",
    "BaseTimerContext",
    "ClientTimeout",
    "Deadline",
    "TimerNoop",
)


@dataclasses.dataclass(frozen=True, slots=True)
class ClientTimeout:
    """Timeouts for a request, in seconds; ``None`` or ``0`` disables one.

    Attributes:
        total: The whole operation: connecting, sending, redirects and reading the body.
        connect: Getting a connection, including waiting for a free one in the pool.
        sock_read: The longest silence between two reads from the server.
        sock_connect: Opening one socket (and its TLS handshake) to one address.
        ceil_threshold: Timeouts above this many seconds are rounded up to whole seconds.
    """

    total: float | None = None
    connect: float | None = None
    sock_read: float | None = None
    sock_connect: float | None = None
    ceil_threshold: float = 5


DEFAULT_TIMEOUT = ClientTimeout(total=5 * 60, sock_connect=30)
"""The session default of aiohttp 3.x: five minutes in all, 30 s to open a socket."""


class BaseTimerContext:
    """The base of the client's timers (3.x's ``helpers.BaseTimerContext``): a ``with`` block
    around an await, and :meth:`assert_timeout` to check the time is not up. Slotted and
    without ``__dict__``, so a timer per request stays small (a context manager all the same:
    ``isinstance(timer, contextlib.AbstractContextManager)`` holds)."""

    __slots__ = ()

    def __enter__(self) -> BaseTimerContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        return None

    def assert_timeout(self) -> None:
        """Raise the timer's timeout error if its time is up; the base timer never is."""


class TimerNoop(BaseTimerContext):
    """A read timer that never fires: the ``timer=`` of a response built without a deadline.

    aiohttp 3.x code and test helpers pass one when they construct a response themselves.
    """

    __slots__ = ()


class _SharedTimers:
    """Deadlines of one loop that end in the same whole second share one timer.

    A request's total timeout is minutes away and almost never fires; an event-loop timer per
    request (scheduled, then cancelled) would cost more than the rest of a small request's
    bookkeeping. Deadlines more than :data:`CEIL_THRESHOLD` seconds away are rounded up to the
    whole second, as aiohttp 3.x rounds them, and wait in that second's set.
    """

    __slots__ = ("_seconds",)

    def __init__(self) -> None:
        self._seconds: dict[int, dict[Deadline, Callable[[], BaseException]]] = {}

    def add(
        self,
        loop: asyncio.AbstractEventLoop,
        second: int,
        deadline: Deadline,
        error: Callable[[], BaseException],
    ) -> None:
        waiting = self._seconds.get(second)
        if waiting is None:
            waiting = self._seconds[second] = {}
            loop.call_at(second, self._fire, second)
        waiting[deadline] = error

    def discard(self, second: int, deadline: Deadline) -> None:
        waiting = self._seconds.get(second)
        if waiting is not None:
            waiting.pop(deadline, None)

    def _fire(self, second: int) -> None:
        for deadline, error in self._seconds.pop(second, {}).items():
            deadline._fire(error)


_SHARED: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _SharedTimers] = (
    weakref.WeakKeyDictionary()
)
CEIL_THRESHOLD = 5.0
"""Deadlines further away than this many seconds end on a whole second (3.x's default)."""


_LAST: list[Any] = [lambda: None, None]  # the last loop asked about (a weak reference)


def _shared(loop: asyncio.AbstractEventLoop) -> _SharedTimers:
    last = _LAST
    if last[0]() is loop:
        timers: _SharedTimers = last[1]
        return timers
    timers = _SHARED.get(loop) or _SharedTimers()
    _SHARED[loop] = timers
    last[0], last[1] = weakref.ref(loop), timers
    return timers


class Deadline(BaseTimerContext):
    """Cancel the current task when time runs out, and raise a typed error instead.

    Used as a plain ``with`` block around awaits (re-enterable, so a body stream can enter it
    around each wait). Two clocks: an absolute ``when`` (the total budget) and ``per_wait``
    seconds from each entry (the read timeout); the earlier one applies. One more than
    :data:`CEIL_THRESHOLD` seconds away ends on the next whole second, on a timer shared with
    the deadlines that end then.

    Args:
        loop: The event loop.
        when: The loop time at which the whole operation must be over, or ``None``.
        error: Builds the error raised when ``when`` passes.
        per_wait: Seconds allowed for each block, or ``None``.
        per_wait_error: Builds the error raised when ``per_wait`` passes.
    """

    __slots__ = (
        "__weakref__",
        "_error",
        "_fired",
        "_handle",
        "_loop",
        "_per_wait",
        "_per_wait_error",
        "_second",
        "_task",
        "_timers",
        "when",
    )

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        when: float | None,
        error: Callable[[], BaseException],
        per_wait: float | None = None,
        per_wait_error: Callable[[], BaseException] | None = None,
    ) -> None:
        self._loop = loop
        self.when = when
        self._error = error
        self._per_wait = per_wait or None
        self._per_wait_error = per_wait_error or error
        self._handle: asyncio.TimerHandle | None = None
        self._second = 0
        self._timers: _SharedTimers | None = None
        self._task: asyncio.Task[Any] | None = None
        self._fired: Callable[[], BaseException] | None = None

    def remaining(self) -> float | None:
        """Seconds left before ``when``, or ``None`` without a deadline."""
        if self.when is None:
            return None
        return max(0.0, self.when - self._loop.time())

    def assert_timeout(self) -> None:
        """Raise the total-time error if ``when`` has passed (3.x's ``assert_timeout()``)."""
        if self.when is not None and self.when <= self._loop.time():
            raise self._error()

    def __enter__(self) -> Deadline:
        when, error = self.when, self._error
        if self._per_wait is not None:
            candidate = self._loop.time() + self._per_wait
            if when is None or candidate < when:
                when, error = candidate, self._per_wait_error
        if when is None:
            return self
        task = asyncio.current_task(self._loop)
        if task is None:
            raise RuntimeError("Timeout context manager should be used inside a task")
        now = self._loop.time()
        if when <= now:
            raise error()
        self._task = task
        self._fired = None
        if when - now > CEIL_THRESHOLD:
            self._second = math.ceil(when)
            timers = self._timers
            if timers is None:
                timers = self._timers = _shared(self._loop)
            timers.add(self._loop, self._second, self, error)
        else:
            self._handle = self._loop.call_at(when, self._fire, error)
        return self

    def _fire(self, error: Callable[[], BaseException]) -> None:
        self._handle = None
        self._second = 0
        self._fired = error
        if self._task is not None:
            self._task.cancel()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        handle = self._handle
        if handle is not None:
            self._handle = None
            handle.cancel()
        elif self._second:
            self._timers.discard(self._second, self)  # type: ignore[union-attr]
            self._second = 0
        fired, self._fired = self._fired, None
        task, self._task = self._task, None
        if (
            fired is not None
            and exc_type is asyncio.CancelledError
            and task is not None
            and task.uncancel() == 0
        ):
            raise fired() from None
