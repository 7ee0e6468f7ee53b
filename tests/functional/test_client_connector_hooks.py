"""TCPConnector hooks of aiohttp 3.x that proxy connectors (SOCKS and the like) override."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from aiohttp import ConnectionTimeoutError
from aiohttp.abc import AbstractResolver
from aiohttp.client import ClientSession, ClientTimeout, TCPConnector
from aiohttp.client.resolver import ResolveResult
from aiohttp.client_proto import ResponseHandler
from aiohttp.testing.faults import FaultServer, ReceivedRequest


def hello(req: ReceivedRequest) -> bytes:
    body = req.head.target.encode()
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


class NameOnly(AbstractResolver):
    """Leaves the name unresolved, as a connector that lets a proxy resolve it does."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            {
                "hostname": host,
                "host": host,
                "port": port,
                "family": family,
                "proto": 0,
                "flags": 0,
            }
        ]

    async def close(self) -> None:
        return None


class Tunnelling(TCPConnector):
    """Sends every connection to one fixed address, like a proxy connector does."""

    def __init__(self, target: tuple[str, int], **kwargs: Any) -> None:
        super().__init__(resolver=NameOnly(), **kwargs)
        self.target = target
        self.seen: list[tuple[Any, ...]] = []

    async def _wrap_create_connection(
        self,
        *args: Any,
        addr_infos: list[Any],
        req: Any,
        timeout: Any,  # noqa: ASYNC109 - the 3.x hook's signature
        **kwargs: Any,
    ) -> tuple[asyncio.Transport, ResponseHandler]:
        self.seen.append(addr_infos[0][4])
        assert req.url.host == "service.invalid"
        assert timeout.sock_connect == 30
        return await self._loop.create_connection(  # type: ignore[return-value]
            lambda: ResponseHandler(loop=self._loop), *self.target
        )


async def test_wrap_create_connection_override_carries_the_request() -> None:
    async with FaultServer(hello) as server:
        connector = Tunnelling(("127.0.0.1", server.port))
        async with (
            ClientSession(connector=connector) as session,
            session.get("http://service.invalid:8080/via") as resp,
        ):
            assert resp.status == 200
            assert await resp.text() == "/via"
    assert connector.seen == [("service.invalid", 8080)]


class Recording(TCPConnector):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.calls: list[dict[str, Any]] = []

    async def _wrap_create_connection(
        self, *args: Any, **kwargs: Any
    ) -> tuple[asyncio.Transport, ResponseHandler]:
        self.calls.append(kwargs)
        return await super()._wrap_create_connection(*args, **kwargs)


async def test_default_wrap_create_connection_opens_the_resolved_address() -> None:
    async with FaultServer(hello) as server:
        port = server.port
        connector = Recording()
        async with (
            ClientSession(connector=connector) as session,
            session.get(server.make_url("/plain")) as resp,
        ):
            assert await resp.text() == "/plain"
    (call,) = connector.calls
    family, _, _, _, sockaddr = call["addr_infos"][0]
    assert family == socket.AF_INET
    assert sockaddr == ("127.0.0.1", port)
    assert call["ssl"] is None


class ProxyTimeout(Exception):
    """A proxy connector's own timeout error."""


class SlowProxy(TCPConnector):
    """Applies ``sock_connect`` itself, as proxy connectors do, and reports its own error."""

    async def _wrap_create_connection(
        self,
        *args: Any,
        timeout: Any,  # noqa: ASYNC109 - the 3.x hook's signature
        **kwargs: Any,
    ) -> tuple[asyncio.Transport, ResponseHandler]:
        await asyncio.sleep(timeout.sock_connect * 5)
        raise ProxyTimeout("proxy handshake timed out")


async def test_sock_connect_is_left_to_the_hook() -> None:
    async with ClientSession(connector=SlowProxy(resolver=NameOnly())) as session:
        timeout = ClientTimeout(total=10, sock_connect=0.01)
        with pytest.raises(ProxyTimeout):
            await session.get("http://service.invalid/", timeout=timeout)


async def test_a_connector_whose_connect_times_out_gives_a_connection_timeout_error() -> None:
    # 3.x: asyncio.TimeoutError out of connector.connect() is the request's
    # ConnectionTimeoutError (a ServerTimeoutError, so a ClientError).
    class SlowConnector(TCPConnector):
        async def connect(self, *args: Any) -> Any:
            raise TimeoutError

    async with ClientSession(connector=SlowConnector()) as session:
        with pytest.raises(ConnectionTimeoutError) as info:
            await session.get("http://127.0.0.1:1/path")
    assert str(info.value) == "Connection timeout to host http://127.0.0.1:1/path"
    assert isinstance(info.value.__cause__, TimeoutError)
