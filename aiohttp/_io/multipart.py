"""Reading multipart bodies over streams: :class:`MultipartReader` and :class:`BodyPartReader`,
with the aiohttp 3.x API (the writer is in :mod:`aiohttp._io.multipart_writer`).

The reader is driven by the sans-I/O :class:`aiohttp._sansio.multipart.MultipartParser`: it
reads the stream in pieces, feeds the parser and hands its events to the part readers, so a
part's body is never held whole unless asked for with :meth:`BodyPartReader.read`. Malformed
bodies raise :class:`~aiohttp._sansio.multipart.MultipartParseError` and bodies past a limit
:class:`~aiohttp._sansio.multipart.MultipartLimitError`; both carry the HTTP ``status`` a server
answers with. A part's header line past ``max_field_size`` and more than ``max_headers`` lines
also raise what 3.x raises for them (``LineTooLong``, ``BadHttpMessage``).

A :class:`BodyPartReader` made by hand, as in 3.x, reads one part's body from a stream that
starts with it and ends with the delimiter (CRLF and the ``boundary`` bytes given).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import sys
import warnings
from collections import deque
from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol
from urllib.parse import parse_qsl

from multidict import CIMultiDict, CIMultiDictProxy

from .._sansio.codings import DEFAULT_MAX_DECOMPRESSED_SIZE, Decoder, decoder_for
from .._sansio.mime import (
    BadContentDispositionHeader,
    BadContentDispositionParam,
    content_disposition_filename,
    parse_content_disposition,
    parse_mimetype,
)
from .._sansio.multipart import (
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_MAX_FIELD_SIZE,
    DEFAULT_MAX_HEADERS,
    DEFAULT_MAX_PART_HEADER_SIZE,
    DEFAULT_MAX_PARTS,
    Event,
    MultipartEnd,
    MultipartParseError,
    MultipartParser,
    PartData,
    PartEnd,
    PartHeaders,
)

__all__ = (
    "BadContentDispositionHeader",
    "BadContentDispositionParam",
    "BodyPartReader",
    "MultipartReader",
    "MultipartResponseWrapper",
)

_READ_SIZE = 2**16
#: Most bytes one decoding step of a part produces (aiohttp 3.x's ``max_decompress_size``).
DEFAULT_MAX_DECOMPRESS_SIZE = 2**18
#: Bytes a form's ``_charset_`` field may hold: a charset name is short (3.x refuses 32).
_MAX_CHARSET_FIELD = 32
_QP_PARTIAL_RE = re.compile(rb"=[0-9A-Fa-f\r]?\Z")
_IDENTITY_CTE = ("", "binary", "8bit", "7bit")


class _BadCharsetField(MultipartParseError, RuntimeError):
    """A form's ``_charset_`` field is too long: the peer's fault (400), and a
    ``RuntimeError`` as in 3.x."""


class _Source(Protocol):
    async def read(self, n: int = -1) -> bytes: ...


class _EventFeed:
    """A stream fed to a sans-I/O parser; hands out the parser's events one at a time."""

    def __init__(self, content: _Source, parser: MultipartParser) -> None:
        self.content = content
        self._parser = parser
        self._events: deque[Event] = deque()

    async def next_event(self) -> Event:
        while not self._events:
            data = await self.content.read(_READ_SIZE)
            self._events.extend(self._parser.feed(data) if data else self._parser.feed_eof())
        return self._events.popleft()

    def end_is_next(self) -> bool:
        """Whether the next event is already known to end the part (no read needed)."""
        return bool(self._events) and isinstance(self._events[0], PartEnd)


def _content_length(headers: Mapping[str, str], is_form_data: bool) -> int | None:
    """A part's Content-Length, ignored in form-data (RFC 7578 §4.8).

    Raises:
        ValueError: it is not a plain decimal number (RFC 9110 §8.6).
    """
    length = None if is_form_data else headers.get("Content-Length")
    if length is None:
        return None
    if not (length.isascii() and length.isdigit()):
        raise ValueError(f"invalid Content-Length: {length[:32]!r}")
    return int(length)


