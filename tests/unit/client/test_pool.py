"""The connection pool: one acquire/release pair, limits, FIFO waiting, idle connections."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aiohttp.client.pool import ConnectionPool


class FakeProtocol:
    """Stands in for a ResponseHandler: connected until closed."""

    def __init__(self, connected: bool = True) -> None:
        self.connected = connected
        self.closed = False

    def is_connected(self) -> bool:
        return self.connected and not self.closed

    def close(self) -> None:
        self.closed = True


class Opener:
    """``open_connection`` for the pool: counts the connections it opens."""

    def __init__(self) -> None:
        self.opened: list[FakeProtocol] = []

    async def __call__(self) -> Any:
        protocol = FakeProtocol()
        self.opened.append(protocol)
        return protocol


@pytest.fixture
async def pool(loop):
    pool = ConnectionPool(
        asyncio.get_running_loop(), limit=2, limit_per_host=1, keepalive_timeout=15
    )
    yield pool
    pool.close()


async def test_a_released_connection_is_lent_again(pool) -> None:
    opener = Opener()
    first, reused = await pool.acquire("k", opener)
    assert not reused
    pool.release("k", first)
    assert pool.idle_count("k") == 1
    assert pool.in_use == 0
    again, reused = await pool.acquire("k", opener)
    assert (again, reused) == (first, True)
    assert len(opener.opened) == 1


async def test_idle_connections_are_lent_last_in_first_out() -> None:
    pool = ConnectionPool(asyncio.get_running_loop(), limit=0)
    opener = Opener()
    a, _ = await pool.acquire("k", opener)
    b, _ = await pool.acquire("k", opener)
    pool.release("k", a)
    pool.release("k", b)
    assert (await pool.acquire("k", opener))[0] is b
    assert (await pool.acquire("k", opener))[0] is a
    pool.close()


async def test_stale_idle_connections_are_closed_and_skipped(pool) -> None:
    opener = Opener()
    fresh, _ = await pool.acquire("k", opener)
    pool.release("k", fresh)
    stale = FakeProtocol(connected=False)
    pool.idle["k"].append((stale, pool.idle["k"][0][1]))
    assert (await pool.acquire("k", opener))[0] is fresh
    assert stale.closed


async def test_expired_idle_connections_are_closed() -> None:
    pool = ConnectionPool(asyncio.get_running_loop(), keepalive_timeout=0.01)
    opener = Opener()
    old, _ = await pool.acquire("k", opener)
    pool.release("k", old)
    await asyncio.sleep(0.05)
    assert old.closed  # the cleanup timer closed it
    new, reused = await pool.acquire("k", opener)
    assert new is not old
    assert not reused
    pool.close()


async def test_releasing_only_the_slot_keeps_nothing(pool) -> None:
    _protocol, _ = await pool.acquire("k", Opener())
    pool.release("k", None)
    assert pool.in_use == 0
    assert pool.idle_count() == 0


async def test_per_host_limit_queues_fifo(pool) -> None:
    opener = Opener()
    held, _ = await pool.acquire("k", opener)
    order: list[int] = []

    async def wait(n: int) -> None:
        protocol, _reused = await pool.acquire("k", opener)
        order.append(n)
        pool.release("k", protocol)

    waiters = [asyncio.ensure_future(wait(n)) for n in range(3)]
    await asyncio.sleep(0)
    assert pool.waiting() == 3
    pool.release("k", held)
    await asyncio.gather(*waiters)
    assert order == [0, 1, 2]
    assert len(opener.opened) == 1  # each waiter took the connection the one before gave back


async def test_total_limit_spans_hosts(pool) -> None:
    opener = Opener()
    _a, _ = await pool.acquire("a", opener)
    await pool.acquire("b", opener)
    waiter = asyncio.ensure_future(pool.acquire("c", opener))
    await asyncio.sleep(0)
    assert not waiter.done()
    pool.release("a", None)
    _protocol, reused = await waiter
    assert not reused
    assert pool.in_use == 2


async def test_a_failed_open_gives_the_slot_back(pool) -> None:
    async def refuse() -> Any:
        raise OSError("refused")

    with pytest.raises(OSError, match="refused"):
        await pool.acquire("k", refuse)
    assert pool.in_use == 0
    _protocol, _ = await pool.acquire("k", Opener())
    assert pool.in_use == 1


async def test_cancelled_waiter_gives_its_place_up(pool) -> None:
    opener = Opener()
    _held, _ = await pool.acquire("k", opener)
    waiter = asyncio.ensure_future(pool.acquire("k", opener))
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert pool.waiting() == 0
    pool.release("k", None)
    assert pool.in_use == 0


async def test_close_closes_idle_and_cancels_waiters(pool) -> None:
    opener = Opener()
    idle, _ = await pool.acquire("k", opener)
    pool.release("k", idle)
    await pool.acquire("k", opener)
    waiter = asyncio.ensure_future(pool.acquire("k", opener))
    await asyncio.sleep(0)
    assert pool.close() == []  # the idle one was lent again: nothing idle is left
    with pytest.raises(asyncio.CancelledError):
        await waiter
