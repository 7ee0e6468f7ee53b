"""ClientTimeout defaults and the Deadline context manager."""

from __future__ import annotations

import asyncio

import pytest

from aiohttp.client.timeouts import DEFAULT_TIMEOUT, ClientTimeout, Deadline


class Total(Exception):
    pass


class Read(Exception):
    pass


def test_defaults_match_3x() -> None:
    assert ClientTimeout(total=300, sock_connect=30) == DEFAULT_TIMEOUT
    assert ClientTimeout() == ClientTimeout(None, None, None, None, 5)
    with pytest.raises(AttributeError):
        DEFAULT_TIMEOUT.total = 1  # type: ignore[misc]


async def test_total_deadline_raises_its_error() -> None:
    loop = asyncio.get_running_loop()
    deadline = Deadline(loop, loop.time() + 0.02, Total)
    with pytest.raises(Total), deadline:
        await asyncio.sleep(5)


async def test_per_wait_applies_to_each_block() -> None:
    loop = asyncio.get_running_loop()
    deadline = Deadline(loop, None, Total, 0.05, Read)
    for _ in range(3):
        with deadline:
            await asyncio.sleep(0.01)  # each block is short: no error
    with pytest.raises(Read), deadline:
        await asyncio.sleep(5)


async def test_earlier_clock_wins() -> None:
    loop = asyncio.get_running_loop()
    with pytest.raises(Total), Deadline(loop, loop.time() + 0.01, Total, 5, Read):
        await asyncio.sleep(5)


async def test_past_deadline_raises_at_once() -> None:
    loop = asyncio.get_running_loop()
    deadline = Deadline(loop, loop.time() - 1, Total)
    assert deadline.remaining() == 0.0
    with pytest.raises(Total), deadline:
        pass


async def test_no_deadline_is_free() -> None:
    loop = asyncio.get_running_loop()
    deadline = Deadline(loop, None, Total)
    assert deadline.remaining() is None
    with deadline:
        await asyncio.sleep(0)


async def test_outside_cancellation_passes_through() -> None:
    loop = asyncio.get_running_loop()

    async def victim() -> None:
        with Deadline(loop, loop.time() + 5, Total):
            await asyncio.sleep(5)

    task = asyncio.ensure_future(victim())
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_needs_a_task() -> None:
    loop = asyncio.new_event_loop()
    try:
        deadline = Deadline(loop, loop.time() + 1, Total)
        with pytest.raises(RuntimeError), deadline:
            pass
    finally:
        loop.close()


async def test_assert_timeout_raises_once_the_total_time_is_up() -> None:
    # 3.x's BaseTimerContext.assert_timeout(): code that polls a timer instead of awaiting in it.
    loop = asyncio.get_running_loop()
    deadline = Deadline(loop, loop.time() + 0.02, Total, per_wait=5, per_wait_error=Read)
    deadline.assert_timeout()
    await asyncio.sleep(0.05)
    with pytest.raises(Total):
        deadline.assert_timeout()
    Deadline(loop, None, Total).assert_timeout()  # no deadline: never up


def test_the_timers_share_3x_base_class() -> None:
    from aiohttp import client_proto, helpers

    assert helpers.BaseTimerContext is client_proto.BaseTimerContext
    assert issubclass(helpers.TimerNoop, helpers.BaseTimerContext)
    assert issubclass(Deadline, helpers.BaseTimerContext)
    helpers.TimerNoop().assert_timeout()  # never up
    with helpers.TimerNoop() as timer:
        assert isinstance(timer, helpers.BaseTimerContext)
