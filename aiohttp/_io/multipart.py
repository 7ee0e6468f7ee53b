"""Multipart bodies over streams: :class:`MultipartReader`, :class:`BodyPartReader` and
:class:`MultipartWriter`, with the aiohttp 3.x API.

The reader is driven by the sans-I/O :class:`aiohttp._sansio.multipart.MultipartParser`: it
reads the stream in pieces, feeds the parser and hands its events to the part readers, so a
part's body is never held whole unless asked for with :meth:`BodyPartReader.read`. Malformed
bodies raise :class:`~aiohttp._sansio.multipart.MultipartParseError` and bodies past a limit
:class:`~aiohttp._sansio.multipart.MultipartLimitError`; both carry the HTTP ``status`` a server
answers with.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections import deque
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode

from multidict import CIMultiDict, CIMultiDictProxy

from .._sansio.codings import DEFAULT_MAX_DECOMPRESSED_SIZE, Decoder, Encoder, decoder_for
from .._sansio.mime import (
    content_disposition_filename,
    parse_content_disposition,
    parse_mimetype,
    quote_string,
)
from .._sansio.multipart import (
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_MAX_PART_HEADER_SIZE,
    DEFAULT_MAX_PARTS,
    Event,
    MultipartEnd,
    MultipartParseError,
    MultipartParser,
    PartData,
    PartHeaders,
    closing_delimiter,
    make_boundary,
    part_head,
    validate_boundary,
)
from .payload import JsonPayload, Order, Payload, StringPayload, get_payload, payload_type

__all__ = (
    "BadContentDispositionHeader",
    "BadContentDispositionParam",
    "BodyPartReader",
    "BodyPartReaderPayload",
    "MultipartReader",
    "MultipartResponseWrapper",
    "MultipartWriter",
)

_READ_SIZE = 2**16
_QP_PARTIAL_RE = re.compile(rb"=[0-9A-Fa-f\r]?\Z")
_TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


class BadContentDispositionHeader(RuntimeWarning):
    """Kept for aiohttp 3.x imports: a malformed Content-Disposition now reads as absent."""


class BadContentDispositionParam(RuntimeWarning):
    """Kept for aiohttp 3.x imports: a malformed parameter now makes the header read as absent."""


class _Source(Protocol):
    async def read(self, n: int = -1) -> bytes: ...


class _Writer(Protocol):
    async def write(self, chunk: bytes) -> None: ...


class BodyPartReader:
    """One part of a multipart body, read as it arrives.

    Created by :class:`MultipartReader`; not meant to be built by hand.

    Attributes:
        headers: the part's header fields.
    """

    chunk_size = 8192

    def __init__(
        self, headers: CIMultiDictProxy[str], reader: MultipartReader, *, subtype: str = "mixed"
    ) -> None:
        self.headers = headers
        self._reader = reader
        self._is_form_data = subtype == "form-data"
        self._buffer = bytearray()
        self._eof = False
        self._decoder: Decoder | None = None
        self._disposition = parse_content_disposition(headers.get("Content-Disposition"))[1]
        self._cte = headers.get("Content-Transfer-Encoding", "").lower()

    def __aiter__(self) -> BodyPartReader:
        return self

    async def __anext__(self) -> bytes:
        item = await self.next()
        if item is None:
            raise StopAsyncIteration
        return item

    async def next(self) -> bytes | None:
        """The rest of the body, or ``None`` once it has been read."""
        item = await self.read()
        return item or None

    def at_eof(self) -> bool:
        """Whether the whole body has been read."""
        return self._eof and not self._buffer

    @property
    def name(self) -> str | None:
        """The ``name`` parameter of Content-Disposition."""
        return content_disposition_filename(self._disposition, "name")

    @property
    def filename(self) -> str | None:
        """The ``filename`` (or ``filename*``) parameter of Content-Disposition."""
        return content_disposition_filename(self._disposition, "filename")

    async def _fill(self) -> bool:
        """Move the next piece of body into the buffer; false at the end of the part."""
        if self._eof:
            return False
        event = await self._reader._event()
        if isinstance(event, PartData):
            # base64 ignores whitespace (RFC 2045 §6.8): dropping it keeps pieces aligned.
            data = event.data
            self._buffer += data.translate(None, b" \t\r\n") if self._cte == "base64" else data
            return True
        self._eof = True  # PartEnd: the parser emits nothing else inside a part
        return False

    async def read_chunk(self, size: int = chunk_size) -> bytes:
        """The next ``size`` raw bytes of the body (fewer at its end, ``b""`` past it).

        With a base64 or quoted-printable transfer encoding, the piece ends where
        :meth:`decode` can decode it on its own (base64 pieces are whole 4-letter quanta, at
        least one, without the insignificant whitespace).
        """
        if self._cte == "base64":
            size = max(4, size - size % 4)  # whole base64 quanta
        elif self._cte == "quoted-printable":
            size = max(3, size)  # room for one "=XX" escape
        while len(self._buffer) < size and await self._fill():
            pass
        cut = min(size, len(self._buffer))
        if self._cte == "quoted-printable" and not self._eof:
            partial = _QP_PARTIAL_RE.search(self._buffer, 0, cut)
            cut = partial.start() if partial else cut
        chunk = bytes(self._buffer[:cut])
        del self._buffer[:cut]
        return chunk

    async def readline(self) -> bytes:
        """The body up to and including the next ``\\n`` (or its rest)."""
        while b"\n" not in self._buffer and await self._fill():
            pass
        end = self._buffer.find(b"\n") + 1 or len(self._buffer)
        line = bytes(self._buffer[:end])
        del self._buffer[:end]
        return line

    async def read(self, *, decode: bool = False) -> bytes:
        """The rest of the body; with ``decode``, transfer and content codings undone."""
        while await self._fill():
            pass
        data = bytes(self._buffer)
        self._buffer.clear()
        return self.decode(data) if decode else data

    async def release(self) -> None:
        """Skip the rest of the body."""
        while await self._fill():
            self._buffer.clear()
        self._buffer.clear()

    async def text(self, *, encoding: str | None = None) -> str:
        """The decoded body as text, in ``encoding`` or the part's charset (UTF-8)."""
        data = await self.read(decode=True)
        return data.decode(encoding or self.get_charset(default="utf-8"))

    async def json(self, *, encoding: str | None = None) -> Any:
        """The decoded body parsed as JSON, or ``None`` when it is empty."""
        data = await self.read(decode=True)
        if not data:
            return None
        return json.loads(data.decode(encoding or self.get_charset(default="utf-8")))

    async def form(self, *, encoding: str | None = None) -> list[tuple[str, str]]:
        """The decoded body parsed as ``application/x-www-form-urlencoded``."""
        data = await self.read(decode=True)
        if not data:
            return []
        real = encoding or self.get_charset(default="utf-8")
        try:
            text = data.rstrip().decode(real)
        except UnicodeDecodeError:
            raise ValueError(f"data cannot be decoded with {real} encoding") from None
        return parse_qsl(text, keep_blank_values=True, encoding=real)

    def decode(self, data: bytes) -> bytes:
        """Undo Content-Transfer-Encoding, then Content-Encoding, of ``data``.

        Raises:
            RuntimeError: an unknown transfer or content coding.
        """
        if self._cte == "base64":
            data = base64.b64decode(data)
        elif self._cte == "quoted-printable":
            data = binascii.a2b_qp(data)
        elif self._cte not in ("", "binary", "8bit", "7bit"):
            raise RuntimeError(f"unknown content transfer encoding: {self._cte}")
        encoding = self.headers.get("Content-Encoding", "").lower()
        if not encoding or encoding == "identity":
            return data
        if self._decoder is None:
            if encoding not in ("gzip", "deflate", "br", "zstd"):
                raise RuntimeError(f"unknown content encoding: {encoding}")
            self._decoder = decoder_for(encoding, max_size=DEFAULT_MAX_DECOMPRESSED_SIZE)
        return self._decoder.decompress(data)

    def get_charset(self, default: str) -> str:
        """The ``charset`` of the part's Content-Type, else ``default``."""
        mimetype = parse_mimetype(self.headers.get("Content-Type", ""))
        return mimetype.parameters.get("charset", self._reader._default_charset or default)


