"""The test utilities over loopback: AioHTTPTestCase, raw servers, the access log path."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from aiohttp import web
from aiohttp.test_utils import AioHTTPTestCase, RawTestServer, TestClient, TestServer


async def hello(request: web.Request) -> web.Response:
    return web.Response(text="hello")


class HelloTestCase(AioHTTPTestCase):
    async def get_application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", hello)
        return app

    async def test_get(self) -> None:
        async with self.client.get("/") as resp:
            assert resp.status == 200
            assert await resp.text() == "hello"
        assert isinstance(self.server, TestServer)
        assert self.client.server is self.server


async def test_test_client_as_context_manager() -> None:
    app = web.Application()
    app.router.add_get("/", hello)
    async with TestClient(TestServer(app)) as client:
        resp = await client.get("/")
        assert await resp.text() == "hello"
        assert client.session is not None
    assert client.server.closed


async def test_raw_test_server_with_aiohttp_client(aiohttp_client: Any) -> None:
    async def raw(request: web.BaseRequest) -> web.Response:
        return web.Response(text=request.method)

    client = await aiohttp_client(RawTestServer(raw))
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        resp = await client.request(method, "/")
        assert await resp.text() == method
    head = await client.head("/")
    assert head.status == 200


async def test_server_kwargs_reach_the_server(aiohttp_client: Any) -> None:
    app = web.Application()
    app.router.add_get("/", hello)
    client = await aiohttp_client(app, server_kwargs={"host": "127.0.0.1"})
    assert client.host == "127.0.0.1"
    assert (await client.get("/")).status == 200


async def test_access_log_line(aiohttp_server: Any, caplog: pytest.LogCaptureFixture) -> None:
    app = web.Application()
    app.router.add_get("/", hello)
    server = await aiohttp_server(app)
    reader, writer = await asyncio.open_connection(server.host, server.port)
    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        writer.write(
            b"GET /?x=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: probe\r\nConnection: close\r\n\r\n"
        )
        await asyncio.wait_for(reader.read(), 10)
    writer.close()
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert len(lines) == 1
    assert '"GET /?x=1 HTTP/1.1" 200' in lines[0]
    assert "probe" in lines[0]


async def test_wait_for_disconnection(aiohttp_raw_server: Any) -> None:
    gone = asyncio.Event()

    async def waiter(request: web.BaseRequest) -> web.Response:
        await request.wait_for_disconnection()
        gone.set()
        return web.Response()

    # Without handler cancellation (the server's default): a cancelled handler sees no more.
    server = await aiohttp_raw_server(waiter, handler_cancellation=False)
    _, writer = await asyncio.open_connection(server.host, server.port)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    await asyncio.sleep(0.05)
    writer.close()
    await asyncio.wait_for(gone.wait(), 5)
