"""Drives this library through its public aiohttp 3.x API only.

The server serves the contract of ``conformance/cases/FORMAT.md`` (``/``, ``/echo``,
``/status/{code}``, ``/stream``, and a WebSocket echo on ``/ws``) with ``web.Application``,
``web.AppRunner`` and ``web.TCPSite`` on a free loopback port. The client fetches with
``aiohttp.ClientSession``, one session per case so a case with several requests can see
connection reuse. The module also runs against the released aiohttp 3.x, which keeps the adapter
honest about the API it uses.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web
from conformance.http1 import tls
from conformance.targets import FetchRequest, Observation, ServerTarget

#: The version of the aiohttp this adapter drives.
VERSION = str(aiohttp.__version__)
#: The methods the contract's resources answer (others get 405 or 501).
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH")


async def _root(request: web.Request) -> web.StreamResponse:
    await request.read()
    return web.Response(text="ok")


async def _echo(request: web.Request) -> web.StreamResponse:
    body = await request.read()
    return web.Response(body=body, content_type="application/octet-stream")


async def _status(request: web.Request) -> web.StreamResponse:
    await request.read()
    return web.Response(status=int(request.match_info["code"]))


async def _stream(request: web.Request) -> web.StreamResponse:
    await request.read()
    response = web.StreamResponse()
    response.content_type = "text/plain"
    await response.prepare(request)
    await response.write(b"01234")
    await response.write(b"56789")
    await response.write_eof()
    return response


async def _ws_echo(request: web.Request) -> web.StreamResponse:
    # The library's defaults, as a user gets them (a 4 MiB message limit, which every echo
    # case fits under): the limit cases test what users get, not an unlimited server.
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for message in ws:
        if message.type is aiohttp.WSMsgType.TEXT:
            await ws.send_str(message.data)
        elif message.type is aiohttp.WSMsgType.BINARY:
            await ws.send_bytes(message.data)
    return ws


def make_app() -> web.Application:
    """The application that serves the server-under-test contract."""
    app = web.Application()
    for method in METHODS:
        app.router.add_route(method, "/", _root)
        app.router.add_route(method, "/echo", _echo)
        app.router.add_route(method, "/status/{code:[0-9]{3}}", _status)
        app.router.add_route(method, "/stream", _stream)
    app.router.add_route("GET", "/ws", _ws_echo)
    return app


@asynccontextmanager
async def serve(host: str = "127.0.0.1") -> AsyncIterator[ServerTarget]:
    """Run the contract application on a free port, and over TLS on another, for the block."""
    runner = web.AppRunner(make_app(), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, 0)
        await site.start()
        secure = web.TCPSite(runner, host, 0, ssl_context=tls.server_context())
        await secure.start()
        port, tls_port = (int(address[1]) for address in runner.addresses)
        yield ServerTarget(host, port, "aiohttp server", tls_port)
    finally:
        await runner.cleanup()


class AiohttpClient:
    """Fetches with ``aiohttp.ClientSession``."""

    name = "aiohttp client"

    async def fetch_all(self, requests: list[FetchRequest]) -> list[Observation]:
        """Make ``requests`` in order in one session."""
        observed = []
        async with aiohttp.ClientSession() as session:
            for request in requests:
                if request.pause:
                    await asyncio.sleep(request.pause)
                observed.append(await self._fetch(session, request))
        return observed

    async def _fetch(self, session: aiohttp.ClientSession, request: FetchRequest) -> Observation:
        started = time.monotonic()
        try:
            async with session.request(
                request.method,
                request.url,
                headers=list(request.headers) or None,
                data=request.body,
                timeout=aiohttp.ClientTimeout(total=request.timeout),
            ) as response:
                body = await response.read()
        except Exception as exc:
            return Observation(
                "error", error=f"{type(exc).__name__}: {exc}", elapsed=time.monotonic() - started
            )
        return Observation(
            "response", status=response.status, body=body, elapsed=time.monotonic() - started
        )

    async def ws_echo(self, url: str, timeout: float) -> Observation:  # noqa: ASYNC109
        """Open a WebSocket to ``url`` and echo every message until the server closes.

        Returns:
            ``"response"`` after a clean close (code 1000), ``"error"`` otherwise, ``"hang"``
            when nothing ended within ``timeout`` seconds.
        """
        started = time.monotonic()
        try:
            async with (
                asyncio.timeout(timeout),
                aiohttp.ClientSession() as session,
                session.ws_connect(url, compress=15) as ws,  # offer permessage-deflate (RFC 7692)
            ):
                async for message in ws:
                    if message.type is aiohttp.WSMsgType.TEXT:
                        await ws.send_str(message.data)
                    elif message.type is aiohttp.WSMsgType.BINARY:
                        await ws.send_bytes(message.data)
                code = ws.close_code
        except TimeoutError:
            return Observation("hang", elapsed=time.monotonic() - started)
        except Exception as exc:
            return Observation(
                "error", error=f"{type(exc).__name__}: {exc}", elapsed=time.monotonic() - started
            )
        kind = "response" if code == 1000 else "error"
        return Observation(kind, error=f"close code {code}", elapsed=time.monotonic() - started)
