"""Payloads: request and response bodies that know their size, type and how to write themselves.

:func:`get_payload` wraps a value (bytes, str, a file object, an async iterable ...) in the
:class:`Payload` registered for its type; :func:`payload_type` registers more. A payload writes
itself to anything with ``async write(bytes)`` (the :class:`_Writer` protocol that
``aiohttp.abc.AbstractStreamWriter`` satisfies).

A payload's :attr:`Payload.resendable` says whether :meth:`Payload.write` may run again (for a
307/308 redirect or a retry): in-memory payloads and seekable files can, iterators cannot.
:attr:`Payload.consumed` (aiohttp 3.x's name) tells that a write or :meth:`Payload.close` has
used it up; :attr:`Payload.autoclose` that it holds nothing to close.
:meth:`Payload.write_with_length` writes at most a given number of bytes.
"""

from __future__ import annotations

import asyncio
import enum
import io
import mimetypes
import os
from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any, Protocol

from multidict import CIMultiDict

from .._sansio.mime import content_disposition_header, parse_mimetype
from .._sansio.multipart import check_field
from .streams import StreamReader

__all__ = (
    "PAYLOAD_REGISTRY",
    "AsyncIterablePayload",
    "BufferedReaderPayload",
    "BytesIOPayload",
    "BytesPayload",
    "IOBasePayload",
    "LookupError",
    "Order",
    "Payload",
    "PayloadRegistry",
    "StreamReaderPayload",
    "StringIOPayload",
    "StringPayload",
    "TextIOPayload",
    "get_payload",
    "guess_filename",
    "payload_type",
    "register_payload",
)

#: Bytes a file payload reads per executor call.
READ_SIZE = 2**16
#: Closes of payloads still running after ``close()`` returned, for test suites to await at
#: teardown (aiohttp 3.x schedules file closes in an executor and keeps them here). A payload
#: here closes its file before ``close()`` returns, so nothing is ever left running.
_CLOSE_FUTURES: set[asyncio.Future[None]] = set()

_NOT_GIVEN: Any = object()


class _Writer(Protocol):
    async def write(self, chunk: bytes) -> None: ...


class _LimitedWriter:
    """Passes on the first ``limit`` bytes written to it and drops the rest."""

    def __init__(self, writer: _Writer, limit: int) -> None:
        self._writer = writer
        self.left = limit

    async def write(self, chunk: bytes) -> None:
        if self.left > 0:
            piece = chunk[: self.left]
            self.left -= len(piece)
            await self._writer.write(piece)


class LookupError(Exception):  # aiohttp 3.x shadows the builtin here
    """No payload class is registered for the value's type."""


class Order(enum.StrEnum):
    """Where a registered payload factory goes in the lookup order."""

    normal = "normal"
    try_first = "try_first"
    try_last = "try_last"


def guess_filename(obj: object, default: str | None = None) -> str | None:
    """The base name of a file object's ``name``, unless it is a pseudo name like ``<stdin>``."""
    name = getattr(obj, "name", None)
    if isinstance(name, str) and name and not (name[0] == "<" and name[-1] == ">"):
        return Path(name).name
    return default


class PayloadRegistry:
    """Maps value types to payload factories, consulted in registration order."""

    def __init__(self) -> None:
        self._first: list[tuple[Callable[..., Payload], Any]] = []
        self._normal: list[tuple[Callable[..., Payload], Any]] = []
        self._last: list[tuple[Callable[..., Payload], Any]] = []

    def get(self, data: Any, *args: Any, **kwargs: Any) -> Payload:
        """Wrap ``data`` in the first payload whose registered type it is an instance of.

        Raises:
            LookupError: no payload is registered for its type.
        """
        if isinstance(data, Payload):
            return data
        for factory, type_ in (*self._first, *self._normal, *self._last):
            if isinstance(data, type_):
                return factory(data, *args, **kwargs)
        raise LookupError(f"no payload for {type(data).__name__}")

    def register(
        self, factory: Callable[..., Payload], type: Any, *, order: Order = Order.normal
    ) -> None:
        """Register ``factory`` for values of ``type`` (a type or a tuple of types).

        Raises:
            ValueError: ``order`` is not an :class:`Order`.
        """
        if not isinstance(order, Order):
            raise ValueError(f"Unsupported order {order!r}")
        lists = {Order.try_first: self._first, Order.normal: self._normal}
        lists.get(order, self._last).append((factory, type))


