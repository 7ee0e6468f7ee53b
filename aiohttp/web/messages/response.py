"""The streamed response, :class:`StreamResponse`, base of every response.

:class:`~aiohttp.web.Response` (a whole body) and :func:`~aiohttp.web.json_response` are in
:mod:`aiohttp.web.messages.full_response`, :class:`~aiohttp.web.FileResponse` in
:mod:`aiohttp.web.messages.file_response`.

A handler returns (or raises, for the ``web.HTTP*`` classes) a response; the server calls
``await resp.prepare(request)`` and ``await resp.write_eof()`` for it unless the handler did
so itself. ``prepare()`` runs the application's ``on_response_prepare`` signal, fixes the
framing (``Content-Length``, or chunked for HTTP/1.1 when the length is unknown, or close the
connection for HTTP/1.0), adds ``Date``, ``Server`` and ``Connection`` where needed, and hands
the head to the connection's writer. A :class:`StreamResponse` sends its head at once (as 3.x
does: a streaming handler may wait long before its first body bytes); a
:class:`~aiohttp.web.Response` keeps it for the same write as its body.

Compression (``enable_compression()``) uses the codings of :mod:`aiohttp._sansio.codings`:
``gzip``, ``deflate``, and ``br`` / ``zstd`` when their packages are installed. Without a
forced coding the best one the request's ``Accept-Encoding`` allows is chosen; a
:class:`Response` body shorter than ``min_size`` is sent uncompressed.
"""

from __future__ import annotations

import asyncio
import sys
import time
import warnings
from collections.abc import Iterator, Mapping, MutableMapping
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any, TypeVar, overload

from multidict import CIMultiDict, istr

from ..._io.writer import AbstractStreamWriter, StreamWriter
from ..._sansio.dates import format_http_date
from ..._sansio.http1.events import HttpVersion, HttpVersion10, HttpVersion11
from ..._sansio.http1.serializer import serialize_response_head
from ..keys import ResponseKey, warn_str_key
from .compression import ContentCoding, add_vary_accept_encoding, choose_coding
from .response_headers import ResponseHeadersMixin

if TYPE_CHECKING:
    from .request import BaseRequest

__all__ = ["ContentCoding", "StreamResponse"]

CONNECTION = istr("Connection")
CONTENT_ENCODING = istr("Content-Encoding")
CONTENT_LENGTH = istr("Content-Length")
CONTENT_TYPE = istr("Content-Type")
DATE = istr("Date")
ETAG = istr("ETag")
LAST_MODIFIED = istr("Last-Modified")
SERVER = istr("Server")
SET_COOKIE = istr("Set-Cookie")
TRANSFER_ENCODING = istr("Transfer-Encoding")
VARY = istr("Vary")

SERVER_SOFTWARE = f"Python/{sys.version_info[0]}.{sys.version_info[1]} aiohttp/3.99"
#: Response bodies above this size are compressed in an executor (as in aiohttp 3.x).
DEFAULT_ZLIB_EXECUTOR_SIZE = 4096

_BOTH_CONTENT_TYPES = (
    "passing both Content-Type header and content_type or charset params is forbidden"
)
_REASONS = {s.value: s.phrase for s in HTTPStatus}
_T = TypeVar("_T")


_date_cache: list[Any] = [0, ""]


def http_date() -> str:
    """The current time as an HTTP-date, formatted at most once per second."""
    now = int(time.time())
    cache = _date_cache
    if now != cache[0]:
        cache[0] = now
        cache[1] = format_http_date(now)
    value: str = cache[1]
    return value


#: Methods whose responses never carry a body, whatever their status (RFC 9110 §9.3.2).
EMPTY_BODY_METHODS = frozenset({"HEAD"})


def must_be_empty_body(method: str, status: int) -> bool:
    """Whether a response to ``method`` with ``status`` has no body (RFC 9110 §6.4.1)."""
    return (
        status < 200
        or status in (204, 304)
        or method in EMPTY_BODY_METHODS
        or (method == "CONNECT" and 200 <= status < 300)
    )


def should_remove_content_length(method: str, status: int) -> bool:
    """Whether a response to ``method`` with ``status`` is sent without ``Content-Length``.

    RFC 9110 §8.6: never in a 1xx or 204 response, nor in a 2xx answer to CONNECT; and, as in
    aiohttp 3.x, not in a 304 either (which §8.6 allows to omit it).
    """
    return status < 200 or status in (204, 304) or (method == "CONNECT" and 200 <= status < 300)


