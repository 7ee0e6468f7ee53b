"""Body readers: the chunk-size limit (RFC 9112 §7.1), on both sides."""

from __future__ import annotations

import pytest

from aiohttp._sansio.errors import TransferEncodingError
from aiohttp._sansio.http1 import Data, EndOfMessage, Event, RequestParser
from aiohttp._sansio.http1.readers import ChunkedReader
from aiohttp._sansio.limits import MAX_CHUNK_SIZE, HttpLimits

from .feeding import client_parser

SMALL = HttpLimits(max_chunk_size=16)


def read_chunks(data: bytes, limits: HttpLimits) -> tuple[ChunkedReader, list[Event]]:
    reader = ChunkedReader(None, limits)
    events: list[Event] = []
    reader.read(data, 0, events)
    return reader, events


def test_chunk_of_exactly_the_limit_is_read() -> None:
    # RFC 9112 §7.1: chunk-size 0x10 is 16 octets, the limit.
    reader, events = read_chunks(b"10\r\n" + b"x" * 16 + b"\r\n0\r\n\r\n", SMALL)
    assert reader.done
    assert events == [Data(b"x" * 16), EndOfMessage()]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(b"11\r\n", id="RFC9112-7.1-one-past-the-limit"),
        pytest.param(b"011\r\n", id="RFC9112-7.1-one-past-with-leading-zero"),
        pytest.param(b"11;name=value\r\n", id="RFC9112-7.1.1-one-past-with-extension"),
        pytest.param(b"1000000000000000\r\n", id="RFC9112-7.1-2-to-the-60"),
    ],
)
def test_chunk_larger_than_the_limit_is_refused_with_413(line: bytes) -> None:
    # The size line alone is enough to refuse: nothing of the chunk is waited for.
    with pytest.raises(TransferEncodingError) as info:
        read_chunks(line, SMALL)
    assert info.value.code == 413
    assert "16" in info.value.message


def test_default_limit_at_and_one_past() -> None:
    assert HttpLimits().max_chunk_size == MAX_CHUNK_SIZE
    reader, events = read_chunks(b"%x\r\n" % MAX_CHUNK_SIZE, HttpLimits())
    assert not reader.done
    assert events == []
    assert reader.remaining() is None
    with pytest.raises(TransferEncodingError):
        read_chunks(b"%x\r\n" % (MAX_CHUNK_SIZE + 1), HttpLimits())


def test_server_refuses_a_chunk_bigger_than_any_body_it_accepts() -> None:
    # RFC 9112 §7.1, §11.2: a chunk size of 2^60 that a narrower parser would wrap to a small
    # number is refused at once (413), so the bytes behind it are never read as a request.
    parser = RequestParser()
    data = (
        b"POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"1000000000000000\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
    )
    events = parser.feed(data)
    assert len(events) == 1  # the head only
    with pytest.raises(TransferEncodingError) as info:
        parser.feed(b"")
    assert info.value.code == 413


def test_client_refuses_a_chunk_past_its_limit() -> None:
    parser = client_parser(limits=SMALL)
    events = parser.feed(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    assert len(events) == 1
    parser.feed(b"10\r\n" + b"y" * 16 + b"\r\n")
    with pytest.raises(TransferEncodingError):
        parser.feed(b"11\r\n")
