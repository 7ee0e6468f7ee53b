"""A response that sends a file: zero-copy, with ranges, validators and pre-compressed siblings.

``FileResponse(path)`` does, when prepared:

1. picks a pre-compressed sibling (``path.br``, ``path.gz``, ``path.zst``) when one exists and the
   client's ``Accept-Encoding`` takes it (``Vary: Accept-Encoding`` is set whenever one exists);
2. sets ``ETag`` (``"<mtime ns hex>-<size hex>"``), ``Last-Modified`` and ``Accept-Ranges``;
3. evaluates ``If-Match``, ``If-Unmodified-Since`` (412), ``If-None-Match`` and
   ``If-Modified-Since`` (304) in RFC 9110 §13.2.2's order;
4. honours ``Range`` (one range: 206 with ``Content-Range``; several: 206 with a
   ``multipart/byteranges`` body; none satisfiable: 416 with ``Content-Range: bytes */size``)
   unless ``If-Range`` says the file changed;
5. sends the bytes with the connection writer's ``sendfile`` (``loop.sendfile``: zero-copy where
   the transport allows, read-and-write otherwise). Setting the ``AIOHTTP_NOSENDFILE`` environment
   variable (to any non-empty value) before aiohttp is imported turns ``sendfile`` off: the file
   is then read in ``chunk_size`` pieces and written, as for a compressed response.
"""

from __future__ import annotations

import asyncio
import math
import mimetypes
import os
import secrets
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..._sansio.codings import negotiate_content_coding
from ..._sansio.dates import format_http_date, parse_http_date
from .conditional import (
    MAX_RANGES,
    ETag,
    RangeNotSatisfiable,
    evaluate_preconditions,
    if_range_allows,
    parse_range,
)
from .headers import format_etag
from .response import StreamResponse

if TYPE_CHECKING:
    from .request import BaseRequest

__all__ = ["FileResponse"]

#: ``sendfile`` is not used (``AIOHTTP_NOSENDFILE`` was set when this module was imported).
NOSENDFILE = bool(os.environ.get("AIOHTTP_NOSENDFILE"))

#: Pre-compressed siblings looked for, most preferred first, with their file suffixes.
COMPRESSED_SUFFIXES: dict[str, str] = {"br": ".br", "zstd": ".zst", "gzip": ".gz"}

# The media type of a file that is itself compressed (served as is, never with Content-Encoding).
_ENCODING_TYPES = {
    "gzip": "application/gzip",
    "br": "application/x-brotli",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "compress": "application/x-compress",
}


def guess_content_type(path: Path) -> str:
    """The media type for ``path`` from its name (``application/octet-stream`` when unknown)."""
    ctype, encoding = mimetypes.guess_type(path.name)
    if encoding:
        return _ENCODING_TYPES.get(encoding, "application/octet-stream")
    return ctype or "application/octet-stream"


class _Chosen:
    """The file picked for a request, with its stat result and coding."""

    __slots__ = ("coding", "has_siblings", "path", "stat")

    def __init__(
        self, path: Path, stat: os.stat_result, coding: str | None, has_siblings: bool
    ) -> None:
        self.path = path
        self.stat = stat
        self.coding = coding
        self.has_siblings = has_siblings


def _choose(path: Path, accept_encoding: str | None, root: Path | None = None) -> _Chosen:
    """Stat ``path`` and its compressed siblings and pick one (runs in a worker thread).

    With ``root``, a sibling whose real path is outside it (a symbolic link leading out) is
    treated as absent, as the static route treats the file itself.
    """
    siblings: dict[str, tuple[Path, os.stat_result]] = {}
    for coding, suffix in COMPRESSED_SUFFIXES.items():
        sibling = path.with_name(path.name + suffix)
        try:
            st = sibling.stat()
            if root is not None and not sibling.resolve(strict=True).is_relative_to(root):
                continue
        except (OSError, ValueError, RuntimeError):
            continue
        if stat.S_ISREG(st.st_mode):
            siblings[coding] = (sibling, st)
    chosen = negotiate_content_coding(accept_encoding, list(siblings)) if siblings else None
    if chosen is not None:
        sibling, st = siblings[chosen]
        return _Chosen(sibling, st, chosen, True)
    return _Chosen(path, path.stat(), None, bool(siblings))


