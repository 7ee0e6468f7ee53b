"""aiohttp.streams as aiohttp 3.x programs use it: line limits, chunk sizes, causes, counters."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from aiohttp import streams
from aiohttp.http_exceptions import LineTooLong


class Protocol:
    """The flow-control side a StreamReader pauses and resumes."""

    def __init__(self) -> None:
        self.reading_paused = False

    def pause_reading(self) -> None:
        self.reading_paused = True

    def resume_reading(self, resume_parser: bool = True) -> None:
        self.reading_paused = False


def make_stream(*chunks: bytes, limit: int = 2**16, eof: bool = True) -> streams.StreamReader:
    stream = streams.StreamReader(Protocol(), limit, loop=asyncio.get_running_loop())
    for chunk in chunks:
        stream.feed_data(chunk)
    if eof:
        stream.feed_eof()
    return stream


async def test_readline_at_max_line_length_and_one_past_it() -> None:
    stream = make_stream(b"0123456789\n", b"0123456789\n")
    assert await stream.readline(max_line_length=11) == b"0123456789\n"
    with pytest.raises(LineTooLong):
        await stream.readline(max_line_length=10)


async def test_readuntil_max_size() -> None:
    stream = make_stream(b"abc||def||")
    assert await stream.readuntil(b"||", max_size=5) == b"abc||"
    with pytest.raises(LineTooLong):
        await stream.readuntil(b"||", max_size=4)


async def test_readline_limit_defaults_to_the_high_water_mark() -> None:
    stream = make_stream(b"x" * 9 + b"\n", limit=4)
    with pytest.raises(LineTooLong):
        await stream.readline()


async def test_readuntil_finds_a_separator_split_between_chunks() -> None:
    stream = make_stream(b"a\r", b"\nb\r", b"\n")
    assert await stream.readuntil(b"\r\n") == b"a\r\n"
    assert await stream.readuntil(b"\r\n") == b"b\r\n"
    assert await stream.readuntil(b"\r\n") == b""


async def test_readuntil_separator_split_over_a_two_byte_tail() -> None:
    stream = make_stream(b"ab-", b"-", b"-cd")
    assert await stream.readuntil(b"---") == b"ab---"
    assert await stream.readuntil(b"---") == b"cd"


async def test_set_read_chunk_size_raises_the_water_marks_only() -> None:
    stream = make_stream(limit=10)
    stream.set_read_chunk_size(5)
    assert stream.get_read_buffer_limits() == (10, 20)
    stream.set_read_chunk_size(50)
    assert stream.get_read_buffer_limits() == (50, 100)


async def test_set_exception_with_a_cause_reaches_the_waiting_reader() -> None:
    stream = make_stream(eof=False)
    reading = asyncio.ensure_future(stream.read(10))
    await asyncio.sleep(0)
    cause = ConnectionResetError("peer went away")
    stream.set_exception(ValueError("body cut short"), cause)
    with pytest.raises(ValueError, match="body cut short") as info:
        await reading
    assert info.value.__cause__ is cause


async def test_set_exception_with_itself_as_cause_keeps_no_cause() -> None:
    stream = make_stream(eof=False)
    reading = asyncio.ensure_future(stream.readany())
    await asyncio.sleep(0)
    exc = ValueError("x")
    stream.set_exception(exc, exc)
    with pytest.raises(ValueError):
        await reading
    assert exc.__cause__ is None


async def test_total_raw_bytes_counts_the_bytes_fed() -> None:
    stream = make_stream(b"abc", b"de")
    assert stream.total_compressed_bytes is None
    assert stream.total_raw_bytes == stream.total_bytes == 5
    stream.total_compressed_bytes = 3
    assert stream.total_raw_bytes == 3


async def test_loop_is_optional_inside_a_coroutine() -> None:
    stream = streams.StreamReader(Protocol(), 2**16)
    stream.feed_data(b"data")
    stream.feed_eof()
    assert await stream.read() == b"data"


async def test_an_eof_callback_that_raises_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    stream = make_stream(eof=False)
    called: list[int] = []

    def broken() -> None:
        raise RuntimeError("callback bug")

    stream.on_eof(broken)
    stream.on_eof(lambda: called.append(1))
    with caplog.at_level(logging.ERROR, logger="aiohttp.internal"):
        stream.feed_eof()
        stream.on_eof(broken)
    assert called == [1]
    assert [r.message for r in caplog.records] == ["Exception in eof callback"] * 2


async def test_empty_payload_chunks_end_at_once() -> None:
    empty = streams.EmptyStreamReader()
    assert [chunk async for chunk in empty.iter_chunks()] == []
    assert await empty.readchunk() == (b"", True)
    assert await empty.readline(max_line_length=1) == b""
    assert await empty.readuntil(b"-", max_size=1) == b""
    empty.set_read_chunk_size(10)
    empty.set_exception(ValueError(), KeyError())
    assert empty.exception() is None


async def test_data_queue_set_exception_with_cause() -> None:
    queue: streams.DataQueue[Any] = streams.DataQueue(asyncio.get_running_loop())
    reading = asyncio.ensure_future(queue.read())
    await asyncio.sleep(0)
    cause = OSError("reset")
    queue.set_exception(ValueError("queue failed"), cause)
    with pytest.raises(ValueError, match="queue failed") as info:
        await reading
    assert info.value.__cause__ is cause


# -- as 3.x shows and reports things ----------------------------------------------------------


async def test_unread_data_warns_with_3x_wording_every_time() -> None:
    stream = make_stream(b"line1")
    data = await stream.read(5)
    for pushed in (data, b""):
        with pytest.warns(DeprecationWarning, match="unread_data") as record:
            stream.unread_data(pushed)
        assert [str(w.message) for w in record] == [
            "unread_data() is deprecated and will be removed in future releases (#3260)"
        ]
    assert await stream.read() == b"line1"


@pytest.mark.parametrize(
    ("limit", "shown"),
    [(2**18, "<StreamReader>"), (2**16, "<StreamReader low=65536 high=131072>")],
)
async def test_repr_names_the_limits_unless_they_are_3x_default(limit: int, shown: str) -> None:
    stream = make_stream(limit=limit, eof=False)
    assert repr(stream) == shown
    stream.feed_data(b"abcd")
    stream.feed_eof()
    assert repr(stream) == shown.replace("Reader", "Reader 4 bytes eof")


async def test_reading_at_eof_again_and_again_logs_a_possible_endless_loop(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stream = make_stream()
    with caplog.at_level(logging.WARNING, logger="aiohttp.internal"):
        for _ in range(5):
            assert await stream.read() == b""
        assert not caplog.records
        assert await stream.read() == b""
    [record] = caplog.records
    assert record.getMessage() == (
        "Multiple access to StreamReader in eof state, might be infinite loop."
    )
    assert record.stack_info


async def test_empty_stream_reader_refuses_data() -> None:
    assert streams.EmptyStreamReader().feed_data(b"data") is False
    assert repr(streams.EMPTY_PAYLOAD) == "<EmptyStreamReader>"


# -- flow control by HTTP chunk count, as in 3.x ------------------------------------------------


class CountingProtocol(Protocol):
    def __init__(self) -> None:
        super().__init__()
        self.pauses = self.resumes = 0

    def pause_reading(self) -> None:
        super().pause_reading()
        self.pauses += 1

    def resume_reading(self, resume_parser: bool = True) -> None:
        super().resume_reading()
        self.resumes += 1


def chunked_stream(protocol: Protocol, limit: int, count: int) -> streams.StreamReader:
    stream = streams.StreamReader(protocol, limit, loop=asyncio.get_running_loop())
    for _ in range(count):
        stream.begin_http_chunk_receiving()
        stream.feed_data(b"x")
        stream.end_http_chunk_receiving()
    return stream


@pytest.mark.parametrize(("limit", "most_chunks"), [(160, 10), (1600, 100), (16, 4), (63, 4)])
async def test_many_small_chunks_pause_reading_past_limit_over_16_chunks(
    limit: int, most_chunks: int
) -> None:
    # Tiny chunks cost far more memory than their bytes: their count is bounded too (at least
    # 4), while their bytes stay far below the high-water mark.
    protocol = CountingProtocol()
    chunked_stream(protocol, limit, most_chunks)
    assert protocol.pauses == 0
    chunked_stream(protocol, limit, most_chunks + 1)
    assert protocol.pauses == 1


async def test_reading_resumes_once_chunks_and_bytes_are_both_low() -> None:
    protocol = CountingProtocol()
    stream = chunked_stream(protocol, 160, 12)  # paused past 10 chunks; resumes below 5
    assert protocol.reading_paused
    assert await stream.read(8) == b"x" * 8
    assert protocol.resumes == 0  # 4 bytes, far below 160, but 5 chunk ends to report
    assert await stream.read(1) == b"x"
    assert protocol.resumes == 1
    assert not protocol.reading_paused


async def test_readany_returns_only_what_was_buffered_when_it_was_called() -> None:
    # Resuming may feed more data at once (a decoder inflating its next piece): one readany()
    # must not gather those refills, or it could assemble a whole body in memory.
    protocol = Protocol()
    stream = streams.StreamReader(protocol, 4, loop=asyncio.get_running_loop())
    refills = [b"second", b"third"]

    def resume_and_refill(resume_parser: bool = True) -> None:
        if refills:
            stream.feed_data(refills.pop(0))
        protocol.reading_paused = bool(refills)  # more to inflate: paused again

    protocol.resume_reading = resume_and_refill  # type: ignore[method-assign]
    protocol.reading_paused = True
    stream.feed_data(b"first")
    assert [await stream.readany() for _ in range(3)] == [b"first", b"second", b"third"]
