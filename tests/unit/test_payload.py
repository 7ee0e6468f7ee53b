"""aiohttp.payload as aiohttp 3.x programs use it: write_with_length, consumed, autoclose,
JsonBytesPayload and the content_type default."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from aiohttp import payload
from aiohttp.abc import AbstractStreamWriter


class Sink:
    """An in-memory stream writer."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    async def write(self, chunk: bytes) -> None:
        self.buffer += chunk


async def written(p: payload.Payload, length: int | None) -> bytes:
    sink = Sink()
    await p.write_with_length(sink, length)
    return bytes(sink.buffer)


async def chunks() -> AsyncIterator[bytes]:
    yield b"abc"
    yield b"def"


@pytest.mark.parametrize(
    "make",
    [
        lambda: payload.BytesPayload(b"hello world"),
        lambda: payload.StringPayload("hello world"),
        lambda: payload.BytesIOPayload(io.BytesIO(b"hello world")),
        lambda: payload.StringIOPayload(io.StringIO("hello world")),
        lambda: payload.TextIOPayload(io.StringIO("hello world")),
    ],
)
async def test_write_with_length_cuts_the_body(make: object) -> None:
    p = make()  # type: ignore[operator]
    assert await written(p, 5) == b"hello"
    assert await written(p, 0) == b""
    assert await written(p, None) == b"hello world"
    assert await written(p, 100) == b"hello world"
    assert not p.consumed


async def test_file_payload_reads_only_what_it_sends(tmp_path: Path) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"0123456789" * 10_000)
    with path.open("rb") as f:
        p = payload.BufferedReaderPayload(f)
        assert not p.autoclose
        assert await written(p, 4) == b"0123"
        assert f.tell() == 4
        assert await written(p, None) == path.read_bytes()  # sent again from the start
        assert not p.consumed
        await p.close()
        assert p.consumed
        assert f.closed


async def test_async_iterable_is_consumed_by_its_write() -> None:
    p = payload.AsyncIterablePayload(chunks())
    assert p.autoclose
    assert not p.consumed
    assert await written(p, 4) == b"abcd"
    assert p.consumed
    assert await written(p, None) == b""


async def test_an_unseekable_file_is_consumed_by_its_write() -> None:
    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.data = b"piped"

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
            n = len(self.data[: len(buffer)])
            buffer[:n] = self.data[:n]
            self.data = self.data[n:]
            return n

    p = payload.IOBasePayload(Pipe())
    assert not p.consumed
    assert await written(p, None) == b"piped"
    assert p.consumed


async def test_a_subclass_that_only_writes_still_gets_cut() -> None:
    class Custom(payload.Payload):
        def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
            return "xyz"

        async def write(self, writer: AbstractStreamWriter) -> None:
            await writer.write(b"xy")
            await writer.write(b"z")

    p = Custom(None)
    assert await written(p, 1) == b"x"
    assert await written(p, None) == b"xyz"
    assert not p.autoclose


def test_in_memory_payloads_close_themselves() -> None:
    assert payload.BytesPayload(b"").autoclose
    assert payload.StringPayload("").autoclose
    assert payload.BytesIOPayload(io.BytesIO()).autoclose
    assert payload.JsonPayload({}).autoclose


def test_json_bytes_payload_takes_a_bytes_encoder() -> None:
    p = payload.JsonBytesPayload({"a": 1}, dumps=lambda obj: json.dumps(obj).encode())
    assert p.content_type == "application/json"
    assert p.size == 8
    assert p.decode() == '{"a": 1}'
    custom = payload.JsonBytesPayload([], lambda o: b"[]", "application/vnd.api+json")
    assert custom.content_type == "application/vnd.api+json"


def test_content_type_none_means_a_guess_from_the_filename() -> None:
    assert (
        payload.BytesPayload(b"", filename="a.txt", content_type=None).content_type == "text/plain"
    )
    # Bytes are application/octet-stream unless told otherwise, as in 3.x; files are guessed.
    assert payload.BytesPayload(b"", filename="a.txt").content_type == "application/octet-stream"
    assert payload.BytesIOPayload(io.BytesIO(), filename="a.txt").content_type == "text/plain"


async def test_as_bytes_keeps_an_async_iterable_for_later_writes() -> None:
    p = payload.AsyncIterablePayload(chunks())
    with pytest.raises(TypeError, match="as_bytes"):
        p.decode()
    assert await p.as_bytes() == b"abcdef"
    assert p.decode() == "abcdef"
    assert await written(p, None) == b"abcdef"
    assert await written(p, 2) == b"ab"
    assert await p.as_bytes() == b"abcdef"
    assert not p.consumed


# -- behaviours as 3.x's -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [{"X-Custom": "value\r\nInjected: bad"}, {"X-Custom\n": "v"}, {"X-Custom": "a\x00b"}],
)
def test_a_part_whose_header_would_inject_a_line_is_refused(fields: dict[str, str]) -> None:
    from aiohttp import MultipartWriter

    part = payload.BytesPayload(b"x")
    part.headers.update(fields)
    with pytest.raises(ValueError, match="header injection"):
        MultipartWriter().append_payload(part)


def test_registering_with_an_unknown_order_is_a_value_error() -> None:
    class Value:
        pass

    for order in ("try_first", object()):
        with pytest.raises(ValueError, match="Unsupported order"):
            payload.register_payload(payload.BytesPayload, Value, order=order)  # type: ignore[arg-type]
    with pytest.raises(payload.LookupError):
        payload.get_payload(Value())


async def test_closing_a_bytes_io_payload_leaves_the_buffer_to_its_owner() -> None:
    buffer = io.BytesIO(b"data")
    p = payload.BytesIOPayload(buffer)
    await p.close()
    assert not buffer.closed
    assert not p.consumed
    assert await written(p, None) == b"data"


async def test_as_bytes_of_a_subclass_is_its_decoded_text_encoded() -> None:
    class Legacy(payload.Payload):
        def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
            return "café"

        async def write(self, writer: AbstractStreamWriter) -> None:
            pass  # nothing to write: as_bytes() does not depend on it

    assert await Legacy(None).as_bytes() == "café".encode()
    assert await Legacy(None).as_bytes("latin-1") == "café".encode("latin-1")
    assert await Legacy(None, encoding="latin-1").as_bytes() == "café".encode("latin-1")
