"""Gunicorn workers: gunicorn manages the processes, each worker runs one event loop.

``gunicorn module:app --worker-class aiohttp.GunicornWebWorker`` (or
``aiohttp.worker.GunicornWebWorker``) serves an :class:`aiohttp.web.Application`, a factory
called without arguments that returns one, or a coroutine function returning one.
:class:`GunicornUVLoopWebWorker` does the same on uvloop. :class:`AsyncGunicornWorker` and
:class:`AsyncNoStreamGunicornWorker` serve a WSGI application through
:class:`aiohttp.wsgi.WSGIHandler` (streaming or buffered ``wsgi.input``).

What a worker takes from gunicorn's settings:

* the listening sockets gunicorn opened (TCP, unix, or inherited through ``systemd`` socket
  activation), used as they are;
* ``certfile``/``keyfile`` and the other SSL settings (including an ``ssl_context`` hook);
* ``keepalive`` (the idle keep-alive timeout), ``graceful_timeout`` (in-flight requests get 95%
  of it to finish on ``SIGTERM``, open WebSockets are closed with 1001 "going away"),
  ``max_requests`` and ``max_requests_jitter`` (the worker stops accepting and finishes what it
  has once it answered that many requests; gunicorn starts a fresh one), ``timeout`` (the
  worker's heartbeat runs on the event loop, so only a blocked loop misses it);
* ``forwarded_allow_ips``: the proxies whose ``Forwarded``/``X-Forwarded-*`` headers set
  ``request.remote``, ``scheme`` and ``host`` (``trusted_proxies`` of
  :class:`aiohttp.web.AppRunner`; gunicorn's default trusts ``127.0.0.1`` and ``::1``, and, as
  gunicorn does, peers on a unix socket);
* ``accesslog`` and ``access_log_format``: gunicorn's ``%(h)s``-style atoms are translated to
  :class:`aiohttp.web.AccessLogger` ones (see :func:`translate_access_log_format`).

``SIGTERM`` stops gracefully; ``SIGINT`` and ``SIGQUIT`` stop fast (in-flight requests get one
second).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import re
import signal
import ssl
import sys
import weakref
from collections.abc import Callable
from types import FrameType
from typing import Any

from gunicorn.config import AccessLogFormat
from gunicorn.workers import base

from aiohttp import web
from aiohttp.wsgi import WSGIHandler

__all__ = [
    "AsyncGunicornWorker",
    "AsyncNoStreamGunicornWorker",
    "GunicornUVLoopWebWorker",
    "GunicornWebWorker",
    "translate_access_log_format",
    "trusted_proxies",
]

# Seconds between heartbeats: gunicorn kills a worker that misses ``timeout`` seconds of them.
HEARTBEAT_INTERVAL = 1.0
# What a fast stop (SIGINT/SIGQUIT) leaves in-flight requests, in seconds.
FAST_SHUTDOWN_TIMEOUT = 1.0
# The share of gunicorn's ``graceful_timeout`` in-flight requests get, leaving the rest for the
# cleanup callbacks before gunicorn's SIGKILL.
GRACEFUL_SHARE = 0.95
# RFC 6455 §7.4.1: "going away", e.g. a server going down.
GOING_AWAY = 1001
# Seconds a stopping worker waits, after it stopped accepting, for the requests of connections it
# had just accepted (see GunicornWebWorker._stop_accepting).
ACCEPT_GRACE = 0.5

_GUNICORN_ATOM = re.compile(r"%\(([^)]*)\)s|%%")
_SIMPLE_ATOMS = {
    "h": "%a",
    "l": "-",
    "u": "-",
    "t": "%t",
    "r": "%r",
    "s": "%s",
    "b": "%b",
    "B": "%b",
    "f": "%{Referer}i",
    "a": "%{User-Agent}i",
    "T": "%T",
    "D": "%D",
    "L": "%Tf",
    "p": "%P",
}
_FIELD_ATOM = re.compile(r"\{([A-Za-z0-9_-]+)\}([io])")


def translate_access_log_format(source: str) -> str:
    """Turn gunicorn's ``access_log_format`` into :class:`aiohttp.web.AccessLogger` syntax.

    gunicorn's default format maps to aiohttp's default one; other formats have each
    ``%(x)s`` atom replaced by its counterpart (``%(h)s`` -> ``%a``, ``%({x-id}i)s`` ->
    ``%{x-id}i`` ...); a format without gunicorn atoms is taken to be in aiohttp syntax already.

    Args:
        source: The format from gunicorn's settings.

    Returns:
        The equivalent aiohttp format.

    Raises:
        ValueError: An atom has no aiohttp counterpart (``m``, ``U``, ``q``, ``H``, ``M``,
            ``{x}e``).
    """
    if source == AccessLogFormat.default:
        return str(web.AccessLogger.LOG_FORMAT)
    if "%(" not in source:
        return source

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:  # "%%", a literal percent sign
            return "%"
        if name in _SIMPLE_ATOMS:
            return _SIMPLE_ATOMS[name]
        field = _FIELD_ATOM.fullmatch(name)
        if field is not None:
            return f"%{{{field.group(1)}}}{field.group(2)}"
        raise ValueError(
            f"the access log atom %({name})s has no aiohttp counterpart; supported: "
            + ", ".join(sorted(_SIMPLE_ATOMS))
            + ", {header}i, {header}o"
        )

    return _GUNICORN_ATOM.sub(replace, source)


class GunicornWebWorker(base.Worker):  # type: ignore[misc]
    """A gunicorn worker serving an :class:`aiohttp.web.Application` on an asyncio loop."""

    DEFAULT_AIOHTTP_LOG_FORMAT = web.AccessLogger.LOG_FORMAT
    DEFAULT_GUNICORN_LOG_FORMAT = AccessLogFormat.default

    # Set by gunicorn's Worker.__init__ (declared here for the type checker).
    alive: bool
    booted: bool
    max_requests: int

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exit_code = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._shutdown_timeout: float | None = None
        self._runner: web.AppRunner | None = None
        self._given_runner: web.AppRunner | None = None  # a factory's own runner (3.x allows)
        self._fast_stop = False
        #: The application being served (resolved from gunicorn's target when it is loaded).
        self.application: web.Application | None = None

    # -- process lifecycle ---------------------------------------------------------------------

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        """The event loop this worker runs on (a fresh one after the fork)."""
        return asyncio.new_event_loop()

    def init_process(self) -> None:
        """Create the worker's event loop, then let gunicorn load the app and call :meth:`run`."""
        self.loop = self.new_event_loop()
        asyncio.set_event_loop(self.loop)
        super().init_process()

    def load_wsgi(self) -> None:
        """Load what gunicorn names and resolve it to the application.

        This happens before the worker counts as booted, so a wrong target stops gunicorn
        ("Worker failed to boot") instead of making it restart workers forever.
        """
        super().load_wsgi()
        self.application = self._loop().run_until_complete(self.load_application())

    def run(self) -> None:
        """Serve until told to stop, then exit the process with :attr:`exit_code`.

        The worker counts as booted (``booted``) only once its sockets serve: a failure in the
        startup signals or in binding makes gunicorn stop ("Worker failed to boot") rather than
        restart workers forever.
        """
        self.booted = False
        loop = self._loop()
        try:
            loop.run_until_complete(self._serve())
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            asyncio.set_event_loop(None)
            loop.close()
        sys.exit(self.exit_code)

    def _loop(self) -> asyncio.AbstractEventLoop:
        if self.loop is None:
            raise RuntimeError("the worker's event loop is not created yet")
        return self.loop

    async def load_application(self) -> web.Application:
        """The application to serve, from what gunicorn loaded (``self.wsgi``). A factory may
        return a ``web.AppRunner`` of its own making instead (as in 3.x): its application is
        served with that runner.

        Raises:
            RuntimeError: ``self.wsgi`` is none of an application, a factory returning one
                (that takes no arguments), or a coroutine function returning one (3.x's type
                and words).
        """
        target = self.wsgi
        if (
            not isinstance(target, web.Application)
            and callable(target)
            and _takes_no_arguments(target)
        ):
            target = target()
            if inspect.isawaitable(target):
                target = await target
            if isinstance(target, web.AppRunner):  # configured by the application itself
                self._given_runner, target = target, target.app
        if not isinstance(target, web.Application):
            raise RuntimeError(
                "wsgi app should be either Application or async function returning "
                f"Application, got {self.wsgi!r} (serve a WSGI application with "
                "aiohttp.worker.AsyncGunicornWorker)"
            )
        return target

    def make_runner(self, app: web.Application) -> web.AppRunner:
        """The runner for ``app``, configured from gunicorn's settings (or the one the
        application's factory returned, as 3.x allows)."""
        given = self._given_runner
        if given is not None and given.app is app:
            return given
        access_log = self.log.access_log if self.cfg.accesslog else None
        self._shutdown_timeout = self.cfg.graceful_timeout * GRACEFUL_SHARE
        return web.AppRunner(
            app,
            logger=self.log.error_log,
            keepalive_timeout=self.cfg.keepalive,
            access_log=access_log,
            access_log_format=translate_access_log_format(self.cfg.access_log_format),
            shutdown_timeout=self._shutdown_timeout,
            trusted_proxies=trusted_proxies(self.cfg.forwarded_allow_ips),
        )

    async def _serve(self) -> None:
        self._wakeup = asyncio.Event()
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            app = self.application
            if app is None:
                app = self.application = await self.load_application()
            close_websockets_on_shutdown(app, self._close_timeout)
            runner = self._runner = self.make_runner(app)
            await runner.setup()
            ssl_context = self.create_ssl_context() if self.cfg.is_ssl else None
            try:
                for sock in self.sockets:
                    listener = getattr(sock, "sock", sock)  # gunicorn's wrapper or a socket
                    site = web.SockSite(runner, listener, ssl_context=ssl_context)
                    await site.start()
                self.booted = True
                self.log.info("aiohttp worker %s serving", os.getpid())
                await self._watch(runner)
                await self._stop_accepting(runner)
            finally:
                await runner.cleanup()
        finally:
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)

    def _close_timeout(self) -> float:
        runner = self._runner
        return FAST_SHUTDOWN_TIMEOUT if runner is None else runner.shutdown_timeout

    async def _heartbeat(self) -> None:
        interval = min(HEARTBEAT_INTERVAL, max(self.timeout / 4, 0.05))
        while True:
            self.notify()
            await asyncio.sleep(interval)

    async def _watch(self, runner: web.AppRunner) -> None:
        """Wait until a signal, ``max_requests`` or an orphaned worker says stop."""
        wakeup = self._wakeup
        assert wakeup is not None
        while self.alive:
            server = runner.server
            if server is not None and server.requests_count >= self.max_requests:
                self.alive = False
                self.log.info("Max requests, shutting down: %s", self)
                break
            if self.ppid != os.getppid():
                self.alive = False
                self.log.info("Parent changed, shutting down: %s", self)
                break
            wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), HEARTBEAT_INTERVAL)

    async def _stop_accepting(self, runner: web.AppRunner) -> None:
        """Close the listening sockets, then give just-accepted connections time to speak.

        A connection accepted a moment before the stop has not sent its request yet and would
        look idle to the graceful shutdown, which closes idle connections at once: the client
        would lose that request. Other workers keep accepting on the shared sockets meanwhile.
        """
        for site in list(runner.sites):
            await site.stop()
        if not self._fast_stop:
            await asyncio.sleep(ACCEPT_GRACE)

    def create_ssl_context(self) -> ssl.SSLContext:
        """The TLS context from gunicorn's SSL settings (and its ``ssl_context`` hook)."""
        from gunicorn import sock as gunicorn_sock  # noqa: PLC0415 - only when TLS is on

        context: ssl.SSLContext = gunicorn_sock.ssl_context(self.cfg)
        return context

    # -- signals -------------------------------------------------------------------------------

    def init_signals(self) -> None:
        """Route gunicorn's signals through the event loop."""
        loop = self._loop()
        handlers = {
            signal.SIGQUIT: self.handle_quit,
            signal.SIGTERM: self.handle_exit,
            signal.SIGINT: self.handle_quit,
            signal.SIGWINCH: self.handle_winch,
            signal.SIGUSR1: self.handle_usr1,
            signal.SIGABRT: self.handle_abort,
        }
        for signum in self.SIGNALS:
            signal.signal(signum, signal.SIG_DFL)
        for signum, handler in handlers.items():
            loop.add_signal_handler(signum, handler, signum, None)
        # Don't let SIGTERM and SIGUSR1 interrupt system calls of active requests.
        signal.siginterrupt(signal.SIGTERM, False)
        signal.siginterrupt(signal.SIGUSR1, False)

    def _wake(self) -> None:
        if self._wakeup is not None:
            self._wakeup.set()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """``SIGTERM``: stop accepting, let in-flight requests finish, then exit."""
        self.alive = False
        self._wake()

    def handle_quit(self, sig: int, frame: FrameType | None) -> None:
        """``SIGINT``/``SIGQUIT``: stop fast, giving in-flight requests a second."""
        self.alive = False
        self._fast_stop = True
        self.cfg.worker_int(self)
        self._shorten_shutdown()
        self._wake()

    def _shorten_shutdown(self) -> None:
        runner = self._runner
        if runner is not None:
            runner.shutdown_timeout = min(runner.shutdown_timeout, FAST_SHUTDOWN_TIMEOUT)

    def handle_abort(self, sig: int, frame: FrameType | None) -> None:
        """``SIGABRT`` (gunicorn's timeout): exit at once with status 1."""
        self.alive = False
        self.exit_code = 1
        self.cfg.worker_abort(self)
        sys.exit(1)


