"""DecodingFeed: the one content decoder, back-pressured by its reader, for both sides."""

from __future__ import annotations

import asyncio
import gzip
import zlib

import brotli
import pytest

from aiohttp._io.decoding import DecodingFeed, content_encoding_error
from aiohttp._io.streams import StreamReader
from aiohttp._sansio.codings import (
    ContentCodingError,
    CorruptContentError,
    DecompressionLimitError,
    UnknownContentCodingError,
)
from aiohttp._sansio.errors import ContentEncodingError

LIMIT = 2**16  # the reader's low-water mark; it pauses above twice that
PIECE = 2**17  # the most one decoding step yields (64 KiB, which brotli may round up)
HELD_AT_MOST = 2 * LIMIT + PIECE
BOMB = 4 * 2**20  # 4 MiB of zeros: a few KiB of gzip, a few bytes of brotli


class Flow:
    """The protocol side: records whether reading is paused."""

    def __init__(self) -> None:
        self.reading_paused = False
        self.pauses = 0

    def pause_reading(self) -> None:
        self.reading_paused = True
        self.pauses += 1

    def resume_reading(self) -> None:
        self.reading_paused = False


def feed_for(coding: str = "gzip", **kwargs: object) -> tuple[DecodingFeed, StreamReader, Flow]:
    flow = Flow()
    reader = StreamReader(flow, LIMIT, loop=asyncio.get_running_loop())
    return DecodingFeed(reader, coding, **kwargs), reader, flow  # type: ignore[arg-type]


def coded(coding: str, data: bytes) -> bytes:
    return brotli.compress(data) if coding == "br" else gzip.compress(data)


async def read_all(reader: StreamReader) -> tuple[int, int]:
    """Read to the end; return the size and the most the reader ever held at once."""
    size = most = 0
    while True:
        most = max(most, reader.total_bytes - size)
        data = await reader.readany()
        if not data:
            return size, most
        size += len(data)


async def read_until_end(reader: StreamReader) -> tuple[int, Exception | None]:
    """Read to the end or a failure; return how many bytes came and the failure."""
    received = 0
    while True:
        try:
            data = await reader.readany()
        except Exception as exc:
            return received, exc
        if not data:
            return received, None
        received += len(data)


async def test_a_coded_body_is_decoded_and_its_coded_size_kept() -> None:
    feed, reader, _ = feed_for("gzip")
    body = coded("gzip", b"hello world" * 100)
    feed.feed_data(body[:10])
    feed.feed_data(body[10:])
    feed.feed_eof()
    assert await reader.read() == b"hello world" * 100
    assert reader.total_compressed_bytes == len(body)
    assert reader.total_raw_bytes == len(body)
    assert not feed.decoding


@pytest.mark.parametrize("coding", ["gzip", "br"])
async def test_a_bomb_is_decoded_only_as_fast_as_it_is_read(coding: str) -> None:
    feed, reader, flow = feed_for(coding)
    feed.feed_data(coded(coding, bytes(BOMB)))
    feed.feed_eof()
    # Everything arrived, but only a high-water mark's worth was decoded; reading waits.
    assert reader.total_bytes <= HELD_AT_MOST
    assert flow.reading_paused
    assert not reader.is_eof()
    size, most = await read_all(reader)
    assert size == BOMB
    assert most <= HELD_AT_MOST
    assert not flow.reading_paused  # the body ended: the protocol reads again


async def test_bytes_arriving_while_decoding_waits_keep_their_order() -> None:
    body = coded("gzip", bytes(range(256)) * 8192)  # 2 MiB, poorly compressible in part
    feed, reader, _ = feed_for("gzip")
    half = len(body) // 2
    feed.feed_data(body[:half])
    feed.feed_data(body[half:])
    feed.feed_eof()
    data = b""
    while chunk := await reader.readany():
        data += chunk
    assert data == bytes(range(256)) * 8192


@pytest.mark.parametrize(("extra", "ok"), [(0, True), (1, False)], ids=["at-limit", "limit+1"])
async def test_the_decoded_size_is_capped(extra: int, ok: bool) -> None:
    """The client's ``max_decompressed_size``: at the limit the body is whole, one byte past
    it the reader fails after everything up to the limit."""
    limit = 3 * 2**20 + 5
    errors: list[ContentCodingError] = []

    def on_error(exc: ContentCodingError) -> None:
        errors.append(exc)
        reader.set_exception(RuntimeError("translated"))

    feed, reader, _ = feed_for("gzip", max_size=limit, on_error=on_error)
    feed.feed_data(coded("gzip", bytes(limit + extra)))
    feed.feed_eof()
    received, failure = await read_until_end(reader)
    if ok:
        assert (received, failure, errors) == (limit, None, [])
    else:
        assert limit - PIECE < received <= limit
        assert str(failure) == "translated"
        assert [type(exc) for exc in errors] == [DecompressionLimitError]


async def test_a_corrupt_body_is_a_400_by_default() -> None:
    feed, reader, flow = feed_for("deflate")
    feed.feed_data(b"\x78\x9c" + b"not deflate at all")
    with pytest.raises(ContentEncodingError) as info:
        await reader.read()
    assert info.value.code == 400
    feed.feed_data(b"more")  # ignored: the body already failed
    feed.feed_eof()
    assert not flow.reading_paused


