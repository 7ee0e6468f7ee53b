"""Runners and sites without sockets: setup, registration, names, signals, cleanup order."""

from __future__ import annotations

import logging
import socket
from typing import Any

import pytest

from aiohttp import web


async def hello(request: web.BaseRequest) -> web.StreamResponse:
    return web.Response(text="hi")


async def test_site_needs_a_set_up_runner() -> None:
    runner = web.ServerRunner(web.Server(hello))
    with pytest.raises(RuntimeError, match="setup"):
        web.TCPSite(runner)


async def test_site_names() -> None:
    runner = web.ServerRunner(web.Server(hello))
    await runner.setup()
    assert web.TCPSite(runner).name == "http://0.0.0.0:8080"
    assert web.TCPSite(runner, "127.0.0.1", 81).name == "http://127.0.0.1:81"
    assert web.TCPSite(runner, ssl_context=object()).name == "https://0.0.0.0:8443"  # type: ignore[arg-type]
    assert web.UnixSite(runner, "/tmp/x.sock").name == "http://unix:/tmp/x.sock:"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        assert web.SockSite(runner, sock).name == f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.mark.parametrize(
    ("where", "names"),
    [
        ({}, ["http://0.0.0.0:8080"]),
        ({"port": 81}, ["http://0.0.0.0:81"]),
        ({"host": ["127.0.0.1", "::1"], "port": 81}, ["http://127.0.0.1:81", "http://[::1]:81"]),
        ({"path": "/tmp/x.sock"}, ["http://unix:/tmp/x.sock:"]),
        (
            {"path": ["/tmp/a", "/tmp/b"], "port": 82},
            ["http://0.0.0.0:82", "http://unix:/tmp/a:", "http://unix:/tmp/b:"],
        ),
    ],
    ids=["default", "port", "hosts", "path", "paths-and-port"],
)
async def test_run_app_sites_from_its_address_arguments(
    where: dict[str, Any], names: list[str]
) -> None:
    from aiohttp.web.server.run_app import _Listen

    args: dict[str, Any] = dict.fromkeys(
        ["host", "port", "path", "sock", "ssl_context", "reuse_address", "reuse_port"]
    )
    args["backlog"] = 128
    args.update(where)
    runner = web.AppRunner(web.Application())
    await runner.setup()
    assert [site.name for site in _Listen(**args).sites(runner)] == names
    await runner.cleanup()


async def test_site_registration_errors() -> None:
    runner = web.ServerRunner(web.Server(hello))
    await runner.setup()
    site = web.TCPSite(runner)
    with pytest.raises(RuntimeError):
        await site.stop()
    runner._reg_site(site)
    with pytest.raises(RuntimeError):
        runner._reg_site(site)
    runner._unreg_site(site)
    with pytest.raises(RuntimeError):
        runner._unreg_site(site)
    await runner.cleanup()


async def test_deprecated_site_shutdown_timeout_moves_to_the_runner() -> None:
    runner = web.ServerRunner(web.Server(hello))
    await runner.setup()
    with pytest.warns(DeprecationWarning, match="BaseRunner"):
        web.TCPSite(runner, shutdown_timeout=3.0)
    assert runner.shutdown_timeout == 3.0
    runner.shutdown_timeout = 1.0
    assert runner.shutdown_timeout == 1.0
    await runner.cleanup()


async def test_app_runner_order_of_signals() -> None:
    order: list[str] = []
    app = web.Application()

    async def startup(app: web.Application) -> None:
        order.append("startup")

    async def shutdown(app: web.Application) -> None:
        order.append("shutdown")

    async def cleanup(app: web.Application) -> None:
        order.append("cleanup")

    app.on_startup.append(startup)
    app.on_shutdown.append(shutdown)
    app.on_cleanup.append(cleanup)
    runner = web.AppRunner(app)
    assert runner.app is app
    await runner.setup()
    assert isinstance(runner.server, web.Server)
    assert app.frozen
    assert order == ["startup"]
    await runner.cleanup()
    assert order == ["startup", "shutdown", "cleanup"]
    assert runner.server is None


async def test_app_runner_needs_an_application() -> None:
    with pytest.raises(TypeError):
        web.AppRunner(object())  # type: ignore[arg-type]


async def test_signals_are_installed_and_removed() -> None:
    import asyncio
    import signal

    loop: Any = asyncio.get_running_loop()
    runner = web.ServerRunner(web.Server(hello), handle_signals=True)
    await runner.setup()
    assert loop._signal_handlers.get(signal.SIGTERM) is not None
    await runner.cleanup()
    assert loop._signal_handlers.get(signal.SIGTERM) is None


async def test_server_kwargs_flow_from_the_runner() -> None:
    app = web.Application()
    runner = web.AppRunner(app, keepalive_timeout=5.0, head_timeout=2.0, access_log=None)
    await runner.setup()
    assert runner.server is not None
    assert runner.server.config.keepalive_timeout == 5.0
    assert runner.server.config.head_timeout == 2.0
    assert runner.server.config.access_logger is None
    await runner.cleanup()


async def test_unknown_handler_args_fall_back_to_defaults_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """As 3.x does: a misspelt ``handler_args`` key does not stop the application; only
    ``debug`` and ``access_log_class`` are kept, and the fall-back is logged."""
    app = web.Application(
        handler_args={"unknown_parameter": 5, "keepalive_timeout": 1, "debug": True}
    )
    runner = web.AppRunner(app)
    with caplog.at_level(logging.WARNING, logger="aiohttp.server"):
        await runner.setup()
    assert runner.server is not None
    config = runner.server.config
    assert (config.keepalive_timeout, config.debug) == (
        web.Server(hello).config.keepalive_timeout,
        True,
    )
    [record] = caplog.records
    message = record.getMessage()
    assert message.startswith("Failed to create request handler with custom kwargs {")
    assert "'unknown_parameter': 5" in message
    assert message.endswith(
        "}, falling back to filtered kwargs. This may indicate a misconfiguration."
    )
    await runner.cleanup()
