"""Upload progress of one request: :class:`UploadTracker`.

Pass a new tracker as ``upload_tracker=`` and read it while the request runs::

    tracker = aiohttp.UploadTracker()
    task = asyncio.create_task(session.post(url, data=big_file, upload_tracker=tracker))
    while not tracker.upload_complete.done():
        print(tracker.bytes_written)
        await asyncio.sleep(1)

Each time the body starts over (a redirect that keeps it, a retry, a stale connection) is an
*attempt*: ``attempts`` counts them and ``bytes_written`` restarts from 0. ``upload_complete``
is settled once the request has returned or raised and its last attempt stopped writing: its
result is ``None`` when that attempt sent the whole body, the write's error when it failed, and
:class:`~aiohttp.UploadAbortedError` when it was cut short.
"""

from __future__ import annotations

import asyncio
import warnings
from typing import TYPE_CHECKING, Any

from .exceptions import UploadAbortedError

if TYPE_CHECKING:
    from .request import RequestInfo

__all__ = ("UploadCounters", "UploadTracker")


class UploadTracker:
    """Tracks the upload of one request's body (aiohttp 3.14).

    Must be made inside a running event loop. A tracker observes exactly one request: passing
    it to a second request raises :exc:`RuntimeError`.

    Attributes:
        attempts: How many times the body started to be sent.
        upload_complete: Settled when the upload is over (see the module docstring).
    """

    def __init__(self) -> None:
        self.attempts = 0
        self.upload_complete: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._bound = False
        self._final = False
        self._writing = False
        self._finished = False
        self._exc: BaseException | None = None
        self._accepted = 0
        self._transport: Any = None

    @property
    def bytes_written(self) -> int:
        """Body bytes of the current attempt handed to the kernel.

        Bytes the transport still buffers do not count yet; the kernel's own socket buffer
        cannot be seen.
        """
        transport = self._transport
        if transport is None or transport.is_closing():
            return self._accepted
        buffered: int = transport.get_write_buffer_size()
        return max(0, self._accepted - buffered)

    # -- driven by the request -------------------------------------------------------------

    def _bind(self) -> None:
        if self._bound:
            raise RuntimeError("UploadTracker is already bound to a request")
        self._bound = True

    def _attempt_started(self) -> int:
        """A new attempt begins; returns its number (later calls from older attempts are
        ignored)."""
        self.attempts += 1
        self._writing = False
        self._finished = False
        self._exc = None
        self._accepted = 0
        self._transport = None
        return self.attempts

    def _attempt_writing(self, attempt: int, transport: Any) -> None:
        if attempt == self.attempts:
            self._writing = True
            self._transport = transport

    def _add_bytes(self, attempt: int, size: int) -> None:
        if attempt == self.attempts:
            self._accepted += size

    def _attempt_finished(self, attempt: int) -> None:
        if attempt == self.attempts:
            self._writing = False
            self._finished = True
            self._transport = None
            if self._final:
                self._settle()

    def _attempt_failed(self, attempt: int, exc: BaseException | None) -> None:
        """The attempt stopped before the whole body was sent (``exc`` is ``None`` when it
        was cut short rather than failed)."""
        if attempt == self.attempts:
            self._writing = False
            self._exc = exc
            self._accepted = self.bytes_written
            self._transport = None
            if self._final:
                self._settle()

    def _finalize(self) -> None:
        """The request returned or raised: no attempt follows."""
        self._final = True
        if not self._writing:
            self._settle()

    def _settle(self) -> None:
        fut = self.upload_complete
        if fut.done():
            return
        if self._finished:
            fut.set_result(None)
            return
        fut.set_exception(self._exc or UploadAbortedError("The request body was not fully sent"))
        fut.exception()  # retrieved: a caller that only polls done() is not warned


class UploadCounters:
    """The upload counters 3.14 deprecated on ``ClientResponse`` for :class:`UploadTracker`."""

    _request_info: RequestInfo
    _loop: asyncio.AbstractEventLoop | None
    _writer: asyncio.Task[None] | None
    _upload_future: asyncio.Future[None] | None = None

    @property
    def output_size(self) -> int:
        """Deprecated (3.14): the request body's bytes sent; use :class:`UploadTracker`."""
        warnings.warn(
            "ClientResponse.output_size is deprecated, use aiohttp.UploadTracker instead",
            DeprecationWarning,
            stacklevel=2,
        )
        request = self._request_info
        length = request.headers.get("Content-Length")
        return int(length) if length and length.isdigit() else 0

    @property
    def upload_complete(self) -> asyncio.Future[None]:
        """Deprecated (3.14): done once the request body was sent; use
        :class:`UploadTracker`."""
        warnings.warn(
            "ClientResponse.upload_complete is deprecated, use aiohttp.UploadTracker instead",
            DeprecationWarning,
            stacklevel=2,
        )
        future = self._upload_future
        if future is None:  # one future for the response, whenever it is asked for
            loop = self._loop or asyncio.get_running_loop()
            future = self._upload_future = loop.create_future()
            writer = self._writer
            if writer is None or writer.done():
                future.set_result(None)
            else:
                writer.add_done_callback(lambda _: _settle(future))
        return future


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
