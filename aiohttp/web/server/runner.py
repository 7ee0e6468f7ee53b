"""Runners and sites: serve an application (or a low-level server) on sockets.

::

    runner = web.AppRunner(app)
    await runner.setup()                      # on_startup runs, the app freezes
    site = web.TCPSite(runner, "127.0.0.1", 8080)
    await site.start()
    ...
    await runner.cleanup()                    # graceful shutdown, then on_cleanup

``cleanup()`` shuts down gracefully, in this order:

1. every site stops listening, so new connections are refused;
2. idle keep-alive connections close at once; busy ones close after their response;
3. the application's ``on_shutdown`` signal runs (close WebSockets and other long-lived
   connections here);
4. in-flight handlers get up to ``shutdown_timeout`` seconds to finish; the rest are
   cancelled and their connections closed;
5. the application's ``on_cleanup`` signal (and ``cleanup_ctx`` exits) run.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import warnings
from abc import ABC, abstractmethod
from ssl import SSLContext
from typing import Any

from yarl import URL

from ..application import Application
from .access_log import AbstractAccessLogger, AccessLogger
from .lowlevel import Server

__all__ = [
    "AppRunner",
    "BaseRunner",
    "BaseSite",
    "GracefulExit",
    "ServerRunner",
    "SockSite",
    "TCPSite",
    "UnixSite",
]


async def _stop_accepting(server: asyncio.AbstractServer) -> None:
    """Stop accepting, then let connections accepted a moment ago attach to ``server``.

    asyncio's selector loop accepts a connection in one step and sets it up in the next; closing
    the server in between makes that set-up fail, and the connection (its request already sent)
    is dropped with a reset. Other loops set connections up as they accept them.
    """
    loop = asyncio.get_running_loop()
    if isinstance(server, asyncio.base_events.Server) and isinstance(
        loop, asyncio.selector_events.BaseSelectorEventLoop
    ):
        for sock in server.sockets:
            loop.remove_reader(sock)
        await asyncio.sleep(0)


class GracefulExit(SystemExit):
    """Raised by the signal handlers of a runner set up with ``handle_signals=True``."""

    code = 1


def _raise_graceful_exit() -> None:
    raise GracefulExit()


class BaseSite(ABC):
    """Where a runner listens.

    Args:
        runner: The set-up runner whose server this site serves.
        shutdown_timeout: Deprecated (any value but the default 60.0 warns); set it on the
            runner.
        ssl_context: Serve HTTPS with this context.
        backlog: The listen backlog.
    """

    def __init__(
        self,
        runner: BaseRunner,
        *,
        shutdown_timeout: float = 60.0,
        ssl_context: SSLContext | None = None,
        backlog: int = 128,
    ) -> None:
        if runner.server is None:
            raise RuntimeError("Call runner.setup() before making a site")
        if shutdown_timeout != 60.0:
            warnings.warn(
                "shutdown_timeout should be set on BaseRunner",
                DeprecationWarning,
                stacklevel=2,
            )
            runner._shutdown_timeout = shutdown_timeout
        self._runner = runner
        self._ssl_context = ssl_context
        self._backlog = backlog
        self._server: asyncio.Server | None = None

    @property
    @abstractmethod
    def name(self) -> str:
        """A URL-like name for printing."""

    async def start(self) -> None:
        """Start listening."""
        self._runner._reg_site(self)

    async def stop(self) -> None:
        """Stop listening (open connections are left to the runner's cleanup)."""
        self._runner._check_site(self)
        if self._server is not None:
            await _stop_accepting(self._server)
            self._server.close()
        self._runner._unreg_site(self)

    def _web_server(self) -> Server:
        server = self._runner.server
        assert server is not None
        return server


class TCPSite(BaseSite):
    """Listen on a TCP host and port (``0.0.0.0:8080`` by default; 8443 with TLS).

    Port ``0`` asks the system for a free port: :attr:`port` tells which once started.
    """

    def __init__(
        self,
        runner: BaseRunner,
        host: str | None = None,
        port: int | None = None,
        *,
        shutdown_timeout: float = 60.0,
        ssl_context: SSLContext | None = None,
        backlog: int = 128,
        reuse_address: bool | None = None,
        reuse_port: bool | None = None,
    ) -> None:
        super().__init__(
            runner, shutdown_timeout=shutdown_timeout, ssl_context=ssl_context, backlog=backlog
        )
        self._host = host
        if port is None:
            port = 8443 if ssl_context else 8080
        self._port = port
        self._bound_port: int | None = None
        self._reuse_address = reuse_address
        self._reuse_port = reuse_port

    @property
    def port(self) -> int:
        """The port listened on once started (the one the system chose for port ``0``),
        before that the port asked for."""
        return self._port if self._bound_port is None else self._bound_port

    @property
    def name(self) -> str:
        """``http://host:port``."""
        scheme = "https" if self._ssl_context else "http"
        host = "0.0.0.0" if not self._host else self._host
        return str(URL.build(scheme=scheme, host=host, port=self.port))

    async def start(self) -> None:
        """Start listening."""
        await super().start()
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._web_server(),
            self._host,
            self._port,
            ssl=self._ssl_context,
            backlog=self._backlog,
            reuse_address=self._reuse_address,
            reuse_port=self._reuse_port,
        )
        sockets = self._server.sockets
        self._bound_port = sockets[0].getsockname()[1] if sockets else self._port


