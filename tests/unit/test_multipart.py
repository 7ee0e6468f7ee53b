"""aiohttp.multipart as aiohttp 3.x programs use it: the readers' 3.x signatures and limits."""

from __future__ import annotations

import asyncio
import gzip
import io
import zlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

import aiohttp
from aiohttp import payload, streams
from aiohttp._sansio.multipart import MultipartParseError
from aiohttp.http_exceptions import BadHttpMessage, LineTooLong
from aiohttp.multipart import BodyPartReader, MultipartReader, MultipartWriter

BOUNDARY = b"--:"


class Protocol:
    reading_paused = False

    def pause_reading(self) -> None:
        pass

    def resume_reading(self, resume_parser: bool = True) -> None:
        pass


def stream(data: bytes) -> streams.StreamReader:
    reader = streams.StreamReader(Protocol(), 2**16, loop=asyncio.get_running_loop())
    reader.feed_data(data)
    reader.feed_eof()
    return reader


def headers(**fields: str) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict({k.replace("_", "-"): v for k, v in fields.items()}))


FORM = {"Content-Type": "multipart/form-data; boundary=:"}


# -- BodyPartReader made by hand, as 3.x tests and extensions do ----------------------------


async def test_body_part_reader_takes_boundary_headers_and_content() -> None:
    part = BodyPartReader(BOUNDARY, headers(), stream(b"Hello, world!\r\n--:--\r\n"))
    assert await part.read() == b"Hello, world!"
    assert part.at_eof()
    assert await part.read() == b""


async def test_body_part_reader_takes_a_str_boundary() -> None:
    part = BodyPartReader("--:", headers(), stream(b"Hello, world!\r\n--:--\r\n"))
    assert await part.read() == b"Hello, world!"
    assert part.at_eof()


async def test_body_part_reader_reads_lines_and_chunks() -> None:
    part = BodyPartReader(BOUNDARY, headers(), stream(b"line1\nline2\r\n--:"))
    assert await part.readline() == b"line1\n"
    assert await part.read_chunk(3) == b"lin"
    assert await part.readline() == b"e2"
    assert await part.readline() == b""


async def test_body_part_reader_text_json_and_form() -> None:
    text = BodyPartReader(
        BOUNDARY, headers(Content_Type="text/plain; charset=latin-1"), stream(b"caf\xe9\r\n--:")
    )
    assert await text.text() == "café"
    data = BodyPartReader(BOUNDARY, headers(), stream(b'{"a": [1]}\r\n--:'))
    assert await data.json() == {"a": [1]}
    form = BodyPartReader(BOUNDARY, headers(), stream(b"a=1&b=%20\r\n--:"))
    assert await form.form() == [("a", "1"), ("b", " ")]


async def test_default_charset_applies_to_text_without_one() -> None:
    part = BodyPartReader(
        BOUNDARY,
        headers(Content_Type="text/plain"),
        stream(b"\xe9\r\n--:"),
        default_charset="latin-1",
    )
    assert part.get_charset("utf-8") == "latin-1"
    assert await part.text() == "é"


async def test_body_part_reader_without_its_boundary_fails() -> None:
    part = BodyPartReader(BOUNDARY, headers(), stream(b"Hello, world!"))
    with pytest.raises(ValueError):
        await part.read()


async def test_client_max_size_at_the_limit_and_one_past_it() -> None:
    part = BodyPartReader(BOUNDARY, headers(), stream(b"Hello, world!\r\n--:"), client_max_size=13)
    assert await part.read() == b"Hello, world!"
    part = BodyPartReader(BOUNDARY, headers(), stream(b"Hello, world!\r\n--:"), client_max_size=12)
    with pytest.raises(ValueError, match="12"):
        await part.read()


async def test_max_size_error_cls_is_raised_with_the_limit() -> None:
    class TooBig(Exception):
        pass

    part = BodyPartReader(
        BOUNDARY,
        headers(),
        stream(b"Hello, world!\r\n--:"),
        client_max_size=5,
        max_size_error_cls=TooBig,
    )
    with pytest.raises(TooBig) as info:
        await part.read()
    assert info.value.args == (5,)


async def test_client_max_size_bounds_the_decoded_body_too() -> None:
    coded = gzip.compress(b"a" * 1000)
    part = BodyPartReader(
        BOUNDARY,
        headers(Content_Encoding="gzip"),
        stream(coded + b"\r\n--:"),
        client_max_size=500,
    )
    with pytest.raises(ValueError, match="500"):
        await part.read(decode=True)