class Payload(ABC):
    """A body with its headers.

    Args:
        value: what the payload carries.
        headers: extra header fields.
        content_type: the Content-Type; guessed from ``filename`` when not given (or ``None``).
        filename: a file name, for Content-Disposition.
        encoding: the text encoding, for text payloads.
    """

    _default_content_type = "application/octet-stream"
    _size: int | None = None
    _consumed = False
    _autoclose = False

    def __init__(
        self,
        value: Any,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        content_type: str | None = _NOT_GIVEN,
        filename: str | None = None,
        encoding: str | None = None,
        **kwargs: Any,
    ) -> None:
        if content_type is _NOT_GIVEN:
            content_type = None
        self._encoding = encoding
        self._filename = filename
        self._headers: CIMultiDict[str] = CIMultiDict()
        self._value = value
        if content_type is None and filename is not None:
            content_type = mimetypes.guess_type(filename)[0]
        self._headers["Content-Type"] = content_type or self._default_content_type
        if headers:
            self._headers.update(headers)

    @property
    def size(self) -> int | None:
        """The body's length in bytes, or ``None`` when unknown (sent chunked)."""
        return self._size

    @property
    def filename(self) -> str | None:
        """The file name, if any."""
        return self._filename

    @property
    def headers(self) -> CIMultiDict[str]:
        """The payload's header fields (Content-Type and any others)."""
        return self._headers

    @property
    def _binary_headers(self) -> bytes:
        for name, value in self._headers.items():
            check_field(name, value)
        lines = "".join(f"{name}: {value}\r\n" for name, value in self._headers.items())
        return (lines + "\r\n").encode("utf-8")

    @property
    def encoding(self) -> str | None:
        """The text encoding, if any."""
        return self._encoding

    @property
    def content_type(self) -> str:
        """The Content-Type header value."""
        return self._headers["Content-Type"]

    @property
    def value(self) -> Any:
        """What the payload carries."""
        return self._value

    @property
    def resendable(self) -> bool:
        """Whether :meth:`write` may be called again to send the same body."""
        return True

    @property
    def consumed(self) -> bool:
        """Whether the payload was used up (a one-shot source was written, or it was closed)."""
        return self._consumed

    @property
    def autoclose(self) -> bool:
        """Whether the payload holds nothing to release; if false, await :meth:`close`."""
        return self._autoclose

    def set_content_disposition(
        self, disptype: str, quote_fields: bool = True, _charset: str = "utf-8", **params: str
    ) -> None:
        """Set Content-Disposition (see :func:`aiohttp.content_disposition_header`)."""
        self._headers["Content-Disposition"] = content_disposition_header(
            disptype, quote_fields=quote_fields, _charset=_charset, params=params
        )

    @abstractmethod
    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """The body as text."""

    @abstractmethod
    async def write(self, writer: _Writer) -> None:
        """Write the body to ``writer``."""

    async def write_with_length(self, writer: _Writer, content_length: int | None) -> None:
        """Write the body, but no more than ``content_length`` bytes of it (all if ``None``)."""
        if content_length is None:
            await self.write(writer)
        else:
            await self.write(_LimitedWriter(writer, content_length))

    async def as_bytes(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """The whole body as bytes: :meth:`decode` encoded in the payload's encoding (else
        ``encoding``), as aiohttp 3.x does for payloads that do not say otherwise."""
        real = self._encoding or encoding
        return self.decode(real, errors).encode(real, errors)

    async def close(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Release what the payload holds (a no-op for in-memory payloads)."""


class _Collector:
    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    async def write(self, chunk: bytes) -> None:
        self.chunks.append(bytes(chunk))


async def written_bytes(payload: Payload) -> bytes:
    """Everything ``payload.write()`` writes, joined."""
    collected = _Collector()
    await payload.write(collected)
    return b"".join(collected.chunks)


class BytesPayload(Payload):
    """A payload from ``bytes``, ``bytearray`` or ``memoryview``.

    Raises:
        TypeError: the value is not bytes-like.
    """

    _value: bytes
    _autoclose = True

    def __init__(self, value: bytes | bytearray | memoryview, *args: Any, **kwargs: Any) -> None:
        if not isinstance(value, bytes | bytearray | memoryview):
            raise TypeError(f"value argument must be byte-ish, not {type(value)!r}")
        kwargs.setdefault("content_type", "application/octet-stream")  # not guessed, as in 3.x
        super().__init__(bytes(value), *args, **kwargs)
        self._size = len(self._value)

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """The bytes decoded with ``encoding``."""
        return self._value.decode(encoding, errors)

    async def as_bytes(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """The bytes themselves."""
        return bytes(self._value)

    async def write(self, writer: _Writer) -> None:
        """Write the bytes."""
        await writer.write(self._value)

    async def write_with_length(self, writer: _Writer, content_length: int | None) -> None:
        """Write the bytes, or their first ``content_length``."""
        value = self._value
        await writer.write(value if content_length is None else value[:content_length])


def _text_encoding(encoding: str | None, content_type: str | None) -> tuple[str, str]:
    """The encoding and Content-Type of a text payload, as aiohttp 3.x picks them."""
    if encoding is None:
        if content_type is None:
            return "utf-8", "text/plain; charset=utf-8"
        return parse_mimetype(content_type).parameters.get("charset", "utf-8"), content_type
    return encoding, content_type or f"text/plain; charset={encoding}"


class StringPayload(BytesPayload):
    """A payload from ``str``, encoded with ``encoding`` or the Content-Type's charset (UTF-8)."""

    def __init__(
        self,
        value: str,
        *args: Any,
        encoding: str | None = None,
        content_type: str | None = None,
        **kwargs: Any,
    ) -> None:
        real_encoding, content_type = _text_encoding(encoding, content_type)
        super().__init__(
            value.encode(real_encoding),
            *args,
            encoding=real_encoding,
            content_type=content_type,
            **kwargs,
        )


class StringIOPayload(StringPayload):
    """A payload from an :class:`io.StringIO`, read whole."""

    def __init__(self, value: IO[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(value.read(), *args, **kwargs)


class IOBasePayload(Payload):
    """A payload from a binary file object, read in the executor in pieces.

    A file with a name gets a Content-Disposition of ``disposition`` with that file name.
    """

    _value: IO[Any]

    def __init__(
        self, value: IO[Any], disposition: str | None = "attachment", *args: Any, **kwargs: Any
    ) -> None:
        if "filename" not in kwargs:
            kwargs["filename"] = guess_filename(value)
        super().__init__(value, *args, **kwargs)
        if (
            self._filename is not None
            and disposition is not None
            and "Content-Disposition" not in self.headers
        ):
            self.set_content_disposition(disposition, filename=self._filename)
        try:
            self._start: int | None = value.tell()
        except (AttributeError, OSError, ValueError):
            self._start = None
        self._size = self._measure()

    def _measure(self) -> int | None:
        try:
            return os.fstat(self._value.fileno()).st_size - (self._start or 0)
        except (AttributeError, OSError, ValueError):
            return None

    @property
    def resendable(self) -> bool:
        """Whether the file can be read again from where it started (it is seekable)."""
        return self._start is not None and self._value.seekable()

    def _read(self, size: int = READ_SIZE) -> bytes:
        chunk = self._value.read(size)
        return chunk.encode(self._encoding or "utf-8") if isinstance(chunk, str) else chunk

    async def write(self, writer: _Writer) -> None:
        """Write the file from its starting position, in pieces read off the event loop."""
        await self.write_with_length(writer, None)

    async def write_with_length(self, writer: _Writer, content_length: int | None) -> None:
        """Write the file from its starting position, up to ``content_length`` bytes of it.

        Only what is sent is read (a text file may go a few bytes past: its characters are
        read, then encoded).
        """
        loop = asyncio.get_running_loop()
        if self._start is not None and self.resendable:
            await loop.run_in_executor(None, self._value.seek, self._start, 0)
        else:
            self._consumed = True  # it cannot be rewound: this write uses it up
        left = content_length
        while left is None or left > 0:
            size = READ_SIZE if left is None else min(READ_SIZE, left)
            chunk = await loop.run_in_executor(None, self._read, size)
            if not chunk:
                break
            if left is not None:
                chunk = chunk[:left]
                left -= len(chunk)
            await writer.write(chunk)

    async def as_bytes(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """The rest of the file, as :meth:`write` sends it."""
        return await written_bytes(self)

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """The rest of the file as text."""
        data = self._value.read()
        return data if isinstance(data, str) else data.decode(encoding, errors)

    async def close(self) -> None:
        """Close the file."""
        self._consumed = True
        self._value.close()


class TextIOPayload(IOBasePayload):
    """A payload from a text file object, encoded as :class:`StringPayload` encodes."""

    def __init__(
        self,
        value: IO[str],
        *args: Any,
        encoding: str | None = None,
        content_type: str | None = None,
        **kwargs: Any,
    ) -> None:
        real_encoding, content_type = _text_encoding(encoding, content_type)
        super().__init__(value, *args, content_type=content_type, encoding=real_encoding, **kwargs)

    def _measure(self) -> int | None:
        return None  # characters are not bytes: the size is known only once encoded


class BytesIOPayload(IOBasePayload):
    """A payload from an :class:`io.BytesIO`."""

    _value: io.BytesIO
    _autoclose = True

    def _measure(self) -> int | None:
        return len(self._value.getbuffer()) - (self._start or 0)

    async def close(self) -> None:
        """Nothing to release: the buffer stays open for its owner (as in 3.x)."""

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """The whole buffer as text."""
        return self._value.getvalue().decode(encoding, errors)


class BufferedReaderPayload(IOBasePayload):
    """A payload from a file opened in binary mode."""


class AsyncIterablePayload(Payload):
    """A payload from an async iterable of bytes; its size is unknown and it is sent once.

    Unless :meth:`as_bytes` read it first: the chunks are then kept, and every write sends them.

    Raises:
        TypeError: the value is not an async iterable.
    """

    _autoclose = True
    _cached: list[bytes] | None = None

    def __init__(self, value: AsyncIterable[bytes], *args: Any, **kwargs: Any) -> None:
        if not isinstance(value, AsyncIterable):
            raise TypeError(
                f"value argument must support the async iterable protocol, not {type(value)!r}"
            )
        super().__init__(value, *args, **kwargs)
        self._iter: AsyncIterator[bytes] | None = value.__aiter__()

    @property
    def resendable(self) -> bool:
        """Only once :meth:`as_bytes` has kept the chunks: else the first write uses them up."""
        return self._cached is not None

    async def write(self, writer: _Writer) -> None:
        """Write each item as it comes (or the kept chunks)."""
        if self._cached is not None:
            for chunk in self._cached:
                await writer.write(chunk)
            return
        if self._iter is None:
            return
        iterator, self._iter = self._iter, None
        self._consumed = True
        async for chunk in iterator:
            await writer.write(chunk)

    async def as_bytes(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """Read the rest of the iterable and keep its chunks, so the payload can be sent again."""
        if self._cached is None:
            chunks: list[bytes] = []
            if self._iter is not None:
                iterator, self._iter = self._iter, None
                chunks = [bytes(chunk) async for chunk in iterator]
            self._cached = chunks
        return b"".join(self._cached)

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """The kept chunks as text.

        Raises:
            TypeError: :meth:`as_bytes` has not read them yet.
        """
        if self._cached is None:
            raise TypeError("Unable to decode - content not cached. Call as_bytes() first.")
        return b"".join(self._cached).decode(encoding, errors)


class StreamReaderPayload(AsyncIterablePayload):
    """A payload from a :class:`~aiohttp.StreamReader`, forwarded as it arrives."""

    def __init__(self, value: StreamReader, *args: Any, **kwargs: Any) -> None:
        super().__init__(value.iter_any(), *args, **kwargs)


PAYLOAD_REGISTRY = PayloadRegistry()


def get_payload(data: Any, *args: Any, **kwargs: Any) -> Payload:
    """Wrap ``data`` in the payload registered for its type (a payload is returned as is).

    Raises:
        LookupError: nothing is registered for its type.
    """
    return PAYLOAD_REGISTRY.get(data, *args, **kwargs)


def register_payload(
    factory: Callable[..., Payload], type: Any, *, order: Order = Order.normal
) -> None:
    """Register ``factory`` for values of ``type`` in :data:`PAYLOAD_REGISTRY`."""
    PAYLOAD_REGISTRY.register(factory, type, order=order)


class payload_type:  # aiohttp 3.x spells it in lower case
    """Class decorator: register the decorated payload class for values of ``type``."""

    def __init__(self, type: Any, *, order: Order = Order.normal) -> None:
        self.type = type
        self.order = order

    def __call__(self, factory: type[Payload]) -> type[Payload]:
        register_payload(factory, self.type, order=self.order)
        return factory


register_payload(BytesPayload, (bytes, bytearray, memoryview))
register_payload(StringPayload, str)
register_payload(StringIOPayload, io.StringIO)
register_payload(TextIOPayload, io.TextIOBase)
register_payload(BytesIOPayload, io.BytesIO)
register_payload(BufferedReaderPayload, (io.BufferedReader, io.BufferedRandom))
register_payload(IOBasePayload, io.IOBase)
register_payload(StreamReaderPayload, StreamReader)
# Last, so more specific async iterables (a multipart part reader) can claim theirs first.
register_payload(AsyncIterablePayload, AsyncIterable, order=Order.try_last)
