"""An aiohttp application ready for gunicorn: ``gunicorn app:make_app -c gunicorn.conf.py``.

It answers ``/`` with the client address it sees (the real client's, when the request came
through the trusted proxy), and echoes WebSocket messages on ``/ws``.
"""

from __future__ import annotations

from aiohttp import web


async def index(request: web.Request) -> web.Response:
    return web.Response(text=f"hello {request.remote} over {request.scheme}\n")


async def echo(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for msg in ws:
        if msg.type == web.WSMsgType.TEXT:
            await ws.send_str(msg.data)
    return ws


async def make_app() -> web.Application:
    """The factory gunicorn's aiohttp workers call (a coroutine function returning the app)."""
    app = web.Application()
    app.router.add_get("/", index)
    app.router.add_get("/ws", echo)
    return app
