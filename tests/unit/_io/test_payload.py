"""Payloads: sizes, content types, headers, writing, re-sending and the registry."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from aiohttp._io import payload as pl
from aiohttp._io.payload_json import JsonPayload
from aiohttp._io.streams import StreamReader


class Sink:
    """An in-memory writer."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    async def write(self, chunk: bytes) -> None:
        self.chunks.append(bytes(chunk))

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)


async def _written(payload: pl.Payload) -> bytes:
    sink = Sink()
    await payload.write(sink)
    return sink.data


async def test_bytes_payload() -> None:
    payload = pl.BytesPayload(bytearray(b"data"))
    assert payload.size == 4
    assert payload.content_type == "application/octet-stream"
    assert payload.value == b"data"
    assert payload.resendable
    assert await _written(payload) == b"data"
    assert await _written(payload) == b"data"
    assert payload.decode() == "data"
    assert await payload.as_bytes() == b"data"
    await payload.close()


def test_bytes_payload_refuses_other_types() -> None:
    with pytest.raises(TypeError, match="byte-ish"):
        pl.BytesPayload("text")  # type: ignore[arg-type]


def test_payload_headers_and_disposition() -> None:
    # As in 3.x, bytes are application/octet-stream unless content_type is given, and None
    # asks for a guess from the file name.
    assert pl.BytesPayload(b"x", filename="a.pdf").content_type == "application/octet-stream"
    payload = pl.BytesPayload(
        b"x", headers={"X-Extra": "1"}, filename="report.pdf", content_type=None
    )
    assert payload.content_type == "application/pdf"
    assert payload.filename == "report.pdf"
    payload.set_content_disposition("attachment", filename="report.pdf")
    assert payload.headers["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert payload._binary_headers == (
        b"Content-Type: application/pdf\r\nX-Extra: 1\r\n"
        b'Content-Disposition: attachment; filename="report.pdf"\r\n\r\n'
    )


def test_unknown_filename_type_falls_back() -> None:
    payload = pl.BytesPayload(b"x", filename="blob.unknown-ext")
    assert payload.content_type == "application/octet-stream"


def test_disposition_refuses_injection() -> None:
    payload = pl.BytesPayload(b"x")
    with pytest.raises(ValueError, match="control character"):
        payload.set_content_disposition("attachment", filename="a\r\nX: y")


@pytest.mark.parametrize(
    ("kwargs", "encoding", "content_type", "body"),
    [
        pytest.param({}, "utf-8", "text/plain; charset=utf-8", "ü".encode(), id="default"),
        pytest.param(
            {"encoding": "latin-1"},
            "latin-1",
            "text/plain; charset=latin-1",
            b"\xfc",
            id="encoding-given",
        ),
        pytest.param(
            {"content_type": "text/html; charset=cp1252"},
            "cp1252",
            "text/html; charset=cp1252",
            b"\xfc",
            id="charset-from-content-type",
        ),
        pytest.param(
            {"content_type": "text/csv"}, "utf-8", "text/csv", "ü".encode(), id="no-charset"
        ),
        pytest.param(
            {"encoding": "utf-16-le", "content_type": "text/x"},
            "utf-16-le",
            "text/x",
            "ü".encode("utf-16-le"),
            id="both-given",
        ),
    ],
)
async def test_string_payload(
    kwargs: dict[str, str], encoding: str, content_type: str, body: bytes
) -> None:
    payload = pl.StringPayload("ü", **kwargs)
    assert (payload.encoding, payload.content_type, payload.size) == (
        encoding,
        content_type,
        len(body),
    )
    assert await _written(payload) == body


async def test_string_io_payload() -> None:
    payload = pl.get_payload(io.StringIO("hello"))
    assert isinstance(payload, pl.StringIOPayload)
    assert await _written(payload) == b"hello"


async def test_json_payload() -> None:
    payload = JsonPayload({"a": [1, "ü"]})
    assert payload.content_type == "application/json"
    assert json.loads(await _written(payload)) == {"a": [1, "ü"]}
    custom = JsonPayload([1], dumps=lambda v: "custom", content_type="application/x")
    assert (await _written(custom), custom.content_type) == (b"custom", "application/x")


async def test_bytes_io_payload_from_its_position_and_resent() -> None:
    buffer = io.BytesIO(b"skip:body")
    buffer.seek(5)
    payload = pl.get_payload(buffer)
    assert isinstance(payload, pl.BytesIOPayload)
    assert payload.size == 4
    assert payload.resendable
    assert await _written(payload) == b"body"
    assert await _written(payload) == b"body"
    buffer.seek(5)
    assert payload.decode() == "skip:body"


async def test_file_payload(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"x" * (pl.READ_SIZE + 10))
    with path.open("rb") as handle:
        payload = pl.get_payload(handle)
        assert isinstance(payload, pl.BufferedReaderPayload)
        assert payload.size == pl.READ_SIZE + 10
        assert payload.filename == "notes.txt"
        assert payload.content_type == "text/plain"
        assert payload.headers["Content-Disposition"] == 'attachment; filename="notes.txt"'
        assert len(await _written(payload)) == pl.READ_SIZE + 10
        assert len(await _written(payload)) == pl.READ_SIZE + 10
        await payload.close()
        assert handle.closed


