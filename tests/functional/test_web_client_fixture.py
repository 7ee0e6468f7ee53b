"""An aiohttp 3.x style test: the ``aiohttp_client`` fixture against an application, plus the
access log written by the server for each request."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web


async def test_existing_test_suites_run_unchanged(aiohttp_client: Any) -> None:
    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="Hello, " + request.match_info["name"])

    app = web.Application()
    app.router.add_get("/{name}", hello)
    client = await aiohttp_client(app)
    resp = await client.get("/world")
    assert resp.status == 200
    assert await resp.text() == "Hello, world"
    resp = await client.post("/world")
    assert resp.status == 405
    assert resp.headers["Allow"] == "GET,HEAD"


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


async def test_access_log_lines(aiohttp_client: Any) -> None:
    async def teapot(request: web.Request) -> web.Response:
        return web.Response(status=418, text="short and stout", headers={"X-Kind": "tea"})

    logger = logging.getLogger("test.web.access")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    collect = Collect()
    logger.addHandler(collect)
    try:
        app = web.Application()
        app.router.add_get("/pot", teapot)
        client = await aiohttp_client(
            app,
            server_kwargs={
                "access_log": logger,
                "access_log_format": '"%r" %s %{X-Kind}o %{Accept}i',
            },
        )
        resp = await client.get("/pot?x=1", headers={"Accept": "text/plain"})
        assert resp.status == 418
        await resp.release()
    finally:
        logger.removeHandler(collect)
    assert collect.lines == ['"GET /pot?x=1 HTTP/1.1" 418 tea text/plain']


async def test_custom_access_logger_class(aiohttp_client: Any) -> None:
    seen: list[tuple[str, int]] = []

    class Recorder(web.AbstractAccessLogger):
        def log(self, request: Any, response: Any, time: float) -> None:
            seen.append((request.path, response.status))

    app = web.Application()

    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app.router.add_get("/", ok)
    client = await aiohttp_client(
        app,
        server_kwargs={"access_log_class": Recorder, "access_log": logging.getLogger("x")},
    )
    resp = await client.get("/")
    await resp.release()
    assert seen == [("/", 200)]