class GunicornUVLoopWebWorker(GunicornWebWorker):
    """:class:`GunicornWebWorker` on a uvloop event loop."""

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        """A fresh uvloop loop."""
        import uvloop  # noqa: PLC0415 - an optional dependency, needed only by this worker

        loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
        return loop


class AsyncGunicornWorker(GunicornWebWorker):
    """Serve a WSGI application with a streaming ``wsgi.input``.

    A plain WSGI application runs in a thread pool and reads the body as a blocking file; a
    coroutine function gets the request's :class:`~aiohttp.streams.StreamReader` and reads it
    with ``await environ['wsgi.input'].read()``.
    """

    readpayload = False
    #: The largest request body buffered in memory (``AsyncNoStreamGunicornWorker`` only).
    client_max_size = 1024**2

    async def load_application(self) -> web.Application:
        """A one-route application handing every request to the WSGI application."""
        handler = WSGIHandler(
            self.wsgi,
            readpayload=self.readpayload,
            multiprocess=self.cfg.workers > 1,
            logger=self.log.error_log,
        )
        app = web.Application(client_max_size=self.client_max_size)
        app.router.add_route("*", "/{path_info:.*}", handler.handle)
        return app


class AsyncNoStreamGunicornWorker(AsyncGunicornWorker):
    """Serve a WSGI application with the whole body read into a :class:`io.BytesIO` first."""

    readpayload = True


