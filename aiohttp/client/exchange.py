"""The innermost link of the chain: one request and its response head on a pooled connection.

:func:`exchange` takes the :class:`~aiohttp.client.request.ClientRequest` of one hop, asks the
connector for a connection (the pool's one acquire; the release happens when the response body
ends), writes the request and waits for the response head. Errors are translated into the
client's tree here. Two retries live here because only this link can tell them apart:

- an idempotent request whose pooled connection fails before a single response byte arrived
  (the server closed it while idle, RFC 9112 §9.3.1) is sent once more on another connection;
  a non-idempotent one is not, since the server may have acted on it. A pooled connection
  found broken before anything was written on it is replaced whatever the method;
- a ``417 Expectation Failed`` to ``Expect: 100-continue`` is answered by sending the request
  again without the expectation (RFC 9110 §10.1.1), when the body can be sent again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDict, CIMultiDictProxy

from .._io.decoding import DEFAULT_DECODERS, decoder_factory
from .._io.streams import EMPTY_PAYLOAD, StreamReader
from .._sansio.codings import Decoder
from .._sansio.errors import HttpProcessingError
from .._sansio.http1.events import ResponseHead
from .connection import Connection
from .exceptions import (
    ClientConnectionResetError,
    ClientError,
    ClientOSError,
    ClientResponseError,
    ConnectionTimeoutError,
    ServerDisconnectedError,
    ServerTimeoutError,
    SocketTimeoutError,
)
from .protocol import ResponseHandler
from .request import IDEMPOTENT_METHODS, ClientRequest
from .response import ClientResponse
from .timeouts import Deadline
from .tracing import (
    Trace,
    TraceRequestChunkSentParams,
    TraceRequestHeadersSentParams,
    send_all,
)

if TYPE_CHECKING:
    from .options import RequestOptions

__all__ = ("exchange", "send_on")

_STALE = (ServerDisconnectedError, ClientConnectionResetError, ClientOSError)
_SEND = ClientRequest.send
_START = ClientResponse.start


def _body_timer(options: RequestOptions, loop: asyncio.AbstractEventLoop) -> Deadline | None:
    sock_read = options.timeout.sock_read
    if options.deadline is None and not sock_read:
        return None
    return Deadline(loop, options.deadline, _total_timeout_error, sock_read, _read_timeout_error)


def _total_timeout_error() -> BaseException:
    return ServerTimeoutError("Timeout on request: total timeout elapsed")


async def exchange(req: ClientRequest) -> ClientResponse:
    """Send ``req`` and return the response once its head arrived (the chain's last link).

    Raises:
        ClientConnectorError: No connection could be opened.
        ClientResponseError: The response head is malformed.
        ServerDisconnectedError: The connection closed before the response head.
        ClientOSError: The connection failed while writing.
    """
    options = req._options
    connector = options.session._connector
    if connector is None:
        raise RuntimeError("Session is closed")
    _attempt_started(req)
    try:  # (no coroutine of its own: this runs for every request)
        conn = await connector.connect(req, options.traces, options.timeout)
    except TimeoutError as exc:
        raise _connect_timeout(req) from exc
    try:
        resp = await _send(conn, req)
    except _STALE as exc:
        resp = await _after_stale(conn, req, exc)
    if resp.status == 417 and req.expect100 and not req.continued and req.body.rewind():
        # RFC 9110 §10.1.1: the server will not take the expectation; send it without.
        resp.close()
        req.expect100 = False
        req.headers.popall("Expect", None)
        resp = await exchange(req)
    return resp


def _connect_timeout(req: ClientRequest) -> ConnectionTimeoutError:
    """3.x's error for a ``TimeoutError`` out of a connector (one of the caller's, say)."""
    return ConnectionTimeoutError(f"Connection timeout to host {req.url}")


async def _after_stale(conn: Connection, req: ClientRequest, exc: BaseException) -> ClientResponse:
    """Send ``req`` again on another connection after ``conn`` failed, when that is safe.

    A pooled connection that broke before anything was written on it (the server closed it,
    or sent bytes with no request outstanding, RFC 9112 §9.2) is replaced whatever the method.
    Otherwise an idempotent request is sent once more (RFC 9112 §9.3.1), as aiohttp 3.x does
    unless the session's ``_retry_connection`` is false. A body that cannot be replayed is
    never sent again.
    """
    options = req._options
    if not conn.broken_before_use and not (
        req.method in IDEMPOTENT_METHODS and getattr(options.session, "_retry_connection", True)
    ):
        raise exc
    if not req.body.rewind():
        raise exc
    connector = options.session._connector
    assert connector is not None
    _attempt_started(req)
    try:
        conn = await connector.connect(req, options.traces, options.timeout)
    except TimeoutError as timeout:
        raise _connect_timeout(req) from timeout
    return await _send(conn, req)


async def _send(conn: Connection, req: ClientRequest) -> ClientResponse:
    """``req.send(conn)`` then ``resp.start(conn)``, as aiohttp 3.x calls them; a subclass's
    overrides run, the classes' own are skipped (:func:`send_on` does both)."""
    if type(req).send is _SEND:
        resp = await send_on(conn, req)
    else:
        resp = await req.send(conn)
    if type(resp).start is not _START:
        try:
            await resp.start(conn)
        except BaseException:
            resp.close()
            raise
    return resp


def _attempt_started(req: ClientRequest) -> None:
    """Tell the request's upload tracker, if any, that the body starts over."""
    tracker = req._upload_tracker
    if tracker is not None:
        req._upload_attempt = tracker._attempt_started()


