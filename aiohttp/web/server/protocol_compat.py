"""The aiohttp 3.x face of :class:`~aiohttp.web.RequestHandler` that the server itself never uses.

:class:`RequestHandlerCompat` holds what 3.x code reaches for on a connection's protocol: the
constructor taking the 3.x keyword settings, read-only views of those settings (``logger``,
``access_logger``, ``keepalive_timeout``, the head limits), the transport's addresses, and the
3.x hooks (``log_access``, ``handle_error``, ``finish_response``, ``set_parser``, ``start``,
``keep_alive``, ``close``). The connection's state machine is in
:mod:`aiohttp.web.server.protocol`; a :class:`~aiohttp.web.Server` builds its protocols from its
shared settings with :meth:`RequestHandlerCompat._for_server`, so nothing here runs per
connection or per request.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, Self

from .access_log import AbstractAccessLogger, AccessLogger
from .errors import error_response

if TYPE_CHECKING:
    from ..._io.protocol import Receiver
    from ..messages.request import BaseRequest
    from ..messages.response import StreamResponse
    from .lowlevel import Server, ServerConfig

__all__ = ["RequestHandlerCompat"]

_server_logger = logging.getLogger("aiohttp.server")
_access_logger = logging.getLogger("aiohttp.access")


class PayloadParser(Protocol):
    """What :meth:`RequestHandlerCompat.set_parser` feeds (3.x's ``WebSocketReader`` shape)."""

    def feed_data(self, data: bytes) -> Any:
        """Take bytes read from the peer."""

    def feed_eof(self) -> Any:
        """The connection ended."""


class _ParserReceiver:
    """Hands the connection's bytes to a 3.x payload parser once the protocol is switched."""

    __slots__ = ("_callback", "_parser")

    def __init__(self, parser: PayloadParser, callback: Callable[[], None] | None) -> None:
        self._parser = parser
        self._callback = callback

    def data_received(self, data: bytes) -> None:
        self._parser.feed_data(data)
        if self._callback is not None:
            self._callback()

    def eof_received(self) -> bool | None:
        return None  # the transport closes; connection_lost ends the parser's stream

    def connection_lost(self, exc: BaseException | None) -> None:
        self._parser.feed_eof()


class RequestHandlerCompat:
    """The aiohttp 3.x constructor, settings views and hooks of a connection's protocol.

    Args:
        manager: The :class:`~aiohttp.web.Server` the connection belongs to.
        loop: The event loop.
        keepalive_timeout: Seconds an idle keep-alive connection stays open.
        tcp_keepalive: Set ``SO_KEEPALIVE`` on the socket.
        logger: Where handler errors are logged.
        access_log_class: The access logger class.
        access_log: The access log's logger; ``None`` turns the log off.
        access_log_format: The access log's format.
        debug: Log :meth:`log_debug` messages (error pages never show tracebacks).
        max_line_size: The longest request line (414 past it).
        max_headers: The most header field lines (431 past it).
        max_field_size: The longest header field line (431 past it).
        lingering_time: Seconds spent reading an unread body before closing.
        read_bufsize: The body buffer's low-water mark.
        auto_decompress: Decode compressed request bodies.
        timeout_ceil_threshold: Accepted for aiohttp 3.x compatibility.
    """

    _cfg: ServerConfig
    _loop: asyncio.AbstractEventLoop
    __slots__ = ()

    transport: asyncio.Transport | None
    _debug: bool
    _closing: bool

    if TYPE_CHECKING:  # provided by RequestHandler

        def _setup(
            self,
            manager: Server,
            config: ServerConfig,
            loop: asyncio.AbstractEventLoop,
            debug: bool = False,
        ) -> None: ...

        def close_idle(self) -> None: ...

        def force_close(self) -> None: ...

        def switch_protocol(self, receiver: Receiver, data: bytes = b"") -> None: ...

        async def _run(self) -> None: ...

    def __init__(
        self,
        manager: Server,
        *,
        loop: asyncio.AbstractEventLoop,
        keepalive_timeout: float = 3630,
        tcp_keepalive: bool = True,
        logger: logging.Logger = _server_logger,
        access_log_class: type[AbstractAccessLogger] = AccessLogger,
        access_log: logging.Logger | None = _access_logger,
        access_log_format: str = AccessLogger.LOG_FORMAT,
        debug: bool = False,
        max_line_size: int = 8190,
        max_headers: int = 128,
        max_field_size: int = 8190,
        lingering_time: float = 10.0,
        read_bufsize: int = 2**18,
        auto_decompress: bool = True,
        timeout_ceil_threshold: float = 5,
    ) -> None:
        from .lowlevel import make_config  # noqa: PLC0415 - the server module imports this one

        config = make_config(
            keepalive_timeout=keepalive_timeout,
            tcp_keepalive=tcp_keepalive,
            logger=logger,
            access_log_class=access_log_class,
            access_log=access_log,
            access_log_format=access_log_format,
            max_line_size=max_line_size,
            max_headers=max_headers,
            max_field_size=max_field_size,
            lingering_time=lingering_time,
            read_bufsize=read_bufsize,
            auto_decompress=auto_decompress,
            timeout_ceil_threshold=timeout_ceil_threshold,
        )
        self._setup(manager, config, loop, debug)

    @classmethod
    def _for_server(
        cls, manager: Server, config: ServerConfig, loop: asyncio.AbstractEventLoop
    ) -> Self:
        """A protocol built from a server's shared settings (what ``Server()`` calls)."""
        self = cls.__new__(cls)
        self._setup(manager, config, loop, config.debug)
        return self

    # -- settings --------------------------------------------------------------------------------

    @property
    def logger(self) -> logging.Logger:
        """Where handler errors are logged."""
        return self._cfg.logger

    @property
    def access_logger(self) -> AbstractAccessLogger | None:
        """The access logger, or ``None`` when the access log is off."""
        return self._cfg.access_logger

    @property
    def access_log(self) -> logging.Logger | None:
        """The access log's logger, or ``None`` when it is off."""
        access_logger = self._cfg.access_logger
        return None if access_logger is None else access_logger.logger

    @property
    def debug(self) -> bool:
        """Whether :meth:`log_debug` logs."""
        return self._debug

    @property
    def keepalive_timeout(self) -> float:
        """Seconds an idle keep-alive connection stays open."""
        return self._cfg.keepalive_timeout

    @property
    def max_line_size(self) -> int:
        """The longest request line accepted."""
        return self._cfg.limits.max_request_line

    @property
    def max_headers(self) -> int:
        """The most header field lines accepted."""
        return self._cfg.limits.max_fields

    @property
    def max_field_size(self) -> int:
        """The longest header field line accepted."""
        return self._cfg.limits.max_field_size

    # -- the transport -------------------------------------------------------------------------

    def _extra(self, name: str) -> Any:
        transport = self.transport
        return None if transport is None else transport.get_extra_info(name)

    @property
    def peername(self) -> Any:
        """The client's address (``(host, port)`` for TCP), ``None`` once closed."""
        return self._extra("peername")

    @property
    def sockname(self) -> Any:
        """The local address of the connection, ``None`` once closed."""
        return self._extra("sockname")

    @property
    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context for an HTTPS connection, else ``None``."""
        context: ssl.SSLContext | None = self._extra("sslcontext")
        return context

    # -- hooks ---------------------------------------------------------------------------------

    @property
    def _force_close(self) -> bool:
        """3.x's flag: the connection closes after the current response."""
        return self._closing

    @_force_close.setter
    def _force_close(self, val: bool) -> None:
        if val:
            self.force_close()

    def keep_alive(self, val: bool) -> None:
        """``keep_alive(False)`` closes the connection after the current response.

        ``True`` cannot reopen a connection that is closing; it is the state otherwise.
        """
        if not val:
            self.force_close()

    def close(self) -> None:
        """Serve no further requests: close now if idle, else after the current response."""
        self.close_idle()

    def log_access(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        """Log one answered request; ``time`` is when it started (``loop.time()``)."""
        access_logger = self._cfg.access_logger
        if access_logger is not None and access_logger.enabled:
            access_logger.log(request, response, self._loop.time() - time)

    def log_debug(self, *args: Any, **kw: Any) -> None:
        """``logger.debug(...)`` when the handler was built with ``debug=True``."""
        if self.debug:
            self._cfg.logger.debug(*args, **kw)

    def log_exception(self, *args: Any, **kw: Any) -> None:
        """``logger.exception(...)``."""
        self._cfg.logger.exception(*args, **kw)

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> StreamResponse:
        """Log an error and return the short plain-text answer for ``status`` (it closes the
        connection; no traceback is ever shown to the client).

        Raises:
            ConnectionError: Part of a response was already sent.
        """
        self.log_exception("Error handling request from %s", request.remote, exc_info=exc)
        if request.writer.output_size > 0:
            raise ConnectionError(
                "Response is sent already, cannot send another response with the error message"
            )
        return error_response(status, message or "")

    async def finish_response(
        self, request: BaseRequest, resp: StreamResponse, start_time: float | None
    ) -> tuple[StreamResponse, bool]:
        """Send ``resp`` (prepare and end it), then log the access when ``start_time`` is given.

        Returns:
            The response and whether the client went away before it was sent.
        """
        reset = False
        try:
            await resp._prepare_and_end(request)
        except ConnectionError:
            reset = True
        if start_time is not None:
            self.log_access(request, resp, start_time)
        return resp, reset

    def set_parser(
        self, parser: PayloadParser, data_received_cb: Callable[[], None] | None = None
    ) -> None:
        """Hand the rest of the connection to ``parser`` (``feed_data``/``feed_eof``), after the
        bytes the HTTP parser held back; ``data_received_cb`` runs after each delivery."""
        self.switch_protocol(_ParserReceiver(parser, data_received_cb))

    async def start(self) -> None:
        """The connection's request loop (``connection_made`` runs it as the connection's task)."""
        await self._run()