class StreamResponse(ResponseHeadersMixin, MutableMapping["str | ResponseKey[Any]", Any]):
    """A response whose body is written piece by piece.

    Args:
        status: The status code.
        reason: The reason phrase (the standard one when ``None``).
        headers: Initial header fields.
        _real_headers: A header map to use as it is, not copied (for subclasses, as in 3.x).

    The object is also a mutable mapping for per-response state: ``response[key]`` with a
    :class:`~aiohttp.web.ResponseKey` (a ``str`` key works too, and warns once with
    :class:`~aiohttp.web.NotAppKeyWarning`, shown only when asked for).
    """

    _length_check = True
    _body: Any = None
    #: ``prepare()`` puts the head on the wire at once (a streaming handler may wait before
    #: its first body bytes); :class:`Response` holds it back to send it with the body.
    _send_headers_immediately = True

    def __init__(
        self,
        *,
        status: int = 200,
        reason: str | None = None,
        headers: Mapping[str, str] | None = None,
        _real_headers: CIMultiDict[str] | None = None,
    ) -> None:
        if _real_headers is not None:
            self._headers: CIMultiDict[str] = _real_headers
        else:
            self._headers = CIMultiDict() if headers is None else CIMultiDict(headers)
        self._cookies: SimpleCookie | None = None
        self._req: BaseRequest | None = None
        self._payload_writer: AbstractStreamWriter | None = None
        self._eof_sent = False
        self._must_be_empty_body = False
        self._keep_alive: bool | None = None
        self._chunked = False
        self._compression = False
        self._compression_force: ContentCoding | None = None
        self._compression_strategy: int | None = None
        self._compression_min_size = 0
        self._state: dict[str | ResponseKey[Any], Any] = {}
        if reason is None:
            self._status = status = int(status)
            self._reason = _REASONS.get(status, "")
        else:
            self.set_status(status, reason)

    # -- state --------------------------------------------------------------------------------

    @property
    def prepared(self) -> bool:
        """Whether :meth:`prepare` has run (the head is committed)."""
        return self._eof_sent or self._payload_writer is not None

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The task handling the request this response answers."""
        return self._req.task if self._req is not None else None

    @property
    def status(self) -> int:
        """The status code."""
        return self._status

    @property
    def reason(self) -> str:
        """The reason phrase."""
        return self._reason

    def set_status(self, status: int, reason: str | None = None) -> None:
        """Set the status and reason phrase.

        Raises:
            AssertionError: The head was already sent (3.x's type for this misuse).
            ValueError: ``reason`` contains CR or LF, which would split the response
                (RFC 9112 §4).
        """
        if self.prepared:
            raise AssertionError(
                "Cannot change the response status code after the headers have been sent"
            )
        if reason is not None and ("\r" in reason or "\n" in reason):
            raise ValueError("Reason cannot contain \\r or \\n")
        self._status = int(status)
        self._reason = _REASONS.get(self._status, "") if reason is None else reason

    @property
    def chunked(self) -> bool:
        """Whether chunked transfer encoding was enabled."""
        return self._chunked

    @property
    def compression(self) -> bool:
        """Whether compression was enabled."""
        return self._compression

    @property
    def keep_alive(self) -> bool | None:
        """Whether the connection stays open after this response (``None``: as requested)."""
        return self._keep_alive

    def force_close(self) -> None:
        """Close the connection after this response."""
        self._keep_alive = False

    @property
    def body_length(self) -> int:
        """Bytes written to the connection for this response (head included)."""
        return self._payload_writer.output_size if self._payload_writer is not None else 0

    @property
    def output_length(self) -> int:
        """Deprecated: bytes written since the writer last drained.

        Raises:
            AssertionError: The response is not prepared.
        """
        warnings.warn("output_length is deprecated", DeprecationWarning, stacklevel=2)
        assert self._payload_writer is not None
        return self._payload_writer.buffer_size

    @property
    def headers(self) -> CIMultiDict[str]:
        """The header fields (mutable until :meth:`prepare`)."""
        return self._headers

    def enable_chunked_encoding(self, chunk_size: int | None = None) -> None:
        """Send the body with ``Transfer-Encoding: chunked`` (HTTP/1.1 only).

        Raises:
            RuntimeError: ``Content-Length`` is set.
        """
        if chunk_size is not None:
            warnings.warn("Chunk size is deprecated #1615", DeprecationWarning, stacklevel=2)
        if CONTENT_LENGTH in self._headers:
            raise RuntimeError("You can't enable chunked encoding when a content length is set")
        self._chunked = True

    def enable_compression(
        self,
        force: ContentCoding | bool | None = None,
        strategy: int | None = None,
        *,
        min_size: int = 0,
    ) -> None:
        """Compress the body: with ``force`` if given, else as ``Accept-Encoding`` allows.

        Args:
            force: The coding to use regardless of ``Accept-Encoding``.
            strategy: Accepted for aiohttp 3.x compatibility.
            min_size: A :class:`Response` body shorter than this is sent uncompressed.
        """
        if isinstance(force, bool):
            warnings.warn(
                "Using boolean for force is deprecated #3318",
                DeprecationWarning,
                stacklevel=2,
            )
            force = ContentCoding.deflate if force else ContentCoding.identity
        self._compression = True
        self._compression_force = force
        self._compression_strategy = strategy
        self._compression_min_size = min_size

    # -- sending ----------------------------------------------------------------------------------

    async def prepare(self, request: BaseRequest) -> AbstractStreamWriter | None:
        """Send the head; idempotent.

        A :class:`StreamResponse` sends it at once; a :class:`Response` holds it until its body.

        Returns:
            The writer, or ``None`` when the response already ended.
        """
        if self._eof_sent:
            return None
        if self._payload_writer is not None:
            return self._payload_writer
        status = self._status
        if status < 200 or status in {204, 304}:
            self._must_be_empty_body = True
        else:
            method = request._message.method
            self._must_be_empty_body = method in EMPTY_BODY_METHODS or (
                method == "CONNECT" and 200 <= status < 300
            )
        writer = await self._start(request)
        if self._send_headers_immediately:
            writer.send_headers()
        return writer

    async def _prepare_and_end(self, request: BaseRequest) -> None:
        """What the server does with a handler's response: prepare it and end it."""
        await self.prepare(request)
        await self.write_eof()

    def start(self, request: BaseRequest) -> asyncio.Future[AbstractStreamWriter | None]:
        """Deprecated spelling of :meth:`prepare` (runs it in the background)."""
        warnings.warn(
            "StreamResponse.start() is deprecated, use 'await resp.prepare(request)'",
            DeprecationWarning,
            stacklevel=2,
        )
        return asyncio.ensure_future(self.prepare(request))

    async def _start(self, request: BaseRequest) -> AbstractStreamWriter:
        self._req = request
        writer = self._payload_writer = request._payload_writer
        if self._compression:
            await self._start_compression(request)
        self._prepare_headers(request, writer, request._message.version)
        if request._needs_prepare_hook:  # as in 3.x, the hooks see (and may edit) the whole head
            await request._prepare_hook(self)
        # RFC 9112 §2.3: answer with the highest version we conform to (1.1), whatever the
        # request's minor version; the framing above already respects an HTTP/1.0 client.
        if type(writer) is StreamWriter:
            writer.write_head(
                serialize_response_head(self._status, self._reason, self._headers, HttpVersion11)
            )
        else:  # any other AbstractStreamWriter: the aiohttp 3.x interface
            status_line = f"HTTP/1.1 {self._status} {self._reason}"
            await writer.write_headers(status_line, self._headers)
        return writer

    def _framing(
        self, request: BaseRequest, writer: AbstractStreamWriter, version: HttpVersion
    ) -> bool:
        """Fix ``Content-Length``/chunked framing; return whether the connection may persist."""
        headers = self._headers
        keep_alive = self._keep_alive
        if keep_alive is None:
            keep_alive = request._message.keep_alive
        empty = self._must_be_empty_body
        if self._chunked:
            if version != HttpVersion11:
                raise RuntimeError(
                    f"Using chunked encoding is forbidden for HTTP/{version[0]}.{version[1]}"
                )
            if not empty:
                writer.enable_chunking()
                headers[TRANSFER_ENCODING] = "chunked"
            headers.pop(CONTENT_LENGTH, None)
            length = None
        elif self._length_check:
            length = self.content_length
            writer.length = length
            if length is None and not empty:
                if version >= HttpVersion11:
                    writer.enable_chunking()
                    headers[TRANSFER_ENCODING] = "chunked"
                else:
                    keep_alive = False
        else:
            length = self.content_length
        if empty:
            if should_remove_content_length(request._message.method, self._status):
                headers.pop(CONTENT_LENGTH, None)
            if TRANSFER_ENCODING in headers and headers[TRANSFER_ENCODING] == "chunked":
                del headers[TRANSFER_ENCODING]
        elif length != 0 and CONTENT_TYPE not in headers:
            headers[CONTENT_TYPE] = "application/octet-stream"
        return keep_alive

    def _prepare_headers(
        self, request: BaseRequest, writer: AbstractStreamWriter, version: HttpVersion
    ) -> None:
        keep_alive = self._framing(request, writer, version)
        self._keep_alive = keep_alive
        headers = self._headers
        if self._cookies:
            for cookie in self._cookies.values():
                headers.add(SET_COOKIE, cookie.output(header="")[1:])
        if DATE not in headers:
            headers[DATE] = http_date()
        if SERVER not in headers:
            headers[SERVER] = SERVER_SOFTWARE
        if keep_alive:
            if version == HttpVersion10 and CONNECTION not in headers:
                headers[CONNECTION] = "keep-alive"
        elif version == HttpVersion11 and CONNECTION not in headers:
            headers[CONNECTION] = "close"

    async def _start_compression(self, request: BaseRequest) -> None:
        coding = self._choose_coding(request)
        if coding is None:
            return
        self._headers[CONTENT_ENCODING] = coding
        self._add_vary()
        assert self._payload_writer is not None
        self._payload_writer.enable_compression(coding, self._compression_strategy)
        self._headers.pop(CONTENT_LENGTH, None)
        self._chunked = request.version >= HttpVersion11

    def _choose_coding(self, request: BaseRequest) -> str | None:
        return choose_coding(self._compression_force, request.headers.get("Accept-Encoding"))

    def _add_vary(self) -> None:
        add_vary_accept_encoding(self._headers)

    async def write(self, data: bytes | bytearray | memoryview) -> None:
        """Write body bytes (after :meth:`prepare`).

        Raises:
            RuntimeError: Not prepared, or after :meth:`write_eof`.
            AssertionError: ``data`` is not bytes-like (3.x's type for this misuse).
        """
        if self._eof_sent:
            raise RuntimeError("Cannot call write() after write_eof()")
        if self._payload_writer is None:
            raise RuntimeError("Cannot call write() before prepare()")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise AssertionError(f"data argument must be byte-ish ({type(data)!r})")
        if self._must_be_empty_body:
            return
        await self._payload_writer.write(data)

    async def drain(self) -> None:
        """Wait until the connection accepts more data (deprecated: ``write`` drains)."""
        if self._eof_sent:
            raise AssertionError("EOF has already been sent")
        if self._payload_writer is None:
            raise AssertionError("Response has not been started")
        warnings.warn(
            "drain method is deprecated, use await resp.write()", DeprecationWarning, stacklevel=2
        )
        await self._payload_writer.drain()

    async def write_eof(self, data: bytes = b"") -> None:
        """End the body, writing ``data`` last. Idempotent."""
        if self._eof_sent:
            return
        if self._payload_writer is None:
            raise AssertionError("Response has not been started")
        if self._must_be_empty_body:
            await self._payload_writer.write_eof()
        else:
            await self._payload_writer.write_eof(data)
        self._eof_sent = True

    def __repr__(self) -> str:
        if self._eof_sent:
            info = "eof"
        elif self.prepared:
            assert self._req is not None
            info = f"{self._req.method} {self._req.path} "
        else:
            info = "not prepared"
        return f"<{self.__class__.__name__} {self.reason} {info}>"

    # -- mapping of per-response state ------------------------------------------------------------

    @overload
    def __getitem__(self, key: ResponseKey[_T]) -> _T: ...

    @overload
    def __getitem__(self, key: str) -> Any: ...

    def __getitem__(self, key: str | ResponseKey[_T]) -> Any:
        return self._state[key]

    @overload
    def __setitem__(self, key: ResponseKey[_T], value: _T) -> None: ...

    @overload
    def __setitem__(self, key: str, value: Any) -> None: ...

    def __setitem__(self, key: str | ResponseKey[_T], value: Any) -> None:
        if type(key) is not ResponseKey:
            warn_str_key("response", key)
        self._state[key] = value

    def __delitem__(self, key: str | ResponseKey[_T]) -> None:
        del self._state[key]

    def __len__(self) -> int:
        return len(self._state)

    def __iter__(self) -> Iterator[str | ResponseKey[Any]]:
        return iter(self._state)

    def __hash__(self) -> int:
        return hash(id(self))

    def __eq__(self, other: object) -> bool:
        return self is other

    def __bool__(self) -> bool:
        return True
