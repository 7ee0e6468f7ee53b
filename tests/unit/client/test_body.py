"""encode_body: what each kind of ``data=`` becomes."""

from __future__ import annotations

import io

import pytest
from multidict import MultiDict

from aiohttp import FormData
from aiohttp.client.body import encode_body


class Collect:
    def __init__(self) -> None:
        self.data = b""

    async def write(self, chunk: bytes) -> None:
        self.data += bytes(chunk)


@pytest.mark.parametrize(
    ("data", "expected", "ctype"),
    [
        (None, b"", None),
        (b"raw", b"raw", "application/octet-stream"),  # as aiohttp 3.x labels bytes
        (bytearray(b"ba"), b"ba", "application/octet-stream"),
        ("é", "é".encode(), "text/plain; charset=utf-8"),
        ({"a": "1", "b": "x y"}, b"a=1&b=x+y", "application/x-www-form-urlencoded"),
        (MultiDict([("k", "1"), ("k", "2")]), b"k=1&k=2", "application/x-www-form-urlencoded"),
        ([("p", "q")], b"p=q", "application/x-www-form-urlencoded"),
    ],
)
async def test_in_memory_bodies(data, expected, ctype) -> None:
    body = encode_body(data)
    assert body.data == expected
    assert body.size == len(expected)
    assert body.content_type == ctype
    assert body.resendable
    assert body.rewind()
    out = Collect()
    await body.write(out)
    assert out.data == expected


async def test_file_objects_use_payloads() -> None:
    body = encode_body(io.BytesIO(b"file data"))
    assert body.data is None
    assert body.size == 9
    assert body.resendable
    for _ in range(2):  # a seekable file can be sent twice
        out = Collect()
        await body.write(out)
        assert out.data == b"file data"


def _named(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name  # type: ignore[attr-defined]
    return file


def test_a_file_body_has_no_content_disposition() -> None:
    # 3.x sends a file object as the body without Content-Disposition (that field describes
    # a response or a multipart part, RFC 6266 §1 and RFC 7578 §4.2), only its Content-Type.
    body = encode_body(_named(b"file data", "report.txt"))
    assert "Content-Disposition" not in body.headers
    assert body.content_type == "text/plain"


async def test_form_data_builds_its_payload() -> None:
    form = FormData()
    form.add_field("name", "value")
    body = encode_body(form)
    out = Collect()
    await body.write(out)
    assert out.data == b"name=value"


async def test_async_iterables_are_one_shot() -> None:
    async def gen():
        yield b"a"
        yield b"b"

    body = encode_body(gen())
    assert body.size is None
    assert not body.resendable


def test_unknown_types_are_refused() -> None:
    with pytest.raises(TypeError):
        encode_body(object())


@pytest.mark.parametrize(
    ("data", "part", "content"),
    [
        pytest.param(
            {"upload": io.BytesIO(b"file data")},
            b'name="upload"; filename="upload"',
            b"file data",
            id="RFC 7578 §4.2 a file object in a dict is a file field",
        ),
        pytest.param(
            [("upload", b"raw bytes"), ("note", "text")],
            b'name="upload"; filename="upload"',
            b"raw bytes",
            id="RFC 7578 §4.2 bytes in pairs are a file field named after it",
        ),
        pytest.param(
            [io.BytesIO(b"file data")],
            b'name="unknown"; filename="unknown"',
            b"file data",
            id="3.x a list of file objects: each a file field named after its file",
        ),
        pytest.param(
            (_named(b"file data", "report.txt"), ("note", "text")),
            b'name="report.txt"; filename="report.txt"',
            b"file data",
            id="3.x a tuple of a named file and a pair",
        ),
        pytest.param(
            MultiDict([("upload", io.BytesIO(b"file data"))]),
            b'name="upload"; filename="upload"',
            b"file data",
            id="RFC 7578 §4.2 a file object in a MultiDict",
        ),
    ],
)
async def test_forms_with_files_are_multipart(data, part, content) -> None:
    body = encode_body(data)
    assert body.content_type is not None
    assert body.content_type.startswith("multipart/form-data; boundary=")
    out = Collect()
    await body.write(out)
    assert part in out.data
    assert b"\r\n\r\n" + content + b"\r\n" in out.data


@pytest.mark.parametrize(
    "data",
    [b"caf\xc3\xa9", "café", io.BytesIO(b"caf\xc3\xa9"), [("name", "café")]],
    ids=["bytes", "str", "file", "form"],
)
async def test_a_middleware_reads_the_body_as_3x_payloads_allow(data: object) -> None:
    # 3.x's ClientRequest.body is a Payload: middlewares call decode() and as_bytes() on it.
    body = encode_body(data)
    expected = b"name=caf%C3%A9" if isinstance(data, list) else b"caf\xc3\xa9"
    assert body.decode("utf-8") == expected.decode()
    assert await body.as_bytes() == expected
    assert encode_body(None).decode() == ""


def test_no_body_is_falsy_as_3x_empty_bytes() -> None:
    # 3.x's ClientRequest.body is b"" without a body (middlewares test ``if request.body:``)
    # and a payload otherwise, even an empty one.
    assert not encode_body(None)
    assert encode_body(b"")
    assert encode_body(io.BytesIO(b""))


LARGE_BYTES = (
    "Sending a large body directly with raw bytes might lock the event loop. "
    "You should probably pass an io.BytesIO object instead"
)


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview])
def test_raw_bytes_over_a_mebibyte_warn_as_in_3x(kind: type) -> None:
    encode_body(kind(b"0" * 2**20))  # at the limit: no warning (filterwarnings=error)
    with pytest.warns(ResourceWarning) as caught:
        body = encode_body(kind(b"0" * (2**20 + 1)))
    assert [str(w.message) for w in caught] == [LARGE_BYTES]
    assert body.data is not None
    assert len(body.data) == 2**20 + 1
