"""Responses with the whole body known up front: :class:`Response` and :func:`json_response`.

The body is bytes (text is encoded with the charset) or a payload object from
:mod:`aiohttp.payload`; ``Content-Length`` follows from it. The common case, a plain
:class:`Response` with a bytes body, is prepared and sent in one step by the server (one
``transport.write`` for head and body); anything a subclass or a signal may change goes through
:meth:`~aiohttp.web.StreamResponse.prepare` and :meth:`~aiohttp.web.StreamResponse.write_eof`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from ..._io.payload import LookupError as NoPayloadError
from ..._io.payload import get_payload
from ..._io.writer import AbstractStreamWriter, StreamWriter
from ..._sansio.http1.events import HttpVersion11
from ..._sansio.http1.serializer import serialize_response_head
from .compression import compress_body
from .response import (
    _BOTH_CONTENT_TYPES,
    CONTENT_ENCODING,
    CONTENT_LENGTH,
    CONTENT_TYPE,
    DEFAULT_ZLIB_EXECUTOR_SIZE,
    EMPTY_BODY_METHODS,
    StreamResponse,
)

if TYPE_CHECKING:
    from .request import BaseRequest

__all__ = ["Response", "json_bytes_response", "json_response"]


class Response(StreamResponse):
    """A response with its whole body known up front.

    Args:
        body: The body as bytes (a ``str`` is encoded with ``charset``), or a payload object
            from :mod:`aiohttp.payload`.
        status: The status code.
        reason: The reason phrase.
        text: The body as text (mutually exclusive with ``body``); the content type defaults
            to ``text/plain`` and the charset to ``utf-8``.
        headers: Initial header fields.
        content_type: The media type.
        charset: The charset parameter (with ``text``).
        zlib_executor_size: Bodies larger than this are compressed in ``zlib_executor``.
        zlib_executor: The executor for large bodies (the loop's default when ``None``).
    """

    _send_headers_immediately = False

    def __init__(
        self,
        *,
        body: Any = None,
        status: int = 200,
        reason: str | None = None,
        text: str | None = None,
        headers: Mapping[str, str] | None = None,
        content_type: str | None = None,
        charset: str | None = None,
        zlib_executor_size: int = DEFAULT_ZLIB_EXECUTOR_SIZE,
        zlib_executor: Executor | None = None,
    ) -> None:
        if body is not None and text is not None:
            raise ValueError("body and text are not allowed together")
        super().__init__(status=status, reason=reason, headers=headers)
        hdrs = self._headers
        if content_type is not None and "charset" in content_type:
            raise ValueError("charset must not be in content_type argument")
        if text is not None:
            if not isinstance(text, str):
                raise TypeError(f"text argument must be str ({type(text)!r})")
            if CONTENT_TYPE in hdrs:
                if content_type or charset:
                    raise ValueError(_BOTH_CONTENT_TYPES)
                self.text = text  # as 3.x: the field gets a charset (utf-8) if it has none
            elif content_type is None and charset is None:
                hdrs[CONTENT_TYPE] = "text/plain; charset=utf-8"
                self._body = text.encode()
            else:
                charset = charset or "utf-8"
                hdrs[CONTENT_TYPE] = f"{content_type or 'text/plain'}; charset={charset}"
                self._body = text.encode(charset)
        else:
            if CONTENT_TYPE in hdrs:
                if content_type is not None or charset is not None:
                    raise ValueError(_BOTH_CONTENT_TYPES)
            elif content_type is not None:
                hdrs[CONTENT_TYPE] = content_type + (f"; charset={charset}" if charset else "")
            self.body = body
        self._compressed_body: bytes | None = None
        self._zlib_executor_size = zlib_executor_size
        self._zlib_executor = zlib_executor

    @property
    def body(self) -> Any:
        """The body: bytes, a payload object, or ``None``."""
        return self._body

    @body.setter
    def body(self, body: Any) -> None:
        if body is None or isinstance(body, bytes):
            self._body = body
        elif isinstance(body, bytearray | memoryview):
            self._body = bytes(body)
        elif isinstance(body, str):
            if CONTENT_TYPE not in self._headers:
                self._headers[CONTENT_TYPE] = "text/plain; charset=utf-8"
            self._body = body.encode(self.charset or "utf-8")
        else:
            if not (hasattr(body, "write") and hasattr(body, "size")):
                try:  # a file object, an async iterable ...: its registered payload (as 3.x)
                    body = get_payload(body)
                except NoPayloadError:
                    raise ValueError(f"Unsupported body type {type(body)!r}") from None
            self._body = body
            ctype = getattr(body, "content_type", None)
            if ctype and CONTENT_TYPE not in self._headers:
                self._headers[CONTENT_TYPE] = ctype
            for name, value in getattr(body, "headers", {}).items():
                self._headers.setdefault(name, value)
        self._compressed_body = None

    @property
    def text(self) -> str | None:
        """The body decoded with the charset (settable).

        Raises:
            TypeError: the body is a stream not read yet (see :meth:`Payload.decode`).
        """
        if self._body is None:
            return None
        text: str = self._body.decode(self.charset or "utf-8")
        return text

    @text.setter
    def text(self, text: str) -> None:
        if not isinstance(text, str):
            raise AssertionError(f"text argument must be str ({type(text)!r})")
        if self.content_type == "application/octet-stream":
            self.content_type = "text/plain"
        if self.charset is None:
            self.charset = "utf-8"
        self._body = text.encode(self.charset or "utf-8")
        self._compressed_body = None

    @property
    def content_length(self) -> int | None:
        """The body length (or ``Content-Length`` if set explicitly)."""
        if self._chunked:
            return None
        if CONTENT_LENGTH in self._headers:
            return int(self._headers[CONTENT_LENGTH])
        body = self._compressed_body if self._compressed_body is not None else self._body
        if body is None:
            return 0
        if isinstance(body, bytes):
            return len(body)
        if self.prepared:  # the payload went without Content-Length (chunked, 204, compressed)
            return None
        size = body.size
        return None if size is None else int(size)

    @content_length.setter
    def content_length(self, value: int | None) -> None:
        raise RuntimeError("Content length is set automatically")

    async def write_eof(self, data: bytes = b"") -> None:
        """Send the body and end the response."""
        if self._eof_sent:
            return
        body = self._compressed_body if self._compressed_body is not None else self._body
        if body is None or isinstance(body, bytes):
            await super().write_eof(body or b"")
        else:
            try:
                if not self._must_be_empty_body:
                    assert self._payload_writer is not None
                    await body.write(self._payload_writer)
            finally:
                # Its file or stream is closed also when the client left mid-body.
                close = getattr(body, "close", None)
                if close is not None:
                    await close()
            await super().write_eof()

    async def _prepare_and_end(self, request: BaseRequest) -> None:
        """Prepare and end the response, in one step when nothing in between can wait.

        That is the common case: a plain :class:`Response` with a bytes body, no compression,
        no ``on_response_prepare`` receiver and the server's own writer. Anything else (a
        subclass may override :meth:`prepare` or :meth:`write_eof`) takes the general path.
        """
        writer = request._payload_writer
        body = self._body
        if (
            type(self) is not Response
            or type(writer) is not StreamWriter
            or self._payload_writer is not None
            or self._eof_sent
            or self._compression
            or self._chunked
            or request._needs_prepare_hook
            or not (body is None or type(body) is bytes)
        ):
            await super()._prepare_and_end(request)
            return
        status = self._status
        method = request._message.method
        self._must_be_empty_body = empty = (  # RFC 9110 §6.4.1, as in must_be_empty_body()
            status < 200
            or status in {204, 304}
            or method in EMPTY_BODY_METHODS
            or (method == "CONNECT" and status < 300)
        )
        headers = self._headers
        if CONTENT_LENGTH not in headers and (body or method != "HEAD"):  # 3.x, RFC 9110 §8.6
            headers[CONTENT_LENGTH] = str(len(body)) if body else "0"
        self._req = request
        self._payload_writer = writer
        self._prepare_headers(request, writer, request._message.version)
        head = serialize_response_head(status, self._reason, headers, HttpVersion11)
        writer.write_whole(head, b"" if empty or body is None else body)
        self._eof_sent = True
        if writer.protocol.writing_paused:
            await writer.drain()

    async def _start(self, request: BaseRequest) -> AbstractStreamWriter:
        if not self._chunked and CONTENT_LENGTH not in self._headers:
            # Bytes, no body, or a payload of known size (a payload of unknown size is sent
            # chunked, or until close for HTTP/1.0).
            length = self.content_length
            if length is not None and (length or request.method != "HEAD"):  # as above
                self._headers[CONTENT_LENGTH] = str(length)
        return await super()._start(request)

    async def _start_compression(self, request: BaseRequest) -> None:
        body = self._body
        if self._chunked or not isinstance(body, bytes):
            await super()._start_compression(request)
            return
        coding = self._choose_coding(request)
        if coding is None or len(body) < self._compression_min_size:
            return
        self._compressed_body = await compress_body(
            body, coding, self._zlib_executor_size, self._zlib_executor
        )
        self._headers[CONTENT_ENCODING] = coding
        self._headers[CONTENT_LENGTH] = str(len(self._compressed_body))
        self._add_vary()


_SENTINEL: Any = object()


def json_response(
    data: Any = _SENTINEL,
    *,
    text: str | None = None,
    body: bytes | None = None,
    status: int = 200,
    reason: str | None = None,
    headers: Mapping[str, str] | None = None,
    content_type: str = "application/json",
    dumps: Callable[[Any], str] = json.dumps,
) -> Response:
    """A :class:`Response` with ``data`` serialized by ``dumps`` (``application/json``).

    Raises:
        ValueError: ``data`` given together with ``text`` or ``body``.
    """
    if data is not _SENTINEL:
        if text or body:
            raise ValueError("only one of data, text, or body should be specified")
        text = dumps(data)
    return Response(
        text=text,
        body=body,
        status=status,
        reason=reason,
        headers=headers,
        content_type=content_type,
    )


def json_bytes_response(
    data: Any = _SENTINEL,
    *,
    dumps: Callable[[Any], bytes],
    body: bytes | None = None,
    status: int = 200,
    reason: str | None = None,
    headers: Mapping[str, str] | None = None,
    content_type: str = "application/json",
) -> Response:
    """A :class:`Response` with ``data`` serialized by ``dumps``, an encoder returning bytes
    (``orjson.dumps``, say), so the JSON is never decoded and encoded again.

    Raises:
        ValueError: ``data`` given together with ``body``.
    """
    if data is not _SENTINEL:
        if body is not None:
            raise ValueError("only one of data or body should be specified")
        body = dumps(data)
    return Response(
        body=body, status=status, reason=reason, headers=headers, content_type=content_type
    )
