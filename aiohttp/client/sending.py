"""Writing a request on a connection: the sending half of
:class:`~aiohttp.client.request.ClientRequest`.

A body that is already bytes leaves with the head in one ``transport.write``; any other body
streams through :class:`aiohttp._io.writer.StreamWriter` in its own task
(:meth:`RequestSender.write_bytes`), so an early answer from the server (a 413, say) is seen
while the upload is still going.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDict

from .._io.writer import AbstractStreamWriter, StreamWriter
from .._sansio.http1.events import HttpVersion
from .exceptions import ClientConnectionError, ClientError
from .headers import serialized_head

if TYPE_CHECKING:
    from .._sansio.codings import Decoder
    from .body import Body
    from .connection import Connection
    from .response import ClientResponse
    from .upload import UploadTracker

__all__ = ("RequestSender",)


class RequestSender:
    """``send()``, ``write_bytes()``, ``close()`` and ``terminate()`` of a request.

    The attributes below are set by :class:`~aiohttp.client.request.ClientRequest`.
    """

    method: str
    version: HttpVersion
    headers: CIMultiDict[str]
    body: Body
    chunked: bool
    compress: str | bool | None
    expect100: bool
    writer_task: asyncio.Task[None] | None
    _chunk_size: int | None
    _upload_tracker: UploadTracker | None = None
    _upload_attempt = 0

    def keep_alive(self) -> bool:  # pragma: no cover - ClientRequest defines it
        raise NotImplementedError

    def request_target(self) -> str:  # pragma: no cover - ClientRequest defines it
        raise NotImplementedError

    async def send(self, conn: Connection) -> ClientResponse:
        """Write the request on ``conn``; return the response once its head arrived.

        Raises:
            ClientResponseError: The response head is malformed.
            ServerDisconnectedError: The connection closed before the response head.
        """
        from .exchange import send_on  # noqa: PLC0415 - the exchange builds on this module

        return await send_on(conn, self)  # type: ignore[arg-type]

    async def _write(
        self,
        conn: Connection,
        *,
        timer: AbstractContextManager[object] | None = None,
        decoder_factory: Callable[[str], Decoder | None] | None = None,
        on_chunk_sent: Callable[[bytes], Any] | None = None,
        on_headers_sent: Callable[[CIMultiDict[str]], Awaitable[None]] | None = None,
        read_bufsize: int | None = None,
    ) -> None:
        """Write the request on ``conn`` (the body may keep streaming in :attr:`writer_task`).

        Raises:
            ValueError: A header contains CR, LF or NUL.
            ConnectionResetError: The connection closed while writing.
        """
        protocol = conn.protocol
        body = self.body
        whole = body.data is not None and not self.chunked and not self.expect100
        protocol.expect_response(
            self.method,
            timer=timer,
            decoder_factory=decoder_factory,
            expect_continue=self.expect100,
            read_bufsize=read_bufsize,
            body=not whole,
            last=not self.keep_alive(),  # RFC 9112 §9.6
        )
        head = serialized_head(self.method, self.request_target(), self.headers, self.version)
        transport = protocol.transport
        if transport is None or transport.is_closing():
            raise ConnectionResetError("Connection closed before the request was sent")
        if on_headers_sent is not None:
            await on_headers_sent(self.headers)
        tracker = self._upload_tracker
        if tracker is not None:
            tracker._attempt_writing(self._upload_attempt, transport)
            on_chunk_sent = _counting(tracker, self._upload_attempt, on_chunk_sent)
        if whole:
            transport.write(head + body.data if body.data else head)
            if on_chunk_sent is not None and body.data:
                await on_chunk_sent(body.data)
            if tracker is not None:
                tracker._attempt_finished(self._upload_attempt)
            return
        writer = StreamWriter(protocol, protocol.loop, on_chunk_sent=on_chunk_sent)
        if self.chunked:
            writer.enable_chunking()
            writer.max_chunk_size = self._chunk_size
        if self.compress:
            writer.enable_compression(str(self.compress))
        writer.write_head(head)
        self.writer_task = protocol.loop.create_task(self.write_bytes(writer, conn))

    async def write_bytes(
        self, writer: AbstractStreamWriter, conn: Connection, content_length: int | None = None
    ) -> None:
        """Write the body to ``writer`` and end the message: after the ``100 Continue`` when
        one is expected, at most ``content_length`` bytes of it when given.

        A failure is handed to the connection's protocol (the response waiting on it sees
        it); a cancelled upload closes the connection.
        """
        protocol = conn.protocol
        tracker, attempt = self._upload_tracker, self._upload_attempt
        try:
            if self.expect100:
                writer.send_headers()
                await protocol.wait_continue()
                if protocol.has_final_head():
                    # A final status instead of 100: the body is not sent.
                    if tracker is not None:
                        tracker._attempt_failed(attempt, None)
                    return
            await self.body.write(writer, content_length)
            await writer.write_eof()
            protocol.request_ended()
        except asyncio.CancelledError:
            if tracker is not None:
                tracker._attempt_failed(attempt, None)
            conn.close()
            raise
        except Exception as exc:
            error = _send_error(exc, conn)
            if tracker is not None:
                tracker._attempt_failed(attempt, error)
            protocol.writer_failed(error)
        else:
            if tracker is not None:
                tracker._attempt_finished(attempt)

    async def close(self) -> None:
        """Wait until the body upload, if one is still running, is over."""
        task = self.writer_task
        if task is not None and not task.done():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(task)

    def terminate(self) -> None:
        """Stop a body upload still running."""
        task = self.writer_task
        if task is not None and not task.done():
            task.cancel()

    async def stop_writing(self) -> None:
        """Cancel a body upload still in progress."""
        task = self.writer_task
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _send_error(exc: Exception, conn: Connection) -> Exception:
    """What the request raises when its body fails: a client error as is, an OS error as is
    (the exchange makes it a ``ClientOSError``), anything else (the body's own error) as 3.x's
    ``ClientConnectionError``, caused by it."""
    if isinstance(exc, ClientError | OSError):
        return exc
    error = ClientConnectionError(
        f"Failed to send bytes into the underlying connection {conn!r}: {exc!r}"
    )
    error.__cause__ = exc
    return error


def _counting(
    tracker: UploadTracker, attempt: int, then: Callable[[bytes], Any] | None
) -> Callable[[bytes], Awaitable[None]]:
    """An ``on_chunk_sent`` that counts the body bytes for ``tracker``, then calls ``then``."""

    async def on_chunk_sent(chunk: bytes) -> None:
        tracker._add_bytes(attempt, len(chunk))
        if then is not None:
            await then(chunk)

    return on_chunk_sent