async def test_decode_iter_yields_pieces_of_max_decompress_size() -> None:
    coded = gzip.compress(b"a" * 1000)
    part = BodyPartReader(
        BOUNDARY,
        headers(Content_Encoding="gzip"),
        stream(coded + b"\r\n--:"),
        max_decompress_size=100,
    )
    pieces = [piece async for piece in part.decode_iter(await part.read())]
    assert b"".join(pieces) == b"a" * 1000
    assert max(len(piece) for piece in pieces) == 100


async def test_decode_iter_undoes_the_transfer_encoding() -> None:
    part = BodyPartReader(
        BOUNDARY, headers(Content_Transfer_Encoding="base64"), stream(b"aGVsbG8=\r\n--:")
    )
    assert [piece async for piece in part.decode_iter(b"aGVsbG8=")] == [b"hello"]
    unknown = BodyPartReader(BOUNDARY, headers(Content_Encoding="snappy"), stream(b"x\r\n--:"))
    with pytest.raises(RuntimeError, match="snappy"):
        [piece async for piece in unknown.decode_iter(b"x")]


async def test_content_length_of_a_mixed_part_must_match() -> None:
    part = BodyPartReader(BOUNDARY, headers(Content_Length="5"), stream(b"Hello, world!\r\n--:"))
    with pytest.raises(ValueError, match="Content-Length"):
        await part.read()
    exact = BodyPartReader(BOUNDARY, headers(Content_Length="13"), stream(b"Hello, world!\r\n--:"))
    assert await exact.read() == b"Hello, world!"
    with pytest.raises(ValueError, match="invalid Content-Length"):
        BodyPartReader(BOUNDARY, headers(Content_Length="+13"), stream(b""))


async def test_form_data_parts_ignore_content_length() -> None:
    # RFC 7578 §4.8: senders do not send it, receivers ignore it.
    part = BodyPartReader(
        BOUNDARY, headers(Content_Length="x"), stream(b"data\r\n--:"), subtype="form-data"
    )
    assert await part.read() == b"data"


# -- MultipartReader's 3.x limits -----------------------------------------------------------


def body(*lines: bytes) -> bytes:
    return b"--:\r\n" + b"".join(line + b"\r\n" for line in lines) + b"\r\nbody\r\n--:--\r\n"


async def parts(reader: MultipartReader) -> list[tuple[dict[str, str], bytes]]:
    return [(dict(part.headers), await part.read()) async for part in reader]  # type: ignore[union-attr]


async def test_max_field_size_at_the_limit_and_one_past_it() -> None:
    line = b"A: " + b"a" * 15  # 20 bytes with its CRLF
    reader = MultipartReader(FORM, stream(body(line)), max_field_size=20)
    assert await parts(reader) == [({"A": "a" * 15}, b"body")]
    reader = MultipartReader(FORM, stream(body(line + b"a")), max_field_size=20)
    with pytest.raises(LineTooLong):
        await reader.next()


async def test_max_headers_at_the_limit_and_one_past_it() -> None:
    three = [b"A: 1", b"B: 2", b"C: 3"]
    reader = MultipartReader(FORM, stream(body(*three)), max_headers=3)
    assert len((await parts(reader))[0][0]) == 3
    reader = MultipartReader(FORM, stream(body(*three, b"D: 4")), max_headers=3)
    with pytest.raises(BadHttpMessage):
        await reader.next()


async def test_client_max_size_and_error_class_reach_the_parts() -> None:
    class TooBig(Exception):
        pass

    data = b"--:\r\n\r\n" + b"a" * 10 + b"\r\n--:--\r\n"
    reader = MultipartReader(FORM, stream(data), client_max_size=9, max_size_error_cls=TooBig)
    part = await reader.next()
    assert isinstance(part, BodyPartReader)
    with pytest.raises(TooBig):
        await part.read()


async def test_nested_readers_keep_the_limits() -> None:
    inner = b"--in\r\n\r\n" + b"x" * 10 + b"\r\n--in--"
    data = b"--:\r\nContent-Type: multipart/mixed; boundary=in\r\n\r\n" + inner + b"\r\n--:--\r\n"
    reader = MultipartReader(FORM, stream(data), client_max_size=9)
    nested = await reader.next()
    assert isinstance(nested, MultipartReader)
    part = await nested.next()
    assert isinstance(part, BodyPartReader)
    with pytest.raises(ValueError, match="9"):
        await part.read()


