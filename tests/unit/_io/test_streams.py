"""StreamReader, EMPTY_PAYLOAD, DataQueue and FlowControlDataQueue."""

from __future__ import annotations

import asyncio

import pytest

from aiohttp._io.queues import DataQueue, FlowControlDataQueue
from aiohttp._io.stream_iterators import EofStream
from aiohttp._io.streams import EMPTY_PAYLOAD, StreamReader
from aiohttp._sansio.errors import LineTooLong


class FakeFlow:
    """Records pause/resume calls, as the protocol base would see them."""

    def __init__(self) -> None:
        self.reading_paused = False
        self.calls: list[str] = []

    def pause_reading(self) -> None:
        self.reading_paused = True
        self.calls.append("pause")

    def resume_reading(self) -> None:
        self.reading_paused = False
        self.calls.append("resume")


def reader(limit: int = 2**16) -> tuple[StreamReader, FakeFlow]:
    flow = FakeFlow()
    return StreamReader(flow, limit, loop=asyncio.get_running_loop()), flow


async def fed(*chunks: bytes, eof: bool = True) -> StreamReader:
    r, _ = reader()
    for c in chunks:
        r.feed_data(c)
    if eof:
        r.feed_eof()
    return r


async def test_read_all_joins_until_eof() -> None:
    r = await fed(b"ab", b"cd")
    assert await r.read() == b"abcd"
    assert r.at_eof()
    assert await r.read() == b""


async def test_read_n_splits_chunks() -> None:
    r = await fed(b"abcdef")
    assert await r.read(2) == b"ab"
    assert await r.read(0) == b""
    assert await r.read(10) == b"cdef"


async def test_read_waits_for_data() -> None:
    r, _ = reader()
    task = asyncio.create_task(r.read(3))
    await asyncio.sleep(0)
    assert not task.done()
    r.feed_data(b"xyz")
    assert await asyncio.wait_for(task, 1) == b"xyz"


async def test_concurrent_reads_are_refused() -> None:
    r, _ = reader()
    task = asyncio.create_task(r.readany())
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="already waiting"):
        await r.readany()
    with pytest.raises(RuntimeError):
        r.read_nowait()
    r.feed_eof()
    assert await task == b""


async def test_readany_returns_what_is_buffered() -> None:
    r = await fed(b"a", b"b")
    assert await r.readany() == b"ab"
    assert await r.readany() == b""


async def test_readline_and_async_for_lines() -> None:
    r = await fed(b"one\ntw", b"o\nthree")
    assert [line async for line in r] == [b"one\n", b"two\n", b"three"]


async def test_readuntil_multibyte_separator() -> None:
    r = await fed(b"a--b--", b"c")
    assert await r.readuntil(b"--") == b"a--"
    assert await r.readuntil(b"--") == b"b--"
    assert await r.readuntil(b"--") == b"c"
    with pytest.raises(ValueError, match="Separator"):
        await r.readuntil(b"")


async def test_readline_longer_than_high_water_is_refused() -> None:
    flow = FakeFlow()
    r = StreamReader(flow, 4, loop=asyncio.get_running_loop())
    r.feed_data(b"0123456789\n")
    with pytest.raises(LineTooLong, match="more than 8 bytes"):
        await r.readline()


async def test_readexactly_and_incomplete() -> None:
    r = await fed(b"abc", b"de")
    assert await r.readexactly(4) == b"abcd"
    with pytest.raises(asyncio.IncompleteReadError) as info:
        await r.readexactly(3)
    assert info.value.partial == b"e"
    assert info.value.expected == 3


async def test_iter_chunked_and_iter_any() -> None:
    r = await fed(b"abcde")
    assert [c async for c in r.iter_chunked(2)] == [b"ab", b"cd", b"e"]
    r = await fed(b"ab", b"cd")
    assert [c async for c in r.iter_any()] == [b"abcd"]


async def test_readchunk_follows_http_chunks() -> None:
    r, _ = reader()
    r.begin_http_chunk_receiving()
    r.feed_data(b"ab")
    r.end_http_chunk_receiving()
    r.begin_http_chunk_receiving()
    r.feed_data(b"c")
    r.feed_data(b"d")
    r.end_http_chunk_receiving()
    r.end_http_chunk_receiving()  # an empty chunk adds no boundary
    r.feed_eof()
    assert [c async for c in r.iter_chunks()] == [(b"ab", True), (b"cd", True)]


async def test_readchunk_without_chunks_is_readany() -> None:
    r = await fed(b"ab", eof=False)
    assert await r.readchunk() == (b"ab", False)
    r.feed_eof()
    assert await r.readchunk() == (b"", False)


async def test_chunk_receiving_misuse() -> None:
    r, _ = reader()
    with pytest.raises(RuntimeError):
        r.end_http_chunk_receiving()
    r.feed_data(b"x")
    with pytest.raises(RuntimeError):
        r.begin_http_chunk_receiving()