class _PartSource:
    """A part's body as a source for a nested :class:`MultipartReader`."""

    def __init__(self, part: BodyPartReader) -> None:
        self.part = part

    async def read(self, n: int = -1) -> bytes:
        return await self.part.read_chunk(n)


class MultipartReader:
    """Reads a multipart body part by part.

    Args:
        headers: the message headers (Content-Type must be ``multipart/*`` with a boundary).
        content: the body stream (anything with ``async read(n)``).
        max_parts: most parts accepted.
        max_part_header_size: most bytes in one part's header block.
        max_body_size: most bytes in the whole body.

    Raises:
        ValueError: the Content-Type is not multipart or has no valid boundary.
    """

    #: The class for parts that are not themselves multipart.
    part_reader_cls = BodyPartReader
    #: The class for nested multipart parts (``None``: this class).
    multipart_reader_cls: type[MultipartReader] | None = None
    #: The class :meth:`from_response` wraps the reader in.
    response_wrapper_cls: type[MultipartResponseWrapper]

    def __init__(
        self,
        headers: Mapping[str, str],
        content: _Source,
        *,
        max_parts: int = DEFAULT_MAX_PARTS,
        max_part_header_size: int = DEFAULT_MAX_PART_HEADER_SIZE,
        max_body_size: int | None = DEFAULT_MAX_BODY_SIZE,
    ) -> None:
        self.headers = headers
        mimetype = parse_mimetype(headers.get("Content-Type", ""))
        if mimetype.type != "multipart":
            raise ValueError(f"multipart/* content type expected, not {mimetype.type!r}")
        boundary = mimetype.parameters.get("boundary")
        if boundary is None:
            raise ValueError(f"boundary missed for Content-Type: {headers['Content-Type']}")
        self._subtype = mimetype.subtype
        self._limits = (max_parts, max_part_header_size, max_body_size)
        self._parser = MultipartParser(
            boundary,
            max_parts=max_parts,
            max_part_header_size=max_part_header_size,
            max_body_size=max_body_size,
        )
        self._content = content
        self._events: deque[Event] = deque()
        self._current: BodyPartReader | MultipartReader | None = None
        self._at_eof = False
        self._default_charset: str | None = None
        self._parent: BodyPartReader | None = None

    @classmethod
    def from_response(cls, response: Any) -> MultipartResponseWrapper:
        """A reader over a client response's body, released with the response."""
        return cls.response_wrapper_cls(response, cls(response.headers, response.content))

    def __aiter__(self) -> MultipartReader:
        return self

    async def __anext__(self) -> BodyPartReader | MultipartReader:
        part = await self.next()
        if part is None:
            raise StopAsyncIteration
        return part

    def at_eof(self) -> bool:
        """Whether the close delimiter has been read."""
        return self._at_eof

    async def _event(self) -> Event:
        while not self._events:
            data = await self._content.read(_READ_SIZE)
            self._events.extend(self._parser.feed(data) if data else self._parser.feed_eof())
        return self._events.popleft()

    async def next(self) -> BodyPartReader | MultipartReader | None:
        """The next part (a nested multipart part as a :class:`MultipartReader`), or ``None``."""
        if self._at_eof:
            return None
        if self._current is not None:
            await self._current.release()
            self._current = None
        event = await self._event()
        if isinstance(event, MultipartEnd):
            self._at_eof = True
            return None
        if not isinstance(event, PartHeaders):  # pragma: no cover - only headers come here
            raise MultipartParseError(f"unexpected multipart event {type(event).__name__}")
        self._current = self._part(CIMultiDictProxy(CIMultiDict(event.headers)))
        return self._current

    async def fetch_next_part(self) -> BodyPartReader | MultipartReader | None:
        """Same as :meth:`next`."""
        return await self.next()

    def _part(self, headers: CIMultiDictProxy[str]) -> BodyPartReader | MultipartReader:
        part = self.part_reader_cls(headers, self, subtype=self._subtype)
        if parse_mimetype(headers.get("Content-Type", "")).type != "multipart":
            return part
        max_parts, max_header, max_body = self._limits
        nested = (self.multipart_reader_cls or type(self))(
            headers,
            _PartSource(part),
            max_parts=max_parts,
            max_part_header_size=max_header,
            max_body_size=max_body,
        )
        nested._parent = part
        return nested

    async def release(self) -> None:
        """Skip every remaining part (and, for a nested reader, the rest of its part)."""
        while await self.next() is not None:
            pass
        if self._parent is not None:
            await self._parent.release()


