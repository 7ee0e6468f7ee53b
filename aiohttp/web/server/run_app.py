"""``web.run_app()``: run an application until interrupted; ``python -m aiohttp.web``.

::

    web.run_app(app, host="127.0.0.1", port=8080)

``app`` may be an :class:`~aiohttp.web.Application` or a coroutine returning one. With no
``host``, ``path`` or ``sock`` the app listens on all interfaces, port 8080. SIGINT and SIGTERM
end it gracefully (see :mod:`aiohttp.web.server.runner` for the shutdown order).

From the command line, ``python -m aiohttp.web -H HOST -P PORT [-U PATH] package.module:init``
imports ``init``, calls it with the remaining arguments and runs the application it returns.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import inspect
import logging
import os
import socket
import sys
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from ssl import SSLContext
from typing import Any

from ..application import Application
from .access_log import AbstractAccessLogger, AccessLogger
from .lowlevel import access_logger
from .runner import AppRunner, BaseSite, GracefulExit, SockSite, TCPSite, UnixSite

__all__ = ["main", "run_app"]


@dataclass(frozen=True)
class _Listen:
    """Where :func:`run_app` listens: its address arguments, turned into sites."""

    host: str | Iterable[str] | None
    port: int | None
    path: str | os.PathLike[str] | Iterable[str] | None
    sock: socket.socket | Iterable[socket.socket] | None
    ssl_context: SSLContext | None
    backlog: int
    reuse_address: bool | None
    reuse_port: bool | None

    def sites(self, runner: AppRunner) -> list[BaseSite]:
        """One site per host, path and socket; all interfaces when none is given."""
        sites: list[BaseSite] = []
        ssl_context, backlog = self.ssl_context, self.backlog
        host, port, path, sock = self.host, self.port, self.path, self.sock
        if host is not None or (path is None and sock is None) or port is not None:
            hosts = [host] if host is None or isinstance(host, str) else list(host)
            sites.extend(
                TCPSite(
                    runner,
                    h,
                    port,
                    ssl_context=ssl_context,
                    backlog=backlog,
                    reuse_address=self.reuse_address,
                    reuse_port=self.reuse_port,
                )
                for h in hosts
            )
        if path is not None:
            paths = [path] if isinstance(path, str | os.PathLike) else list(path)
            sites.extend(
                UnixSite(runner, os.fspath(p), ssl_context=ssl_context, backlog=backlog)
                for p in paths
            )
        if sock is not None:
            socks = [sock] if isinstance(sock, socket.socket) else list(sock)
            sites.extend(
                SockSite(runner, s, ssl_context=ssl_context, backlog=backlog) for s in socks
            )
        return sites


async def _run_app(
    app: Application | Awaitable[Application],
    listen: _Listen,
    print: Callable[..., None] | None,
    runner_kwargs: dict[str, Any],
) -> None:
    if not isinstance(app, Application) and inspect.isawaitable(app):
        app = await app
    runner = AppRunner(app, **runner_kwargs)  # a TypeError for anything else, as in 3.x
    await runner.setup()
    try:
        sites = listen.sites(runner)
        for site in sites:
            await site.start()
        if print is not None:
            names = ", ".join(sorted(str(s.name) for s in runner.sites))
            print(f"======== Running on {names} ========\n(Press CTRL+C to quit)")
        await asyncio.Event().wait()  # until cancelled or a signal ends the loop
    finally:
        await runner.cleanup()


def _cancel_tasks(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    if not tasks:
        return
    for task in tasks:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            loop.call_exception_handler(
                {
                    "message": "unhandled exception during asyncio.run() shutdown",  # 3.x's
                    "exception": task.exception(),
                    "task": task,
                }
            )


def run_app(
    app: Application | Awaitable[Application],
    *,
    host: str | Iterable[str] | None = None,
    port: int | None = None,
    path: str | os.PathLike[str] | Iterable[str] | None = None,
    sock: socket.socket | Iterable[socket.socket] | None = None,
    shutdown_timeout: float = 60.0,
    keepalive_timeout: float = 75.0,
    ssl_context: SSLContext | None = None,
    print: Callable[..., None] | None = print,
    backlog: int = 128,
    access_log_class: type[AbstractAccessLogger] = AccessLogger,
    access_log_format: str = AccessLogger.LOG_FORMAT,
    access_log: logging.Logger | None = access_logger,
    handle_signals: bool = True,
    reuse_address: bool | None = None,
    reuse_port: bool | None = None,
    handler_cancellation: bool = False,
    loop: asyncio.AbstractEventLoop | None = None,
    **server_kwargs: Any,
) -> None:
    """Run ``app`` until SIGINT/SIGTERM (or :class:`GracefulExit`), then shut down gracefully.

    Args:
        app: The application, or an awaitable returning it.
        host: Host name(s) to listen on.
        port: TCP port (8080, or 8443 with ``ssl_context``).
        path: Unix socket path(s).
        sock: Pre-bound socket(s).
        shutdown_timeout: Seconds in-flight requests get at shutdown.
        keepalive_timeout: Seconds an idle keep-alive connection stays open.
        ssl_context: Serve HTTPS.
        print: Called with the "Running on" banner; ``None`` for silence.
        backlog: Listen backlog.
        access_log_class: The access logger class.
        access_log_format: Its format.
        access_log: The logger for access lines; ``None`` disables the access log.
        handle_signals: Install SIGINT/SIGTERM handlers.
        reuse_address: ``SO_REUSEADDR``.
        reuse_port: ``SO_REUSEPORT``.
        handler_cancellation: Cancel handlers whose client disconnected.
        loop: The event loop to use (a new one when ``None``).
        **server_kwargs: Further :class:`~aiohttp.web.Server` settings, such as
            ``trusted_proxies``, ``head_timeout``, ``body_timeout`` or ``body_min_rate``.
    """
    loop = _prepare_loop(loop, access_log)
    listen = _Listen(host, port, path, sock, ssl_context, backlog, reuse_address, reuse_port)
    runner_kwargs: dict[str, Any] = {
        "shutdown_timeout": shutdown_timeout,
        "keepalive_timeout": keepalive_timeout,
        "access_log_class": access_log_class,
        "access_log_format": access_log_format,
        "access_log": access_log,
        "handle_signals": handle_signals,
        "handler_cancellation": handler_cancellation,
        **server_kwargs,
    }
    _run_until_done(loop, _run_app(app, listen, print, runner_kwargs))


def _prepare_loop(
    loop: asyncio.AbstractEventLoop | None, access_log: logging.Logger | None
) -> asyncio.AbstractEventLoop:
    """The loop to run on (a new one when ``None``).

    In debug mode the default access logger writes to stderr unless it is configured.
    """
    loop = loop or asyncio.new_event_loop()
    if loop.get_debug() and access_log is not None and access_log.name == "aiohttp.access":
        if access_log.level == logging.NOTSET:
            access_log.setLevel(logging.DEBUG)
        if not access_log.hasHandlers():
            access_log.addHandler(logging.StreamHandler())
    return loop


def _run_until_done(loop: asyncio.AbstractEventLoop, main: Coroutine[Any, Any, None]) -> None:
    """Run ``main`` until it ends or is interrupted; then cancel the rest, close ``loop``."""
    main_task = loop.create_task(main)
    try:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(main_task)
    except (GracefulExit, KeyboardInterrupt):
        pass
    finally:
        try:
            if not main_task.done():  # (awaiting a failed one again would cut its traceback)
                main_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    loop.run_until_complete(main_task)
        finally:
            _cancel_tasks(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            asyncio.set_event_loop(None)


def main(
    argv: list[str],
    *,
    parser_class: type[argparse.ArgumentParser] = argparse.ArgumentParser,
    import_module: Callable[[str], Any] = importlib.import_module,
    run: Callable[..., None] | None = None,
) -> None:
    """The ``python -m aiohttp.web`` command line.

    Serves ``--path`` alone unless ``--hostname`` is given too (then both), as 3.x does.
    ``aiohttp.web.main`` passes the parser class, the importer and ``run_app`` it holds, so code
    that replaces ``aiohttp.web.ArgumentParser``, ``import_module`` or ``run_app`` (as 3.x's
    tests do) reaches this function.
    """
    parser = parser_class(
        prog="python -m aiohttp.web",
        description="aiohttp.web Application server",
        epilog="Application specific options may follow the entry function.",
    )
    parser.add_argument(
        "entry_func",
        help="Callable returning the `aiohttp.web.Application` instance to run. "
        "Should be specified in the 'module:function' syntax.",
        metavar="entry-func",
    )
    parser.add_argument(
        "-H", "--hostname", default=None, help="TCP/IP hostname to serve on (default: localhost)"
    )
    parser.add_argument("-P", "--port", type=int, default=8080, help="TCP/IP port to serve on")
    parser.add_argument("-U", "--path", help="Unix file system path to serve on")
    args, extra_argv = parser.parse_known_args(argv)
    mod_str, _, func_str = args.entry_func.partition(":")
    if not func_str or not mod_str:
        parser.error("'entry-func' not in 'module:function' syntax")
    if mod_str.startswith("."):
        parser.error("relative module names not supported")
    try:
        module = import_module(mod_str)
    except ImportError as ex:
        parser.error(f"unable to import {mod_str}: {ex}")
    try:
        func = getattr(module, func_str)
    except AttributeError:
        parser.error(f"module {mod_str!r} has no attribute {func_str!r}")
    if args.path is not None and not hasattr(socket, "AF_UNIX"):
        parser.error("file system paths not supported by your operating environment")
    logging.basicConfig(level=logging.DEBUG)
    host: str | None
    port: int | None
    if args.path and args.hostname is None:
        host = port = None  # the Unix socket only
    else:
        host, port = args.hostname or "localhost", args.port
    app = func(extra_argv)
    (run_app if run is None else run)(app, host=host, port=port, path=args.path)
    parser.exit(message="Stopped\n")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
