"""MultipartReader, BodyPartReader and MultipartWriter over streams (RFC 2046 §5.1, RFC 7578)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import gzip
import io
import json
import zlib
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from aiohttp._io.multipart import BodyPartReader, MultipartReader
from aiohttp._io.multipart_writer import BodyPartReaderPayload, MultipartWriter
from aiohttp._io.payload import BytesPayload, StringPayload, get_payload
from aiohttp._io.streams import StreamReader
from aiohttp._sansio.multipart import MultipartLimitError, MultipartParseError


class Source:
    """An in-memory body that hands out at most ``step`` bytes per read."""

    def __init__(self, data: bytes, step: int = 1 << 20) -> None:
        self._data = data
        self._step = step

    def at_eof(self) -> bool:
        return not self._data

    async def read(self, n: int = -1) -> bytes:
        size = min(n if n > 0 else len(self._data), self._step)
        chunk, self._data = self._data[:size], self._data[size:]
        return chunk


class Sink:
    def __init__(self) -> None:
        self.data = b""

    async def write(self, chunk: bytes) -> None:
        self.data += bytes(chunk)


def _headers(ctype: str = "multipart/form-data; boundary=B") -> CIMultiDict[str]:
    return CIMultiDict({"Content-Type": ctype})


def _body(*parts: tuple[list[tuple[str, str]], bytes], boundary: str = "B") -> bytes:
    out = b""
    for headers, body in parts:
        out += f"--{boundary}\r\n".encode()
        out += "".join(f"{k}: {v}\r\n" for k, v in headers).encode()
        out += b"\r\n" + body + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def _reader(data: bytes, step: int = 1 << 20, **kwargs: Any) -> MultipartReader:
    return MultipartReader(_headers(), Source(data, step), **kwargs)


FIELD = [("Content-Disposition", 'form-data; name="field"')]


async def test_iterate_parts_and_read() -> None:
    data = _body(
        (FIELD, b"value"),
        (
            [
                ("Content-Disposition", 'form-data; name="f"; filename="a b.txt"'),
                ("Content-Type", "text/plain; charset=latin-1"),
            ],
            b"caf\xe9",
        ),
    )
    reader = _reader(data, step=3)
    seen = []
    async for part in reader:
        assert isinstance(part, BodyPartReader)
        seen.append((part.name, part.filename, await part.text()))
        assert part.at_eof()
    assert seen == [("field", None, "value"), ("f", "a b.txt", "café")]
    assert reader.at_eof()
    assert await reader.next() is None


async def test_read_chunk_readline_and_release() -> None:
    data = _body((FIELD, b"line1\nline2\nrest"), (FIELD, b"skipped"), (FIELD, b"last"))
    reader = _reader(data, step=4)
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    assert await part.readline() == b"line1\n"
    assert await part.read_chunk(3) == b"lin"
    assert await part.readline() == b"e2\n"
    assert await part.readline() == b"rest"
    assert await part.readline() == b""
    assert await part.read_chunk() == b""
    second = await reader.fetch_next_part()
    assert isinstance(second, BodyPartReader)
    await second.read_chunk(2)
    third = await reader.next()
    assert isinstance(third, BodyPartReader)
    assert await third.read() == b"last"
    await reader.release()
    assert reader.at_eof()


async def test_skipping_unread_parts() -> None:
    reader = _reader(_body((FIELD, b"a" * 1000), (FIELD, b"b")), step=7)
    await reader.next()
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    assert await part.read() == b"b"


async def test_part_iteration_yields_whole_body_once() -> None:
    reader = _reader(_body((FIELD, b"body")))
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    assert [chunk async for chunk in part] == [b"body"]


@pytest.mark.parametrize(
    ("cte", "encode"),
    [
        pytest.param("base64", base64.encodebytes, id="rfc2045-6.8-base64"),
        pytest.param(
            "quoted-printable",
            lambda data: binascii.b2a_qp(data, istext=False),
            id="rfc2045-6.7-quoted-printable",
        ),
        pytest.param("binary", bytes, id="binary"),
    ],
)
@pytest.mark.parametrize("size", [1, 5, 64, 8192])
async def test_transfer_encodings_decode_piecewise(cte: str, encode: Any, size: int) -> None:
    original = bytes(range(256)) * 4 + "é=\r\n".encode()
    headers = [*FIELD, ("Content-Transfer-Encoding", cte.upper())]
    reader = _reader(_body((headers, encode(original))), step=7)
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    out = b""
    while chunk := await part.read_chunk(size):
        out += part.decode(chunk)
    assert out == original


async def test_read_decode_whole() -> None:
    headers = [*FIELD, ("Content-Transfer-Encoding", "base64")]
    reader = _reader(_body((headers, base64.b64encode(b"hello"))))
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    assert await part.read(decode=True) == b"hello"


@pytest.mark.parametrize(
    ("coding", "compress"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("identity", bytes)],
)
async def test_content_encoding(coding: str, compress: Any) -> None:
    headers = [*FIELD, ("Content-Encoding", coding)]
    original = bytes(range(256)) * 20
    reader = _reader(_body((headers, compress(original))), step=100)
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    out = b""
    while chunk := await part.read_chunk(50):
        out += part.decode(chunk)
    assert out == original


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (("Content-Transfer-Encoding", "x-uuencode"), "transfer encoding"),
        (("Content-Encoding", "compress"), "content encoding"),
    ],
)
async def test_unknown_codings(header: tuple[str, str], message: str) -> None:
    reader = _reader(_body(([*FIELD, header], b"x")))
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    with pytest.raises(RuntimeError, match=message):
        await part.read(decode=True)


async def test_text_json_form() -> None:
    data = _body(
        ([("Content-Type", "application/json")], json.dumps({"a": 1}).encode()),
        ([("Content-Type", "application/json")], b""),
        ([], b"a=1&b=&c=%C3%A9\r\n"),
        ([], b""),
        ([("Content-Type", "text/plain; charset=ascii")], b"\xff"),
        ([], "ü".encode("latin-1")),
    )
    reader = _reader(data)
    results: list[Any] = []
    readers = [
        lambda p: p.json(),
        lambda p: p.json(),
        lambda p: p.form(),
        lambda p: p.form(),
        None,
        lambda p: p.text(encoding="latin-1"),
    ]
    for read in readers:
        part = await reader.next()
        assert isinstance(part, BodyPartReader)
        if read is None:
            with pytest.raises(ValueError, match="ascii"):
                await part.form()
            continue
        results.append(await read(part))
    assert results == [{"a": 1}, None, [("a", "1"), ("b", ""), ("c", "é")], [], "ü"]


async def test_default_charset_and_missing_disposition() -> None:
    reader = _reader(_body(([], b"x")))
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    assert part.get_charset(default="cp1251") == "cp1251"
    assert (part.name, part.filename) == (None, None)


async def test_filename_star_preferred() -> None:
    disposition = "form-data; name=f; filename=plain.txt; filename*=UTF-8''%E2%82%AC.txt"
    reader = _reader(_body(([("Content-Disposition", disposition)], b"")))
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    assert part.filename == "€.txt"


async def test_nested_multipart() -> None:
    inner = _body((FIELD, b"inner-1"), (FIELD, b"inner-2"), boundary="IN")
    data = _body(
        ([("Content-Type", "multipart/mixed; boundary=IN")], inner),
        (FIELD, b"after"),
    )
    reader = _reader(data, step=5)
    nested = await reader.next()
    assert isinstance(nested, MultipartReader)
    first = await nested.next()
    assert isinstance(first, BodyPartReader)
    assert await first.read() == b"inner-1"
    after = await reader.next()
    assert isinstance(after, BodyPartReader)
    assert await after.read() == b"after"
    assert await reader.next() is None


async def test_nested_read_to_end() -> None:
    inner = _body((FIELD, b"only"), boundary="IN")
    data = _body(([("Content-Type", "multipart/mixed; boundary=IN")], inner))
    reader = _reader(data)
    nested = await reader.next()
    assert isinstance(nested, MultipartReader)
    bodies = [await p.read() async for p in nested]  # type: ignore[union-attr]
    assert bodies == [b"only"]
    await nested.release()
    assert await reader.next() is None


async def test_with_stream_reader() -> None:
    class Proto:
        reading_paused = False

        def pause_reading(self) -> None:
            pass

        def resume_reading(self) -> None:
            pass

    stream = StreamReader(Proto(), 2**16, loop=asyncio.get_running_loop())  # type: ignore[arg-type]
    data = _body((FIELD, b"streamed"))
    stream.feed_data(data[:10])
    stream.feed_data(data[10:])
    stream.feed_eof()
    reader = MultipartReader(_headers(), stream)
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    assert await part.text() == "streamed"


@pytest.mark.parametrize(
    ("ctype", "message"),
    [
        ("text/plain", "multipart"),
        ("multipart/form-data", "boundary missed"),
        ("multipart/form-data; boundary=" + "x" * 71, "boundary"),
    ],
)
def test_bad_content_type(ctype: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MultipartReader(_headers(ctype), Source(b""))


async def test_truncated_body_raises() -> None:
    reader = _reader(b"--B\r\n\r\npartial")
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    with pytest.raises(MultipartParseError) as info:
        await part.read()
    assert info.value.status == 400


async def test_limits_are_passed_down() -> None:
    reader = _reader(_body((FIELD, b"1"), (FIELD, b"2")), step=12, max_parts=1)
    assert isinstance(await reader.next(), BodyPartReader)
    with pytest.raises(MultipartLimitError) as info:
        await reader.next()
    assert info.value.status == 413
    big = _reader(_body((FIELD, b"x" * 100)), max_body_size=50)
    with pytest.raises(MultipartLimitError):
        await big.next()
    headers = _reader(_body((FIELD, b"")), max_part_header_size=10)
    with pytest.raises(MultipartLimitError):
        await headers.next()


class FakeResponse:
    def __init__(self, data: bytes) -> None:
        self.headers = _headers()
        self.content = Source(data)
        self.released = False

    async def release(self) -> None:
        self.released = True


async def test_from_response() -> None:
    response = FakeResponse(_body((FIELD, b"v")))
    wrapper = MultipartReader.from_response(response)
    parts = []
    async for part in wrapper:
        parts.append(await part.read())  # type: ignore[union-attr]
    assert parts == [b"v"]
    assert response.released
    assert wrapper.at_eof()


# -- writer ------------------------------------------------------------------------------------


async def _write(writer: MultipartWriter) -> bytes:
    sink = Sink()
    await writer.write(sink)
    return sink.data


async def test_writer_round_trip() -> None:
    with MultipartWriter("mixed", boundary="XyZ") as writer:
        writer.append("text")
        writer.append(b"bytes", {"Content-Type": "application/x-bin"})
        writer.append_json({"k": "v"})
        writer.append_form({"a": "1", "b": "2"})
        writer.append_form([("c", "3")])
        writer.append(StringPayload("payload"), {"X-Extra": "1"})
    assert writer.boundary == "XyZ"
    assert writer.content_type == "multipart/mixed; boundary=XyZ"
    assert len(writer) == 6
    assert bool(MultipartWriter())
    assert writer.resendable
    data = await _write(writer)
    assert writer.size == len(data)
    assert writer.decode() == data.decode()
    reader = MultipartReader(_headers(writer.content_type), Source(data, 9))
    got = [(p.headers.get("Content-Type"), await p.read()) async for p in reader]  # type: ignore[union-attr]
    assert got == [
        ("text/plain; charset=utf-8", b"text"),
        ("application/x-bin", b"bytes"),
        ("application/json", b'{"k": "v"}'),
        ("application/x-www-form-urlencoded", b"a=1&b=2"),
        ("application/x-www-form-urlencoded", b"c=3"),
        ("text/plain; charset=utf-8", b"payload"),
    ]
    assert [p.headers.get("X-Extra") for p, _, _ in writer][-1] == "1"
    await writer.close()


def test_writer_boundary_rules() -> None:
    assert MultipartWriter(boundary="a b").content_type == 'multipart/mixed; boundary="a b"'
    assert len(MultipartWriter().boundary) == 32
    with pytest.raises(ValueError, match="ASCII"):
        MultipartWriter(boundary="ü")
    with pytest.raises(ValueError, match="boundary"):
        MultipartWriter(boundary="x" * 71)


def test_writer_refuses_header_injection() -> None:
    writer = MultipartWriter()
    with pytest.raises(ValueError, match="invalid multipart header"):
        writer.append(b"x", {"X-Evil": "a\r\nInjected: 1"})
    assert len(writer) == 0


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"Content-Encoding": "compress"}, "content encoding"),
        ({"Content-Transfer-Encoding": "x-token"}, "transfer encoding"),
    ],
)
def test_writer_refuses_unknown_codings(headers: dict[str, str], message: str) -> None:
    with pytest.raises(RuntimeError, match=message):
        MultipartWriter().append(b"x", headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Encoding": "gzip"},
        {"Content-Encoding": "deflate"},
        {"Content-Transfer-Encoding": "base64"},
        {"Content-Transfer-Encoding": "quoted-printable"},
        {"Content-Encoding": "gzip", "Content-Transfer-Encoding": "base64"},
        {"Content-Encoding": "identity", "Content-Transfer-Encoding": "binary"},
    ],
)
async def test_writer_encodes_parts(headers: dict[str, str]) -> None:
    original = bytes(range(256)) * 10
    writer = MultipartWriter(boundary="B")
    writer.append(io.BytesIO(original), headers)
    data = await _write(writer)
    reader = MultipartReader(_headers("multipart/mixed; boundary=B"), Source(data, 100))
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    assert await part.read(decode=True) == original


def test_writer_size_unknown() -> None:
    writer = MultipartWriter()
    writer.append(b"x", {"Content-Encoding": "gzip"})
    assert writer.size is None

    async def gen() -> Any:
        yield b"x"

    other = MultipartWriter()
    other.append(gen())
    assert other.size is None
    assert not other.resendable


async def test_writer_without_close_boundary() -> None:
    writer = MultipartWriter(boundary="B")
    writer.append(b"x")
    sink = Sink()
    await writer.write(sink, close_boundary=False)
    assert not sink.data.endswith(b"--B--\r\n")


async def test_body_part_reader_payload_forwards_a_part() -> None:
    headers = [
        ("Content-Disposition", 'form-data; name="up"; filename="f.txt"'),
        ("Content-Transfer-Encoding", "base64"),
    ]
    reader = _reader(_body((headers, base64.b64encode(b"forwarded" * 100))), step=11)
    part = await reader.next()
    payload = get_payload(part)
    assert isinstance(payload, BodyPartReaderPayload)
    assert not payload.resendable
    assert payload.headers["Content-Disposition"] == 'attachment; name="up"; filename="f.txt"'
    sink = Sink()
    await payload.write(sink)
    assert sink.data == b"forwarded" * 100
    with pytest.raises(TypeError):
        payload.decode()


async def test_body_part_reader_payload_without_names() -> None:
    reader = _reader(_body(([], b"anon")))
    payload = get_payload(await reader.next())
    assert "Content-Disposition" not in payload.headers


def test_headers_are_case_insensitive_proxy() -> None:
    part = BodyPartReader(
        b"--B", CIMultiDictProxy(CIMultiDict({"content-type": "a/b"})), Source(b"")
    )
    assert part.headers["Content-Type"] == "a/b"
    assert isinstance(get_payload(b"x"), BytesPayload)


def test_aiohttp_3x_import_paths() -> None:
    import aiohttp
    import aiohttp.multipart
    from aiohttp._io import multipart as impl
    from aiohttp._io import multipart_writer as writer
    from aiohttp._sansio import mime

    for name in aiohttp.multipart.__all__:
        assert getattr(aiohttp.multipart, name) in (
            getattr(impl, name, None),
            getattr(writer, name, None),
            getattr(mime, name, None),
        )
    assert aiohttp.MultipartReader is MultipartReader
    assert issubclass(aiohttp.BadContentDispositionHeader, RuntimeWarning)
