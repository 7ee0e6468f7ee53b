"""Turning the ``data=`` argument into a request body.

:func:`encode_body` accepts what aiohttp 3.x accepts and returns a :class:`Body`:

=========================================== ========================================
``data``                                    sent as
=========================================== ========================================
``None``                                    no body
``bytes``, ``bytearray``, ``memoryview``    as is
``str``                                     UTF-8, ``text/plain; charset=utf-8``
``dict``, ``MultiDict``, list of pairs      ``application/x-www-form-urlencoded``, or
                                            multipart when a value is a file or bytes
a list or tuple with file objects           multipart, a file named after its file
                                            (``unknown`` without a name)
``FormData``                                the payload it builds (urlencoded or multipart)
a file object, an async iterable, ...       the payload :mod:`aiohttp._io.payload` registers
=========================================== ========================================

Bodies already in memory leave with the request head in one write; payloads write themselves
through the stream writer. "Re-sendable" decides whether a 307/308 redirect or a retry may
send the body again.
"""

from __future__ import annotations

import asyncio
import io
import warnings
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from multidict import CIMultiDict, MultiDict, MultiDictProxy

from .._io.formdata import FormData
from .._io.payload import Payload, get_payload
from .._io.writer import AbstractStreamWriter

__all__ = ("EMPTY_BODY", "Body", "encode_body")


class Body:
    """A request body.

    Attributes:
        data: The whole body when it is in memory, else ``None``.
        payload: The payload that writes the body when it is not in memory.
        size: Its length when known (``None``: send chunked).
        content_type: The Content-Type it implies, if any.
        headers: Other headers the payload asks for (Content-Disposition...).
    """

    __slots__ = ("content_type", "data", "headers", "payload", "size")

    def __init__(
        self,
        data: bytes | None = None,
        *,
        payload: Payload | None = None,
        content_type: str | None = None,
    ) -> None:
        self.data = data
        self.payload = payload
        self.content_type = content_type
        self.headers: CIMultiDict[str] = CIMultiDict()
        if payload is not None:
            self.size = payload.size
            self.content_type = payload.content_type
            self.headers = CIMultiDict(
                (k, v) for k, v in payload.headers.items() if k.lower() != "content-type"
            )
        else:
            self.size = len(data) if data is not None else 0

    @property
    def resendable(self) -> bool:
        """Whether the body can be sent again (redirects, retries)."""
        return self.payload is None or self.payload.resendable

    async def write(self, writer: AbstractStreamWriter, content_length: int | None = None) -> None:
        """Write the body (but not the end of the message) to ``writer``: at most
        ``content_length`` bytes of it when given."""
        if self.payload is not None:
            await self.payload.write_with_length(writer, content_length)
        elif self.data:
            data = self.data
            await writer.write(data if content_length is None else data[:content_length])

    def __bool__(self) -> bool:
        # False for "no body" only, as 3.x's ``ClientRequest.body`` is ``b""`` then.
        return self is not EMPTY_BODY

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """The body as text, as 3.x's ``Payload.decode()`` gives it to middlewares."""
        if self.payload is not None:
            return self.payload.decode(encoding, errors)
        return (self.data or b"").decode(encoding, errors)

    async def as_bytes(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        """The body as bytes, as 3.x's ``Payload.as_bytes()`` gives it to middlewares."""
        if self.payload is not None:
            return await self.payload.as_bytes(encoding, errors)
        return self.data or b""

    def rewind(self) -> bool:
        """Whether the body can be sent again (a payload rewinds itself when written)."""
        return self.resendable


_TOO_LARGE_BYTES = 2**20  # 3.x warns past this many raw bytes
_TOO_LARGE_MESSAGE = (
    "Sending a large body directly with raw bytes might lock the event loop. "
    "You should probably pass an io.BytesIO object instead"
)
_OCTETS = "application/octet-stream"  # what aiohttp 3.x labels bytes with (RFC 9110 §8.3)
EMPTY_BODY = Body(b"")
"""The body of a request without one (shared)."""


_FILE_VALUES = (io.IOBase, bytes, bytearray, memoryview)


def _is_pairs(data: Any) -> bool:
    return isinstance(data, list | tuple) and all(
        isinstance(item, tuple) and len(item) == 2 for item in data
    )


_CLOSING: set[asyncio.Task[None]] = set()  # closes scheduled after an upload, held till done


async def close_when_sent(payload: Payload, upload: asyncio.Task[None] | None) -> None:
    """Close a request's payload (its file, say) as 3.x does when the request is over: now,
    or when ``upload``, still sending it, ends."""
    if upload is None or upload.done():
        await payload.close()
        return

    def close(_: object) -> None:
        task = asyncio.get_running_loop().create_task(payload.close())
        _CLOSING.add(task)
        task.add_done_callback(_CLOSING.discard)

    upload.add_done_callback(close)


def encode_body(data: Any) -> Body:
    """Build the :class:`Body` for a ``data=`` argument (see the table above).

    Raises:
        TypeError: For a value no payload is registered for.
    """
    if data is None:
        return EMPTY_BODY
    if isinstance(data, bytes | bytearray | memoryview):
        if len(data) > _TOO_LARGE_BYTES:
            warnings.warn(_TOO_LARGE_MESSAGE, ResourceWarning, stacklevel=2)
        return Body(bytes(data), content_type=_OCTETS)
    if isinstance(data, str):
        return Body(data.encode("utf-8"), content_type="text/plain; charset=utf-8")
    if isinstance(data, Mapping | MultiDictProxy) or (data and _is_pairs(data)):
        fields = MultiDict(data)
        if any(isinstance(v, _FILE_VALUES) for v in fields.values()):
            return encode_body(FormData(list(fields.items()))())  # as 3.x: a multipart form
        encoded = urlencode(list(fields.items()), doseq=True).encode("ascii")
        return Body(encoded, content_type="application/x-www-form-urlencoded")
    if isinstance(data, list | tuple) and any(isinstance(item, io.IOBase) for item in data):
        return encode_body(FormData(list(data))())  # as 3.x: file objects make a form
    if callable(data) and hasattr(data, "add_field"):
        return encode_body(data())  # FormData builds its payload when called
    try:
        # No Content-Disposition for a request body, as in 3.x.
        payload = get_payload(data, disposition=None)
    except Exception as exc:
        raise TypeError(
            f"data of type {type(data).__name__} cannot be sent as a request body"
        ) from exc
    return Body(payload=payload)