async def test_a_part_reader_subclass_gets_3x_arguments() -> None:
    seen: list[tuple[Any, ...]] = []

    class Part(BodyPartReader):
        def __init__(self, boundary: bytes, hdrs: Any, content: Any, **kwargs: Any) -> None:
            seen.append((boundary, dict(hdrs), sorted(kwargs)))
            super().__init__(boundary, hdrs, content, **kwargs)

    class Reader(MultipartReader):
        part_reader_cls = Part

    reader = Reader(FORM, stream(body(b"A: 1")))
    assert await parts(reader) == [({"A": "1"}, b"body")]
    assert seen == [
        (
            b"--:",
            {"A": "1"},
            ["client_max_size", "default_charset", "max_size_error_cls", "subtype"],
        )
    ]


# -- MultipartWriter ------------------------------------------------------------------------


async def chunks() -> AsyncIterator[bytes]:
    yield b"once"


class Sink:
    def __init__(self) -> None:
        self.buffer = bytearray()

    async def write(self, chunk: bytes) -> None:
        self.buffer += chunk


async def test_writer_is_consumed_when_a_one_shot_part_is_sent() -> None:
    with MultipartWriter() as writer:
        writer.append(b"bytes")
        writer.append(io.BytesIO(b"buffer"))
    assert writer.autoclose
    assert not writer.consumed
    writer.append_payload(payload.AsyncIterablePayload(chunks()))
    await writer.write(Sink())
    assert writer.consumed


async def test_writer_as_bytes_keeps_one_shot_parts_for_a_resend() -> None:
    writer = MultipartWriter(boundary="b")
    writer.append_payload(payload.AsyncIterablePayload(chunks()))
    first = await writer.as_bytes()
    assert b"once" in first
    assert not writer.consumed
    sink = Sink()
    await writer.write(sink)
    assert sink.buffer == first


async def test_a_forwarded_part_is_streamed_once() -> None:
    reader = MultipartReader(FORM, stream(body(b"Content-Type: text/plain")))
    forwarded = payload.get_payload(await reader.next())
    with pytest.raises(TypeError, match="write"):
        await forwarded.as_bytes()
    sink = Sink()
    await forwarded.write(sink)
    assert sink.buffer == b"body"
    assert forwarded.consumed


def test_3x_names() -> None:
    assert aiohttp.BodyPartReader is BodyPartReader
    assert aiohttp.MultipartWriter is MultipartWriter


# -- 3.x's reading behaviours ----------------------------------------------------------------


async def test_empty_part_bodies_whose_delimiter_shares_the_header_blank_line() -> None:
    # RFC 2046 §5.1.1: "--:\r\n\r\n--:" is a part without headers or body, as 3.x reads it.
    body = b'--:\r\nContent-Disposition: form-data; name="a"\r\n\r\n--:\r\n\r\n--:--'
    reader = MultipartReader(FORM, stream(body))
    parts = [(part.name, await part.read()) async for part in reader]
    assert parts == [("a", b""), (None, b"")]


async def test_part_is_at_eof_as_soon_as_its_last_chunk_is_read() -> None:
    reader = MultipartReader(FORM, stream(b"--:\r\n\r\nchunk\r\n--:\r\n\r\ntwo_chunks\r\n--:--"))
    bodies = []
    async for part in reader:
        assert isinstance(part, BodyPartReader)
        chunks = []
        while not part.at_eof():
            chunks.append(await part.read_chunk(5))
        bodies.append(chunks)
    assert bodies == [[b"chunk"], [b"two_c", b"hunks"]]


# -- 3.x's writing behaviours ----------------------------------------------------------------


async def test_writer_gives_each_sized_part_a_content_length() -> None:
    with MultipartWriter(boundary=":") as writer:
        writer.append(io.BytesIO(b"foobarbaz"))
        writer.append(b"abc", {"Content-Encoding": "identity", "Content-Length": "99"})
        writer.append(b"gz", {"Content-Encoding": "gzip"})
    sink = Sink()
    await writer.write(sink)
    first, second, third = bytes(sink.buffer).split(b"--:\r\n")[1:]
    assert first == (
        b"Content-Type: application/octet-stream\r\nContent-Length: 9\r\n\r\nfoobarbaz\r\n"
    )
    assert b"Content-Encoding: identity\r\nContent-Length: 3\r\n\r\nabc\r\n" in second
    assert b"Content-Length" not in third  # its length is known only once compressed


async def test_form_data_parts_are_named_and_carry_no_content_length() -> None:
    # RFC 7578 §4.2: each part has a name; §4.8: no other header fields than the listed ones.
    with MultipartWriter("form-data", boundary=":") as writer:
        writer.append_json([])
        named = payload.StringPayload("two")
        named.set_content_disposition("form-data", name="second")
        writer.append_payload(named)
        writer.append("three")
    assert [part.headers["Content-Disposition"] for part, _, _ in writer] == [
        'form-data; name="section-0"',
        'form-data; name="second"',
        'form-data; name="section-2"',
    ]
    sink = Sink()
    await writer.write(sink)
    assert b"Content-Length" not in sink.buffer
    assert writer.size == len(sink.buffer)