def close_websockets_on_shutdown(
    app: web.Application, timeout: Callable[[], float] | None = None
) -> None:
    """Make ``app`` close its open WebSockets with 1001 (going away) when it shuts down.

    The WebSockets are tracked through ``on_response_prepare`` and closed in ``on_shutdown``,
    which the runner's graceful shutdown sends before it waits for in-flight handlers, so a
    WebSocket handler's ``async for msg in ws`` loop ends and the handler returns in time.

    Args:
        app: The application (not frozen yet).
        timeout: Called at shutdown: how long to wait for the clients' Close replies (each
            WebSocket's own close timeout when ``None``).
    """
    if app.frozen:
        return
    sockets: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()

    async def track(request: web.Request, response: web.StreamResponse) -> None:
        if isinstance(response, web.WebSocketResponse):
            sockets.add(response)

    async def close_all(app: web.Application) -> None:
        tasks = [
            asyncio.ensure_future(ws.close(code=GOING_AWAY, message=b"server shutdown"))
            for ws in list(sockets)
            if not ws.closed
        ]
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=None if timeout is None else timeout())
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    app.on_response_prepare.append(track)
    app.on_shutdown.append(close_all)


def trusted_proxies(forwarded_allow_ips: list[str] | str) -> list[str]:
    """Our ``trusted_proxies`` from gunicorn's ``forwarded_allow_ips``.

    As in gunicorn, peers on a unix socket are always trusted (only local processes allowed by
    the socket's permissions can connect), and ``*`` trusts every address.
    """
    if isinstance(forwarded_allow_ips, str):
        forwarded_allow_ips = forwarded_allow_ips.split(",")
    addresses = [address.strip() for address in forwarded_allow_ips if address.strip()]
    if "*" in addresses:
        return ["0.0.0.0/0", "::/0", "unix"]
    return [*addresses, "unix"]


def _takes_no_arguments(func: Any) -> bool:
    try:
        inspect.signature(func).bind()
    except TypeError:
        return False
    except ValueError:  # pragma: no cover - builtins without a signature
        return False
    return True
