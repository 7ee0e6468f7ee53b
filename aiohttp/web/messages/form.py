"""Reading ``multipart/form-data`` request bodies for :meth:`aiohttp.web.BaseRequest.post`.

Text fields become ``str`` (decoded with the part's charset), file fields (parts with a
``filename``) become :class:`FileField` objects whose ``file`` is a
:class:`tempfile.SpooledTemporaryFile`: kept in memory up to :data:`SPOOL_MAX_SIZE` bytes,
on disk past it. ``client_max_size`` bounds both the body as sent (part headers, delimiters and
encoded parts included, as 3.x counts it) and what the fields decode to; both are checked as the
parts arrive, so an oversized upload is refused with 413 before it is stored whole.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from multidict import CIMultiDictProxy, MultiDict, MultiDictProxy

from ..._io.multipart import BodyPartReader, MultipartReader
from ..._io.streams import StreamReader
from ..._sansio.multipart import MultipartError, MultipartLimitError
from ..exceptions import HTTPBadRequest, HTTPRequestEntityTooLarge

__all__ = ["SPOOL_MAX_SIZE", "FileField", "multipart_reader", "read_form", "too_many_fields"]

#: File fields larger than this go to a temporary file on disk instead of memory.
SPOOL_MAX_SIZE = 1024**2
_CHUNK = 64 * 1024


@dataclass
class FileField:
    """An uploaded file of a ``multipart/form-data`` body.

    Attributes:
        name: The form field name.
        filename: The file name the client sent.
        file: The content, positioned at the start.
        content_type: The part's media type.
        headers: The part's header fields.
    """

    name: str
    filename: str
    file: IO[bytes]
    content_type: str
    headers: CIMultiDictProxy[str]


def too_many_fields(limit: int) -> HTTPRequestEntityTooLarge:
    """The 413 for a form with more than ``limit`` fields."""
    return HTTPRequestEntityTooLarge(
        max_size=limit,
        actual_size=limit + 1,
        text=f"Maximum number of form fields {limit} exceeded.",
    )


def multipart_reader(
    headers: Mapping[str, str],
    payload: StreamReader,
    *,
    client_max_size: int | None = None,
    max_field_size: int = 8190,
    max_headers: int = 128,
) -> MultipartReader:
    """A multipart reader over a request body.

    With ``client_max_size``, a part's ``read()`` past it raises
    :class:`~aiohttp.web.HTTPRequestEntityTooLarge` (413), as ``request.multipart()`` does in 3.x.
    """
    if client_max_size is None:
        return MultipartReader(headers, payload)
    return MultipartReader(
        headers,
        payload,
        client_max_size=client_max_size,
        max_field_size=max_field_size,
        max_headers=max_headers,
        max_size_error_cls=HTTPRequestEntityTooLarge,
    )


async def _read_file(
    part: BodyPartReader, size: int, check_size: Callable[[int], None]
) -> tuple[IO[bytes], int]:
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE)  # noqa: SIM115
    try:
        while True:
            chunk = await part.read_chunk(_CHUNK)
            if not chunk:
                break
            chunk = part.decode(chunk)
            size += len(chunk)
            check_size(size)
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, size


async def _read_value(
    part: BodyPartReader, size: int, check_size: Callable[[int], None]
) -> tuple[bytes, int]:
    # Checked piece by piece, so a huge text field is refused while it arrives.
    value = bytearray()
    while chunk := await part.read_chunk(_CHUNK):
        chunk = part.decode(chunk)
        size += len(chunk)
        check_size(size)
        value += chunk
    return bytes(value), size


async def read_form(
    headers: Mapping[str, str],
    payload: StreamReader,
    max_size: int,
    check_size: Callable[[int], None],
    max_fields: int,
) -> MultiDictProxy[Any]:
    """Read every part of a ``multipart/form-data`` body into a multidict.

    Raises:
        aiohttp.web.HTTPRequestEntityTooLarge: The fields exceed ``max_size`` in total, there
            are more than ``max_fields`` of them, or a multipart limit (part count, part
            header size) is passed.
        aiohttp.web.HTTPBadRequest: The body is not valid multipart.
    """
    out: MultiDict[Any] = MultiDict()

    def check_body(decoded: int) -> None:
        # The limit is on the body as sent (part headers, delimiters and the encoded form of
        # a part included, as 3.x counts it), and on what the parts decode to.
        check_size(max(decoded, payload.total_bytes))

    try:
        await _read_form(multipart_reader(headers, payload), max_size, check_body, max_fields, out)
    except BaseException:
        for value in out.values():
            if isinstance(value, FileField):
                value.file.close()
        raise
    return MultiDictProxy(out)


async def _read_form(
    reader: MultipartReader,
    max_size: int,
    check_size: Callable[[int], None],
    max_fields: int,
    out: MultiDict[Any],
) -> None:
    try:
        await _read_parts(reader, check_size, max_fields, out)
    except MultipartLimitError as exc:
        raise HTTPRequestEntityTooLarge(
            max_size=max_size, actual_size=max_size + 1, text=str(exc)
        ) from None
    except (MultipartError, ValueError) as exc:
        raise HTTPBadRequest(text=f"Malformed multipart body: {exc}") from None


async def _read_parts(
    reader: MultipartReader,
    check_size: Callable[[int], None],
    max_fields: int,
    out: MultiDict[Any],
) -> None:
    size = 0
    while True:
        field = await reader.next()
        if field is None:
            break
        if 0 < max_fields <= len(out):  # 0 or less: no bound on the count, as in 3.x
            raise too_many_fields(max_fields)
        if not isinstance(field, BodyPartReader):
            raise ValueError("To decode nested multipart you need to use custom reader")
        check_size(size)  # the part's headers are in
        name = field.name or ""
        ctype = field.headers.get("Content-Type", "text/plain")
        if field.filename is not None:
            spool, size = await _read_file(field, size, check_size)
            out.add(name, FileField(name, field.filename, spool, ctype, field.headers))
            continue
        value, size = await _read_value(field, size, check_size)
        if ctype.startswith("text/") or "Content-Type" not in field.headers:
            out.add(name, value.decode(field.get_charset(default="utf-8")))
        else:
            out.add(name, value)
