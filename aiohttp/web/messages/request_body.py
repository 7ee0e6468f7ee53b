"""Reading a request's body: :class:`RequestBodyMixin`, the body half of a request.

``read()``, ``text()``, ``json()``, ``post()`` and ``multipart()`` over the body stream, with
:attr:`~RequestBodyMixin.client_max_size` enforced (413, and the connection closed after it).
:class:`~aiohttp.web.BaseRequest` adds the head. Once the response is sent, the body stream is
the server's: later reads raise :class:`PayloadAccessError` (what ``read()`` already read stays).
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from multidict import CIMultiDictProxy, MultiDict, MultiDictProxy

from ..._io.streams import EMPTY_PAYLOAD, EXC_SENTINEL, StreamReader
from ..._sansio.content_headers import HeadersMixin
from ..._sansio.errors import HttpProcessingError
from ..._sansio.http1.events import RequestHead
from ..exceptions import HTTPRequestEntityTooLarge
from ..server.errors import RequestPayloadError
from .form import FileField, multipart_reader, read_form, too_many_fields

if TYPE_CHECKING:
    from ..server.protocol import RequestHandler

__all__ = ["BodyReader", "PayloadAccessError", "RequestBodyMixin"]


class PayloadAccessError(Exception):
    """The request body was read after the response was sent (aiohttp 3.x).

    A handler that keeps the request past its return (a background task, for one) finds the
    body stream closed to it: the server has read and dropped the rest to reuse the connection.
    """


class BodyReader(StreamReader):
    """The server's stream of a request body.

    A broken body (bad chunk framing, a content coding that does not decode, a body cut short)
    fails the reads with :class:`~aiohttp.web.RequestPayloadError`, the parser's error being
    its ``__cause__``, as 3.x does. After the response, reads raise :class:`PayloadAccessError`.
    """

    _handled = False  # the response was sent while the body was still arriving

    def set_exception(self, exc: BaseException, exc_cause: BaseException = EXC_SENTINEL) -> None:
        """Make pending and future reads raise ``exc`` (a parser error wrapped as above)."""
        if isinstance(exc, HttpProcessingError):
            error = RequestPayloadError(exc.message or str(exc))
            error.__cause__ = exc
            exc = error
        super().set_exception(exc, exc_cause)
        if self._handled:  # the server's own draining read got ``exc``; later reads get this
            self._close_to_application()

    def feed_eof(self) -> None:
        """Mark the end of the body; after the response, close the stream to the application."""
        super().feed_eof()
        if self._handled:
            self._close_to_application()

    def _response_sent(self) -> None:
        # Until the body ends the server may still read and drop the rest (lingering): close
        # the stream to the application now if it has ended, else once it does.
        if self._eof or self._exception is not None:
            self._close_to_application()
        else:
            self._handled = True

    def _close_to_application(self) -> None:
        self._handled = False
        StreamReader.set_exception(self, PayloadAccessError())


class RequestBodyMixin(HeadersMixin):
    """The body of a request: the stream, whole-body reads and form fields."""

    POST_METHODS = frozenset({"PATCH", "POST", "PUT", "TRACE", "DELETE"})

    _message: RequestHead
    _headers: CIMultiDictProxy[str]
    _payload: StreamReader
    _protocol: RequestHandler
    _client_max_size: int
    _client_max_fields: int
    _read_bytes: bytes | None
    _post: MultiDictProxy[str | bytes | FileField] | None

    @property
    def content(self) -> StreamReader:
        """The body as a stream."""
        return self._payload

    @property
    def has_body(self) -> bool:
        """Deprecated: use :attr:`can_read_body`."""
        warnings.warn("Deprecated, use .can_read_body #2005", DeprecationWarning, stacklevel=2)
        return not self._payload.at_eof()

    @property
    def can_read_body(self) -> bool:
        """Whether body bytes remain to be read."""
        return not self._payload.at_eof()

    @property
    def body_exists(self) -> bool:
        """Whether the request has a body at all."""
        return self._payload is not EMPTY_PAYLOAD

    def _check_size(self, size: int) -> None:
        limit = self._client_max_size
        if limit and size > limit:
            # The rest of an oversized body is not worth reading: close after the 413.
            self._protocol.force_close()
            raise HTTPRequestEntityTooLarge(max_size=limit, actual_size=size)

    async def release(self) -> None:
        """Read and discard the rest of the body."""
        while not self._payload.at_eof():
            await self._payload.readany()

    async def read(self) -> bytes:
        """The whole body.

        Raises:
            aiohttp.web.HTTPRequestEntityTooLarge: The body exceeds :attr:`client_max_size`.
        """
        if self._read_bytes is None:
            length = self._message.content_length
            if length is not None:
                self._check_size(length)
            chunks: list[bytes] = []
            size = 0
            while True:
                chunk = await self._payload.readany()
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                self._check_size(size)
            self._read_bytes = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        return self._read_bytes

    async def text(self) -> str:
        """The body decoded with its charset (UTF-8 by default)."""
        body = await self.read()
        return body.decode(self.charset or "utf-8")

    async def json(self, *, loads: Callable[[str], Any] = json.loads) -> Any:
        """The body parsed as JSON."""
        return loads(await self.text())

    async def multipart(self) -> Any:
        """A :class:`~aiohttp.multipart.MultipartReader` over the body.

        A part's ``read()`` (and ``text()``, ``json()``, ``form()``) past :attr:`client_max_size`
        raises :class:`~aiohttp.web.HTTPRequestEntityTooLarge`; part headers are held to the
        server's ``max_field_size`` and ``max_headers``.
        """
        limits = self._protocol_limits()
        return multipart_reader(
            self._headers,
            self._payload,
            client_max_size=self._client_max_size or sys.maxsize,
            max_field_size=limits[0],
            max_headers=limits[1],
        )

    def _protocol_limits(self) -> tuple[int, int]:
        """The server's ``max_field_size`` and ``max_headers`` (3.x's defaults without one)."""
        protocol = self._protocol
        field = getattr(protocol, "max_field_size", None)
        count = getattr(protocol, "max_headers", None)
        return (
            field if isinstance(field, int) else 8190,
            count if isinstance(count, int) else 128,
        )

    async def post(self) -> MultiDictProxy[str | bytes | FileField]:
        """The form fields of an urlencoded or multipart/form-data body.

        File fields become :class:`FileField` objects spooled to temporary files. Other
        methods than POST, PUT, PATCH, TRACE and DELETE, and other content types, give an
        empty mapping.

        Raises:
            aiohttp.web.HTTPRequestEntityTooLarge: The body exceeds :attr:`client_max_size`,
                or has more fields than :attr:`client_max_fields`.
        """
        if self._post is not None:
            return self._post
        if self._message.method not in self.POST_METHODS:
            self._post = MultiDictProxy(MultiDict())
            return self._post
        ctype = self.content_type
        if ctype == "application/x-www-form-urlencoded":
            charset = self.charset or "utf-8"
            text = (await self.read()).decode(charset)
            limit = self._client_max_fields  # 0 or less: no bound on the count, as in 3.x
            try:
                fields = parse_qsl(
                    text,
                    keep_blank_values=True,
                    encoding=charset,  # percent-escapes are octets of the same charset
                    max_num_fields=limit if limit > 0 else None,
                )
            except ValueError:
                raise too_many_fields(limit) from None
            self._post = MultiDictProxy(MultiDict(fields))
        elif ctype == "multipart/form-data":
            self._post = await read_form(
                self._headers,
                self._payload,
                self._client_max_size,
                self._check_size,
                self._client_max_fields,
            )
        else:
            self._post = MultiDictProxy(MultiDict())
        return self._post

    def _finish(self) -> None:
        """The response was sent: close the body stream and the files of uploaded fields."""
        payload = self._payload
        if isinstance(payload, BodyReader):
            payload._response_sent()
        if self._post is None:
            return
        for value in self._post.values():
            if isinstance(value, FileField):
                value.file.close()

    def _cancel(self, exc: BaseException) -> None:
        """The connection was lost: make pending body reads fail with ``exc``."""
        self._payload.set_exception(exc)