class MultipartResponseWrapper:
    """A :class:`MultipartReader` tied to the client response it reads."""

    def __init__(self, resp: Any, stream: MultipartReader) -> None:
        self.resp = resp
        self.stream = stream

    def __aiter__(self) -> MultipartResponseWrapper:
        return self

    async def __anext__(self) -> BodyPartReader | MultipartReader:
        part = await self.next()
        if part is None:
            raise StopAsyncIteration
        return part

    def at_eof(self) -> bool:
        """Whether the body has been read to its end."""
        return bool(self.resp.content.at_eof())

    async def next(self) -> BodyPartReader | MultipartReader | None:
        """The next part; the response is released after the last."""
        item = await self.stream.next()
        if self.stream.at_eof():
            await self.release()
        return item

    async def release(self) -> None:
        """Release the response."""
        await self.resp.release()


MultipartReader.response_wrapper_cls = MultipartResponseWrapper


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

    async def write(self, writer: _Writer) -> None:
        """Write the part's decoded body as it arrives."""
        part = self._value
        while chunk := await part.read_chunk(_READ_SIZE):
            await writer.write(part.decode(chunk))


class _EncodingWriter:
    """Applies a part's Content-Encoding, then its Content-Transfer-Encoding, while writing."""

    def __init__(self, writer: _Writer, encoding: str | None, te: str | None) -> None:
        self._writer = writer
        self._encoder = Encoder(encoding) if encoding else None
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

    def append(self, obj: Any, headers: Mapping[str, str] | None = None) -> Payload:
        """Append a part made from ``obj`` (see :func:`aiohttp.get_payload`)."""
        if isinstance(obj, Payload):
            obj.headers.update(headers or {})
            return self.append_payload(obj)
        return self.append_payload(get_payload(obj, headers=headers))

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
        """Close every part."""
        for payload, _, _ in self._parts:
            await payload.close()
