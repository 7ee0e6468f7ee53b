"""The decompression-bomb guard of whole-body reads, over loopback.

``read()``, ``text()`` and ``json()`` hold a response body in memory whole. A compressed body
may inflate a thousandfold, so these stop with :class:`aiohttp.DecompressionLimitError` once the
decoded body passes ``max_decompressed_read_size`` (by default
:data:`aiohttp._sansio.codings.DEFAULT_MAX_DECOMPRESSED_READ_SIZE`, 64 MiB), long before memory
grows with the bomb. Reading ``resp.content`` in pieces holds little at a time and has no limit
unless ``max_decompressed_size`` is set. Bodies sent without a content coding are not inflated
and are never stopped.
"""

from __future__ import annotations

import functools
import gzip
import json
import tracemalloc
from collections.abc import Callable

import pytest

import aiohttp
from aiohttp._sansio.codings import DEFAULT_MAX_DECOMPRESSED_READ_SIZE
from aiohttp.testing.faults import FaultServer, ReceivedRequest

MiB = 2**20


@functools.cache
def zeros_member(size: int) -> bytes:
    """One gzip member holding ``size`` zero bytes (compressed once, then reused)."""
    return gzip.compress(bytes(size), compresslevel=9)


def gzip_zeros(size: int) -> bytes:
    """A gzip body of ``size`` zero bytes, as a run of members (RFC 1952 §2.2) of 16 MiB.

    1 GiB takes 64 members: about 1 MB on the wire.
    """
    step = 16 * MiB
    whole, rest = divmod(size, step)
    return zeros_member(step) * whole + (zeros_member(rest) if rest else b"")


def gzip_stream(size: int) -> Callable[[ReceivedRequest], bytes]:
    """A responder sending ``size`` zero bytes, gzip-coded, with a Content-Length."""
    body = gzip_zeros(size)
    head = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n"
    answer = head % len(body) + body
    return lambda req: answer


def gzip_answer(body: bytes, content_type: str = "application/octet-stream") -> bytes:
    coded = gzip.compress(body)
    return (
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Type: %s\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (content_type.encode(), len(coded), coded)
    )


def test_the_default_is_64_mib() -> None:
    assert 64 * MiB == DEFAULT_MAX_DECOMPRESSED_READ_SIZE


@pytest.mark.parametrize(
    ("size", "fails"),
    [
        pytest.param(DEFAULT_MAX_DECOMPRESSED_READ_SIZE, False, id="at-the-default"),
        pytest.param(DEFAULT_MAX_DECOMPRESSED_READ_SIZE + 1, True, id="one-past"),
    ],
)
async def test_read_with_the_default_limit(size: int, fails: bool) -> None:
    async with (
        FaultServer(gzip_stream(size)) as server,
        aiohttp.ClientSession() as session,
        session.get(server.url) as resp,
    ):
        if fails:
            with pytest.raises(aiohttp.DecompressionLimitError, match="max_decompressed_read_size"):
                await resp.read()
            assert resp.closed
        else:
            body = await resp.read()
            assert len(body) == size
            assert body.count(0) == size


async def test_a_1_mb_gzip_bomb_of_1_gib_stops_early_in_bounded_memory() -> None:
    assert len(gzip_zeros(2**30)) < 1_100_000
    bomb = gzip_stream(2**30)
    async with FaultServer(bomb) as server, aiohttp.ClientSession() as session:
        tracemalloc.start()
        try:
            async with session.get(server.url) as resp:
                with pytest.raises(aiohttp.DecompressionLimitError):
                    await resp.read()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    # The limit's worth of body, and the pieces being decoded: not the gibibyte.
    assert peak < DEFAULT_MAX_DECOMPRESSED_READ_SIZE + 16 * MiB


