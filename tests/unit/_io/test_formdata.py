"""FormData: urlencoded or multipart/form-data (RFC 7578), as aiohttp 3.x builds them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from multidict import MultiDict

from aiohttp._io.formdata import FormData
from aiohttp._io.multipart import BodyPartReader, MultipartReader
from aiohttp._io.multipart_writer import MultipartWriter
from aiohttp._io.payload import BytesPayload


class Sink:
    def __init__(self) -> None:
        self.data = b""

    async def write(self, chunk: bytes) -> None:
        self.data += bytes(chunk)


class Source:
    def __init__(self, data: bytes) -> None:
        self._data = data

    async def read(self, n: int = -1) -> bytes:
        chunk, self._data = self._data[:n], self._data[n:]
        return chunk


async def _body(payload: Any) -> bytes:
    sink = Sink()
    await payload.write(sink)
    return bytes(sink.data)


async def _parts(form: FormData) -> list[tuple[str | None, str | None, str | None, bytes]]:
    payload = form()
    assert isinstance(payload, MultipartWriter)
    reader = MultipartReader({"Content-Type": payload.content_type}, Source(await _body(payload)))
    out = []
    async for part in reader:
        assert isinstance(part, BodyPartReader)
        out.append((part.name, part.filename, part.headers.get("Content-Type"), await part.read()))
    return out


@pytest.mark.parametrize(
    ("fields", "charset", "content_type", "body"),
    [
        pytest.param(
            {"a": "1", "b": "x y"},
            None,
            "application/x-www-form-urlencoded",
            b"a=1&b=x+y",
            id="dict",
        ),
        pytest.param(
            [("a", "1"), ("a", "2")],
            None,
            "application/x-www-form-urlencoded",
            b"a=1&a=2",
            id="pairs",
        ),
        pytest.param(
            MultiDict([("k", "é")]),
            "latin-1",
            "application/x-www-form-urlencoded; charset=latin-1",
            b"k=%E9",
            id="multidict-charset",
        ),
    ],
)
async def test_urlencoded(fields: Any, charset: str | None, content_type: str, body: bytes) -> None:
    form = FormData(fields, charset=charset)
    assert not form.is_multipart
    payload = form()
    assert isinstance(payload, BytesPayload)
    assert payload.content_type == content_type
    assert await _body(payload) == body


async def test_multipart_with_text_bytes_and_file(tmp_path: Path) -> None:
    path = tmp_path / "upload.txt"
    path.write_bytes(b"file body")
    with path.open("rb") as handle:
        form = FormData()
        form.add_field("text", "hello")
        form.add_field("raw", b"\x00\x01")
        form.add_field("doc", handle)
        form.add_field("named", b"x", filename="given.bin", content_type="application/x-y")
        assert form.is_multipart
        assert await _parts(form) == [
            ("text", None, "text/plain; charset=utf-8", b"hello"),
            ("raw", "raw", "application/octet-stream", b"\x00\x01"),
            ("doc", "upload.txt", "text/plain", b"file body"),
            ("named", "given.bin", "application/x-y", b"x"),
        ]


async def test_content_type_alone_makes_multipart() -> None:
    form = FormData()
    form.add_field("j", '{"a": 1}', content_type="application/json")
    assert await _parts(form) == [("j", None, "application/json", b'{"a": 1}')]


CTE_DEPRECATED = "content_transfer_encoding is deprecated"


async def test_content_transfer_encoding_is_deprecated_and_has_no_effect() -> None:
    """As in 3.14: the argument warns, makes the form multipart and keeps bytes from being
    named as a file, but the part goes as it is, with no Content-Transfer-Encoding."""
    form = FormData()
    with pytest.warns(DeprecationWarning, match=CTE_DEPRECATED):  # as 3.14 warns
        form.add_field("b", b"data", content_transfer_encoding="base64")
    payload = form()
    assert b"Content-Transfer-Encoding" not in await _body(payload)
    [(name, filename, _, body)] = await _parts(form)
    assert (name, filename, body) == ("b", None, b"data")


async def test_default_to_multipart_and_charset() -> None:
    form = FormData({"a": "é"}, charset="latin-1", default_to_multipart=True)
    assert await _parts(form) == [("a", None, "text/plain; charset=latin-1", b"\xe9")]


async def test_quote_fields() -> None:
    quoted = FormData(quote_fields=True)
    quoted.add_field("f", b"x", filename="a b.txt")
    assert b'filename="a%20b.txt"' in await _body(quoted())
    raw = FormData(quote_fields=False)
    raw.add_field("f", b"x", filename='a "b".txt')
    assert b'filename="a \\"b\\".txt"' in await _body(raw())


async def test_called_twice_gives_the_same_body() -> None:
    form = FormData()
    form.add_field("f", io.BytesIO(b"again"), filename="f.bin")
    first = form()
    assert form() is first
    assert await _body(first) == await _body(form())


async def test_add_fields_forms() -> None:
    handle = io.BytesIO(b"io")
    handle.name = "/some/dir/named.bin"
    form = FormData([("a", "1"), MultiDict([("b", "2")]), handle])
    names = [(name, filename) for name, filename, _, _ in await _parts(form)]
    # a multidict's items are added after the fields listed beside it, as in aiohttp 3.x
    assert names == [("a", None), ("named.bin", "named.bin"), ("b", None)]


async def test_unnamed_file_object() -> None:
    form = FormData([io.BytesIO(b"x")])
    [(name, filename, _, _)] = await _parts(form)
    assert (name, filename) == ("unknown", "unknown")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"filename": 1}, "filename"),
        ({"content_type": 1}, "content_type must be an instance of str"),
        ({"content_transfer_encoding": 1}, "content_transfer_encoding must be an instance of str"),
    ],
)
def test_add_field_type_checks(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        FormData().add_field("n", "v", **kwargs)


def test_add_fields_refuses_other_things() -> None:
    with pytest.raises(TypeError, match=r"Only io\.IOBase"):
        FormData([1])


def test_unserializable_value() -> None:
    form = FormData()
    form.add_field("n", object(), filename="x")
    with pytest.raises(TypeError, match="Can not serialize"):
        form()


async def test_a_content_transfer_encoding_never_reaches_the_part_headers() -> None:
    form = FormData()
    with pytest.warns(DeprecationWarning, match=CTE_DEPRECATED):
        form.add_field("n", "v", content_transfer_encoding="binary\r\nX-Evil: 1")
    assert b"X-Evil" not in await _body(form())


def test_aiohttp_3x_import_paths() -> None:
    import aiohttp
    import aiohttp.formdata

    assert aiohttp.formdata.FormData is FormData
    assert aiohttp.FormData is FormData


@pytest.mark.parametrize("bad", ["\r", "\n", "a\r\nX-Injected: 1", "a\x00b"])
@pytest.mark.parametrize("where", ["name", "filename", "content_type"])
def test_add_field_refuses_line_breaks_and_nul_at_once(where: str, bad: str) -> None:
    # They would end the part's header line (RFC 7578 §4.2, RFC 9110 §5.5): 3.x refuses them
    # when the field is added, so the mistake surfaces where it was made.
    form = FormData()
    kwargs = {"name": "field", "filename": "f.txt", "content_type": "text/plain"}
    kwargs[where] = bad
    name = kwargs.pop("name")
    with pytest.raises(ValueError, match=r"^Forbidden control character detected in headers"):
        form.add_field(name, "value", **kwargs)