class FileResponse(StreamResponse):
    """Send a file from the file system.

    Args:
        path: The file.
        chunk_size: Bytes per read when the file cannot be sent with ``sendfile``.
        status: The status for a whole-file answer.
        reason: The reason phrase.
        headers: Extra header fields (a ``Content-Type`` here wins over the guess).
    """

    #: The most byte ranges one request may ask for; beyond it the whole file is sent.
    max_ranges: int = MAX_RANGES

    def __init__(
        self,
        path: str | os.PathLike[str],
        chunk_size: int = 256 * 1024,
        status: int = 200,
        reason: str | None = None,
        headers: Any = None,
    ) -> None:
        super().__init__(status=status, reason=reason, headers=headers)
        self._path = Path(path)
        self._chunk_size = chunk_size
        # Set by the static route when symbolic links must not lead out of its directory.
        self._sibling_root: Path | None = None

    async def prepare(self, request: BaseRequest) -> Any:
        """Choose what to send, set the head, and send the body.

        Raises:
            FileNotFoundError: The file does not exist (the static route answers 404 for it).
        """
        loop = asyncio.get_running_loop()
        accept = request.headers.get("Accept-Encoding")
        try:
            chosen = await loop.run_in_executor(
                None, _choose, self._path, accept, self._sibling_root
            )
        except PermissionError:
            return await self._send_empty(request, 403)
        except (OSError, ValueError):
            return await self._send_empty(request, 404)  # gone, or a symlink loop
        st = chosen.stat
        if not stat.S_ISREG(st.st_mode):
            return await self._send_empty(request, 403)
        size = st.st_size
        etag = ETag(f"{st.st_mtime_ns:x}-{size:x}")
        mtime = math.ceil(st.st_mtime)  # as 3.x: Last-Modified is never before the true mtime
        modified = datetime.fromtimestamp(mtime, UTC)
        self._set_validators(chosen, etag, mtime)
        method = request.method
        verdict = evaluate_preconditions(
            method=method,
            etag=etag,
            last_modified=modified,
            if_match=request.headers.get("If-Match"),
            if_none_match=request.headers.get("If-None-Match"),
            if_modified_since=parse_http_date(request.headers.get("If-Modified-Since")),
            if_unmodified_since=parse_http_date(request.headers.get("If-Unmodified-Since")),
        )
        if verdict is not None:
            return await self._send_empty(request, verdict)
        ranges: list[tuple[int, int]] | None = None
        if_range = request.headers.get("If-Range")
        if method == "GET" and if_range_allows(if_range, etag, modified, parse_http_date(if_range)):
            try:
                ranges = parse_range(request.headers.get("Range"), size, max_ranges=self.max_ranges)
            except RangeNotSatisfiable:
                self.headers["Content-Range"] = f"bytes */{size}"
                return await self._send_empty(request, 416)
        if ranges is not None and len(ranges) == 1:
            start, end = ranges[0]
            self.set_status(206)
            self.headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
            return await self._send_file(request, chosen.path, [(start, end)], None)
        if ranges is not None:
            return await self._send_multipart(request, chosen.path, ranges, size)
        return await self._send_file(request, chosen.path, [(0, size)], None)

    def _set_validators(self, chosen: _Chosen, etag: ETag, mtime: float) -> None:
        headers = self.headers
        if "Content-Type" not in headers:
            headers["Content-Type"] = guess_content_type(self._path)
        if chosen.coding is not None:
            headers["Content-Encoding"] = chosen.coding
            self._compression = False  # already compressed: never twice (as in 3.x)
        if chosen.has_siblings:
            headers["Vary"] = "Accept-Encoding"
        headers["ETag"] = format_etag(etag)
        headers["Last-Modified"] = format_http_date(mtime)
        headers["Accept-Ranges"] = "bytes"

    async def _send_empty(self, request: BaseRequest, status: int) -> Any:
        self.set_status(status)
        if status == 304:
            # RFC 9110 §15.4.5: the validators stay; no content, so no content headers.
            for name in ("Content-Type", "Content-Encoding", "Accept-Ranges"):
                self.headers.pop(name, None)
        else:
            self.headers.pop("Content-Encoding", None)
            self.content_length = 0
        writer = await super().prepare(request)
        await self.write_eof()
        return writer

    async def _send_file(
        self,
        request: BaseRequest,
        path: Path,
        ranges: list[tuple[int, int]],
        parts: list[bytes] | None,
    ) -> Any:
        # Opened on the loop: a worker-thread open whose await is cancelled would leak the file.
        try:
            fobj = path.open("rb")
        except OSError as exc:  # readable to stat, not to open; or gone since (403/404, as 3.x)
            for name in ("ETag", "Last-Modified", "Accept-Ranges", "Content-Range", "Vary"):
                self.headers.pop(name, None)
            return await self._send_empty(request, 403 if isinstance(exc, PermissionError) else 404)
        total = sum(end - start for start, end in ranges)
        if parts is not None:
            total += sum(len(p) for p in parts)
        self.content_length = total
        try:
            writer = await super().prepare(request)
            if request.method != "HEAD" and writer is not None:
                for index, (start, end) in enumerate(ranges):
                    if parts is not None:
                        await writer.write(parts[index])
                    await self._send_range(writer, fobj, start, end - start)
                if parts is not None:
                    await writer.write(parts[-1])
            await self.write_eof()
        finally:
            fobj.close()
        return writer

    async def _send_range(self, writer: Any, fobj: IO[bytes], offset: int, count: int) -> None:
        if count <= 0:
            return
        sendfile = getattr(writer, "sendfile", None)
        if sendfile is not None and not NOSENDFILE and not getattr(self, "compression", False):
            try:
                await sendfile(fobj, offset, count)
                return
            except NotImplementedError:  # an event loop without sendfile: read and write
                pass
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, fobj.seek, offset)
        while count > 0:
            chunk = await loop.run_in_executor(None, fobj.read, min(self._chunk_size, count))
            if not chunk:
                break
            count -= len(chunk)
            await writer.write(chunk)

    async def _send_multipart(
        self, request: BaseRequest, path: Path, ranges: list[tuple[int, int]], size: int
    ) -> Any:
        boundary = secrets.token_hex(16)
        ctype = self.headers.get("Content-Type", "application/octet-stream")
        # RFC 9110 §14.6: each part is a delimiter, its own Content-Type and Content-Range, the
        # bytes; the CRLF ending a part's bytes belongs to the next delimiter.
        parts = [
            (
                ("--" if i == 0 else "\r\n--") + f"{boundary}\r\n"
                f"Content-Type: {ctype}\r\n"
                f"Content-Range: bytes {start}-{end - 1}/{size}\r\n\r\n"
            ).encode("latin-1")
            for i, (start, end) in enumerate(ranges)
        ]
        parts.append(f"\r\n--{boundary}--\r\n".encode("ascii"))
        self.set_status(206)
        self.headers["Content-Type"] = f"multipart/byteranges; boundary={boundary}"
        return await self._send_file(request, path, ranges, parts)
