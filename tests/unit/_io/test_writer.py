"""The stream writer: head held back for the body, chunked and compressed output, drain."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from pathlib import Path

import pytest
from multidict import CIMultiDict

from aiohttp._io.protocol import BaseProtocol
from aiohttp._io.writer import StreamWriter, serialize_start_line
from tests.unit._io.test_protocol import FakeTransport


def make_writer() -> tuple[StreamWriter, FakeTransport, BaseProtocol]:
    loop = asyncio.get_running_loop()
    proto = BaseProtocol(loop)
    tr = FakeTransport(proto)
    proto.connection_made(tr)
    return StreamWriter(proto, loop), tr, proto


def dechunk(data: bytes) -> bytes:
    """An independent reader of the chunked coding (RFC 9112 §7.1)."""
    out = b""
    while True:
        line, _, data = data.partition(b"\r\n")
        size = int(line, 16)
        if size == 0:
            assert data == b"\r\n"
            return out
        out += data[:size]
        assert data[size : size + 2] == b"\r\n"
        data = data[size + 2 :]


async def test_head_leaves_with_first_body_bytes_in_one_write() -> None:
    writer, tr, _ = make_writer()
    writes: list[bytes] = []
    tr.write = writes.append  # type: ignore[method-assign]
    await writer.write_headers("HTTP/1.1 200 OK", CIMultiDict({"Content-Length": "5"}))
    assert writes == []
    await writer.write_eof(b"hello")
    assert writes == [b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"]


async def test_a_large_body_is_not_copied_onto_the_head() -> None:
    writer, tr, _ = make_writer()
    writes: list[bytes] = []
    tr.write = writes.append  # type: ignore[method-assign]
    body = b"b" * 100_000
    await writer.write_headers("HTTP/1.1 200 OK", {"Content-Length": str(len(body))})
    await writer.write_eof(body)
    assert writes == [b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", body]
    assert writes[1] is body


async def test_send_headers_flushes_the_held_head() -> None:
    writer, tr, _ = make_writer()
    await writer.write_headers("HTTP/1.1 204 No Content", {})
    writer.send_headers()
    assert tr.take() == b"HTTP/1.1 204 No Content\r\n\r\n"


async def test_request_line_head() -> None:
    assert (
        serialize_start_line("GET /x HTTP/1.1", {"Host": "a"})
        == b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n"
    )


@pytest.mark.parametrize(
    "line",
    ["HTTP/1.1 abc OK", "GET /x", "HTTP/1.1x 200 OK", "GET /x HTTP/1.1 extra"],
)
async def test_malformed_start_lines_are_refused(line: str) -> None:
    with pytest.raises(ValueError):
        serialize_start_line(line, {})


async def test_rfc9112_5_field_injection_is_refused() -> None:
    writer, _, _ = make_writer()
    with pytest.raises(ValueError):
        await writer.write_headers("HTTP/1.1 200 OK", {"X": "a\r\nSet-Cookie: evil"})


async def test_rfc9112_7_1_chunked_body() -> None:
    writer, tr, _ = make_writer()
    writer.enable_chunking()
    await writer.write(b"abc")
    await writer.write(b"")
    await writer.write(b"defgh")
    await writer.write_eof(b"!")
    data = tr.take()
    assert data == b"3\r\nabc\r\n5\r\ndefgh\r\n1\r\n!\r\n0\r\n\r\n"
    assert dechunk(data) == b"abcdefgh!"


async def test_length_caps_the_body() -> None:
    writer, tr, _ = make_writer()
    writer.length = 4
    await writer.write(b"abc")
    await writer.write(b"def")
    await writer.write_eof(b"ghi")
    assert tr.take() == b"abcd"
    assert writer.output_size == 4


@pytest.mark.parametrize(
    ("coding", "decode"),
    [
        ("gzip", gzip.decompress),
        ("deflate", zlib.decompress),
    ],
)
async def test_compressed_chunked_body(coding: str, decode: object) -> None:
    writer, tr, _ = make_writer()
    writer.enable_compression(coding)
    writer.enable_chunking()
    await writer.write(b"x" * 1000)
    await writer.write_eof(b"y" * 1000)
    assert decode(dechunk(tr.take())) == b"x" * 1000 + b"y" * 1000  # type: ignore[operator]


async def test_large_chunks_compress_in_an_executor() -> None:
    writer, tr, _ = make_writer()
    writer.enable_compression("gzip", executor_size=10)
    body = bytes(range(256)) * 64
    await writer.write(body)
    await writer.write_eof()
    assert gzip.decompress(tr.take()) == body


async def test_unknown_coding_is_refused() -> None:
    writer, _, _ = make_writer()
    with pytest.raises(ValueError, match="nope"):
        writer.enable_compression("nope")


async def test_write_drains_past_the_limit_and_waits_for_resume() -> None:
    writer, _, proto = make_writer()
    proto.pause_writing()
    await writer.write(b"x" * 10, LIMIT=100)  # under the limit: no wait
    task = asyncio.create_task(writer.write(b"x" * 200, LIMIT=100))
    await asyncio.sleep(0)
    assert not task.done()
    proto.resume_writing()
    await asyncio.wait_for(task, 1)
    assert writer.buffer_size == 0
    assert writer.output_size == 210


async def test_write_after_close_raises_connection_reset() -> None:
    writer, _, proto = make_writer()
    proto.connection_lost(None)
    with pytest.raises(ConnectionResetError):
        await writer.write(b"x")
    assert writer.transport is None
    assert writer.protocol is proto


async def test_write_eof_is_idempotent_and_set_eof_skips_it() -> None:
    writer, tr, _ = make_writer()
    await writer.write_eof(b"a")
    await writer.write_eof(b"b")
    assert tr.take() == b"a"
    writer2, tr2, _ = make_writer()
    writer2.set_eof()
    await writer2.write_eof(b"c")
    assert tr2.take() == b""


async def test_sendfile_sends_head_then_file(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"0123456789")
    loop = asyncio.get_running_loop()
    got: list[bytes] = []

    class Collect(BaseProtocol):
        def data_received(self, data: bytes) -> None:
            got.append(data)

    server = await loop.create_server(lambda: Collect(loop), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    proto = BaseProtocol(loop)
    transport, _ = await loop.create_connection(lambda: proto, "127.0.0.1", port)
    writer = StreamWriter(proto, loop)
    writer.write_head(b"HEAD\r\n\r\n")
    writer.length = 10
    with path.open("rb") as f:
        await writer.sendfile(f, 2, 5)
    for _ in range(100):
        if b"".join(got) == b"HEAD\r\n\r\n23456":
            break
        await asyncio.sleep(0.01)
    transport.close()
    server.close()
    await server.wait_closed()
    assert b"".join(got) == b"HEAD\r\n\r\n23456"
    assert writer.length == 5


async def test_tracing_callbacks_see_head_and_chunks() -> None:
    loop = asyncio.get_running_loop()
    proto = BaseProtocol(loop)
    proto.connection_made(FakeTransport(proto))
    seen: list[object] = []

    async def on_chunk(chunk: bytes) -> None:
        seen.append(chunk)

    async def on_headers(headers: object) -> None:
        seen.append(dict(headers))  # type: ignore[call-overload]

    writer = StreamWriter(proto, loop, on_chunk_sent=on_chunk, on_headers_sent=on_headers)
    await writer.write_headers("GET / HTTP/1.1", {"Host": "h"})
    await writer.write(b"a")
    await writer.write_eof(b"b")
    assert seen == [{"Host": "h"}, b"a", b"b"]


async def test_on_body_write_reports_each_body_chunk_before_framing() -> None:
    writer, tr, _ = make_writer()
    calls: list[tuple[int, int]] = []
    writer.on_body_write = lambda n, total: calls.append((n, total))
    writer.enable_chunking()
    await writer.write_headers("POST / HTTP/1.1", {"Transfer-Encoding": "chunked"})
    await writer.write(b"abc")
    head = len(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
    assert calls == [(3, head + len(b"3\r\nabc\r\n"))]
    await writer.write(b"")
    await writer.write_eof(b"de")
    assert calls[1:] == [(2, writer.output_size)]
    assert dechunk(tr.take()[head:]) == b"abcde"


async def test_on_body_write_counts_what_the_length_lets_through() -> None:
    writer, _, _ = make_writer()
    calls: list[int] = []
    writer.on_body_write = lambda n, total: calls.append(n)
    writer.length = 4
    await writer.write(b"abcdef")
    assert calls == [4]


async def test_on_body_write_with_compression_counts_plain_bytes() -> None:
    writer, tr, _ = make_writer()
    calls: list[int] = []
    writer.on_body_write = lambda n, total: calls.append(n)
    writer.enable_compression("gzip")
    await writer.write(b"x" * 100)  # held in the compressor: reported all the same
    await writer.write_eof()
    assert calls == [100]
    assert gzip.decompress(tr.take()) == b"x" * 100


async def test_the_abstract_writer_has_no_transport() -> None:
    from aiohttp.abc import AbstractStreamWriter

    class Discarding(AbstractStreamWriter):
        async def write(self, chunk: bytes | bytearray | memoryview) -> None:
            pass

    assert Discarding().transport is None
    assert Discarding().on_body_write is None
    writer, tr, _ = make_writer()
    assert writer.transport is tr
