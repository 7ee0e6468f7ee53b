"""The connection pool: limits, FIFO waiting, idle connections and staleness."""

from __future__ import annotations

import asyncio

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


@pytest.fixture
async def pool(loop):
    pool = ConnectionPool(
        asyncio.get_running_loop(), limit=2, limit_per_host=1, keepalive_timeout=15
    )
    yield pool
    pool.close()


async def test_idle_connection_is_reused_lifo(pool) -> None:
    a, b = FakeProtocol(), FakeProtocol()
    pool.put_idle("k", a)
    pool.put_idle("k", b)
    assert pool.idle_count("k") == 2
    assert pool.take_idle("k") is b
    assert pool.take_idle("k") is a
    assert pool.take_idle("k") is None
    assert pool.idle_count() == 0


async def test_stale_idle_connections_are_closed_and_skipped(pool) -> None:
    stale, fresh = FakeProtocol(connected=False), FakeProtocol()
    pool.put_idle("k", fresh)
    pool.put_idle("k", stale)
    assert pool.take_idle("k") is fresh
    assert stale.closed


async def test_expired_idle_connections_are_closed() -> None:
    pool = ConnectionPool(asyncio.get_running_loop(), keepalive_timeout=0.01)
    old = FakeProtocol()
    pool.put_idle("k", old)
    await asyncio.sleep(0.05)
    assert old.closed  # the cleanup timer closed it
    assert pool.take_idle("k") is None
    pool.close()


async def test_per_host_limit_queues_fifo(pool) -> None:
    pool.take_slot("k")
    order: list[int] = []

    async def wait(n: int) -> None:
        await pool.wait_slot("k")
        order.append(n)

    waiters = [asyncio.ensure_future(wait(n)) for n in range(3)]
    await asyncio.sleep(0)
    assert pool.waiting() == 3
    for _ in range(3):
        pool.free_slot("k")
        await asyncio.sleep(0)
    await asyncio.gather(*waiters)
    assert order == [0, 1, 2]
    assert pool.in_use == 1


async def test_total_limit_spans_hosts(pool) -> None:
    pool.take_slot("a")
    pool.take_slot("b")
    assert not pool.has_slot("c")
    waiter = asyncio.ensure_future(pool.wait_slot("c"))
    await asyncio.sleep(0)
    assert not waiter.done()
    pool.free_slot("a")
    await waiter
    assert pool.in_use == 2


async def test_cancelled_waiter_gives_its_place_up(pool) -> None:
    pool.take_slot("k")
    waiter = asyncio.ensure_future(pool.wait_slot("k"))
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert pool.waiting() == 0
    pool.free_slot("k")
    assert pool.in_use == 0


async def test_close_closes_idle_and_cancels_waiters(pool) -> None:
    idle = FakeProtocol()
    pool.put_idle("k", idle)
    pool.take_slot("k")
    waiter = asyncio.ensure_future(pool.wait_slot("k"))
    await asyncio.sleep(0)
    assert pool.close() == [idle]
    assert idle.closed
    with pytest.raises(asyncio.CancelledError):
        await waiter
