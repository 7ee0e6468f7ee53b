"""The server-under-test contract (``conformance/cases/FORMAT.md``) on an installed ``aiohttp``,
with a WebSocket echo on ``/ws``, as a standalone program for another environment's aiohttp
(the released one): ``/path/to/venv/bin/python conformance/peers/aiohttp_app.py PORT``, run from
a directory without an ``aiohttp`` folder. It uses the public aiohttp 3.x API only, as the
in-process adapter does.
"""

from __future__ import annotations

import sys

from aiohttp import WSMsgType, web


async def _root(request: web.Request) -> web.StreamResponse:
    await request.read()
    return web.Response(text="ok")


async def _echo(request: web.Request) -> web.StreamResponse:
    return web.Response(body=await request.read(), content_type="application/octet-stream")


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


async def _ws(request: web.Request) -> web.StreamResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for message in ws:
        if message.type is WSMsgType.TEXT:
            await ws.send_str(message.data)
        elif message.type is WSMsgType.BINARY:
            await ws.send_bytes(message.data)
    return ws


def make_app() -> web.Application:
    """The contract's routes for every method."""
    app = web.Application()
    for method in ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"):
        app.router.add_route(method, "/", _root)
        app.router.add_route(method, "/echo", _echo)
        app.router.add_route(method, "/status/{code:[0-9]{3}}", _status)
        app.router.add_route(method, "/stream", _stream)
    app.router.add_get("/ws", _ws)
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="127.0.0.1", port=int(sys.argv[1]), access_log=None)
