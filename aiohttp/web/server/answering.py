"""Answering one request on a server connection: run its handler, send its response, log it,
and read from the connection's state (:class:`~aiohttp._sansio.http1.HttpConnection`) whether
another request may follow.

:class:`RequestAnswering` is the part of :class:`~aiohttp.web.RequestHandler` that turns one
queued request into one response. A handler exception is logged and answered with a bare
``500`` (nothing about the exception reaches the client); an ``https`` absolute-form target
over cleartext is answered ``421`` (RFC 9110 §7.4). Once the response is sent, the connection
records it: a response that says ``close`` ends the connection (RFC 9112 §9.6), a ``101`` or a
2xx answer to ``CONNECT`` leaves HTTP/1.1 (RFC 9110 §7.8, §9.3.6), and any other answer to a
request that asked to switch protocols declines it, so the requests held behind it are read.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ..._io.writer import StreamWriter
from ..._sansio.errors import HttpProcessingError, LocalProtocolError
from ..._sansio.http1.connection import HttpConnection
from ..._sansio.http1.machine import joints
from ..._sansio.http1.states import Role, State
from ..exceptions import HTTPMisdirectedRequest
from ..messages.full_response import Response
from ..messages.response import StreamResponse
from .closing import ConnectionClosing
from .errors import handler_error_response, not_a_response

if TYPE_CHECKING:
    from ..._io.streams import StreamReader
    from ..._sansio.http1.events import Event, RequestHead
    from ..messages.request import BaseRequest
    from .lowlevel import Server, ServerConfig

__all__ = ["RequestAnswering", "misdirected"]

_CLOSED = joints(Role.CLIENT, State.CLOSED)  # the client closed its side


class RequestAnswering(ConnectionClosing):
    """Run the handler of one request and send its response (see the module doc)."""

    __slots__ = ("_handling", "_linger_close", "_request")

    _cfg: ServerConfig
    _manager: Server
    _http: HttpConnection
    _task: asyncio.Task[None] | None
    _request: BaseRequest | None
    _handling: bool
    _input_closed: bool
    _linger_close: bool

    if TYPE_CHECKING:  # provided by RequestHandler

        def _dispatch(self, events: list[Event]) -> None: ...

        def _bad_input(self, exc: HttpProcessingError) -> None: ...

        def _resume_held(self) -> None: ...

    async def _respond(self, head: RequestHead, payload: StreamReader) -> bool:
        """Run the handler for one request and send its response; whether to keep alive."""
        loop = self._loop
        manager = self._manager
        writer = StreamWriter(self, loop)
        request = manager.request_factory(head, payload, self, writer, self._task)  # type: ignore[arg-type]
        self._request = request
        self._handling = True
        access_logger = self._cfg.access_logger
        start = loop.time() if access_logger is not None else 0.0
        manager.requests_count += 1
        try:
            try:
                target = head.target
                if target[0] == "/" or not misdirected(target, request):
                    resp: Any = await manager.request_handler(request)
                else:
                    resp = HTTPMisdirectedRequest(text="An https target needs a TLS connection")
            except (asyncio.CancelledError, ConnectionError):
                raise
            except Exception as exc:
                resp = self._error_response(exc, request)
            if type(resp) is not Response and not isinstance(resp, StreamResponse):
                resp = not_a_response(resp, self._cfg.logger)
            # RFC 9112 §9.6: a client that closed its side gets its answer, then the close.
            if self._closing or (self._input_closed and self._http.state.joint in _CLOSED):
                resp.force_close()
            keep_alive: bool | None = False  # None: sent, not yet recorded
            if resp.prepared or not writer.head_written:  # else a failed handler began a reply
                try:
                    await resp._prepare_and_end(request)
                    keep_alive = None
                except ConnectionError:
                    pass
        finally:
            self._handling = False
            self._request = None
            request._finish()
        if access_logger is not None and access_logger.enabled:
            access_logger.log(request, resp, loop.time() - start)
        if keep_alive is None:  # RFC 9112 §9.6 (a response that says close), RFC 9110 §9.3.6
            if self._receiver is not None:  # switched: the 101 was recorded by the switch
                keep_alive = bool(resp._keep_alive)
            else:
                try:
                    keep_alive = self._http.response_sent(resp._status, bool(resp._keep_alive))
                except LocalProtocolError:  # a 101 nobody asked for: this connection is done
                    keep_alive = False
        if not payload.is_eof():
            if keep_alive:
                keep_alive = await self._linger(payload)
            self._linger_close = not keep_alive
        if self._receiver is not None:
            return False
        if head.upgrade and keep_alive and not self._input_closed:
            self._read_held()
        return keep_alive

    def _error_response(self, exc: Exception, request: BaseRequest) -> Response:
        """The answer to a handler's exception: 3.x's pages (the traceback only in debug)."""
        cfg = self._cfg
        accept = request.headers.get("Accept", "")
        return handler_error_response(
            exc, cfg.logger, request.remote, accept=accept, debug=cfg.debug
        )

    def _read_held(self) -> None:
        """The switch was declined: read what it held back as HTTP."""
        self._resume_held()
        try:
            self._dispatch(self._http.receive_data(b""))
        except HttpProcessingError as exc:
            self._bad_input(exc)


def misdirected(target: str, request: BaseRequest) -> bool:
    """Whether an absolute-form target asks for ``https`` on a connection that is not secured.

    RFC 9110 §7.4: "a request for an "https" resource MUST be rejected unless it has been
    received over a connection that has been secured". A trusted proxy that terminated TLS
    (``X-Forwarded-Proto: https`` from ``trusted_proxies``) counts as secured.
    """
    return target[:8].lower() == "https://" and not request.secure