@pytest.mark.parametrize("where", ["session", "request"])
@pytest.mark.parametrize(
    ("size", "fails"),
    [pytest.param(4096, False, id="at-limit"), pytest.param(4097, True, id="past")],
)
async def test_a_configured_limit_for_read_text_and_json(
    where: str, size: int, fails: bool
) -> None:
    document = json.dumps({"pad": "x" * (size - 11)}).encode()
    assert len(document) == size
    session_kw = {"max_decompressed_read_size": 4096} if where == "session" else {}
    request_kw = {"max_decompressed_read_size": 4096} if where == "request" else {}
    answer = gzip_answer(document, "application/json")
    async with (
        FaultServer(lambda req: answer) as server,
        aiohttp.ClientSession(**session_kw) as session,
    ):
        for method in ("read", "text", "json"):
            async with session.get(server.url, **request_kw) as resp:
                if fails:
                    with pytest.raises(aiohttp.DecompressionLimitError):
                        await getattr(resp, method)()
                else:
                    result = await getattr(resp, method)()
                    assert result in (document, document.decode(), json.loads(document))


async def test_none_turns_the_read_limit_off() -> None:
    answer = gzip_answer(bytes(8192))
    async with (
        FaultServer(lambda req: answer) as server,
        aiohttp.ClientSession(max_decompressed_read_size=None) as session,
        session.get(server.url) as resp,
    ):
        assert len(await resp.read()) == 8192


async def test_a_body_without_content_coding_is_not_limited() -> None:
    plain = b"HTTP/1.1 200 OK\r\nContent-Length: 8192\r\n\r\n" + bytes(8192)
    async with (
        FaultServer(lambda req: plain) as server,
        aiohttp.ClientSession(max_decompressed_read_size=4096) as session,
        session.get(server.url) as resp,
    ):
        assert len(await resp.read()) == 8192


async def test_coded_bytes_read_without_decoding_are_not_limited() -> None:
    answer = gzip_answer(bytes(8192))
    async with (
        FaultServer(lambda req: answer) as server,
        aiohttp.ClientSession(max_decompressed_read_size=16, auto_decompress=False) as session,
        session.get(server.url) as resp,
    ):
        assert gzip.decompress(await resp.read()) == bytes(8192)


async def test_streaming_is_unlimited_by_default() -> None:
    size = DEFAULT_MAX_DECOMPRESSED_READ_SIZE + MiB
    received = 0
    async with (
        FaultServer(gzip_stream(size)) as server,
        aiohttp.ClientSession() as session,
        session.get(server.url) as resp,
    ):
        async for piece in resp.content.iter_chunked(MiB):
            received += len(piece)
    assert received == size


@pytest.mark.parametrize(
    ("size", "fails"),
    [pytest.param(MiB, False, id="at-limit"), pytest.param(MiB + 1, True, id="past")],
)
async def test_streaming_stops_at_a_configured_limit(size: int, fails: bool) -> None:
    received = 0

    async def stream(resp: aiohttp.ClientResponse) -> None:
        nonlocal received
        async for piece in resp.content.iter_any():
            received += len(piece)

    async with (
        FaultServer(gzip_stream(size)) as server,
        aiohttp.ClientSession() as session,
        session.get(server.url, max_decompressed_size=MiB) as resp,
    ):
        if fails:
            with pytest.raises(aiohttp.DecompressionLimitError):
                await stream(resp)
            assert received <= MiB
        else:
            await stream(resp)
            assert received == size


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_the_body_stream_counts_the_coded_bytes_as_3x_does(chunked: bool) -> None:
    """``content.total_compressed_bytes`` is the body's size on the wire (RFC 9110 §8.4's
    coded form, without chunk framing), ``total_bytes`` the decoded size."""
    body = b"0123456789" * 1000
    coded = gzip.compress(body)
    if chunked:
        framed = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (coded[:100], coded[100:]))
        answer = (
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
            + framed
            + b"0\r\n\r\n"
        )
    else:
        answer = gzip_answer(body)
    async with FaultServer(lambda req: answer) as server, aiohttp.ClientSession() as session:
        async with session.get(server.url) as resp:
            assert await resp.read() == body
            assert resp.content.total_compressed_bytes == len(coded)
            assert resp.content.total_bytes == len(body)
            assert resp.content.total_raw_bytes == len(coded)
        async with session.get(server.url, auto_decompress=False) as resp:
            assert await resp.read() == coded
            assert resp.content.total_compressed_bytes is None  # nothing was decoded
            assert resp.content.total_raw_bytes == len(coded)
