"""Fault injection for tests: an HTTP/1.1 server that misbehaves on cue.

:class:`FaultServer` listens on loopback and answers each request with bytes from a
*responder* (a function of the request) or from a real *upstream* server it forwards to. Before
a request, queue a :class:`Fault` with :meth:`FaultServer.inject`; the next response is sent
through it::

    ok = b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok"
    async with FaultServer(lambda req: ok) as srv:
        srv.inject(Fault.reset_after(10))       # the first response is cut by a TCP reset
        srv.inject(Fault.stall(2.0))            # the second waits two seconds before any byte
        ...                                     # the third and later go through unharmed

=============================== ===========================================================
fault                           what the client sees
=============================== ===========================================================
``Fault.reset_after(n)``        ``n`` bytes of the response, then a TCP RST
``Fault.close_after(n)``        ``n`` bytes of the response, then a clean close (FIN)
``Fault.close_mid_head()``      half of the response head, then a close
``Fault.close_mid_body()``      the head and half of the body, then a close
``Fault.stall(seconds)``        nothing for ``seconds``, then the response
``Fault.trickle(size, delay)``  the response ``size`` bytes at a time, ``delay`` apart
``Fault.garbage(data)``         ``data`` instead of the response, then a close
``Fault.drop()``                the connection closed as soon as the request arrived
=============================== ===========================================================

A responder may also return an async iterable of byte pieces, to stream hostile answers
(endless headers or bodies, decompression bombs) that no buffer could hold.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
import socket
import ssl as ssl_mod
import struct
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any

from .._sansio.errors import HttpProcessingError
from .._sansio.http1 import RequestHead, RequestParser, ResponseParser
from .._sansio.http1.events import Data, EndOfMessage, ResponseHead

__all__ = ("Fault", "FaultServer", "ReceivedRequest", "Responder")


@dataclasses.dataclass(frozen=True, slots=True)
class ReceivedRequest:
    """A request as the fault server read it.

    Attributes:
        head: The parsed request line and headers.
        body: The whole body.
    """

    head: RequestHead
    body: bytes


ResponseBytes = bytes | AsyncIterable[bytes]
Responder = Callable[[ReceivedRequest], ResponseBytes | Awaitable[ResponseBytes]]
"""Builds the response to a request: bytes, or an async iterable of pieces (maybe awaited)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Fault:
    """One way to misbehave, applied to one response (see the module table).

    Attributes:
        kind: The kind of fault.
        count: Bytes to let through first (``reset_after``, ``close_after``) or per write
            (``trickle``).
        seconds: The stall, or the delay between trickled writes.
        data: The bytes sent by ``garbage``.
    """

    kind: str
    count: int = 0
    seconds: float = 0.0
    data: bytes = b""

    @classmethod
    def reset_after(cls, count: int) -> Fault:
        """Send ``count`` bytes of the response, then reset the connection."""
        return cls("reset", count=count)

    @classmethod
    def close_after(cls, count: int) -> Fault:
        """Send ``count`` bytes of the response, then close the connection cleanly."""
        return cls("close", count=count)

    @classmethod
    def close_mid_head(cls) -> Fault:
        """Send half of the response head, then close."""
        return cls("mid_head")

    @classmethod
    def close_mid_body(cls) -> Fault:
        """Send the head and half of the body, then close."""
        return cls("mid_body")

    @classmethod
    def stall(cls, seconds: float) -> Fault:
        """Wait ``seconds`` before the first byte of the response."""
        return cls("stall", seconds=seconds)

    @classmethod
    def trickle(cls, size: int = 1, delay: float = 0.001) -> Fault:
        """Send the response ``size`` bytes at a time, ``delay`` seconds apart."""
        return cls("trickle", count=max(1, size), seconds=delay)

    @classmethod
    def garbage(cls, data: bytes = b"\x00\xffNOT HTTP AT ALL\r\n\r\n") -> Fault:
        """Send ``data`` instead of the response, then close."""
        return cls("garbage", data=data)

    @classmethod
    def drop(cls) -> Fault:
        """Close the connection as soon as the request arrived, sending nothing."""
        return cls("drop")