class UnixSite(BaseSite):
    """Listen on a Unix domain socket at ``path``."""

    def __init__(
        self,
        runner: BaseRunner,
        path: str,
        *,
        shutdown_timeout: float = 60.0,
        ssl_context: SSLContext | None = None,
        backlog: int = 128,
    ) -> None:
        super().__init__(
            runner, shutdown_timeout=shutdown_timeout, ssl_context=ssl_context, backlog=backlog
        )
        self._path = path

    @property
    def name(self) -> str:
        """``http://unix:PATH:``."""
        scheme = "https" if self._ssl_context else "http"
        return f"{scheme}://unix:{self._path}:"

    async def start(self) -> None:
        """Start listening."""
        await super().start()
        loop = asyncio.get_running_loop()
        self._server = await loop.create_unix_server(
            self._web_server(), self._path, ssl=self._ssl_context, backlog=self._backlog
        )


class SockSite(BaseSite):
    """Serve on an already bound socket."""

    def __init__(
        self,
        runner: BaseRunner,
        sock: socket.socket,
        *,
        shutdown_timeout: float = 60.0,
        ssl_context: SSLContext | None = None,
        backlog: int = 128,
    ) -> None:
        super().__init__(
            runner, shutdown_timeout=shutdown_timeout, ssl_context=ssl_context, backlog=backlog
        )
        self._sock = sock
        scheme = "https" if ssl_context else "http"
        if hasattr(socket, "AF_UNIX") and sock.family == socket.AF_UNIX:
            self._name = f"{scheme}://unix:{sock.getsockname()}:"
        else:
            host, port = sock.getsockname()[:2]
            self._name = str(URL.build(scheme=scheme, host=host, port=port))

    @property
    def name(self) -> str:
        """The socket's address as a URL."""
        return self._name

    async def start(self) -> None:
        """Start serving."""
        await super().start()
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._web_server(), sock=self._sock, ssl=self._ssl_context, backlog=self._backlog
        )


