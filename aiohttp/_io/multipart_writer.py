"""Writing multipart bodies: :class:`MultipartWriter`, with the aiohttp 3.x API, and
:class:`BodyPartReaderPayload`, which forwards a part being read.

A part's Content-Encoding and then its Content-Transfer-Encoding are applied while it is written;
its length is then not known in advance. Header values that would inject a line (CR, LF, NUL) are
refused when the part is appended.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import zlib
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

from .._sansio.codings import Encoder
from .._sansio.mime import quote_string
from .._sansio.multipart import closing_delimiter, make_boundary, part_head, validate_boundary
from .._sansio.zlib_backend import ZLibBackend
from .multipart import BodyPartReader
from .payload import (
    AsyncIterablePayload,
    Order,
    Payload,
    StringPayload,
    _Writer,
    get_payload,
    payload_type,
    written_bytes,
)
from .payload import LookupError as _NoPayloadFor
from .payload_json import JsonPayload

__all__ = ("BodyPartReaderPayload", "MultipartWriter")

_READ_SIZE = 2**16
_TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


@payload_type(BodyPartReader, order=Order.try_first)
class BodyPartReaderPayload(Payload):
    """A payload forwarding a part being read (its name and filename kept)."""

    _value: BodyPartReader

    def __init__(self, value: BodyPartReader, *args: Any, **kwargs: Any) -> None:
        super().__init__(value, *args, **kwargs)
        params = {k: v for k, v in (("name", value.name), ("filename", value.filename)) if v}
        if params:
            self.set_content_disposition("attachment", True, **params)

    @property
    def resendable(self) -> bool:
        """Never: the part is consumed by the first write."""
        return False

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """Not available: the part has not been read.

        Raises:
            TypeError: always.
        """
        raise TypeError("Unable to decode.")

    async def as_bytes(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """Not available: a part is streamed once, never held whole (as in 3.x).

        Raises:
            TypeError: always.
        """
        raise TypeError("Unable to read body part as bytes. Use write() to consume.")

    async def write(self, writer: _Writer) -> None:
        """Write the part's decoded body as it arrives."""
        part = self._value
        self._consumed = True  # even an interrupted write leaves nothing to send again
        while chunk := await part.read_chunk(_READ_SIZE):
            async for piece in part.decode_iter(chunk):
                await writer.write(piece)


class _RawDeflate:
    """A part's ``deflate`` coding as aiohttp 3.x writes and reads it: raw deflate, no zlib
    wrapper (its readers cannot read the wrapped form; ours read both)."""

    def __init__(self) -> None:
        self._obj = ZLibBackend.compressobj(wbits=-zlib.MAX_WBITS)

    def compress(self, data: bytes) -> bytes:
        return self._obj.compress(data)

    def finish(self) -> bytes:
        return self._obj.flush()


class _EncodingWriter:
    """Applies a part's Content-Encoding, then its Content-Transfer-Encoding, while writing."""

    def __init__(self, writer: _Writer, encoding: str | None, te: str | None) -> None:
        self._writer = writer
        self._encoder = (
            _RawDeflate() if encoding == "deflate" else Encoder(encoding) if encoding else None
        )
        self._te = te
        self._pending = b""

    async def write(self, chunk: bytes) -> None:
        if self._encoder is not None:
            chunk = self._encoder.compress(chunk)
        await self._transfer(chunk, final=False)

    async def write_eof(self) -> None:
        tail = self._encoder.finish() if self._encoder is not None else b""
        await self._transfer(tail, final=True)

    async def _transfer(self, chunk: bytes, *, final: bool) -> None:
        if self._te == "base64":
            data = self._pending + chunk
            keep = 0 if final else len(data) % 3
            self._pending = data[len(data) - keep :]
            chunk = base64.b64encode(data[: len(data) - keep])
        elif self._te == "quoted-printable":
            chunk = binascii.b2a_qp(chunk, istext=False)
        if chunk:
            await self._writer.write(chunk)


