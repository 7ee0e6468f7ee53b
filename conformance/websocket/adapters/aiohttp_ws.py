"""Drives this library's WebSocket server and client through the aiohttp 3.x public API only.

:func:`serve` runs an application whose ``/ws`` route echoes every message (the contract of
:mod:`conformance.websocket.server_side`); :class:`AiohttpWSClient` is a client driver
(:mod:`conformance.websocket.drivers`) built on ``ClientSession.ws_connect``.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web
from conformance.targets import Observation, ServerTarget


async def ws_echo(request: web.Request) -> web.StreamResponse:
    """Echo every text and binary message until the peer closes."""
    ws = web.WebSocketResponse(timeout=2.0)
    await ws.prepare(request)
    async for msg in ws:
        if msg.type is aiohttp.WSMsgType.TEXT:
            await ws.send_str(msg.data)
        elif msg.type is aiohttp.WSMsgType.BINARY:
            await ws.send_bytes(msg.data)
    return ws


def add_routes(app: web.Application) -> None:
    """Mount the echo WebSocket at ``/ws`` (for a combined HTTP and WebSocket target)."""
    app.router.add_get("/ws", ws_echo)


@asynccontextmanager
async def serve(host: str = "127.0.0.1") -> AsyncIterator[ServerTarget]:
    """Run the echo application on a free port for the duration of the block."""
    app = web.Application()
    add_routes(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, 0)
        await site.start()
        port = int(runner.addresses[0][1])
        yield ServerTarget(host, port, "aiohttp WebSocket server")
    finally:
        await runner.cleanup()


class AiohttpWSClient:
    """Echoes with ``ClientSession.ws_connect`` (permessage-deflate offered, as by default)."""

    name = "aiohttp WebSocket client"

    async def ws_echo(self, url: str, timeout: float) -> Observation:  # noqa: ASYNC109
        """Connect, echo until the server closes, report how it ended."""
        started = time.monotonic()
        try:
            async with aiohttp.ClientSession() as session:
                ws = await session.ws_connect(
                    url, timeout=aiohttp.ClientWSTimeout(ws_close=2.0), compress=15
                )
                async for msg in ws:
                    if msg.type is aiohttp.WSMsgType.TEXT:
                        await ws.send_str(msg.data)
                    elif msg.type is aiohttp.WSMsgType.BINARY:
                        await ws.send_bytes(msg.data)
                    elif msg.type is aiohttp.WSMsgType.ERROR:
                        break
                await ws.close()
        except Exception as exc:
            return Observation(
                "error", error=f"{type(exc).__name__}: {exc}", elapsed=time.monotonic() - started
            )
        kind = "response" if ws.close_code == 1000 else "error"
        return Observation(kind, error=str(ws.close_code), elapsed=time.monotonic() - started)