async def test_flow_control_pauses_above_high_and_resumes_below_low() -> None:
    r, flow = reader(limit=4)
    r.feed_data(b"12345678")
    assert flow.calls == []
    r.feed_data(b"9")
    assert flow.calls == ["pause"]
    r.feed_data(b"0")
    assert flow.calls == ["pause"]
    await r.read(6)
    assert flow.calls == ["pause"]
    await r.read(1)
    assert flow.calls == ["pause", "resume"]


async def test_feed_eof_resumes_a_paused_protocol() -> None:
    r, flow = reader(limit=1)
    r.feed_data(b"abc")
    r.feed_eof()
    assert flow.calls == ["pause", "resume"]


async def test_exception_is_raised_to_readers() -> None:
    r, _ = reader()
    task = asyncio.create_task(r.read(1))
    await asyncio.sleep(0)
    err = ValueError("bad body")
    r.set_exception(err)
    with pytest.raises(ValueError, match="bad body"):
        await task
    assert r.exception() is err
    for coro in (r.read(), r.readany(), r.readline(), r.readexactly(1), r.readchunk()):
        with pytest.raises(ValueError):
            await coro
    with pytest.raises(ValueError):
        r.read_nowait()


async def test_on_eof_and_wait_eof() -> None:
    r, _ = reader()
    calls: list[int] = []
    r.on_eof(lambda: calls.append(1))
    waiter = asyncio.create_task(r.wait_eof())
    await asyncio.sleep(0)
    r.feed_eof()
    await asyncio.wait_for(waiter, 1)
    r.on_eof(lambda: calls.append(2))
    await r.wait_eof()
    assert calls == [1, 2]
    assert r.is_eof()


async def test_read_nowait_and_total_bytes() -> None:
    r = await fed(b"abc", b"def", eof=False)
    assert r.read_nowait(4) == b"abcd"
    assert r.read_nowait() == b"ef"
    assert r.total_bytes == 6
    assert r.get_read_buffer_limits() == (2**16, 2**17)


async def test_unread_data_warns_and_restores() -> None:
    r = await fed(b"abcd")
    assert await r.read(2) == b"ab"
    with pytest.warns(DeprecationWarning, match=r"^unread_data\(\) is deprecated"):
        r.unread_data(b"ab")
    assert await r.read() == b"abcd"


async def test_repr_shows_state() -> None:
    r = await fed(b"abc", eof=True)
    assert repr(r) == "<StreamReader 3 bytes eof low=65536 high=131072>"


async def test_empty_payload() -> None:
    assert EMPTY_PAYLOAD.at_eof()
    assert EMPTY_PAYLOAD.is_eof()
    assert await EMPTY_PAYLOAD.read() == b""
    assert await EMPTY_PAYLOAD.readany() == b""
    assert await EMPTY_PAYLOAD.readline() == b""
    assert EMPTY_PAYLOAD.read_nowait() == b""
    assert [c async for c in EMPTY_PAYLOAD.iter_any()] == []
    with pytest.raises(asyncio.IncompleteReadError):
        await EMPTY_PAYLOAD.readexactly(1)
    called: list[int] = []
    EMPTY_PAYLOAD.on_eof(lambda: called.append(1))
    assert called == [1]
    assert EMPTY_PAYLOAD.exception() is None


async def test_data_queue_reads_items_then_eof() -> None:
    q: DataQueue[str] = DataQueue(asyncio.get_running_loop())
    task = asyncio.create_task(q.read())
    await asyncio.sleep(0)
    q.feed_data("one")
    assert await task == "one"
    q.feed_data("two")
    assert len(q) == 1
    q.feed_eof()
    assert q.is_eof()
    assert not q.at_eof()
    assert await q.read() == "two"
    with pytest.raises(EofStream):
        await q.read()


async def test_data_queue_async_for_and_exception() -> None:
    q: DataQueue[str] = DataQueue(asyncio.get_running_loop())
    q.feed_data("a")
    q.feed_eof()
    assert [m async for m in q] == ["a"]
    q2: DataQueue[str] = DataQueue(asyncio.get_running_loop())
    q2.set_exception(OSError("gone"))
    assert isinstance(q2.exception(), OSError)
    with pytest.raises(OSError, match="gone"):
        await q2.read()


async def test_flow_control_data_queue() -> None:
    flow = FakeFlow()
    q: FlowControlDataQueue[bytes] = FlowControlDataQueue(flow, 10, loop=asyncio.get_running_loop())
    q.feed_data(b"x" * 8, 8)
    q.feed_data(b"y" * 8, 8)
    assert flow.calls == ["pause"]
    assert await q.read() == b"x" * 8
    assert flow.calls == ["pause", "resume"]