async def send_on(conn: Connection, req: ClientRequest) -> ClientResponse:
    """Write ``req`` on ``conn`` and wait for the response head.

    Raises:
        ClientResponseError: The response head is malformed, or a switch nobody asked for.
        ServerDisconnectedError: The connection closed before the response head.
        ClientOSError: The connection failed while writing.
    """
    options = req._options
    if conn.reused and conn.closed:
        # The pooled connection broke after the pool handed it out; nothing was written.
        conn.broken_before_use = True
        conn.close()
        raise ServerDisconnectedError()
    protocol = conn.protocol
    protocol.set_limits(options.limits)
    loop = protocol.loop
    traces = options.traces
    try:
        await req._write(
            conn,
            timer=_body_timer(options, loop),
            decoder_factory=_decoders(options),
            on_chunk_sent=_chunk_tracer(req, traces) if traces else None,
            on_headers_sent=_headers_tracer(req, traces) if traces else None,
            read_bufsize=options.read_bufsize,
        )
        # Before the head can arrive: a response that ends with its head gives the connection
        # back at once, and an upload still running then must be stopped with it.
        conn.writer_task = req.writer_task
        sock_read = options.timeout.sock_read
        if not sock_read:
            head, payload = await protocol.read_head()
        elif req.writer_task is None or req.writer_task.done():
            with Deadline(loop, None, _read_timeout_error, sock_read):
                head, payload = await protocol.read_head()
        else:
            head, payload = await _head_after_upload(protocol, req.writer_task, sock_read)
    except BaseException as exc:
        conn.close()
        translated = _translate(exc, req)
        if translated is exc:
            raise
        raise translated from exc
    return _response(conn, protocol, req, head, payload)


async def _head_after_upload(
    protocol: ResponseHandler, upload: asyncio.Task[None], sock_read: float
) -> tuple[ResponseHead, StreamReader]:
    """The response head, ``sock_read`` bounding the wait only once the body was sent (3.x):
    a slow upload is not the server's silence. A head that comes first (an early answer)
    is taken at once."""
    loop = protocol.loop
    head = loop.create_task(protocol.read_head())
    try:
        await asyncio.wait((head, upload), return_when=asyncio.FIRST_COMPLETED)
        if head.done():
            return head.result()
        with Deadline(loop, None, _read_timeout_error, sock_read):
            return await head
    finally:
        if not head.done():
            head.cancel()
        elif not head.cancelled():
            head.exception()  # marked retrieved, however this wait ended


def _response(
    conn: Connection,
    protocol: ResponseHandler,
    req: ClientRequest,
    head: ResponseHead,
    payload: StreamReader,
) -> ClientResponse:
    """The response object for a head that arrived on ``conn``, holding its body stream.

    ``conn`` may already be back in the pool (a response whose body ended with its head).

    Raises:
        ClientResponseError: A protocol switch nobody asked for (RFC 9110 §15.2.2).
    """
    options = req._options
    if head.status == 101 and "Upgrade" not in req.headers:
        conn.close()
        raise ClientResponseError(
            req.request_info, (), status=101, message="Unrequested protocol switch"
        )
    if (
        not options.args.read_until_eof
        and head.content_length is None
        and not head.chunked
        and not head.upgrade
    ):
        conn.close()
        payload = EMPTY_PAYLOAD
    response = options.session._response_class(
        req.method,
        req.original_url,
        writer=req.writer_task,
        continue100=None,
        timer=None,
        request_info=req.request_info,
        traces=options.traces,
        loop=protocol.loop,
        session=options.session,
        stream_writer=None,
    )
    req.response = response
    req.continued = protocol.continued
    response._start(head, payload, conn)
    if protocol.decoding:
        response._read_limit = options.max_decompressed_read_size
    return response


def _decoders(options: RequestOptions) -> Callable[[str], Decoder | None] | None:
    """The decoder factory for a response body, or ``None`` to keep the body coded."""
    if not options.auto_decompress:
        return None
    if options.max_decompressed_size is None:
        return DEFAULT_DECODERS
    return decoder_factory(options.max_decompressed_size)


def _read_timeout_error() -> BaseException:
    return SocketTimeoutError("Timeout on reading data from socket")


def _translate(exc: BaseException, req: ClientRequest) -> BaseException:
    """The client's error for a failure while sending or waiting for the head."""
    if isinstance(exc, HttpProcessingError):
        return ClientResponseError(
            req.request_info,
            (),
            status=exc.code,
            message=exc.message,
            headers=CIMultiDictProxy(CIMultiDict(exc.headers or {})),
        )
    if isinstance(exc, ClientError) or not isinstance(exc, OSError):
        return exc
    if isinstance(exc, ConnectionResetError):
        return ClientConnectionResetError(str(exc) or "Connection reset")
    return ClientOSError(exc.errno, exc.strerror or str(exc))


def _chunk_tracer(req: ClientRequest, traces: tuple[Trace, ...]) -> Callable[[bytes], Any]:
    async def on_chunk(chunk: bytes) -> None:
        await send_all(
            traces, "request_chunk_sent", TraceRequestChunkSentParams(req.method, req.url, chunk)
        )

    return on_chunk


def _headers_tracer(
    req: ClientRequest, traces: tuple[Trace, ...]
) -> Callable[[CIMultiDict[str]], Awaitable[None]]:
    async def on_headers(headers: CIMultiDict[str]) -> None:
        await send_all(
            traces,
            "request_headers_sent",
            TraceRequestHeadersSentParams(req.method, req.url, headers),
        )

    return on_headers
