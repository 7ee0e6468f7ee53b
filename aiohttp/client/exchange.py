"""One request-response exchange on one connection, with the stale-connection retry.

:func:`exchange` takes a built :class:`~aiohttp.client.request.ClientRequest`, gets a
connection, writes the request and waits for the response head. Errors are translated into
the client's tree here. An idempotent request whose pooled connection fails before a single
response byte arrived (the server closed it while idle, RFC 9112 §9.3.1) is sent once more on
a fresh connection; a non-idempotent one is not, since the server may have acted on it. A
pooled connection found broken before anything was written on it is replaced whatever the
method.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDict, CIMultiDictProxy

from .._io.streams import EMPTY_PAYLOAD
from .._sansio.codings import UnknownContentCodingError, decoder_for
from .._sansio.errors import HttpProcessingError
from .._sansio.limits import HttpLimits
from .connector import BaseConnector, Connection
from .exceptions import (
    ClientConnectionResetError,
    ClientError,
    ClientOSError,
    ClientResponseError,
    ServerDisconnectedError,
    ServerTimeoutError,
    SocketTimeoutError,
)
from .protocol import ContentDecoder
from .request import IDEMPOTENT_METHODS, ClientRequest
from .timeouts import ClientTimeout, Deadline
from .tracing import (
    Trace,
    TraceRequestChunkSentParams,
    TraceRequestHeadersSentParams,
    send_all,
)

if TYPE_CHECKING:
    from .response import ClientResponse

__all__ = ("ExchangeOptions", "exchange")


@dataclasses.dataclass(slots=True)
class ExchangeOptions:
    """Per-request settings the exchange needs.

    Attributes:
        timeout: The request's timeouts.
        auto_decompress: Decode Content-Encoding.
        max_decompressed_size: Cap on a decoded body however it is read.
        max_decompressed_read_size: Cap on a decoded body read whole (``read()``).
        read_until_eof: Read a body without length framing until the connection closes.
        limits: The response parser's limits.
        read_bufsize: The body stream's buffer size.
        response_class: The class of the response object.
        session: The session (given to the response).
    """

    timeout: ClientTimeout
    auto_decompress: bool
    max_decompressed_size: int | None
    max_decompressed_read_size: int | None
    read_until_eof: bool
    limits: HttpLimits
    read_bufsize: int
    response_class: type[ClientResponse]
    session: Any


def _decoder_factory(max_size: int | None) -> Callable[[str], ContentDecoder | None]:
    def make(coding: str) -> ContentDecoder | None:
        try:
            return decoder_for(coding, max_size=max_size)
        except UnknownContentCodingError:
            return None  # an unknown coding is passed through as it is

    return make


_DEFAULT_DECODERS = _decoder_factory(None)


def _body_timer(
    opts: ExchangeOptions, when: float | None, loop: asyncio.AbstractEventLoop
) -> Deadline | None:
    sock_read = opts.timeout.sock_read
    if when is None and not sock_read:
        return None
    return Deadline(
        loop,
        when,
        _total_timeout_error,
        sock_read,
        lambda: SocketTimeoutError("Timeout on reading data from socket"),
    )


def _total_timeout_error() -> BaseException:
    return ServerTimeoutError("Timeout on request: total timeout elapsed")


async def exchange(
    connector: BaseConnector,
    req: ClientRequest,
    traces: list[Trace],
    opts: ExchangeOptions,
    when: float | None = None,
) -> ClientResponse:
    """Send ``req`` and return the response once its head arrived.

    ``when`` is the loop time at which the request's total budget runs out (body reads
    included), or ``None``.

    Raises:
        ClientConnectorError: No connection could be opened.
        ClientResponseError: The response head is malformed.
        ServerDisconnectedError: The connection closed before the response head.
        ClientOSError: The connection failed while writing.
    """
    conn = await connector.connect(req, traces, opts.timeout)
    if conn.reused and conn.closed:
        # The pooled connection broke after the pool handed it out (the server closed it, or
        # sent bytes with no request outstanding, RFC 9112 §9.2). Nothing was sent on it yet,
        # so any method may go on a new connection.
        conn.close()
        conn = await connector.connect(req, traces, opts.timeout, fresh=True)
    try:
        return await _send_on(conn, req, traces, opts, when)
    except (ServerDisconnectedError, ClientConnectionResetError, ClientOSError):
        if not (conn.reused and req.method in IDEMPOTENT_METHODS and req.body.rewind()):
            raise
        if conn.last_bytes_received:
            raise
    conn = await connector.connect(req, traces, opts.timeout, fresh=True)
    return await _send_on(conn, req, traces, opts, when)


async def _send_on(
    conn: Connection,
    req: ClientRequest,
    traces: list[Trace],
    opts: ExchangeOptions,
    when: float | None,
) -> ClientResponse:
    protocol = conn.protocol
    protocol.set_limits(opts.limits)
    loop = protocol.loop
    on_chunk = _chunk_tracer(req, traces) if traces else None
    on_headers = _headers_tracer(req, traces) if traces else None
    try:
        await req.send(
            conn,
            timer=_body_timer(opts, when, loop),
            decoder_factory=_decoders(opts),
            on_chunk_sent=on_chunk,
            on_headers_sent=on_headers,
            read_bufsize=opts.read_bufsize,
        )
        if opts.timeout.sock_read:
            with Deadline(loop, None, _read_timeout_error, opts.timeout.sock_read):
                head, payload = await protocol.read_head()
        else:
            head, payload = await protocol.read_head()
    except BaseException as exc:
        conn.last_bytes_received = protocol.bytes_received
        conn.close()
        translated = _translate(exc, req)
        if translated is exc:
            raise
        raise translated from exc
    if head.status == 101 and "Upgrade" not in req.headers:
        conn.close()  # RFC 9110 §15.2.2: a switch nobody asked for
        raise ClientResponseError(
            req.request_info, (), status=101, message="Unrequested protocol switch"
        )
    if (
        not opts.read_until_eof
        and head.content_length is None
        and not head.chunked
        and not head.upgrade
    ):
        conn.close()
        payload = EMPTY_PAYLOAD
    response = opts.response_class(
        req.method,
        req.original_url,
        request_info=req.request_info,
        loop=loop,
        traces=traces,
        session=opts.session,
    )
    conn.writer_task = req.writer_task
    req.continued = protocol.continued
    response._start(head, payload, conn)
    if protocol.decoding:
        response._read_limit = opts.max_decompressed_read_size
    return response


def _decoders(opts: ExchangeOptions) -> Callable[[str], ContentDecoder | None] | None:
    """The decoder factory for a response body, or ``None`` to keep the body coded."""
    if not opts.auto_decompress:
        return None
    if opts.max_decompressed_size is None:
        return _DEFAULT_DECODERS
    return _decoder_factory(opts.max_decompressed_size)


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


def _chunk_tracer(req: ClientRequest, traces: list[Trace]) -> Callable[[bytes], Any]:
    async def on_chunk(chunk: bytes) -> None:
        await send_all(
            traces, "request_chunk_sent", TraceRequestChunkSentParams(req.method, req.url, chunk)
        )

    return on_chunk


def _headers_tracer(
    req: ClientRequest, traces: list[Trace]
) -> Callable[[CIMultiDict[str]], Awaitable[None]]:
    async def on_headers(headers: CIMultiDict[str]) -> None:
        await send_all(
            traces,
            "request_headers_sent",
            TraceRequestHeadersSentParams(req.method, req.url, headers),
        )

    return on_headers
