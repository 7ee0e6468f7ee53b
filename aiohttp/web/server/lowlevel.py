"""The low-level server: :class:`Server`, a protocol factory for ``loop.create_server``.

::

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(text="Hello, world")

    server = web.Server(handler)
    await loop.create_server(server, "127.0.0.1", 8080)

Applications get a :class:`Server` from ``app._make_handler()`` (through
:class:`~aiohttp.web.AppRunner`), with ``request_factory`` building
:class:`~aiohttp.web.Request` objects.

Keyword arguments (all optional; the aiohttp 3.x names plus ``head_timeout``,
``body_timeout``, ``body_min_rate``, ``max_pipelined_requests``, ``max_head_size`` and
``trusted_proxies``; ``None`` or ``0`` turns a timeout or the rate off):

============================ ============ ====================================================
``keepalive_timeout``        75.0         seconds an idle keep-alive connection stays open
``head_timeout``             20.0         seconds to receive a whole request head (408 after);
                                          a connection's first one gets no longer than
                                          ``keepalive_timeout`` either, as in 3.x
``body_timeout``             60.0         seconds a request body may make no progress
``body_min_rate``            500.0        bytes per second a body must average after its
                                          first ``body_timeout`` seconds
``lingering_time``           10.0         seconds spent reading an unread body before closing
``tcp_keepalive``            True         ``SO_KEEPALIVE`` on accepted TCP sockets
``max_line_size``            8190         request line bytes (414 past it)
``max_field_size``           8190         bytes per header field line (431 past it)
``max_headers``              128          header field lines (431 past it)
``max_head_size``            65536        bytes in the whole head (431 past it)
``max_pipelined_requests``   32           queued requests before reading pauses
``read_bufsize``             65536        body buffer low-water mark (pause at twice that)
``auto_decompress``          True         remove ``Content-Encoding`` from request bodies
``trusted_proxies``          None         addresses whose ``Forwarded``/``X-Forwarded-*``
                                          fields are believed (see
                                          :mod:`aiohttp.web.messages.forwarded`)
``access_log_class``         AccessLogger built with ``access_log`` and ``access_log_format``
``access_log``               a logger     ``aiohttp.access``; ``None`` turns the log off
``logger``                   a logger     ``aiohttp.server``: handler errors go there
``handler_cancellation``     False        cancel the handler when the client disconnects
``debug``                    False        ``request.protocol.log_debug()`` messages are
                                          logged, and a handler's ``500`` page shows its
                                          traceback (never turn it on where clients are
                                          not trusted)
============================ ============ ====================================================
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..._io.streams import StreamReader
from ..._io.writer import AbstractStreamWriter
from ..._sansio.http1.events import RequestHead
from ..._sansio.limits import (
    MAX_FIELD_SIZE,
    MAX_FIELDS,
    MAX_HEAD_SIZE,
    MAX_REQUEST_LINE,
    HttpLimits,
)
from ..messages.forwarded import TrustedProxies
from ..messages.request import BaseRequest
from ..messages.response import StreamResponse
from .access_log import AbstractAccessLogger, AccessLogger
from .protocol import RequestHandler

__all__ = ["Server", "ServerConfig"]

server_logger = logging.getLogger("aiohttp.server")
access_logger = logging.getLogger("aiohttp.access")

_Handler = Callable[[BaseRequest], Awaitable[StreamResponse]]
_RequestFactory = Callable[
    [RequestHead, StreamReader, RequestHandler, AbstractStreamWriter, "asyncio.Task[None] | None"],
    BaseRequest,
]

#: Seconds an idle keep-alive connection stays open (aiohttp 3.x: 75; nginx: 75).
KEEPALIVE_TIMEOUT = 75.0
#: Seconds to receive a whole request head (nginx client_header_timeout: 60; Apache
#: mod_reqtimeout: 20-40).
HEAD_TIMEOUT = 20.0
#: Seconds a request body may make no progress (nginx client_body_timeout: 60).
BODY_TIMEOUT = 60.0
#: Bytes per second a request body must average once its first ``body_timeout`` seconds are
#: over, so a body trickled a byte at a time cannot hold a connection for ever (Apache
#: mod_reqtimeout: ``body=20,MinRate=500``; nginx and aiohttp 3.x: no rate, only the idle time).
BODY_MIN_RATE = 500.0
#: Requests parsed ahead of the one being answered before reading pauses.
MAX_PIPELINED_REQUESTS = 32
#: The most bytes one socket read hands to the parser. One read of tiny pipelined requests
#: becomes that many parsed heads before reading can pause, so this bounds the memory a
#: pipelining flood can cost per connection (about 2,300 minimal heads).
READ_BUFFER_SIZE = 64 * 1024
#: The most bytes one socket read takes while a request body is arriving.
BODY_READ_BUFFER_SIZE = 256 * 1024


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """The settings every connection of a :class:`Server` shares (see the module table)."""

    limits: HttpLimits
    keepalive_timeout: float = KEEPALIVE_TIMEOUT
    head_timeout: float = HEAD_TIMEOUT
    body_timeout: float | None = BODY_TIMEOUT
    body_min_rate: float | None = BODY_MIN_RATE
    lingering_time: float = 10.0
    tcp_keepalive: bool = True
    read_bufsize: int = 2**16
    read_buffer_size: int = READ_BUFFER_SIZE
    body_read_buffer_size: int = BODY_READ_BUFFER_SIZE
    auto_decompress: bool = True
    max_pipelined_requests: int = MAX_PIPELINED_REQUESTS
    handler_cancellation: bool = False
    trusted_proxies: TrustedProxies | None = None
    logger: logging.Logger = server_logger
    access_logger: AbstractAccessLogger | None = None
    debug: bool = False
    #: A new connection's first head: no longer than an idle keep-alive wait (as in 3.x).
    first_head_timeout: float = field(init=False)

    def __post_init__(self) -> None:
        first = min(self.head_timeout, self.keepalive_timeout or self.head_timeout)
        object.__setattr__(self, "first_head_timeout", first)


def _config_or_fallback(handler_cancellation: bool, kwargs: dict[str, Any]) -> ServerConfig:
    """As 3.x: settings it cannot take (an unknown keyword) leave only ``debug`` and
    ``access_log_class``, with a warning, instead of stopping the application."""
    try:
        return make_config(handler_cancellation=handler_cancellation, **kwargs)
    except TypeError:
        kept = {k: v for k, v in kwargs.items() if k in ("debug", "access_log_class")}
        config = make_config(handler_cancellation=handler_cancellation, **kept)
        server_logger.warning(
            "Failed to create request handler with custom kwargs %r, falling back to "
            "filtered kwargs. This may indicate a misconfiguration.",
            kwargs,
        )
        return config


def make_config(
    *,
    handler_cancellation: bool = False,
    keepalive_timeout: float = KEEPALIVE_TIMEOUT,
    head_timeout: float = HEAD_TIMEOUT,
    body_timeout: float | None = BODY_TIMEOUT,
    body_min_rate: float | None = BODY_MIN_RATE,
    tcp_keepalive: bool = True,
    logger: logging.Logger = server_logger,
    access_log_class: type[AbstractAccessLogger] = AccessLogger,
    access_log: logging.Logger | None = access_logger,
    access_log_format: str = AccessLogger.LOG_FORMAT,
    max_line_size: int = MAX_REQUEST_LINE,
    max_field_size: int = MAX_FIELD_SIZE,
    max_headers: int = MAX_FIELDS,
    max_head_size: int = MAX_HEAD_SIZE,
    max_pipelined_requests: int = MAX_PIPELINED_REQUESTS,
    lingering_time: float = 10.0,
    read_bufsize: int = 2**16,
    auto_decompress: bool = True,
    trusted_proxies: Iterable[str] | None = None,
    timeout_ceil_threshold: float = 5,
    debug: bool | None = None,
) -> ServerConfig:
    """Build a :class:`ServerConfig` from :class:`Server` keyword arguments.

    Raises:
        TypeError: An unknown keyword (Python raises it for this signature).
    """
    limits = HttpLimits(
        max_request_line=max_line_size,
        max_field_size=max_field_size,
        max_fields=max_headers,
        max_head_size=max_head_size,
    )
    return ServerConfig(
        limits=limits,
        keepalive_timeout=keepalive_timeout,
        head_timeout=head_timeout,
        body_timeout=body_timeout,
        body_min_rate=body_min_rate,
        lingering_time=lingering_time,
        tcp_keepalive=tcp_keepalive,
        read_bufsize=read_bufsize,
        auto_decompress=auto_decompress,
        max_pipelined_requests=max_pipelined_requests,
        handler_cancellation=handler_cancellation,
        debug=bool(debug),
        trusted_proxies=TrustedProxies(trusted_proxies) if trusted_proxies else None,
        logger=logger,
        access_logger=(
            access_log_class(access_log, access_log_format) if access_log is not None else None
        ),
    )


class Server:
    """A protocol factory serving ``handler`` on every connection.

    Args:
        handler: ``async def handler(request) -> StreamResponse``.
        request_factory: Builds the request object; ``BaseRequest`` when ``None``.
        handler_cancellation: Cancel the handler when its client disconnects.
        loop: The event loop (the running one when ``None``).
        **kwargs: Connection settings (see the module table).

    Attributes:
        requests_count: Requests received so far.
        request_handler: The handler.
        request_factory: The request factory.
    """

    def __init__(
        self,
        handler: _Handler,
        *,
        request_factory: _RequestFactory | None = None,
        handler_cancellation: bool = False,
        loop: asyncio.AbstractEventLoop | None = None,
        **kwargs: Any,
    ) -> None:
        self._loop = loop if loop is not None else asyncio.get_running_loop()
        self._connections: dict[RequestHandler, None] = {}
        self._config = _config_or_fallback(handler_cancellation, kwargs)
        self._kwargs = kwargs
        self.requests_count = 0
        self.request_handler = handler
        self.request_factory: _RequestFactory = request_factory or self._make_request
        self.handler_cancellation = handler_cancellation

    @property
    def config(self) -> ServerConfig:
        """The settings shared by every connection."""
        return self._config

    @property
    def connections(self) -> list[RequestHandler]:
        """The open connections."""
        return list(self._connections)

    def connection_made(self, handler: RequestHandler, transport: asyncio.BaseTransport) -> None:
        """A connection was accepted (its protocol calls this)."""
        self._connections[handler] = None

    def connection_lost(self, handler: RequestHandler, exc: BaseException | None = None) -> None:
        """A connection ended (its protocol calls this). One whose handler still runs stays
        in :attr:`connections` until the handler ends, so :meth:`shutdown` waits for it, as in
        3.x."""
        task = handler._task
        if task is not None and not task.done() and handler in self._connections:
            task.add_done_callback(lambda _: self._connections.pop(handler, None))
        else:
            self._connections.pop(handler, None)

    def _make_request(
        self,
        message: RequestHead,
        payload: StreamReader,
        protocol: RequestHandler,
        writer: AbstractStreamWriter,
        task: asyncio.Task[None] | None,
    ) -> BaseRequest:
        return BaseRequest(message, payload, protocol, writer, task, self._loop)

    def pre_shutdown(self) -> None:
        """Close idle connections now; busy ones close after their current response."""
        for conn in list(self._connections):
            conn.close_idle()

    async def shutdown(self, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Let in-flight requests finish (up to ``timeout`` seconds), then close everything."""
        coros = [conn.shutdown(timeout) for conn in list(self._connections)]
        await asyncio.gather(*coros)
        self._connections.clear()

    def __call__(self) -> RequestHandler:
        """Make the protocol for a new connection (``loop.create_server`` calls this)."""
        return RequestHandler._for_server(self, self._config, self._loop)
