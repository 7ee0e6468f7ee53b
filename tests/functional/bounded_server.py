"""A server for the memory tests, run in its own process so its RSS can be measured.

Every handler is slow on purpose: ``CONNECT`` and ``/slow`` sleep, ``/ws`` accepts a WebSocket
and never reads it. The process prints its port on stdout, then serves until killed.
"""

from __future__ import annotations

import asyncio
import sys

from aiohttp import web


async def handler(request: web.BaseRequest) -> web.StreamResponse:
    if request.path == "/ws":
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await asyncio.sleep(3600)
        return ws
    await asyncio.sleep(3600)  # CONNECT, an upgrade request, the head of a pipeline
    return web.Response()


async def main() -> None:
    server = web.Server(handler, access_log=None)
    loop = asyncio.get_running_loop()
    listener = await loop.create_server(server, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
