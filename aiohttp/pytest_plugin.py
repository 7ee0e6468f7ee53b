"""pytest fixtures for aiohttp applications, for use with pytest-asyncio.

Enable with ``pytest_plugins = ["aiohttp.pytest_plugin"]`` in ``conftest.py`` (or
``-p aiohttp.pytest_plugin``). The fixtures are async and run on pytest-asyncio's event loop,
so write ``async def test_...`` (``asyncio_mode = "auto"``, or mark tests with
``@pytest.mark.asyncio``)::

    async def test_hello(aiohttp_client):
        app = web.Application()
        app.router.add_get("/", hello)
        client = await aiohttp_client(app)
        resp = await client.get("/")
        assert resp.status == 200

- ``aiohttp_client(app_or_server, *, server_kwargs=None, **client_kwargs)`` -> :class:`TestClient`
  (an :class:`~aiohttp.web.Application`, or a started or unstarted test server);
- ``aiohttp_server(app, *, host="127.0.0.1", port=None, **kwargs)`` -> :class:`TestServer`;
- ``aiohttp_raw_server(handler, *, host="127.0.0.1", port=None, **kwargs)`` ->
  :class:`RawTestServer`;
- ``aiohttp_fault_server(responder=None, *, upstream=None, **kwargs)`` ->
  :class:`~aiohttp.test_utils.FaultServer`, a server that misbehaves on cue;
- ``aiohttp_unused_port()`` -> a free TCP port;
- ``aiohttp_client_cls`` -> the client class (override to use a subclass).

Everything made through the fixtures is closed at the end of the test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol, overload

import pytest
import pytest_asyncio

from .test_utils import (
    BaseTestServer,
    FaultServer,
    RawTestServer,
    TestClient,
    TestServer,
    unused_port,
)
from .web.application import Application
from .web.request import BaseRequest, Request

__all__ = [
    "AiohttpClient",
    "AiohttpRawServer",
    "AiohttpServer",
    "aiohttp_client",
    "aiohttp_client_cls",
    "aiohttp_fault_server",
    "aiohttp_raw_server",
    "aiohttp_server",
    "aiohttp_unused_port",
]


class AiohttpClient(Protocol):
    """The type of the ``aiohttp_client`` fixture (for annotating tests)."""

    @overload
    async def __call__(
        self,
        __param: Application,
        *,
        server_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> TestClient[Request, Application]: ...

    @overload
    async def __call__(
        self,
        __param: BaseTestServer[Any],
        *,
        server_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> TestClient[BaseRequest, None]: ...


class AiohttpServer(Protocol):
    """The type of the ``aiohttp_server`` fixture."""

    def __call__(
        self, app: Application, *, port: int | None = None, **kwargs: Any
    ) -> Awaitable[TestServer]: ...


class AiohttpRawServer(Protocol):
    """The type of the ``aiohttp_raw_server`` fixture."""

    def __call__(
        self, handler: Callable[..., Any], *, port: int | None = None, **kwargs: Any
    ) -> Awaitable[RawTestServer]: ...


@pytest.fixture
def aiohttp_unused_port() -> Callable[[], int]:
    """A function returning a free TCP port."""
    return unused_port


@pytest_asyncio.fixture
async def aiohttp_server() -> AsyncIterator[Callable[..., Awaitable[TestServer]]]:
    """Start a :class:`TestServer` for an application."""
    servers: list[TestServer] = []

    async def go(
        app: Application, *, host: str = "127.0.0.1", port: int | None = None, **kwargs: Any
    ) -> TestServer:
        server = TestServer(app, host=host, port=port)
        await server.start_server(**kwargs)
        servers.append(server)
        return server

    yield go
    while servers:
        await servers.pop().close()


@pytest_asyncio.fixture
async def aiohttp_raw_server() -> AsyncIterator[Callable[..., Awaitable[RawTestServer]]]:
    """Start a :class:`RawTestServer` for a low-level handler."""
    servers: list[RawTestServer] = []

    async def go(
        handler: Callable[..., Any],
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        **kwargs: Any,
    ) -> RawTestServer:
        server = RawTestServer(handler, host=host, port=port)
        await server.start_server(**kwargs)
        servers.append(server)
        return server

    yield go
    while servers:
        await servers.pop().close()


@pytest_asyncio.fixture
async def aiohttp_fault_server() -> AsyncIterator[Callable[..., Awaitable[FaultServer]]]:
    """Start a :class:`~aiohttp.test_utils.FaultServer` (a responder, or ``upstream=``)."""
    servers: list[FaultServer] = []

    async def go(responder: Callable[..., Any] | None = None, **kwargs: Any) -> FaultServer:
        server = FaultServer(responder, **kwargs)
        await server.start()
        servers.append(server)
        return server

    yield go
    while servers:
        await servers.pop().close()


@pytest.fixture
def aiohttp_client_cls() -> type[TestClient[Any, Any]]:
    """The client class ``aiohttp_client`` instantiates."""
    return TestClient


@pytest_asyncio.fixture
async def aiohttp_client(
    aiohttp_client_cls: type[TestClient[Any, Any]],
) -> AsyncIterator[Callable[..., Awaitable[TestClient[Any, Any]]]]:
    """Make a started :class:`TestClient` for an application or a test server."""
    clients: list[TestClient[Any, Any]] = []

    async def go(
        __param: Application | BaseTestServer[Any],
        *,
        server_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> TestClient[Any, Any]:
        if isinstance(__param, Application):
            server: BaseTestServer[Any] = TestServer(__param, **(server_kwargs or {}))
        elif isinstance(__param, BaseTestServer):
            server = __param
        else:
            raise ValueError(f"Unknown argument type: {type(__param)!r}")
        client = aiohttp_client_cls(server, **kwargs)
        await client.start_server()
        clients.append(client)
        return client

    yield go
    while clients:
        await clients.pop().close()