class MultipartWriter(Payload):
    """Builds a multipart body; itself a :class:`Payload` to send.

    Args:
        subtype: the multipart subtype (``"mixed"``, ``"form-data"`` ...).
        boundary: the boundary; a random one by default.

    Raises:
        ValueError: the boundary is not valid per RFC 2046 §5.1.1.
    """

    _autoclose = True  # it holds its parts, not a resource: each part says if it needs closing

    def __init__(self, subtype: str = "mixed", boundary: str | None = None) -> None:
        boundary = make_boundary() if boundary is None else boundary
        if not boundary.isascii():
            raise ValueError("boundary should contain ASCII only chars")
        validate_boundary(boundary)
        self._boundary = boundary
        shown = boundary if _TOKEN_RE.fullmatch(boundary) else quote_string(boundary)
        super().__init__(None, content_type=f"multipart/{subtype}; boundary={shown}")
        self._parts: list[tuple[Payload, str | None, str | None]] = []
        self._is_form_data = subtype == "form-data"

    def __enter__(self) -> MultipartWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        pass

    def __iter__(self) -> Iterator[tuple[Payload, str | None, str | None]]:
        return iter(self._parts)

    def __len__(self) -> int:
        return len(self._parts)

    def __bool__(self) -> bool:
        return True

    @property
    def boundary(self) -> str:
        """The boundary."""
        return self._boundary

    @property
    def consumed(self) -> bool:
        """Whether the writer, or one of its parts, was used up and cannot be sent again."""
        return self._consumed or any(payload.consumed for payload, _, _ in self._parts)

    def append(self, obj: Any, headers: Mapping[str, str] | None = None) -> Payload:
        """Append a part made from ``obj`` (see :func:`aiohttp.get_payload`)."""
        if isinstance(obj, Payload):
            obj.headers.update(headers or {})
            return self.append_payload(obj)
        try:
            part = get_payload(obj, headers=headers)
        except _NoPayloadFor:
            raise TypeError(f"Cannot create payload from {obj!r}") from None
        return self.append_payload(part)

    def append_payload(self, payload: Payload) -> Payload:
        """Append a payload as a part.

        Raises:
            RuntimeError: its Content-Encoding or Content-Transfer-Encoding is unknown.
            ValueError: a header would inject a line (CR, LF or NUL).
        """
        part_head(self._boundary, payload.headers.items())
        encoding: str | None = payload.headers.get("Content-Encoding", "").lower()
        if encoding not in ("", "identity", "gzip", "deflate", "br", "zstd"):
            raise RuntimeError(f"unknown content encoding: {encoding}")
        te: str | None = payload.headers.get("Content-Transfer-Encoding", "").lower()
        if te not in ("", "binary", "base64", "quoted-printable"):
            raise RuntimeError(f"unknown content transfer encoding: {te}")
        encoding = None if encoding in ("", "identity") else encoding
        te = None if te in ("", "binary") else te
        if self._is_form_data:
            # RFC 7578 §4.2: every part is named; §4.8: no Content-Length among its fields.
            if "Content-Disposition" not in payload.headers:
                payload.set_content_disposition("form-data", name=f"section-{len(self._parts)}")
        elif encoding is None and te is None and payload.size is not None:
            payload.headers["Content-Length"] = str(payload.size)
        self._parts.append((payload, encoding, te))
        return payload

    def append_json(self, obj: Any, headers: Mapping[str, str] | None = None) -> Payload:
        """Append ``obj`` as a JSON part."""
        return self.append_payload(JsonPayload(obj, headers=headers))

    def append_form(self, obj: Any, headers: Mapping[str, str] | None = None) -> Payload:
        """Append a mapping or list of pairs as an ``application/x-www-form-urlencoded`` part."""
        items = list(obj.items()) if isinstance(obj, Mapping) else list(obj)
        return self.append_payload(
            StringPayload(
                urlencode(items, doseq=True),
                headers=headers,
                content_type="application/x-www-form-urlencoded",
            )
        )

    @property
    def size(self) -> int | None:
        """The body's length, or ``None`` when a part's length is not known in advance."""
        total = len(closing_delimiter(self._boundary))
        for payload, encoding, te in self._parts:
            if encoding or te or payload.size is None:
                return None
            total += len(part_head(self._boundary, payload.headers.items()))
            total += payload.size + 2
        return total

    @property
    def resendable(self) -> bool:
        """Whether every part can be sent again."""
        return all(payload.resendable for payload, _, _ in self._parts)

    async def as_bytes(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """The whole body; parts from async iterables are read and kept, so it can be resent."""
        for payload, _, _ in self._parts:
            if isinstance(payload, AsyncIterablePayload):
                await payload.as_bytes()
        return await written_bytes(self)

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """The body as text (every part must be in memory)."""
        pieces = []
        for payload, _, _ in self._parts:
            pieces.append(part_head(self._boundary, payload.headers.items()).decode(encoding))
            pieces.append(payload.decode(encoding, errors) + "\r\n")
        return "".join(pieces) + closing_delimiter(self._boundary).decode(encoding)

    async def write(self, writer: _Writer, close_boundary: bool = True) -> None:
        """Write every part, then (unless told not to) the close delimiter."""
        for payload, encoding, te in self._parts:
            await writer.write(part_head(self._boundary, payload.headers.items()))
            if encoding or te:
                wrapped = _EncodingWriter(writer, encoding, te)
                await payload.write(wrapped)
                await wrapped.write_eof()
            else:
                await payload.write(writer)
            await writer.write(b"\r\n")
        if close_boundary:
            await writer.write(closing_delimiter(self._boundary))

    async def close(self) -> None:
        """Close the parts that hold a resource and were not sent, once; a part whose
        ``close()`` fails does not keep the others open (as in 3.x)."""
        if self._consumed:
            return
        self._consumed = True
        for payload, _, _ in self._parts:
            if payload.autoclose or payload.consumed:
                continue
            with contextlib.suppress(Exception):
                await payload.close()
