"""The client side of WebSockets: ``session.ws_connect()`` and :class:`ClientWebSocketResponse`.

The handshake request goes through the session like any GET (cookies, auth, proxies, TLS,
no redirects), with the fields of ``client_request_headers`` from
:mod:`aiohttp._sansio.websocket.handshake`.
The ``101`` answer is checked by ``check_client_response``; a bad one raises
:class:`~aiohttp.WSServerHandshakeError`. The connection is then detached from the pool and
switched to a :class:`aiohttp._io.websocket.WebSocketChannel`.

Seam with the session (``aiohttp/client/session.py``): ``session.ws_connect(url, **kw)`` calls
:func:`ws_connect`; it needs ``session._request()`` to return the ``101`` response with its
``connection``, ``Connection.detach()`` to take the protocol out of the pool, and the protocol's
``switch_protocol(receiver)`` to deliver first the bytes its HTTP parser held back.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import warnings
from collections.abc import Callable, Generator, Iterable, Mapping
from types import TracebackType
from typing import Any

from multidict import CIMultiDict
from yarl import URL

from .._io.websocket import WebSocketChannel, WebSocketMessages
from .._io.websocket.messages import JSONEncoder
from .._io.websocket.plumbing import WebSocketDataQueue, WebSocketWriter
from .._sansio.websocket import (
    DEFAULT_MAX_MSG_SIZE,
    HandshakeError,
    WebSocketConnection,
    WSCloseCode,
    WSMsgType,
)
from .._sansio.websocket.deflate import DeflateParams
from .._sansio.websocket.handshake import (
    ClientHandshake,
    check_client_response,
    client_request_headers,
    new_key,
)
from .auth import warn_auth_arguments
from .exceptions import ClientConnectionResetError, ServerTimeoutError, WSServerHandshakeError
from .response import ClientResponse
from .settings import NOT_GIVEN

__all__ = ["ClientWSTimeout", "ClientWebSocketResponse", "ws_connect"]

# The handshake fields whose defaults a caller's ``headers=`` replace (3.x does too).
_CALLERS_MAY_SET = frozenset({"Upgrade", "Connection", "Sec-WebSocket-Version"})


@dataclasses.dataclass(frozen=True, slots=True)
class ClientWSTimeout:
    """WebSocket timeouts (aiohttp 3.x).

    Attributes:
        ws_receive: the default timeout of ``receive()``.
        ws_close: how long ``close()`` waits for the server (``None``: no limit).
    """

    ws_receive: float | None = None
    ws_close: float | None = None


DEFAULT_WS_CLIENT_TIMEOUT = ClientWSTimeout(ws_receive=None, ws_close=10.0)
_NOT_GIVEN: Any = NOT_GIVEN
_NO_LIMIT = 365 * 86400.0  # ws_close=None: close() waits as long as the server takes


class ClientWebSocketResponse(WebSocketMessages):
    """An open client WebSocket; use the ``send_*``/``receive*`` API and :meth:`close`.

    Made by :meth:`ClientSession.ws_connect <aiohttp.ClientSession.ws_connect>` with 3.x's
    arguments, so a ``ws_response_class`` subclass may take and pass them on. ``reader`` is the
    connection's :class:`~aiohttp._io.websocket.WebSocketChannel` as ``ws_connect`` gives it; a
    3.x :class:`WebSocketDataQueue` there makes a channel on ``writer.protocol`` instead.
    """

    def __init__(  # noqa: PLR0917 - 3.x's positional signature
        self,
        reader: WebSocketChannel | WebSocketDataQueue,
        writer: WebSocketWriter,
        protocol: str | None,
        response: ClientResponse,
        timeout: ClientWSTimeout,
        autoclose: bool,
        autoping: bool,
        loop: asyncio.AbstractEventLoop,
        *,
        heartbeat: float | None = None,
        compress: int = 0,
        client_notakeover: bool = False,
    ) -> None:
        self._reader = reader
        self._writer = writer
        self._response = response
        self._protocol = protocol
        self._timeout = timeout
        self._loop = loop
        self._compress = compress
        self._client_notakeover = client_notakeover
        self._decode_text = True
        if isinstance(reader, WebSocketChannel):
            self._channel = reader
        else:
            self._channel = _channel_on(
                writer.protocol,
                DeflateParams(
                    client_max_window_bits=compress, client_no_context_takeover=client_notakeover
                )
                if compress
                else None,
                autoclose=autoclose,
                autoping=autoping,
                heartbeat=heartbeat,
                timeout=timeout,
                max_msg_size=DEFAULT_MAX_MSG_SIZE,
            )

    @property
    def protocol(self) -> str | None:
        """The subprotocol the server chose."""
        return self._protocol

    @property
    def compress(self) -> int:
        """The permessage-deflate window in force, 0 without compression."""
        return self._compress

    @property
    def client_notakeover(self) -> bool:
        """Whether we reset our compressor after each message."""
        return self._client_notakeover

    async def ping(self, message: bytes = b"") -> None:  # type: ignore[override]
        """Send a Ping (at most 125 bytes)."""
        await super().ping(message)

    async def pong(self, message: bytes = b"") -> None:  # type: ignore[override]
        """Send an unsolicited Pong (at most 125 bytes)."""
        await super().pong(message)

    async def send_frame(  # type: ignore[override]
        self, message: bytes, opcode: WSMsgType, compress: int | None = None
    ) -> None:
        """Send one whole message or control frame with the given opcode."""
        await super().send_frame(message, opcode, compress)

    async def send_str(self, data: str, compress: int | None = None) -> None:  # type: ignore[override]
        """Send a text message, waiting while the transport's buffer is full.

        Raises:
            TypeError: ``data`` is not ``str``.
            ClientConnectionResetError: the WebSocket is closing.
        """
        await super().send_str(data, compress)

    async def send_bytes(  # type: ignore[override]
        self, data: bytes | bytearray | memoryview, compress: int | None = None
    ) -> None:
        """Send a binary message (see :meth:`send_str`)."""
        await super().send_bytes(data, compress)

    async def send_json(  # type: ignore[override]
        self, data: Any, compress: int | None = None, *, dumps: JSONEncoder = json.dumps
    ) -> None:
        """Send ``dumps(data)`` as a text message (through :meth:`send_str`, as in 3.x)."""
        await self.send_str(dumps(data), compress)

    async def send_json_bytes(
        self, data: Any, compress: int | None = None, *, dumps: Callable[[Any], bytes]
    ) -> None:
        """Send ``dumps(data)``, from an encoder that gives bytes (orjson's ``dumps``), as a
        binary message (3.14)."""
        await self.send_bytes(dumps(data), compress)

    async def close(self, *, code: int = WSCloseCode.OK, message: bytes | str = b"") -> bool:
        """Run the closing handshake and release the connection.

        Messages that arrived before the server's Close are dropped, as in 3.x: from now on
        :meth:`receive` answers ``CLOSED``.
        """
        result = await super().close(code=code, message=message)
        self._response.close()
        channel = self._channel
        while channel is not None and channel.receive_nowait() is not None:
            pass
        return result

    async def __aenter__(self) -> ClientWebSocketResponse:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class _WSRequestContextManager:
    """What ``session.ws_connect()`` returns: ``await`` it or use ``async with``."""

    __slots__ = ("_coro", "_ws")

    def __init__(self, coro: Any) -> None:
        self._coro = coro
        self._ws: ClientWebSocketResponse | None = None

    def __await__(self) -> Generator[Any, None, ClientWebSocketResponse]:
        result: ClientWebSocketResponse = yield from self._coro.__await__()
        return result

    async def __aenter__(self) -> ClientWebSocketResponse:
        self._ws = await self._coro
        return self._ws

    async def __aexit__(self, *exc: object) -> None:
        if self._ws is not None:
            await self._ws.close()


def ws_connect(session: Any, url: str | URL, **kwargs: Any) -> _WSRequestContextManager:
    """Open a WebSocket with ``session`` (``ClientSession.ws_connect``'s engine)."""
    return _WSRequestContextManager(_ws_connect(session, url, **kwargs))


def _timeouts(timeout: Any, receive_timeout: float | None) -> ClientWSTimeout:
    """The handshake's timeouts from 3.x's arguments; the float spellings warn, as in 3.x."""
    if timeout is _NOT_GIVEN or timeout is None:
        timeouts = DEFAULT_WS_CLIENT_TIMEOUT
    elif isinstance(timeout, ClientWSTimeout):
        timeouts = timeout
    else:
        warnings.warn(
            "parameter 'timeout' of type 'float' is deprecated, please use "
            "'timeout=ClientWSTimeout(ws_close=...)'",
            DeprecationWarning,
            stacklevel=4,
        )
        timeouts = ClientWSTimeout(ws_close=timeout)
    if receive_timeout is not None:
        warnings.warn(
            "float parameter 'receive_timeout' is deprecated, please use parameter "
            "'timeout=ClientWSTimeout(ws_receive=...)'",
            DeprecationWarning,
            stacklevel=4,
        )
        timeouts = dataclasses.replace(timeouts, ws_receive=receive_timeout)
    return timeouts


def _handshake_fields(
    headers: Mapping[str, str] | None, ours: list[tuple[str, str]]
) -> CIMultiDict[str]:
    """The caller's ``headers=`` with the handshake's fields set; the caller's value wins for
    ``Upgrade``, ``Connection`` and ``Sec-WebSocket-Version``, as in 3.x."""
    fields: CIMultiDict[str] = CIMultiDict(headers or {})
    for name, value in ours:
        if name in _CALLERS_MAY_SET:
            fields.setdefault(name, value)
        else:
            fields[name] = value
    return fields


async def _ws_connect(
    session: Any,
    url: str | URL,
    *,
    method: str = "GET",
    protocols: Iterable[str] = (),
    timeout: float | ClientWSTimeout = _NOT_GIVEN,  # noqa: ASYNC109 (aiohttp 3.x API)
    receive_timeout: float | None = None,
    autoclose: bool = True,
    autoping: bool = True,
    heartbeat: float | None = None,
    origin: str | None = None,
    headers: Mapping[str, str] | None = None,
    compress: int = 0,
    max_msg_size: int = DEFAULT_MAX_MSG_SIZE,
    decode_text: bool = True,
    **request_kwargs: Any,
) -> ClientWebSocketResponse:
    warn_auth_arguments(request_kwargs.get("auth"), request_kwargs.get("proxy_auth"), 3)
    request_kwargs = {k: v for k, v in request_kwargs.items() if v is not None}
    timeouts = _timeouts(timeout, receive_timeout)
    protocols = tuple(protocols)
    key = new_key()
    offer = client_request_headers(key, protocols=protocols, compress=compress, origin=origin)
    fields = _handshake_fields(headers, offer)
    resp: ClientResponse = await session._request(
        method, url, headers=fields, allow_redirects=False, read_until_eof=False, **request_kwargs
    )
    hs = _check(resp, key, protocols, compress)
    connection = resp.connection
    assert connection is not None
    protocol = connection.detach()
    channel = _channel_on(
        protocol,
        hs.deflate,
        autoclose=autoclose,
        autoping=autoping,
        heartbeat=heartbeat,
        timeout=timeouts,
        max_msg_size=max_msg_size,
    )
    writer, compress, notakeover = _writer_on(protocol, hs.deflate)
    ws: ClientWebSocketResponse = session._ws_response_class(
        channel,
        writer,
        hs.protocol,
        resp,
        timeouts,
        autoclose,
        autoping,
        protocol.loop,
        heartbeat=heartbeat,
        compress=compress,
        client_notakeover=notakeover,
    )
    ws._decode_text = decode_text
    return ws


def _writer_on(protocol: Any, deflate: Any) -> tuple[WebSocketWriter, int, bool]:
    """The frame writer of a connection that switched to WebSocket, with the
    permessage-deflate settings agreed (RFC 7692 §7.1): its window bits and no-takeover."""
    compress = deflate.client_max_window_bits if deflate else 0
    notakeover = bool(deflate and deflate.client_no_context_takeover)
    transport = protocol.transport
    assert transport is not None
    writer = WebSocketWriter(
        protocol, transport, use_mask=True, compress=compress, notakeover=notakeover
    )
    return writer, compress, notakeover


def _channel_on(
    protocol: Any,
    deflate: DeflateParams | None,
    *,
    autoclose: bool,
    autoping: bool,
    heartbeat: float | None,
    timeout: ClientWSTimeout,
    max_msg_size: int,
) -> WebSocketChannel:
    """A client channel on ``protocol``, which is switched to it.

    Raises:
        TypeError: ``protocol`` is not one of this library's connections.
    """
    if not hasattr(protocol, "switch_protocol"):
        raise TypeError("ClientWebSocketResponse needs a connection of aiohttp's client")
    conn = WebSocketConnection(is_client=True, max_msg_size=max_msg_size, deflate=deflate)
    channel = _ClientChannel(
        protocol,
        conn,
        autoping=autoping,
        autoclose=autoclose,
        heartbeat=heartbeat,
        receive_timeout=timeout.ws_receive,
        close_timeout=_NO_LIMIT if timeout.ws_close is None else timeout.ws_close,
        timeout_error=ServerTimeoutError,
    )
    protocol.switch_protocol(channel)
    return channel


class _ClientChannel(WebSocketChannel):
    """The client's channel: a send on a closing connection is a :class:`ClientError`."""

    reset_error = ClientConnectionResetError


def _check(
    resp: ClientResponse, key: str, protocols: tuple[str, ...], compress: int
) -> ClientHandshake:
    """Check the handshake answer; a bad one closes the response and raises."""
    try:
        return check_client_response(
            resp.status, resp.headers, key=key, protocols=protocols, compress=compress
        )
    except HandshakeError as exc:
        resp.close()
        raise WSServerHandshakeError(
            resp.request_info,
            resp.history,
            message=str(exc),
            status=resp.status,
            headers=resp.headers,
        ) from None
