"""The server side of WebSockets: :class:`WebSocketResponse` (aiohttp 3.x API).

The handshake is :func:`aiohttp._sansio.websocket.handshake.check_server_request`; after the
``101`` the connection is switched to a :class:`aiohttp._io.websocket.WebSocketChannel`, which
does all the framing, pinging and closing. A refused handshake raises the matching HTTP error
(405, 400 or 426 with ``Sec-WebSocket-Version``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import warnings
from typing import Any

from ..._io.log import ws_logger
from ..._io.websocket import WebSocketChannel, WebSocketMessages
from ..._sansio.websocket import (
    DEFAULT_MAX_MSG_SIZE,
    HandshakeError,
    WebSocketConnection,
    WSCloseCode,
    WSMsgType,
)
from ..._sansio.websocket.handshake import ServerHandshake, check_server_request
from ..exceptions import HTTPBadRequest, HTTPException, HTTPMethodNotAllowed, HTTPUpgradeRequired
from .request import BaseRequest
from .response import StreamResponse

__all__ = ["WSMsgType", "WebSocketReady", "WebSocketResponse"]


@dataclasses.dataclass(frozen=True, slots=True)
class WebSocketReady:
    """The answer of :meth:`WebSocketResponse.can_prepare`.

    Attributes:
        ok: whether the request is an acceptable opening handshake.
        protocol: the subprotocol that would be chosen.
    """

    ok: bool
    protocol: str | None

    def __bool__(self) -> bool:
        return self.ok


def _http_error(exc: HandshakeError, method: str) -> HTTPException:
    headers = dict(exc.headers)
    if exc.status == 405:
        return HTTPMethodNotAllowed(method, ["GET"], text=str(exc))
    if exc.status == 426:
        return HTTPUpgradeRequired(headers=headers, text=str(exc))
    return HTTPBadRequest(headers=headers, text=str(exc))


class WebSocketResponse(StreamResponse, WebSocketMessages):
    """A WebSocket, answered from a request handler.

    Args:
        timeout: how long :meth:`close` waits for the client's Close.
        receive_timeout: the default timeout of :meth:`receive`.
        autoclose: answer the client's Close at once.
        autoping: answer pings and keep pings and pongs out of :meth:`receive`.
        heartbeat: ping after this many idle seconds; close with 1006 without an answer.
        protocols: the subprotocols this endpoint speaks.
        compress: accept permessage-deflate (RFC 7692).
        max_msg_size: the largest message accepted (1009 past it), 0 for no limit.
        writer_limit: accepted for aiohttp 3.x compatibility; the transport's own water marks
            govern back-pressure.
        decode_text: deliver TEXT messages as ``str``; with ``False``, as their UTF-8
            ``bytes`` (for a JSON decoder that takes bytes). The text is checked to be UTF-8
            either way (RFC 6455 §8.1: invalid text closes the connection with 1007).
    """

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        receive_timeout: float | None = None,
        autoclose: bool = True,
        autoping: bool = True,
        heartbeat: float | None = None,
        protocols: tuple[str, ...] | list[str] = (),
        compress: bool = True,
        max_msg_size: int = DEFAULT_MAX_MSG_SIZE,
        writer_limit: int = 2**18,
        decode_text: bool = True,
    ) -> None:
        super().__init__(status=101)
        self._decode_text = decode_text
        self._timeout = timeout
        self._receive_timeout = receive_timeout
        self._autoclose = autoclose
        self._autoping = autoping
        self._heartbeat = heartbeat
        self._protocols = tuple(protocols)
        self._compress: bool | int = compress
        self._max_msg_size = max_msg_size
        self._ws_protocol: str | None = None

    @property
    def ws_protocol(self) -> str | None:
        """The negotiated subprotocol."""
        return self._ws_protocol

    @property
    def compress(self) -> int | bool:
        """Before ``prepare``, whether permessage-deflate is accepted; after it, the window
        bits the server compresses with (RFC 7692 §7.1.2.1), 0 when it does not."""
        return self._compress

    def _handshake(self, request: BaseRequest) -> ServerHandshake:
        hs = check_server_request(
            request.method,
            request.headers,
            version=tuple(request.version),  # type: ignore[arg-type]
            protocols=self._protocols,
            compress=bool(self._compress),
        )
        offered = request.headers.getall("Sec-WebSocket-Protocol", ())
        if offered and hs.protocol is None:  # no subprotocol in the answer (RFC 6455 §4.2.2)
            ws_logger.warning(
                "%s: Client protocols %r don’t overlap server-known ones %r",
                request.remote,
                [p.strip() for value in offered for p in value.split(",")],
                list(self._protocols),
            )
        return hs

    def can_prepare(self, request: BaseRequest) -> WebSocketReady:
        """Whether ``request`` is a WebSocket handshake this response can accept."""
        if self._channel is not None:
            raise RuntimeError("Already started")
        try:
            return WebSocketReady(True, self._handshake(request).protocol)
        except HandshakeError:
            return WebSocketReady(False, None)

    async def prepare(self, request: BaseRequest) -> Any:
        """Answer the handshake with ``101`` and switch the connection to WebSocket.

        Raises:
            HTTPException: 405, 400 or 426 when the request is not an acceptable handshake.
        """
        if self._payload_writer is not None:
            return self._payload_writer
        try:
            hs = self._handshake(request)
        except HandshakeError as exc:
            raise _http_error(exc, request.method) from None
        for name, value in hs.headers:
            self.headers[name] = value
        self._ws_protocol = hs.protocol
        deflate = hs.deflate
        # An 8-bit window is accepted and honoured by not compressing (RFC 7692 §7.1.2.1).
        wbits = 0 if deflate is None else deflate.server_max_window_bits
        self._compress = wbits if wbits > 8 else 0
        self.set_status(101)  # whatever was set before: the handshake's answer (RFC 6455 §4.2.2)
        writer = await super().prepare(request)
        assert writer is not None
        writer.send_headers()
        conn = WebSocketConnection(
            is_client=False, max_msg_size=self._max_msg_size, deflate=hs.deflate
        )
        protocol = request.protocol
        self._channel = WebSocketChannel(
            protocol,
            conn,
            autoping=self._autoping,
            autoclose=self._autoclose,
            heartbeat=self._heartbeat,
            receive_timeout=self._receive_timeout,
            close_timeout=self._timeout,
        )
        protocol.switch_protocol(self._channel)
        return writer

    def start(self, request: BaseRequest) -> asyncio.Future[Any]:
        """Deprecated synchronous spelling of :meth:`prepare`.

        A refused handshake raises at once; the ``101`` goes out in the background and
        :meth:`receive` waits for it.
        """
        warnings.warn(
            "WebSocketResponse.start() is deprecated, use 'await ws.prepare(request)'",
            DeprecationWarning,
            stacklevel=2,
        )
        try:
            self._handshake(request)
        except HandshakeError as exc:
            raise _http_error(exc, request.method) from None
        self._starting = asyncio.ensure_future(self.prepare(request))
        return self._starting

    async def close(
        self, *, code: int = WSCloseCode.OK, message: bytes | str = b"", drain: bool = True
    ) -> bool:
        """Start (or finish) the closing handshake; ``False`` if it was already closed.

        Messages that arrived before the client's Close are dropped, as in aiohttp 3.x: from
        now on :meth:`receive` answers ``CLOSED``.

        Args:
            code: The close code (RFC 6455 §7.4).
            message: The close reason.
            drain: Wait until the Close frame is handed to the socket before waiting for the
                client's Close.

        Raises:
            RuntimeError: ``prepare()`` was not called.
        """
        if self._starting is not None:
            starting, self._starting = self._starting, None
            await starting
        channel = self._channel
        if channel is None:
            raise RuntimeError("Call .prepare() first")
        closed = await channel.close(code, message, drain=drain)
        if closed:
            while channel.receive_nowait() is not None:
                pass
        return closed

    async def write(self, data: bytes | bytearray | memoryview) -> None:
        """Not available on a WebSocket: use ``send_*``."""
        raise RuntimeError("Cannot call .write() for websocket")

    async def write_eof(self, data: bytes = b"") -> None:
        """End the response: run the closing handshake (called by the server after the handler)."""
        if self._eof_sent:
            return
        if self._starting is not None:
            starting, self._starting = self._starting, None
            await starting
        if self._payload_writer is None:
            raise RuntimeError("Response has not been started")
        await self.close()
        self._eof_sent = True


def deprecated_web_name(name: str) -> object:
    """Module ``__getattr__`` of :mod:`aiohttp.web` for old names (``web.MsgType``)."""
    if name == "MsgType":
        warnings.warn(
            "aiohttp.web.MsgType is deprecated, use aiohttp.web.WSMsgType",
            DeprecationWarning,
            stacklevel=2,
        )
        return WSMsgType
    raise AttributeError(f"module 'aiohttp.web' has no attribute {name!r}")