async def test_a_truncated_body_fails_at_its_end() -> None:
    feed, reader, _ = feed_for("gzip")
    feed.feed_data(coded("gzip", b"abc" * 1000)[:-8])
    feed.feed_eof()
    with pytest.raises(ContentEncodingError, match="Cannot decode body"):
        await reader.read()


async def test_an_unknown_coding_is_a_415_or_passes_through() -> None:
    feed, reader, _ = feed_for("compress")
    with pytest.raises(ContentEncodingError) as info:
        await reader.read()
    assert info.value.code == 415
    assert not feed.decoding
    flow = Flow()
    reader = StreamReader(flow, LIMIT, loop=asyncio.get_running_loop())
    assert DecodingFeed.if_known(reader, "compress") is None
    assert reader._protocol is flow  # untouched: the body is read as it came
    known = DecodingFeed.if_known(reader, "gzip", max_size=10)
    assert known is not None
    assert known.decoding


async def test_a_failure_comes_after_what_arrived_before_it() -> None:
    """The connection was lost (or the framing broke) behind a body still being decoded: the
    reader gets what was decoded first, then the failure."""
    feed, reader, _ = feed_for("br")
    feed.feed_data(coded("br", bytes(BOMB)))
    feed.set_exception(ConnectionResetError("lost"))
    received, failure = await read_until_end(reader)
    assert received == BOMB
    assert isinstance(failure, ConnectionResetError)


async def test_a_failure_with_nothing_waiting_fails_at_once() -> None:
    feed, reader, flow = feed_for("gzip")
    feed.feed_data(coded("gzip", b"abc")[:5])
    feed.set_exception(ConnectionResetError("lost"))
    with pytest.raises(ConnectionResetError):
        await reader.read()
    assert not feed.decoding
    assert not flow.reading_paused


async def test_a_discarded_body_is_never_expanded() -> None:
    """A body nobody reads (the server drains it after answering) is dropped coded."""
    feed, reader, flow = feed_for("gzip")
    body = coded("gzip", bytes(BOMB))
    third = len(body) // 3
    feed.feed_data(body[:third])
    feed.feed_data(body[third : 2 * third])  # waits behind the first third
    assert flow.reading_paused
    decoded = reader.total_bytes
    feed.discard()
    assert not flow.reading_paused
    feed.feed_data(body[2 * third :])
    feed.feed_eof()
    assert reader.total_bytes == decoded
    assert len(await reader.read()) == decoded  # what was decoded before is still read
    assert reader.is_eof()
    assert not flow.reading_paused
    feed.discard()  # twice is harmless


async def test_discarding_while_decoding_is_scheduled_cancels_it() -> None:
    feed, reader, flow = feed_for("br")
    feed.feed_data(coded("br", bytes(BOMB)))
    reader.read_nowait(-1)  # the reader drained: decoding goes on at the next loop turn
    feed.discard()
    await asyncio.sleep(0)
    assert reader.total_bytes <= HELD_AT_MOST
    assert not flow.reading_paused


async def test_an_end_queued_before_discarding_still_ends_the_reader() -> None:
    feed, reader, _ = feed_for("br")
    feed.feed_data(coded("br", bytes(BOMB)))
    feed.feed_eof()
    feed.discard()
    assert reader.is_eof()


async def test_a_read_of_everything_buffered_takes_a_bounded_part() -> None:
    feed, reader, _ = feed_for("br")
    feed.feed_data(coded("br", bytes(BOMB)))
    feed.feed_eof()
    sizes = []
    while data := await reader.readany():
        sizes.append(len(data))
    assert max(sizes) <= HELD_AT_MOST
    assert sum(sizes) == BOMB


async def test_a_reader_that_drains_resumes_the_protocol() -> None:
    feed, reader, flow = feed_for("gzip")
    feed.feed_data(coded("gzip", bytes(5 * LIMIT)))
    assert flow.reading_paused  # more than a high-water mark came out of it
    reader.read_nowait(-1)  # drained: the rest is decoded at the next loop turn
    assert flow.reading_paused
    await asyncio.sleep(0)
    assert not flow.reading_paused  # everything decoded, the reader not full: read on
    assert reader.total_bytes == 5 * LIMIT


def test_the_default_errors_name_the_coding_or_the_fault() -> None:
    unknown = content_encoding_error(UnknownContentCodingError("x" * 50))
    assert (unknown.code, unknown.message) == (415, f"Unsupported content coding: {'x' * 32!r}")
    corrupt = content_encoding_error(CorruptContentError("bad"))
    assert (corrupt.code, corrupt.message) == (400, "Cannot decode body: bad")


def test_deflate_raw_and_zlib_both_decode() -> None:
    async def run() -> tuple[bytes, bytes]:
        out = []
        for data in (zlib.compress(b"zz" * 99), zlib.compress(b"zz" * 99)[2:-4]):
            feed, reader, _ = feed_for("deflate")
            feed.feed_data(data)
            feed.feed_eof()
            out.append(await reader.read())
        return out[0], out[1]

    assert asyncio.run(run()) == (b"zz" * 99, b"zz" * 99)