async def _pieces(source: ResponseBytes) -> AsyncIterator[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        yield bytes(source)
        return
    async for piece in source:
        yield piece


def _abort(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (SO_LINGER zero)."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def _cut_point(fault: Fault, whole: bytes) -> int:
    end_of_head = whole.find(b"\r\n\r\n")
    head_len = len(whole) if end_of_head < 0 else end_of_head + 4
    if fault.kind == "mid_head":
        return max(1, head_len // 2)
    return head_len + (len(whole) - head_len) // 2


class _Closed(Exception):
    """The fault ended the connection."""


async def _send(writer: asyncio.StreamWriter, source: ResponseBytes, fault: Fault | None) -> None:
    """Write a response through ``fault``; raise :class:`_Closed` when the fault closed it."""
    if fault is None:
        async for piece in _pieces(source):
            writer.write(piece)
            await writer.drain()
        return
    kind = fault.kind
    if kind == "drop":
        writer.close()
        raise _Closed
    if kind == "garbage":
        writer.write(fault.data)
        await writer.drain()
        writer.close()
        raise _Closed
    if kind == "stall":
        await asyncio.sleep(fault.seconds)
        await _send(writer, source, None)
        return
    if kind in ("mid_head", "mid_body"):
        whole = b"".join([piece async for piece in _pieces(source)])
        writer.write(whole[: _cut_point(fault, whole)])
        await writer.drain()
        writer.close()
        raise _Closed
    budget = fault.count
    async for piece in _pieces(source):
        if kind == "trickle":
            for start in range(0, len(piece), budget):
                writer.write(piece[start : start + budget])
                await writer.drain()
                await asyncio.sleep(fault.seconds)
            continue
        writer.write(piece[:budget])
        budget -= min(budget, len(piece))
        await writer.drain()
        if budget == 0:
            break
    if kind == "reset":
        _abort(writer)
        raise _Closed
    if kind == "close":
        writer.close()
        raise _Closed


class FaultServer:
    """A loopback HTTP/1.1 server that answers through queued faults.

    Args:
        responder: Builds each response (see :data:`Responder`).
        upstream: ``(host, port)`` of a real server to forward requests to instead.
        host: The address to listen on.
        port: The port (0: any free one).
        ssl: A server TLS context, to serve https.
    """

    def __init__(
        self,
        responder: Responder | None = None,
        *,
        upstream: tuple[str, int] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl: ssl_mod.SSLContext | None = None,
    ) -> None:
        if (responder is None) == (upstream is None):
            raise ValueError("Give exactly one of responder and upstream")
        self._responder = responder
        self._upstream = upstream
        self._host = host
        self._port = port
        self._ssl = ssl
        self._server: asyncio.Server | None = None
        self._faults: deque[Fault | None] = deque()
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self.requests: list[ReceivedRequest] = []
        self.connections = 0

    def inject(self, *faults: Fault | None) -> None:
        """Queue faults for the next responses, one each (``None`` lets one through)."""
        self._faults.extend(faults)

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._server is not None, "server not started"
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        """``http://host:port`` (``https`` with TLS)."""
        scheme = "https" if self._ssl is not None else "http"
        return f"{scheme}://{self._host}:{self.port}"

    def make_url(self, path: str) -> str:
        """An absolute URL for ``path`` on this server."""
        return self.url + path

    async def start(self) -> None:
        """Start listening."""
        self._server = await asyncio.start_server(
            self._serve, self._host, self._port, ssl=self._ssl
        )

    async def close(self) -> None:
        """Stop listening and close every connection."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> FaultServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._converse(reader, writer)
        except asyncio.CancelledError:
            pass  # close() stops conversations; the task ends normally
        finally:
            self._tasks.discard(task)

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.add(writer)
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            async for request, raw in _requests(reader):
                self.requests.append(request)
                fault = self._faults.popleft() if self._faults else None
                if self._upstream is not None:
                    if upstream is None:
                        upstream = await asyncio.open_connection(*self._upstream)
                    source: ResponseBytes = _forward(upstream, raw, request.head.method)
                else:
                    assert self._responder is not None
                    answer = self._responder(request)
                    source = await answer if inspect.isawaitable(answer) else answer
                first: list[bytes] = []
                await _send(writer, _watch(source, first), fault)
                if not request.head.keep_alive or _closes(first[0] if first else b""):
                    break
        except (_Closed, ConnectionError, HttpProcessingError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            if upstream is not None:
                upstream[1].close()
            writer.close()


async def _watch(source: ResponseBytes, first: list[bytes]) -> AsyncIterator[bytes]:
    """Pass ``source`` through, keeping its first piece in ``first``."""
    async for piece in _pieces(source):
        if not first:
            first.append(piece)
        yield piece


def _closes(start: bytes) -> bool:
    """Whether a response starting with ``start`` ends its connection (RFC 9112 §9.6, §6.3)."""
    head = start.split(b"\r\n\r\n", 1)[0].lower()
    if b"\r\nconnection: close" in head:
        return True
    return b"\r\ncontent-length:" not in head and b"\r\ntransfer-encoding:" not in head


async def _requests(reader: asyncio.StreamReader) -> AsyncIterator[tuple[ReceivedRequest, bytes]]:
    """Each request on a connection, parsed, with its raw bytes."""
    parser = RequestParser()
    raw = bytearray()
    head: RequestHead | None = None
    body = bytearray()
    while True:
        data = await reader.read(65536)
        if not data:
            return
        raw += data
        for event in parser.feed(data):
            if isinstance(event, RequestHead):
                head = event
            elif isinstance(event, Data):
                body += event.data
            elif isinstance(event, EndOfMessage):
                assert head is not None
                yield ReceivedRequest(head, bytes(body)), bytes(raw)
                raw.clear()
                body.clear()


async def _forward(
    upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter], raw: bytes, method: str
) -> AsyncIterator[bytes]:
    """Send a request upstream and yield the response bytes until the message ends."""
    up_reader, up_writer = upstream
    up_writer.write(raw)
    await up_writer.drain()
    parser = ResponseParser()
    parser.expect_response(method)
    while True:
        data = await up_reader.read(65536)
        if not data:
            return
        yield data
        events: list[Any] = parser.feed(data)
        if any(isinstance(e, EndOfMessage) for e in events) and not any(
            isinstance(e, ResponseHead) and e.status < 200 for e in events[-1:]
        ):
            return