class BaseRunner(ABC):
    """Owns a :class:`~aiohttp.web.Server` and its sites.

    Args:
        handle_signals: Turn SIGINT and SIGTERM into :class:`GracefulExit`.
        shutdown_timeout: Seconds in-flight handlers get at cleanup.
        **kwargs: :class:`~aiohttp.web.Server` settings.
    """

    def __init__(
        self, *, handle_signals: bool = False, shutdown_timeout: float = 60.0, **kwargs: Any
    ) -> None:
        self._handle_signals = handle_signals
        self._kwargs = kwargs
        self._server: Server | None = None
        self._sites: list[BaseSite] = []
        self._shutdown_timeout = shutdown_timeout

    @property
    def shutdown_timeout(self) -> float:
        """Seconds in-flight handlers get at :meth:`cleanup` (settable, e.g. to stop faster)."""
        return self._shutdown_timeout

    @shutdown_timeout.setter
    def shutdown_timeout(self, value: float) -> None:
        self._shutdown_timeout = value

    @property
    def server(self) -> Server | None:
        """The server, once :meth:`setup` ran."""
        return self._server

    @property
    def addresses(self) -> list[Any]:
        """The bound socket addresses of every site."""
        ret: list[Any] = []
        for site in self._sites:
            server = site._server
            if server is not None:
                for sock in server.sockets or ():
                    ret.append(sock.getsockname())
        return ret

    @property
    def sites(self) -> set[BaseSite]:
        """The registered sites."""
        return set(self._sites)

    async def setup(self) -> None:
        """Make the server (and install signal handlers when asked)."""
        loop = asyncio.get_running_loop()
        if self._handle_signals:
            try:
                loop.add_signal_handler(signal.SIGINT, _raise_graceful_exit)
                loop.add_signal_handler(signal.SIGTERM, _raise_graceful_exit)
            except NotImplementedError:  # pragma: no cover - not on this platform
                pass
        self._server = await self._make_server()

    @abstractmethod
    async def shutdown(self) -> None:
        """Application-level shutdown (``on_shutdown``)."""

    async def cleanup(self) -> None:
        """Shut down gracefully (see the module doc) and release everything."""
        for site in list(self._sites):
            await site.stop()
        server = self._server
        if server is not None:
            await asyncio.sleep(0)  # let connections accepted before the stop start
            server.pre_shutdown()
            await self.shutdown()
            await server.shutdown(self._shutdown_timeout)
        await self._cleanup_server()
        self._server = None
        if self._handle_signals:
            loop = asyncio.get_running_loop()
            try:
                loop.remove_signal_handler(signal.SIGINT)
                loop.remove_signal_handler(signal.SIGTERM)
            except NotImplementedError:  # pragma: no cover - not on this platform
                pass

    @abstractmethod
    async def _make_server(self) -> Server: ...

    @abstractmethod
    async def _cleanup_server(self) -> None: ...

    def _reg_site(self, site: BaseSite) -> None:
        if site in self._sites:
            raise RuntimeError(f"Site {site} is already registered in runner {self}")
        self._sites.append(site)

    def _check_site(self, site: BaseSite) -> None:
        if site not in self._sites:
            raise RuntimeError(f"Site {site} is not registered in runner {self}")

    def _unreg_site(self, site: BaseSite) -> None:
        if site not in self._sites:
            raise RuntimeError(f"Site {site} is not registered in runner {self}")
        self._sites.remove(site)


class ServerRunner(BaseRunner):
    """Runs a low-level :class:`~aiohttp.web.Server`."""

    def __init__(self, web_server: Server, *, handle_signals: bool = False, **kwargs: Any) -> None:
        super().__init__(handle_signals=handle_signals, **kwargs)
        self._web_server = web_server

    async def shutdown(self) -> None:
        """Nothing to do for a bare server."""

    async def _make_server(self) -> Server:
        return self._web_server

    async def _cleanup_server(self) -> None:
        pass


class AppRunner(BaseRunner):
    """Runs an :class:`~aiohttp.web.Application`.

    Args:
        app: The application.
        handle_signals: Turn SIGINT and SIGTERM into :class:`GracefulExit`.
        access_log_class: The access logger class.
        **kwargs: :class:`~aiohttp.web.Server` settings and ``shutdown_timeout``.
    """

    def __init__(
        self,
        app: Application,
        *,
        handle_signals: bool = False,
        access_log_class: type[AbstractAccessLogger] = AccessLogger,
        **kwargs: Any,
    ) -> None:
        if not isinstance(app, Application):
            raise TypeError(f"The first argument should be web.Application instance, got {app!r}")
        kwargs["access_log_class"] = access_log_class
        super().__init__(handle_signals=handle_signals, **kwargs)
        self._app = app

    @property
    def app(self) -> Application:
        """The application."""
        return self._app

    async def shutdown(self) -> None:
        """Run the application's ``on_shutdown`` signal."""
        await self._app.shutdown()

    async def _make_server(self) -> Server:
        loop = asyncio.get_running_loop()
        self._app._set_loop(loop)
        self._app.on_startup.freeze()
        await self._app.startup()
        self._app.freeze()
        return self._app._make_handler(loop=loop, **self._kwargs)

    async def _cleanup_server(self) -> None:
        await self._app.cleanup()
