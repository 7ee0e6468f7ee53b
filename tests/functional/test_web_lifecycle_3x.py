"""Application and runner lifecycle as aiohttp 3.14 users write it, over loopback.

Each test is the code a 3.x user would write: ``cleanup_ctx`` entries that are async context
managers, ``TCPSite.port`` after binding port 0, a handler timing out, state changed on a
running application.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from typing import Any

import pytest

from aiohttp import web

EVENTS = web.AppKey("events", list)


@contextlib.asynccontextmanager
async def database(app: web.Application) -> AsyncIterator[None]:
    app[EVENTS].append("db open")
    yield
    app[EVENTS].append("db closed")


class Cache:
    """An async context manager class, the other shape 3.14 accepts in ``cleanup_ctx``."""

    def __init__(self, app: web.Application) -> None:
        self.app = app

    async def __aenter__(self) -> Cache:
        self.app[EVENTS].append("cache open")
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.app[EVENTS].append("cache closed")


async def generator(app: web.Application) -> AsyncIterator[None]:
    app[EVENTS].append("gen open")
    yield
    app[EVENTS].append("gen closed")


async def test_cleanup_ctx_takes_async_context_managers(aiohttp_client: Any) -> None:
    events: list[str] = []
    app = web.Application()
    app[EVENTS] = events
    app.cleanup_ctx.append(database)
    app.cleanup_ctx.append(Cache)
    app.cleanup_ctx.append(generator)

    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=",".join(request.app[EVENTS]))

    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    resp = await client.get("/")
    assert await resp.text() == "db open,cache open,gen open"
    await client.close()
    assert events[3:] == ["gen closed", "cache closed", "db closed"]


async def test_cleanup_ctx_context_manager_failing_on_exit_is_raised() -> None:
    @contextlib.asynccontextmanager
    async def broken(app: web.Application) -> AsyncIterator[None]:
        yield
        raise ValueError("teardown failed")

    app = web.Application()
    app.cleanup_ctx.append(broken)
    runner = web.AppRunner(app)
    await runner.setup()
    with pytest.raises(ValueError, match="teardown failed"):
        await runner.cleanup()


async def test_cleanup_ctx_context_manager_failing_on_enter_stops_startup() -> None:
    events: list[str] = []

    class Refuses:
        def __init__(self, app: web.Application) -> None:
            pass

        async def __aenter__(self) -> None:
            raise ConnectionRefusedError("no database")

        async def __aexit__(self, *exc: object) -> None:
            events.append("exit")  # never: it was not entered

    app = web.Application()
    app.cleanup_ctx.append(Refuses)
    runner = web.AppRunner(app)
    with pytest.raises(ConnectionRefusedError):
        await runner.setup()
    await runner.cleanup()
    assert events == []


async def test_tcp_site_port_is_the_bound_port() -> None:
    app = web.Application()

    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="up")

    app.router.add_get("/", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    assert site.port == 0  # what was asked for, before binding
    await site.start()
    try:
        port = site.port
        assert port != 0
        assert site.name == f"http://127.0.0.1:{port}"
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = await reader.read()
        writer.close()
        await writer.wait_closed()
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
        assert answer.endswith(b"\r\n\r\nup")
    finally:
        await runner.cleanup()


async def test_tcp_site_port_defaults() -> None:
    runner = web.AppRunner(web.Application())
    await runner.setup()
    try:
        assert web.TCPSite(runner).port == 8080
        assert web.TCPSite(runner, port=9999).port == 9999
    finally:
        await runner.cleanup()


async def test_site_shutdown_timeout_other_than_default_is_deprecated() -> None:
    runner = web.AppRunner(web.Application())
    await runner.setup()
    try:
        web.TCPSite(runner, shutdown_timeout=60.0)  # the default: no warning
        with pytest.warns(DeprecationWarning, match="shutdown_timeout should be set on BaseRunner"):
            web.TCPSite(runner, shutdown_timeout=5.0)
    finally:
        await runner.cleanup()


async def test_handler_timeout_is_answered_504(
    aiohttp_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    async def raises(request: web.Request) -> web.Response:
        raise TimeoutError()

    async def times_out(request: web.Request) -> web.Response:
        async with asyncio.timeout(0.01):
            await asyncio.sleep(5)
        return web.Response(text="never")

    app = web.Application()
    app.router.add_get("/raises", raises)
    app.router.add_get("/times-out", times_out)
    client = await aiohttp_client(app)
    with caplog.at_level(logging.DEBUG, logger="aiohttp.server"):
        for path in ("/raises", "/times-out"):
            resp = await client.get(path)
            assert resp.status == 504
            assert resp.reason == "Gateway Timeout"
            assert resp.headers["Connection"] == "close"
            await resp.read()
    # As 3.x: a timeout is the handler's business, logged at DEBUG only, with its traceback.
    logged = [r for r in caplog.records if r.name == "aiohttp.server"]
    assert [(r.levelno, r.getMessage()) for r in logged] == [
        (logging.DEBUG, "Request handler timed out.")
    ] * 2
    assert all(isinstance(r.exc_info[1], TimeoutError) for r in logged if r.exc_info)
    assert all(r.exc_info for r in logged)


async def test_http_exceptions_win_over_the_504_rule(aiohttp_client: Any) -> None:
    async def handler(request: web.Request) -> web.Response:
        raise web.HTTPRequestTimeout()

    app = web.Application()
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    resp = await client.get("/")
    assert resp.status == 408


async def test_changing_a_started_apps_state_warns(aiohttp_client: Any) -> None:
    key = web.AppKey("counter", int)
    app = web.Application()
    app[key] = 0

    async def handler(request: web.Request) -> web.Response:
        with pytest.warns(
            DeprecationWarning,
            match="^Changing state of started or joined application is deprecated$",
        ):
            request.app[key] += 1
        return web.Response(text=str(request.app[key]))

    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    resp = await client.get("/")
    assert await resp.text() == "1"
    with pytest.warns(DeprecationWarning, match="Changing state of started"):
        del app[key]
    assert key not in app


@pytest.mark.parametrize(
    ("flags", "env", "warns"),
    [((), {}, False), (("-X", "dev"), {}, True), ((), {"PYTHONASYNCIODEBUG": "1"}, True)],
)
def test_custom_attributes_warn_in_development_mode_only(
    flags: tuple[str, ...], env: dict[str, str], warns: bool
) -> None:
    code = textwrap.dedent(
        """
        import warnings
        from aiohttp import web
        warnings.simplefilter("error", DeprecationWarning)
        app = web.Application()
        app.logger = app.logger  # a known attribute: never a warning
        for obj in (app, web.Request.__new__(web.Request)):
            try:
                obj.custom = 1
            except DeprecationWarning as exc:
                print(exc)
        """
    )
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONASYNCIODEBUG"}
    done = subprocess.run(
        [sys.executable, *flags, "-c", code],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    expected = (
        "Setting custom web.Application.custom attribute is discouraged\n"
        "Setting custom Request.custom attribute is discouraged\n"
    )
    assert done.stdout == (expected if warns else "")