async def test_file_payload_keeps_given_disposition(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"1")
    with path.open("rb") as handle:
        payload = pl.get_payload(handle, headers={"Content-Disposition": "inline"})
        assert payload.headers["Content-Disposition"] == "inline"
        no_disp = pl.BufferedReaderPayload(handle, disposition=None)
        assert "Content-Disposition" not in no_disp.headers


async def test_text_file_payload(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("ünï", encoding="utf-8")
    with path.open(encoding="utf-8") as handle:
        payload = pl.get_payload(handle)
        assert isinstance(payload, pl.TextIOPayload)
        assert payload.size is None
        assert payload.content_type == "text/plain; charset=utf-8"
        assert await _written(payload) == "ünï".encode()
        handle.seek(0)
        assert payload.decode() == "ünï"


class Unseekable(io.RawIOBase):
    """A pipe-like reader: no fileno, no seek."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        raise OSError("not seekable")

    def seekable(self) -> bool:
        return False

    def read(self, size: int = -1) -> bytes:
        chunk, self._data = self._data[:size], self._data[size:]
        return chunk


async def test_unseekable_file_sent_once_with_unknown_size() -> None:
    source = Unseekable(b"stream")
    payload = pl.get_payload(source)
    assert type(payload) is pl.IOBasePayload
    assert payload.size is None
    assert payload.filename is None
    assert not payload.resendable
    assert await _written(payload) == b"stream"


async def _agen() -> AsyncIterator[bytes]:
    for part in (b"a", b"b"):
        yield part


async def test_async_iterable_payload() -> None:
    payload = pl.get_payload(_agen())
    assert isinstance(payload, pl.AsyncIterablePayload)
    assert payload.size is None
    assert not payload.resendable
    assert await _written(payload) == b"ab"
    assert await _written(payload) == b""
    with pytest.raises(TypeError, match="decode"):
        payload.decode()


def test_async_iterable_refuses_other_types() -> None:
    with pytest.raises(TypeError, match="async iterable"):
        pl.AsyncIterablePayload([b"x"])  # type: ignore[arg-type]


class _Protocol:
    reading_paused = False

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def test_stream_reader_payload() -> None:
    stream = StreamReader(_Protocol(), 2**16, loop=asyncio.get_running_loop())  # type: ignore[arg-type]
    stream.feed_data(b"from ")
    stream.feed_data(b"stream")
    stream.feed_eof()
    payload = pl.get_payload(stream)
    assert isinstance(payload, pl.StreamReaderPayload)
    assert await _written(payload) == b"from stream"


async def test_filename_given_explicitly() -> None:
    payload = pl.BytesIOPayload(io.BytesIO(b"x"), filename="given.json")
    assert payload.content_type == "application/json"
    assert 'filename="given.json"' in payload.headers["Content-Disposition"]


def test_registry_returns_payloads_as_is_and_refuses_unknown() -> None:
    payload = pl.BytesPayload(b"x")
    assert pl.get_payload(payload) is payload
    with pytest.raises(pl.LookupError):
        pl.get_payload(object())


def test_registry_order() -> None:
    registry = pl.PayloadRegistry()
    seen: list[str] = []

    def factory(name: str) -> Any:
        def make(value: Any, *args: Any, **kwargs: Any) -> pl.Payload:
            seen.append(name)
            return pl.BytesPayload(b"")

        return make

    registry.register(factory("last"), object, order=pl.Order.try_last)
    registry.register(factory("normal"), int)
    registry.register(factory("first"), bool, order=pl.Order.try_first)
    registry.get(True)
    registry.get(1)
    registry.get("s")
    assert seen == ["first", "normal", "last"]


def test_payload_type_decorator() -> None:
    class Marker:
        pass

    @pl.payload_type(Marker, order=pl.Order.try_first)
    class MarkerPayload(pl.BytesPayload):
        def __init__(self, value: Marker, *args: Any, **kwargs: Any) -> None:
            super().__init__(b"marker", *args, **kwargs)

    assert isinstance(pl.get_payload(Marker()), MarkerPayload)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("/tmp/dir/file.txt", "file.txt", id="path"),
        pytest.param("<stdin>", None, id="pseudo"),
        pytest.param("", None, id="empty"),
        pytest.param(3, None, id="fd-number"),
    ],
)
def test_guess_filename(name: object, expected: str | None) -> None:
    class Named:
        pass

    obj = Named()
    obj.name = name  # type: ignore[attr-defined]
    assert pl.guess_filename(obj) == expected
    assert pl.guess_filename(object(), "default") == "default"


def test_aiohttp_3x_import_paths() -> None:
    import aiohttp
    import aiohttp.payload
    from aiohttp._io import payload_json

    for name in aiohttp.payload.__all__:
        home = payload_json if name.startswith("Json") else pl
        assert getattr(aiohttp.payload, name) is getattr(home, name)
    assert aiohttp.Payload is pl.Payload
    assert aiohttp.get_payload is pl.get_payload