async def test_deflate_parts_are_raw_deflate_as_3x_readers_expect() -> None:
    writer = MultipartWriter(boundary=":")
    writer.append("Time to Relax!", {"Content-Encoding": "deflate"})
    sink = Sink()
    await writer.write(sink)
    body = bytes(sink.buffer).split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n--:--\r\n", 1)[0]
    assert zlib.decompress(body, -zlib.MAX_WBITS) == b"Time to Relax!"


@pytest.mark.parametrize("value", [1, 1.5, None])
def test_writer_refuses_what_makes_no_payload_with_type_error(value: object) -> None:
    with pytest.raises(TypeError, match="Cannot create payload"):
        MultipartWriter().append(value)


class ClosingPart(payload.BytesPayload):
    def __init__(self, *, fail: bool = False, autoclose: bool = False) -> None:
        super().__init__(b"x")
        self.closed_count = 0
        self._fail = fail
        self._autoclose = autoclose

    async def close(self) -> None:
        self.closed_count += 1
        if self._fail:
            raise RuntimeError("part fails to close")


async def test_writer_close_closes_every_part_once_despite_a_failing_one() -> None:
    failing, plain, auto = ClosingPart(fail=True), ClosingPart(), ClosingPart(autoclose=True)
    writer = MultipartWriter()
    for part in (failing, plain, auto):
        writer.append_payload(part)
    await writer.close()
    await writer.close()
    assert (failing.closed_count, plain.closed_count, auto.closed_count) == (1, 1, 0)
    assert writer.consumed


async def test_a_part_reader_made_by_hand_leaves_the_stream_at_the_delimiter() -> None:
    content = stream(b"Hello,\r\n--:\r\n\r\nworld!\r\n--:--\r\n")
    part = BodyPartReader(BOUNDARY, headers(), content)
    await part.release()
    assert part.at_eof()
    assert await content.read() == b"--:\r\n\r\nworld!\r\n--:--\r\n"


async def test_a_base64_part_made_by_hand_does_not_read_into_the_next_part() -> None:
    encoded = b"VGltZSB0byBSZWxheCE"  # 19 letters: not a whole number of quanta
    rest = b"\r\n--:\r\nContent-Length: 6\r\n\r\nsecret\r\n--:--\r\n"
    content = stream(encoded + rest)
    part = BodyPartReader(
        BOUNDARY,
        headers(Content_Length=str(len(encoded)), Content_Transfer_Encoding="base64"),
        content,
    )
    assert await part.read() == encoded
    assert part.at_eof()
    assert await content.read() == rest[2:]


def charset_form(*parts: tuple[bytes, bytes]) -> bytes:
    body = b"".join(
        b'--:\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % part for part in parts
    )
    return body + b"--:--\r\n"


async def test_form_data_charset_field_sets_the_default_charset_of_later_parts() -> None:
    # RFC 7578 §4.6: a "_charset_" field names the charset of the text fields without one.
    body = charset_form((b"before", b"x"), (b"_charset_", b" latin-1\r\n"), (b"f", b"caf\xe9"))
    reader = MultipartReader(FORM, stream(body))
    parts = [(part.name, part.get_charset("default"), await part.text()) async for part in reader]  # type: ignore[union-attr]
    assert parts == [("before", "default", "x"), ("f", "latin-1", "café")]


async def test_only_the_first_charset_field_is_taken() -> None:
    body = charset_form((b"_charset_", b"latin-1"), (b"_charset_", b"utf-8"))
    reader = MultipartReader(FORM, stream(body))
    assert [(part.name, await part.read()) async for part in reader] == [("_charset_", b"utf-8")]


async def test_a_charset_field_of_32_bytes_or_more_is_refused() -> None:
    reader = MultipartReader(FORM, stream(charset_form((b"_charset_", b"a" * 31))))
    assert await reader.next() is None
    reader = MultipartReader(FORM, stream(charset_form((b"_charset_", b"a" * 32))))
    with pytest.raises(RuntimeError, match="Invalid default charset") as info:
        await reader.next()
    assert isinstance(info.value, MultipartParseError)  # the peer's fault: a server answers 400
    assert info.value.status == 400


async def test_charset_field_outside_form_data_is_a_plain_part() -> None:
    mixed = {"Content-Type": "multipart/mixed; boundary=:"}
    reader = MultipartReader(mixed, stream(charset_form((b"_charset_", b"latin-1"))))
    assert [part.name async for part in reader] == ["_charset_"]
