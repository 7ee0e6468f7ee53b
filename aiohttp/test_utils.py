"""Utilities for testing aiohttp applications (the aiohttp 3.x ``aiohttp.test_utils`` API).

- :class:`TestServer` serves an :class:`~aiohttp.web.Application` on a free loopback port,
  :class:`RawTestServer` a low-level handler;
- :class:`TestClient` wraps a :class:`~aiohttp.ClientSession` aimed at such a server
  (``await client.get("/path")``), closing every response it made when closed;
- :class:`AioHTTPTestCase` sets up an app, a server and a client around each test of a
  :class:`unittest.IsolatedAsyncioTestCase`;
- :func:`make_mocked_request` builds a :class:`~aiohttp.web.Request` without any network,
  on small in-memory fakes;
- :func:`unused_port`, :func:`loop_context`, :func:`setup_test_loop` and
  :func:`teardown_test_loop`.

Test servers shut down with ``shutdown_timeout=5.0`` (handlers still running when the test
ends are cancelled after that) and use ``handler_cancellation=True``.

The fault-injection server of :mod:`aiohttp.testing.faults` is re-exported here:
:class:`FaultServer`, :class:`Fault`.

The pytest fixtures (``aiohttp_client``, ``aiohttp_server``, ``aiohttp_raw_server``,
``aiohttp_unused_port``) live in :mod:`aiohttp.pytest_plugin`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import ipaddress
import socket
import unittest
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar
from unittest import mock  # noqa: F401 - in 3.x's namespace

from multidict import CIMultiDict, CIMultiDictProxy  # noqa: F401 - in 3.x's namespace
from yarl import URL

from ._io.streams import EMPTY_PAYLOAD, StreamReader  # noqa: F401 - in 3.x's namespace
from ._sansio.http1.events import HttpVersion  # noqa: F401 - in 3.x's namespace

# Names 3.x's test_utils has in its namespace, which some test suites import from here.
from .abc import AbstractCookieJar  # noqa: F401 - in 3.x's namespace
from .client import ClientResponse, ClientSession
from .client.cookiejar import CookieJar
from .client.session import _RequestContextManager
from .client.websocket import (
    ClientWebSocketResponse,  # noqa: F401 - in 3.x's namespace
    _WSRequestContextManager,
)
from .helpers import sentinel  # noqa: F401 - in 3.x's namespace
from .http import RawRequestMessage  # noqa: F401 - in 3.x's namespace
from .testing.fakes import (  # noqa: F401 - FakeTransport and the others are in 3.x's namespace
    FakeTransport,
    MockedMatchInfo,
    MockedProtocol,
    make_mocked_coro,
    make_mocked_request,
)
from .testing.faults import Fault, FaultServer
from .typedefs import StrOrURL  # noqa: F401 - in 3.x's namespace
from .web import (
    AppRunner,
    BaseRequest,
    BaseRunner,
    Request,
    Server,
    ServerRunner,
    SockSite,
    UrlMappingMatchInfo,  # noqa: F401 - in 3.x's namespace
)
from .web.application import Application

__all__ = [
    "AioHTTPTestCase",
    "BaseTestServer",
    "Fault",
    "FaultServer",
    "RawTestServer",
    "TestClient",
    "TestServer",
    "get_port_socket",
    "get_unused_port_socket",
    "loop_context",
    "make_mocked_coro",
    "make_mocked_request",
    "setup_test_loop",
    "teardown_test_loop",
    "unittest_run_loop",
    "unused_port",
]

_Request = TypeVar("_Request", bound=BaseRequest)
_ApplicationNone = TypeVar("_ApplicationNone", Application, None)

REUSE_ADDRESS = hasattr(socket, "SO_REUSEADDR")
#: Seconds a test server gives in-flight handlers when it closes.
TEST_SHUTDOWN_TIMEOUT = 5.0


def get_unused_port_socket(
    host: str, family: socket.AddressFamily = socket.AF_INET
) -> socket.socket:
    """A socket bound to a free port of ``host``."""
    return get_port_socket(host, 0, family)


def get_port_socket(host: str, port: int, family: socket.AddressFamily) -> socket.socket:
    """A socket bound to ``host:port`` (``SO_REUSEADDR`` set)."""
    s = socket.socket(family, socket.SOCK_STREAM)
    if REUSE_ADDRESS:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    return s


def unused_port() -> int:
    """A TCP port of 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class BaseTestServer(ABC, Generic[_Request]):
    """A server on a loopback port, started with :meth:`start_server`.

    Args:
        scheme: ``http`` or ``https`` (from ``ssl`` when empty).
        host: The address to bind.
        port: The port (a free one when ``None``).
        skip_url_asserts: Let :meth:`make_url` take absolute URLs.
        socket_factory: Makes the bound socket from ``(host, port, family)``.
        loop: Accepted for 3.x code; the server runs on the loop that starts it.
        **kwargs: Passed to the runner.
    """

    __test__ = False

    def __init__(
        self,
        *,
        scheme: str = "",
        loop: asyncio.AbstractEventLoop | None = None,
        host: str = "127.0.0.1",
        port: int | None = None,
        skip_url_asserts: bool = False,
        socket_factory: Callable[[str, int, socket.AddressFamily], socket.socket] = get_port_socket,
        **kwargs: Any,
    ) -> None:
        self.runner: BaseRunner | None = None
        self._root: URL | None = None
        self.host = host
        self.port = port
        self._closed = False
        self.scheme = scheme
        self.skip_url_asserts = skip_url_asserts
        self.socket_factory = socket_factory
        self._kwargs = kwargs

    async def start_server(
        self, loop: asyncio.AbstractEventLoop | None = None, **kwargs: Any
    ) -> None:
        """Start serving (idempotent); ``ssl=`` serves HTTPS."""
        if self.runner is not None:
            return
        ssl = kwargs.pop("ssl", None)
        kwargs.setdefault("shutdown_timeout", TEST_SHUTDOWN_TIMEOUT)
        self.runner = await self._make_runner(
            **{"handler_cancellation": True, **self._kwargs, **kwargs}
        )
        await self.runner.setup()
        try:
            version = ipaddress.ip_address(self.host).version
        except ValueError:
            version = 4
        family = socket.AF_INET6 if version == 6 else socket.AF_INET
        sock = self.socket_factory(self.host, self.port or 0, family)
        self.host, self.port = sock.getsockname()[:2]
        site = SockSite(self.runner, sock, ssl_context=ssl)
        await site.start()
        if not self.scheme:
            self.scheme = "https" if ssl else "http"
        host = f"[{self.host}]" if version == 6 else self.host
        self._root = URL(f"{self.scheme}://{host}:{self.port}")

    @abstractmethod
    async def _make_runner(self, **kwargs: Any) -> BaseRunner: ...

    def make_url(self, path: str | URL) -> URL:
        """The absolute URL of ``path`` on this server."""
        assert self._root is not None, "the server is not started"
        url = URL(path)
        if not self.skip_url_asserts:
            assert not url.absolute, "make_url takes a relative path"
            return self._root.join(url)
        return URL(str(self._root) + str(path))

    @property
    def started(self) -> bool:
        """Whether :meth:`start_server` ran."""
        return self.runner is not None

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` ran."""
        return self._closed

    @property
    def handler(self) -> Server:
        """The low-level server handling connections."""
        assert self.runner is not None
        assert self.runner.server is not None
        return self.runner.server

    async def close(self) -> None:
        """Stop serving (gracefully, as a runner's cleanup does)."""
        if self.started and not self.closed:
            assert self.runner is not None
            await self.runner.cleanup()
            self._root = None
            self.port = None
            self._closed = True

    def __enter__(self) -> None:
        raise TypeError("Use async with instead")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Never reached: ``with`` is refused by :meth:`__enter__`."""

    async def __aenter__(self) -> BaseTestServer[_Request]:
        await self.start_server()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


class TestServer(BaseTestServer[Request]):
    """Serves an :class:`~aiohttp.web.Application`."""

    def __init__(
        self,
        app: Application,
        *,
        scheme: str = "",
        host: str = "127.0.0.1",
        port: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.app = app
        super().__init__(scheme=scheme, host=host, port=port, **kwargs)

    async def _make_runner(self, **kwargs: Any) -> BaseRunner:
        return AppRunner(self.app, **kwargs)


class RawTestServer(BaseTestServer[BaseRequest]):
    """Serves a low-level handler ``async def handler(request) -> StreamResponse``."""

    def __init__(
        self,
        handler: Callable[..., Any],
        *,
        scheme: str = "",
        host: str = "127.0.0.1",
        port: int | None = None,
        **kwargs: Any,
    ) -> None:
        self._handler = handler
        super().__init__(scheme=scheme, host=host, port=port, **kwargs)

    async def _make_runner(self, **kwargs: Any) -> BaseRunner:
        shutdown_timeout = kwargs.pop("shutdown_timeout", TEST_SHUTDOWN_TIMEOUT)
        srv = Server(self._handler, **kwargs)
        return ServerRunner(srv, shutdown_timeout=shutdown_timeout)


class TestClient(Generic[_Request, _ApplicationNone]):
    """A client session bound to a test server.

    Args:
        server: The test server.
        cookie_jar: The session's cookie jar (``CookieJar(unsafe=True)`` when ``None``).
        loop: Accepted for 3.x code; requests run on the loop that awaits them.
        **kwargs: :class:`~aiohttp.ClientSession` arguments.
    """

    __test__ = False

    def __init__(
        self,
        server: BaseTestServer[_Request],
        *,
        cookie_jar: Any = None,
        loop: asyncio.AbstractEventLoop | None = None,
        **kwargs: Any,
    ) -> None:
        if not isinstance(server, BaseTestServer):
            raise TypeError(f"server must be TestServer instance, found type: {type(server)!r}")
        self._server = server
        if cookie_jar is None:  # a default jar refuses the cookies of a test server's IP
            cookie_jar = CookieJar(unsafe=True)
        self._session = ClientSession(cookie_jar=cookie_jar, **kwargs)
        self._session._retry_connection = False  # as in 3.x: each request reaches the app once
        self._closed = False
        self._responses: list[ClientResponse] = []
        self._websockets: list[Any] = []

    async def start_server(self) -> None:
        """Start the server."""
        await self._server.start_server()

    @property
    def scheme(self) -> str:
        """The server's scheme (``http`` or ``https``)."""
        return self._server.scheme

    @property
    def host(self) -> str:
        """The server's host."""
        return self._server.host

    @property
    def port(self) -> int | None:
        """The server's port."""
        return self._server.port

    @property
    def server(self) -> BaseTestServer[_Request]:
        """The test server."""
        return self._server

    @property
    def app(self) -> Application | None:
        """The application, for a :class:`TestServer`."""
        return getattr(self._server, "app", None)

    @property
    def session(self) -> ClientSession:
        """The underlying session."""
        return self._session

    def make_url(self, path: str | URL) -> URL:
        """The absolute URL of ``path`` on the server."""
        return self._server.make_url(path)

    async def _request(self, method: str, path: str | URL, **kwargs: Any) -> ClientResponse:
        resp = await self._session.request(method, self.make_url(path), **kwargs)
        self._responses.append(resp)
        return resp

    def request(self, method: str, path: str | URL, **kwargs: Any) -> _RequestContextManager:
        """Send a request to ``path`` (await it, or use it as an async context manager)."""
        return _RequestContextManager(self._request(method, path, **kwargs))

    def get(self, path: str | URL, **kwargs: Any) -> _RequestContextManager:
        """GET ``path``."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str | URL, **kwargs: Any) -> _RequestContextManager:
        """POST to ``path``."""
        return self.request("POST", path, **kwargs)

    def options(self, path: str | URL, **kwargs: Any) -> _RequestContextManager:
        """OPTIONS ``path``."""
        return self.request("OPTIONS", path, **kwargs)

    def head(self, path: str | URL, **kwargs: Any) -> _RequestContextManager:
        """HEAD ``path``."""
        return self.request("HEAD", path, **kwargs)

    def put(self, path: str | URL, **kwargs: Any) -> _RequestContextManager:
        """PUT to ``path``."""
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str | URL, **kwargs: Any) -> _RequestContextManager:
        """PATCH ``path``."""
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str | URL, **kwargs: Any) -> _RequestContextManager:
        """DELETE ``path``."""
        return self.request("DELETE", path, **kwargs)

    def ws_connect(
        self, path: str | URL, *, decode_text: bool = True, **kwargs: Any
    ) -> _WSRequestContextManager:
        """Open a WebSocket to ``path`` (await it, or use it as an async context manager).

        ``decode_text=False`` makes text messages arrive as bytes (aiohttp 3.14).
        """
        if not decode_text:
            kwargs["decode_text"] = decode_text
        return _WSRequestContextManager(self._ws_connect(path, **kwargs))

    async def _ws_connect(self, path: str | URL, **kwargs: Any) -> Any:
        ws = await self._session.ws_connect(self.make_url(path), **kwargs)
        self._websockets.append(ws)
        return ws

    async def close(self) -> None:
        """Release every response, close WebSockets, the session and the server."""
        if self._closed:
            return
        for resp in self._responses:
            resp.close()
        for ws in self._websockets:
            await ws.close()
        await self._session.close()
        await self._server.close()
        self._closed = True

    def __enter__(self) -> None:
        raise TypeError("Use async with instead")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Never reached: ``with`` is refused by :meth:`__enter__`."""

    async def __aenter__(self) -> TestClient[_Request, _ApplicationNone]:
        await self.start_server()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class AioHTTPTestCase(unittest.IsolatedAsyncioTestCase):
    """A test case with ``self.app``, ``self.server`` and ``self.client`` for each test.

    Override :meth:`get_application` (an ``async def`` returning the app).
    """

    async def get_application(self) -> Application:
        """The application under test (override this ``async def``)."""
        return self.get_app()

    def get_app(self) -> Application:
        """Obsolete: override :meth:`get_application` instead."""
        raise RuntimeError("Did you forget to define get_application()?")

    async def get_server(self, app: Application) -> TestServer:
        """The test server for ``app``."""
        return TestServer(app)

    async def get_client(self, server: TestServer) -> TestClient[Request, Application]:
        """The test client for ``server``."""
        return TestClient(server)

    async def asyncSetUp(self) -> None:
        """Run :meth:`setUpAsync` on the test's loop (``self.loop``)."""
        self.loop = asyncio.get_running_loop()
        await self.setUpAsync()

    async def setUpAsync(self) -> None:
        """Build the app, its server and a client; override it calling ``super()`` first."""
        self.app = await self.get_application()
        self.server = await self.get_server(self.app)
        self.client = await self.get_client(self.server)
        await self.client.start_server()

    async def asyncTearDown(self) -> None:
        """Run :meth:`tearDownAsync`."""
        await self.tearDownAsync()

    async def tearDownAsync(self) -> None:
        """Close the client (and with it the server); override it calling ``super()`` last."""
        await self.client.close()


def unittest_run_loop(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Deprecated: :class:`AioHTTPTestCase` runs ``async def`` tests itself; returns ``func``."""
    warnings.warn(
        "Decorator `@unittest_run_loop` is no longer needed in aiohttp 3.8+",
        DeprecationWarning,
        stacklevel=2,
    )
    return func


@contextlib.contextmanager
def loop_context(
    loop_factory: Callable[[], asyncio.AbstractEventLoop] = asyncio.new_event_loop,
    fast: bool = False,
) -> Iterator[asyncio.AbstractEventLoop]:
    """A fresh event loop, closed at the end (also when the body raises)."""
    loop = setup_test_loop(loop_factory)
    try:
        yield loop
    finally:
        teardown_test_loop(loop, fast=fast)


def setup_test_loop(
    loop_factory: Callable[[], asyncio.AbstractEventLoop] = asyncio.new_event_loop,
) -> asyncio.AbstractEventLoop:
    """Make a new event loop and set it as current."""
    loop = loop_factory()
    asyncio.set_event_loop(loop)
    return loop


def teardown_test_loop(loop: asyncio.AbstractEventLoop, fast: bool = False) -> None:
    """Cancel what is left on ``loop``, close it and (unless ``fast``) collect garbage."""
    if not loop.is_closed():
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
    if not fast:
        # Objects the test left behind are finalized now, so their warnings (a coroutine
        # never awaited, an unclosed resource) belong to this test.
        gc.collect()
    asyncio.set_event_loop(None)
