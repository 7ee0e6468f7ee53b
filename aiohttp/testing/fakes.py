"""Mocked requests and coroutines for unit tests: :func:`make_mocked_request` and
:func:`make_mocked_coro`, which :mod:`aiohttp.test_utils` exports at their 3.x path, and the
in-memory stand-ins behind them: a transport that keeps what is written, a protocol without a
connection and a match info that needs no router.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from typing import Any
from unittest import mock

from multidict import CIMultiDict, CIMultiDictProxy

from .._io.protocol import BaseProtocol
from .._io.streams import EMPTY_PAYLOAD, StreamReader
from .._io.writer import StreamWriter
from .._sansio.http1.events import HttpVersion, HttpVersion11, RequestHead
from ..helpers import sentinel
from ..web.application import Application
from ..web.messages.request import DEFAULT_CLIENT_MAX_FIELDS, Request


class FakeTransport(asyncio.Transport):
    """An in-memory transport for :func:`make_mocked_request`: keeps what is written."""

    def __init__(self, extra: Mapping[str, Any]) -> None:
        super().__init__()
        self._extra_info = dict(extra)
        self.buffer = bytearray()
        self._closing = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.buffer += data

    def is_closing(self) -> bool:
        return self._closing

    def close(self) -> None:
        self._closing = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._extra_info.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class MockedProtocol(BaseProtocol):
    """The protocol side of a mocked request (trusted_proxies and switch_protocol work)."""

    trusted_proxies = None

    async def wait_closed(self) -> None:
        await asyncio.Future()

    def force_close(self) -> None:
        """Close after the response (nothing to do without a connection)."""


class MockedMatchInfo(dict[str, str]):
    """A stand-in for the router's match info in mocked requests."""

    def __init__(self, parts: Mapping[str, str], app: Application | None) -> None:
        super().__init__(parts)
        if app is None:
            app = Application()
            object.__setattr__(app, "_mocked", True)  # str keys do not warn, as on 3.x's mock
        self._app = app
        self.apps: tuple[Application, ...] = (self._app,)
        self.current_app = self._app

    def add_app(self, app: Application) -> None:
        self.apps = (app, *self.apps)

    def freeze(self) -> None:
        pass


def make_mocked_coro(return_value: Any = sentinel, raise_exception: Any = sentinel) -> Any:
    """A coroutine function that records its calls (a :class:`unittest.mock.Mock` wrapping it).

    Args:
        return_value: What awaiting a call returns (``None`` when not given); an awaitable is
            awaited first.
        raise_exception: What awaiting a call raises instead.
    """

    async def mocked(*args: Any, **kwargs: Any) -> Any:
        if raise_exception is not sentinel:
            raise raise_exception
        if return_value is sentinel:
            return None
        if inspect.isawaitable(return_value):
            return await return_value
        return return_value

    return mock.Mock(wraps=mocked)


class _CallersLoop:
    """The loop of whoever uses a mocked request, looked up at each use.

    :func:`make_mocked_request` may be called in a plain synchronous test, with no loop
    running; the request's writer and protocol then find the running loop when they need one.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio.get_running_loop(), name)


def make_mocked_request(
    method: str,
    path: str,
    headers: Any = None,
    *,
    match_info: Any = sentinel,
    version: HttpVersion = HttpVersion11,
    closing: bool = False,
    app: Any = None,
    writer: Any = sentinel,
    protocol: Any = sentinel,
    transport: Any = sentinel,
    payload: StreamReader = EMPTY_PAYLOAD,
    sslcontext: Any | None = None,
    client_max_size: int = 1024**2,
    client_max_fields: int = DEFAULT_CLIENT_MAX_FIELDS,
    loop: Any = ...,
) -> Request:
    """A :class:`~aiohttp.web.Request` for unit tests, on in-memory fakes.

    It needs no running loop: a plain synchronous test may build one. What a response writes
    goes to ``request.transport.buffer``. ``match_info`` is a mapping of path variables (or a
    match-info object); ``app`` becomes ``request.app``.
    """
    if loop is ... or loop is None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = _CallersLoop()
    hdrs = CIMultiDictProxy(CIMultiDict(headers or {}))
    message = _mocked_head(method, path, version, hdrs, closing)
    if protocol is sentinel:
        protocol = MockedProtocol(loop)
    if transport is sentinel:
        extra = {"peername": ("127.0.0.1", 12345), "sockname": ("127.0.0.1", 80)}
        if sslcontext is not None:
            extra["sslcontext"] = sslcontext
        transport = FakeTransport(extra)
    if protocol.transport is None:
        protocol.connection_made(transport)
    if writer is sentinel:
        writer = _writer_for(protocol, loop)
    req = Request(
        message,
        payload,
        protocol,
        writer,
        None,
        loop,
        client_max_size=client_max_size,
        client_max_fields=client_max_fields,
    )
    if match_info is sentinel or not hasattr(match_info, "apps"):
        match_info = MockedMatchInfo({} if match_info is sentinel else match_info or {}, app)
    req._match_info = match_info
    return req


def _writer_for(protocol: Any, loop: Any) -> Any:
    """A real writer onto the protocol's transport; a recording mock (as in 3.x) when the
    protocol is a :class:`unittest.mock.Mock`, whose transport cannot take bytes."""
    if not isinstance(protocol, mock.NonCallableMock):
        return StreamWriter(protocol, loop)
    writer = mock.Mock()
    for name in ("write_headers", "write", "write_eof", "drain"):
        setattr(writer, name, make_mocked_coro(None))
    writer.transport = protocol.transport
    return writer


def _mocked_head(
    method: str, path: str, version: HttpVersion, hdrs: CIMultiDictProxy[str], closing: bool
) -> RequestHead:
    raw = tuple((k.encode("utf-8"), v.encode("utf-8")) for k, v in hdrs.items())
    chunked = "chunked" in hdrs.get("Transfer-Encoding", "").lower()
    length = hdrs.get("Content-Length")
    return RequestHead(
        method,
        path,
        version,
        hdrs,
        raw,
        not closing and version >= HttpVersion11,
        "upgrade" in hdrs.get("Connection", "").lower(),
        chunked,
        hdrs.get("Content-Encoding"),
        int(length) if length is not None else (None if chunked else 0),
    )