class BodyPartReader:
    """One part of a multipart body, read as it arrives.

    :class:`MultipartReader` makes them; made by hand, as in aiohttp 3.x, one reads a single
    part's body from ``content``, which starts with the body and goes on with the delimiter.

    Args:
        boundary: ``b"--"`` and the boundary (the delimiter is CRLF and these bytes).
        headers: the part's header fields.
        content: the stream (anything with ``async read(n)``).
        subtype: the multipart subtype of the enclosing body.
        default_charset: the charset of text parts that name none (else the caller's default).
        max_decompress_size: most bytes one decoding step produces in :meth:`decode_iter`.
        client_max_size: most bytes :meth:`read` returns, before and after decoding.
        max_size_error_cls: what :meth:`read` raises past ``client_max_size`` (called with it).

    Raises:
        ValueError: the part's Content-Length (outside form-data) is not a number.

    Attributes:
        headers: the part's header fields.
    """

    chunk_size = 8192

    def __init__(
        self,
        boundary: bytes | str,
        headers: CIMultiDictProxy[str],
        content: Any,
        *,
        subtype: str = "mixed",
        default_charset: str | None = None,
        max_decompress_size: int = DEFAULT_MAX_DECOMPRESS_SIZE,
        client_max_size: int = sys.maxsize,
        max_size_error_cls: type[Exception] = ValueError,
    ) -> None:
        if isinstance(boundary, str):  # 3.x stores whatever it is given
            boundary = boundary.encode()
        self.headers = headers
        self._boundary = boundary
        self._content = content
        self._is_form_data = subtype == "form-data"
        self._length = _content_length(headers, self._is_form_data)
        self._parser: MultipartParser | None = None
        if not isinstance(content, _EventFeed):
            self._parser = MultipartParser.for_part_body(boundary)
            content = _EventFeed(content, self._parser)
        self._feed = content
        self._default_charset = default_charset
        self._max_decompress_size = max_decompress_size
        self._client_max_size = client_max_size
        self._max_size_error_cls = max_size_error_cls
        self._buffer = bytearray()
        self._received = 0
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
        """Move the next piece of body into the buffer; false at the end of the part.

        Raises:
            MultipartParseError: the body's length is not its Content-Length.
        """
        if self._eof:
            return False
        event = await self._feed.next_event()
        if isinstance(event, PartData):
            data = event.data
            self._received += len(data)
            # base64 ignores whitespace (RFC 2045 §6.8): dropping it keeps pieces aligned.
            self._buffer += data.translate(None, b" \t\r\n") if self._cte == "base64" else data
            return True
        self._eof = True  # PartEnd: the parser emits nothing else inside a part
        if self._parser is not None:
            self._give_back(self._parser.rest)
        if self._length is not None and self._received != self._length:
            raise MultipartParseError(
                f"part body has {self._received} bytes, its Content-Length says {self._length}"
            )
        return False

    def _give_back(self, rest: bytes) -> None:
        """Made by hand, leave the stream at the delimiter after the body, as 3.x does: what
        was read past the body goes back to a stream that can take it (``unread_data``)."""
        unread = getattr(self._content, "unread_data", None)
        if rest and unread is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                unread(rest)

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
        if not self._buffer and self._feed.end_is_next():
            await self._fill()  # at_eof() is true once the last chunk is out, as in 3.x
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
        """The rest of the body; with ``decode``, transfer and content codings undone.

        Raises:
            Exception: ``max_size_error_cls(client_max_size)`` when the body (or the decoded
                body) is longer than ``client_max_size``.
        """
        while await self._fill():
            self._check_size(len(self._buffer))
        data = bytes(self._buffer)
        self._buffer.clear()
        if not decode:
            return data
        decoded = bytearray()
        async for piece in self.decode_iter(data):
            decoded += piece
            self._check_size(len(decoded))
        return bytes(decoded)

    def _check_size(self, size: int) -> None:
        if size > self._client_max_size:
            raise self._max_size_error_cls(self._client_max_size)

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

    def _undo_transfer_encoding(self, data: bytes) -> bytes:
        if self._cte == "base64":
            return base64.b64decode(data)
        if self._cte == "quoted-printable":
            return binascii.a2b_qp(data)
        if self._cte not in _IDENTITY_CTE:
            raise RuntimeError(f"unknown content transfer encoding: {self._cte}")
        return data

    def _content_decoder(self) -> Decoder | None:
        """The part's Content-Encoding decoder (one per part: pieces decode as a stream)."""
        encoding = self.headers.get("Content-Encoding", "").lower()
        if not encoding or encoding == "identity":
            return None
        if self._decoder is None:
            if encoding not in ("gzip", "deflate", "br", "zstd"):
                raise RuntimeError(f"unknown content encoding: {encoding}")
            self._decoder = decoder_for(
                encoding,
                max_size=DEFAULT_MAX_DECOMPRESSED_SIZE,
                chunk_size=self._max_decompress_size,
            )
        return self._decoder

    def decode(self, data: bytes) -> bytes:
        """Undo Content-Transfer-Encoding, then Content-Encoding, of ``data``.

        Successive pieces of a body decode as one stream, and the whole of what ``data``
        decodes to is returned (aiohttp 3.x stops at ``max_decompress_size``).

        Raises:
            RuntimeError: an unknown transfer or content coding.
        """
        data = self._undo_transfer_encoding(data)
        decoder = self._content_decoder()
        return data if decoder is None else decoder.decompress(data)

    async def decode_iter(self, data: bytes) -> AsyncIterator[bytes]:
        """Like :meth:`decode`, in pieces of at most ``max_decompress_size`` decoded bytes.

        Raises:
            RuntimeError: an unknown transfer or content coding.
        """
        data = self._undo_transfer_encoding(data)
        decoder = self._content_decoder()
        if decoder is None:
            yield data
            return
        for piece in decoder.feed(data):
            yield piece

    def get_charset(self, default: str) -> str:
        """The ``charset`` of the part's Content-Type, else ``default_charset`` or ``default``."""
        mimetype = parse_mimetype(self.headers.get("Content-Type", ""))
        return mimetype.parameters.get("charset", self._default_charset or default)


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
        client_max_size: most bytes a part's :meth:`BodyPartReader.read` returns.
        max_field_size: most bytes in one header line of a part, its CRLF included.
        max_headers: most header lines in one part.
        max_size_error_cls: what a part's ``read()`` raises past ``client_max_size``.
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
        client_max_size: int = sys.maxsize,
        max_field_size: int = DEFAULT_MAX_FIELD_SIZE,
        max_headers: int = DEFAULT_MAX_HEADERS,
        max_size_error_cls: type[Exception] = ValueError,
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
        self._boundary = b"--" + boundary.encode("utf-8")
        # What a nested reader gets: the arguments of 3.x's signature, which subclasses have.
        self._limits: dict[str, Any] = {
            "client_max_size": client_max_size,
            "max_field_size": max_field_size,
            "max_headers": max_headers,
            "max_size_error_cls": max_size_error_cls,
        }
        parser = MultipartParser(
            boundary,
            max_parts=max_parts,
            max_part_header_size=max_part_header_size,
            max_body_size=max_body_size,
            max_field_size=max_field_size,
            max_headers=max_headers,
        )
        self._content = content
        self._feed = _EventFeed(content, parser)
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

    async def next(self) -> BodyPartReader | MultipartReader | None:
        """The next part (a nested multipart part as a :class:`MultipartReader`), or ``None``."""
        if self._at_eof:
            return None
        if self._current is not None:
            await self._current.release()
            self._current = None
        event = await self._feed.next_event()
        if isinstance(event, MultipartEnd):
            self._at_eof = True
            return None
        if not isinstance(event, PartHeaders):  # pragma: no cover - only headers come here
            raise MultipartParseError(f"unexpected multipart event {type(event).__name__}")
        part = self._current = self._part(CIMultiDictProxy(CIMultiDict(event.headers)))
        if (
            self._subtype == "form-data"
            and self._default_charset is None
            and isinstance(part, BodyPartReader)
            and part.name == "_charset_"
        ):
            await self._take_default_charset(part)
            return await self.next()
        return part

    async def _take_default_charset(self, part: BodyPartReader) -> None:
        """RFC 7578 §4.6: the first ``_charset_`` field of a form names the charset of the
        text parts that give none; it is taken, not handed out (as in 3.x).

        Raises:
            RuntimeError: the value is 32 bytes or longer (also a ``MultipartParseError``).
        """
        value = bytearray()
        while len(value) < _MAX_CHARSET_FIELD and (
            chunk := await part.read_chunk(_MAX_CHARSET_FIELD - len(value))
        ):
            value += chunk
        if len(value) >= _MAX_CHARSET_FIELD:
            raise _BadCharsetField("Invalid default charset")
        self._default_charset = bytes(value).strip().decode() or None

    async def fetch_next_part(self) -> BodyPartReader | MultipartReader | None:
        """Same as :meth:`next`."""
        return await self.next()

    def _part(self, headers: CIMultiDictProxy[str]) -> BodyPartReader | MultipartReader:
        limits = self._limits
        part = self.part_reader_cls(
            self._boundary,
            headers,
            self._feed,
            subtype=self._subtype,
            default_charset=self._default_charset,
            client_max_size=limits["client_max_size"],
            max_size_error_cls=limits["max_size_error_cls"],
        )
        if parse_mimetype(headers.get("Content-Type", "")).type != "multipart":
            return part
        nested = (self.multipart_reader_cls or type(self))(headers, _PartSource(part), **limits)
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
