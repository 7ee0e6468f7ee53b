"""Opening connections: Happy Eyeballs across addresses, unix sockets, connect errors."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from pathlib import Path

import pytest

from aiohttp._io.connect import AddrInfo, open_tcp
from aiohttp.client import (
    ClientConnectorDNSError,
    ClientConnectorError,
    ClientSession,
    ConnectionTimeoutError,
    TCPConnector,
    UnixClientConnectorError,
    UnixConnector,
)
from aiohttp.testing.faults import FaultServer, ReceivedRequest


def ok(req: ReceivedRequest) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_refused_address_falls_through_to_the_next() -> None:
    async with FaultServer(ok) as srv:
        addrs = [
            AddrInfo(socket.AF_INET, socket.SOCK_STREAM, 6, ("127.0.0.1", closed_port())),
            AddrInfo(socket.AF_INET, socket.SOCK_STREAM, 6, ("127.0.0.1", srv.port)),
        ]
        transport, _ = await open_tcp(
            asyncio.get_running_loop(), asyncio.Protocol, addrs, happy_eyeballs_delay=5
        )
        assert transport.get_extra_info("peername")[1] == srv.port
        transport.close()


async def test_every_address_refused_is_one_error() -> None:
    addrs = [AddrInfo(socket.AF_INET, socket.SOCK_STREAM, 6, ("127.0.0.1", closed_port()))] * 2
    with pytest.raises(OSError):
        await open_tcp(asyncio.get_running_loop(), asyncio.Protocol, addrs)
    with pytest.raises(OSError):
        await open_tcp(asyncio.get_running_loop(), asyncio.Protocol, [])


async def test_sequential_attempts_without_delay() -> None:
    async with FaultServer(ok) as srv:
        addrs = [AddrInfo(socket.AF_INET, socket.SOCK_STREAM, 6, ("127.0.0.1", srv.port))]
        transport, _ = await open_tcp(
            asyncio.get_running_loop(),
            asyncio.Protocol,
            addrs,
            happy_eyeballs_delay=None,
            local_addr=("127.0.0.1", 0),
        )
        assert transport.get_extra_info("sockname")[0] == "127.0.0.1"
        transport.close()


async def test_connection_refused_is_connector_error() -> None:
    async with ClientSession() as s:
        with pytest.raises(ClientConnectorError) as info:
            await s.get(f"http://127.0.0.1:{closed_port()}/")
    assert info.value.host == "127.0.0.1"


async def test_unresolvable_host_is_dns_error() -> None:
    async with ClientSession() as s:
        with pytest.raises(ClientConnectorDNSError):
            await s.get("http://name.invalid/")


async def test_connect_timeout_covers_waiting_for_a_slot() -> None:
    from aiohttp.client import ClientTimeout

    def unfinished(req: ReceivedRequest) -> bytes:
        return b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nok"

    connector = TCPConnector(limit=1)
    async with FaultServer(unfinished) as srv, ClientSession(connector=connector) as s:
        held = await s.get(srv.make_url("/"))  # body not over: the only slot stays taken
        with pytest.raises(ConnectionTimeoutError):
            await s.get(srv.make_url("/"), timeout=ClientTimeout(connect=0.1))
        held.release()


async def test_unix_connector(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sock")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(ok(None))  # type: ignore[arg-type]
        await writer.drain()
        writer.close()

    server = await asyncio.start_unix_server(handle, path)
    try:
        async with (
            ClientSession(connector=UnixConnector(path)) as s,
            s.get("http://localhost/any") as resp,
        ):
            assert await resp.read() == b"ok"
        async with ClientSession(connector=UnixConnector(str(tmp_path / "none"))) as s:
            with pytest.raises(UnixClientConnectorError):
                await s.get("http://localhost/")
    finally:
        server.close()
        await server.wait_closed()


async def test_dns_cache_is_used() -> None:
    connector = TCPConnector(ttl_dns_cache=60)
    async with FaultServer(ok) as srv, ClientSession(connector=connector) as s:
        url = srv.make_url("/").replace("127.0.0.1", "localhost")
        for _ in range(2):
            async with s.get(url, headers={"Connection": "close"}) as resp:
                assert await resp.read() == b"ok"
        assert connector._cache.get(("localhost", srv.port)) is not None
        connector.clear_dns_cache("localhost", srv.port)
        assert connector._cache.get(("localhost", srv.port)) is None
        with pytest.raises(ValueError):
            connector.clear_dns_cache("localhost")


class StuckListener:
    """A listening socket whose accept queue is full: new connects hang (SYNs are dropped)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(0)
        self.port = int(self.sock.getsockname()[1])
        self.fillers = []
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(("127.0.0.1", self.port))
            self.fillers.append(filler)

    def close(self) -> None:
        for filler in self.fillers:
            filler.close()
        self.sock.close()


@pytest.fixture
async def stuck(loop):
    listener = StuckListener()
    await asyncio.sleep(0.05)
    yield listener
    listener.close()


async def test_rfc8305_5_next_attempt_starts_after_the_delay(stuck) -> None:
    loop = asyncio.get_running_loop()
    async with FaultServer(ok) as srv:
        addrs = [
            AddrInfo(socket.AF_INET, socket.SOCK_STREAM, 6, ("127.0.0.1", stuck.port)),
            AddrInfo(socket.AF_INET, socket.SOCK_STREAM, 6, ("127.0.0.1", srv.port)),
        ]
        started = loop.time()
        transport, _ = await open_tcp(loop, asyncio.Protocol, addrs, happy_eyeballs_delay=0.05)
        assert loop.time() - started < 2
        assert transport.get_extra_info("peername")[1] == srv.port
        transport.close()


async def test_sock_connect_timeout(stuck) -> None:
    from aiohttp.client import ClientTimeout

    async with ClientSession() as s:
        with pytest.raises(ConnectionTimeoutError):
            await s.get(f"http://127.0.0.1:{stuck.port}/", timeout=ClientTimeout(sock_connect=0.2))


def unfinished(req: ReceivedRequest) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nok"


async def test_connector_settings_and_connection_handle() -> None:
    connector = TCPConnector(limit=7, limit_per_host=3)
    assert (connector.limit, connector.limit_per_host) == (7, 3)
    assert not connector.force_close
    assert connector.use_dns_cache
    assert connector.family == 0
    async with FaultServer(unfinished) as srv, ClientSession(connector=connector) as s:
        resp = await s.get(srv.make_url("/"))
        conn = resp.connection
        assert conn is not None
        assert conn.transport is not None
        with pytest.warns(DeprecationWarning, match="connector.loop property is deprecated"):
            assert conn.loop is asyncio.get_running_loop()
        assert not conn.closed
        assert "127.0.0.1" in repr(conn)
        resp.close()
        assert conn.closed
        with pytest.raises(RuntimeError):
            _ = conn.protocol
    assert connector.closed


async def test_force_close_never_pools() -> None:
    connector = TCPConnector(force_close=True)
    assert connector.force_close
    async with FaultServer(ok) as srv, ClientSession(connector=connector) as s:
        for _ in range(2):
            async with s.get(srv.make_url("/")) as resp:
                await resp.read()
        assert srv.connections == 2
    with pytest.raises(ValueError):
        TCPConnector(force_close=True, keepalive_timeout=5)
    with pytest.raises(TypeError):
        TCPConnector(ssl="yes")


async def test_closed_connector_refuses() -> None:
    connector = TCPConnector()
    await connector.close()
    async with ClientSession(connector=connector, connector_owner=False) as s:
        with pytest.raises(RuntimeError):
            await s.get("http://127.0.0.1:1/")
