"""The gunicorn workers, driven in-process with gunicorn's real Config and Logger."""

from __future__ import annotations

import asyncio
import os
import signal
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from gunicorn.config import Config
from gunicorn.glogging import Logger

from aiohttp import web
from aiohttp.worker import (
    AsyncGunicornWorker,
    AsyncNoStreamGunicornWorker,
    GunicornUVLoopWebWorker,
    GunicornWebWorker,
    translate_access_log_format,
    trusted_proxies,
)
from aiohttp.wsgi import WSGIHandler

# -- access log format ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gunicorn_format", "ours"),
    [
        pytest.param(
            '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"',
            web.AccessLogger.LOG_FORMAT,
            id="gunicorn-default-is-ours",
        ),
        pytest.param("%(h)s %(s)s", "%a %s", id="address-status"),
        pytest.param("%(t)s %(r)s %(B)s", "%t %r %b", id="time-line-bytes"),
        pytest.param("%(T)s %(D)s %(L)s %(p)s", "%T %D %Tf %P", id="durations-pid"),
        pytest.param('"%(f)s" "%(a)s"', '"%{Referer}i" "%{User-Agent}i"', id="referer-agent"),
        pytest.param("%({x-request-id}i)s", "%{x-request-id}i", id="request-field"),
        pytest.param("%({content-type}o)s", "%{content-type}o", id="response-field"),
        pytest.param("%(l)s %(u)s", "- -", id="clf-placeholders"),
        pytest.param("100%% %(s)s", "100% %s", id="literal-percent"),
        pytest.param('%a "%r" %s %Tf', '%a "%r" %s %Tf', id="aiohttp-syntax-passes"),
    ],
)
def test_gunicorn_access_log_atoms_become_ours(gunicorn_format: str, ours: str) -> None:
    assert translate_access_log_format(gunicorn_format) == ours


@pytest.mark.parametrize("atom", ["m", "U", "q", "H", "M", "{HOME}e"])
def test_an_atom_without_counterpart_is_refused_by_name(atom: str) -> None:
    with pytest.raises(ValueError, match=rf"%\({atom}\)s"):
        translate_access_log_format(f"%(h)s %({atom})s")


# -- a worker built in-process ----------------------------------------------------------------


class LoadedApp:
    """What gunicorn hands a worker: an object whose ``wsgi()`` returns the loaded target."""

    def __init__(self, target: object) -> None:
        self.target = target

    def wsgi(self) -> object:
        return self.target


MakeWorker = Callable[..., GunicornWebWorker]


@pytest.fixture
def make_worker() -> Iterator[MakeWorker]:
    """Build workers as gunicorn's arbiter does (before the fork); close their heartbeat files."""
    made: list[GunicornWebWorker] = []

    def make(
        target: object, cls: type[GunicornWebWorker] = GunicornWebWorker, **settings: Any
    ) -> GunicornWebWorker:
        cfg = Config()
        for name, value in settings.items():
            cfg.set(name, value)
        worker = cls(0, os.getppid(), [], LoadedApp(target), cfg.timeout, cfg, Logger(cfg))
        worker.wsgi = target
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.tmp.close()


@pytest.fixture
def app() -> web.Application:
    return web.Application()


async def test_loads_an_application(make_worker: MakeWorker, app: web.Application) -> None:
    assert await make_worker(app).load_application() is app


async def test_loads_from_a_factory(make_worker: MakeWorker, app: web.Application) -> None:
    assert await make_worker(lambda: app).load_application() is app


async def test_loads_from_a_coroutine_function(
    make_worker: MakeWorker, app: web.Application
) -> None:
    async def make_app() -> web.Application:
        return app

    assert await make_worker(make_app).load_application() is app


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(lambda environ, start_response: [], id="wsgi-callable"),
        pytest.param(lambda: "not an app", id="factory-of-something-else"),
        pytest.param(42, id="not-callable"),
    ],
)
async def test_refuses_what_is_not_an_application(make_worker: MakeWorker, target: object) -> None:
    # 3.x's type and words first (gunicorn logs them), then where a WSGI application goes.
    words = r"^wsgi app should be either Application or async function returning Application, got "
    with pytest.raises(RuntimeError, match=words + r".*aiohttp\.worker\.AsyncGunicornWorker"):
        await make_worker(target).load_application()


@pytest.mark.parametrize(
    ("cls", "readpayload"),
    [(AsyncGunicornWorker, False), (AsyncNoStreamGunicornWorker, True)],
)
async def test_wsgi_workers_mount_the_application_on_a_catch_all_route(
    make_worker: MakeWorker, cls: type[GunicornWebWorker], readpayload: bool
) -> None:
    def wsgi_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        return []

    worker = make_worker(wsgi_app, cls, workers=2)
    app = await worker.load_application()
    handlers = [route.handler for route in app.router.routes()]
    assert len(handlers) == 1
    handler = handlers[0].__self__  # type: ignore[attr-defined]
    assert isinstance(handler, WSGIHandler)
    assert handler.app is wsgi_app
    assert handler.readpayload is readpayload
    assert handler.multiprocess is True


# -- the watch loop ---------------------------------------------------------------------------


class CountingServer:
    def __init__(self) -> None:
        self.requests_count = 0


class FakeRunner:
    """The part of AppRunner the watch loop reads."""

    def __init__(self) -> None:
        self.server = CountingServer()
        self.shutdown_timeout = 60.0


@pytest.fixture
def loop_worker(app: web.Application, make_worker: MakeWorker) -> GunicornWebWorker:
    worker = make_worker(app, max_requests=3)
    worker._wakeup = asyncio.Event()
    return worker


async def test_max_requests_stops_the_worker(loop_worker: GunicornWebWorker) -> None:
    runner = FakeRunner()
    watch = asyncio.ensure_future(loop_worker._watch(runner))  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    assert not watch.done()
    runner.server.requests_count = loop_worker.max_requests
    loop_worker._wake()
    await asyncio.wait_for(watch, 5)
    assert loop_worker.alive is False


def test_max_requests_jitter_is_added(make_worker: MakeWorker) -> None:
    worker = make_worker(None, max_requests=100, max_requests_jitter=50)
    assert 100 <= worker.max_requests <= 150
    assert make_worker(None).max_requests > 10**9  # no limit by default


async def test_sigterm_stops_the_watch_loop_promptly(loop_worker: GunicornWebWorker) -> None:
    watch = asyncio.ensure_future(loop_worker._watch(FakeRunner()))  # type: ignore[arg-type]
    await asyncio.sleep(0.05)
    loop_worker.handle_exit(signal.SIGTERM, None)
    await asyncio.wait_for(watch, 0.5)  # well before the next one-second tick
    assert loop_worker.alive is False


async def test_sigquit_shortens_the_graceful_shutdown(loop_worker: GunicornWebWorker) -> None:
    runner = FakeRunner()
    loop_worker._runner = runner  # type: ignore[assignment]
    loop_worker.handle_quit(signal.SIGQUIT, None)
    assert loop_worker.alive is False
    assert runner.shutdown_timeout == 1.0


async def test_an_orphaned_worker_stops(loop_worker: GunicornWebWorker) -> None:
    loop_worker.ppid = -1
    await asyncio.wait_for(loop_worker._watch(FakeRunner()), 5)  # type: ignore[arg-type]
    assert loop_worker.alive is False


async def test_the_heartbeat_touches_gunicorn_s_file(loop_worker: GunicornWebWorker) -> None:
    os.utime(loop_worker.tmp.fileno(), (0, 0))
    assert loop_worker.tmp.last_update() == 0
    beat = asyncio.ensure_future(loop_worker._heartbeat())
    try:
        await asyncio.sleep(0.05)
        assert loop_worker.tmp.last_update() > 0
    finally:
        beat.cancel()
        await asyncio.gather(beat, return_exceptions=True)


# -- settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("forwarded_allow_ips", "trusted"),
    [
        pytest.param(["127.0.0.1", "::1"], ["127.0.0.1", "::1", "unix"], id="gunicorn-default"),
        pytest.param("10.0.0.1, 10.1.0.0/16", ["10.0.0.1", "10.1.0.0/16", "unix"], id="string"),
        pytest.param(["*"], ["0.0.0.0/0", "::/0", "unix"], id="everyone"),
        pytest.param([], ["unix"], id="only-unix-sockets"),
    ],
)
def test_forwarded_allow_ips_become_trusted_proxies(
    forwarded_allow_ips: Any, trusted: list[str]
) -> None:
    assert trusted_proxies(forwarded_allow_ips) == trusted


async def test_a_coroutine_function_may_return_its_own_runner(
    make_worker: MakeWorker, app: web.Application
) -> None:
    """As 3.x: ``async def make() -> web.AppRunner``; the worker serves with that runner."""
    runner = web.AppRunner(app, keepalive_timeout=3, shutdown_timeout=4)

    async def make() -> web.AppRunner:
        return runner

    worker = make_worker(make)
    assert await worker.load_application() is app
    assert worker.make_runner(app) is runner


async def test_the_server_gets_gunicorn_s_settings(
    make_worker: MakeWorker, app: web.Application
) -> None:
    worker = make_worker(app, keepalive=7, graceful_timeout=20, forwarded_allow_ips="10.0.0.1")
    runner = worker.make_runner(app)
    assert runner.shutdown_timeout == 19.0
    await runner.setup()
    try:
        assert runner.server is not None
        config = runner.server.config
        assert config.keepalive_timeout == 7
        assert config.access_logger is None  # gunicorn's accesslog is off by default
        assert config.logger is worker.log.error_log
        proxies = config.trusted_proxies
        assert proxies is not None
        assert proxies.trusts("10.0.0.1")
        assert proxies.trusts("")  # a unix-socket peer
        assert not proxies.trusts("10.0.0.2")
    finally:
        await runner.cleanup()


def test_tls_context_from_gunicorn_settings(make_worker: MakeWorker, tmp_path: Path) -> None:
    authority = trustme.CA()
    cert = authority.issue_cert("localhost")
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.cert_chain_pems[0].write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    worker = make_worker(None, certfile=str(certfile), keyfile=str(keyfile))
    assert worker.cfg.is_ssl
    context = worker.create_ssl_context()
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_NONE  # gunicorn's default cert_reqs


def test_the_uvloop_worker_runs_on_uvloop(make_worker: MakeWorker) -> None:
    import uvloop

    loop = make_worker(None, GunicornUVLoopWebWorker).new_event_loop()
    try:
        assert isinstance(loop, uvloop.Loop)
    finally:
        loop.close()


# -- the whole worker lifecycle, in this process ---------------------------------------------


@pytest.fixture
def restore_signals() -> Iterator[None]:
    saved = {signum: signal.getsignal(signum) for signum in GunicornWebWorker.SIGNALS}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


class StopsItself(GunicornWebWorker):
    """A worker whose loop sends this process a signal once it runs."""

    stop_signal = signal.SIGTERM

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        loop = super().new_event_loop()
        loop.call_later(0.3, os.kill, os.getpid(), self.stop_signal)
        return loop


class QuitsItself(StopsItself):
    stop_signal = signal.SIGQUIT


@pytest.mark.usefixtures("restore_signals")
@pytest.mark.parametrize("cls", [StopsItself, QuitsItself])
def test_the_worker_runs_the_application_until_signalled(
    make_worker: MakeWorker, cls: type[GunicornWebWorker]
) -> None:
    events: list[str] = []
    app = web.Application()

    async def on_startup(app: web.Application) -> None:
        events.append("startup")

    async def on_cleanup(app: web.Application) -> None:
        events.append("cleanup")

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
    worker = make_worker(app, cls, graceful_timeout=5)
    try:
        with pytest.raises(SystemExit) as exited:
            worker.init_process()
    finally:
        for fd in worker.PIPE:
            os.close(fd)
    assert exited.value.code == 0
    assert worker.booted
    assert events == ["startup", "cleanup"]
    assert worker.alive is False
    assert worker.loop is not None
    assert worker.loop.is_closed()
    assert app.frozen
    expected_timeout = 1.0 if cls is QuitsItself else 5 * 0.95
    assert worker._runner is not None
    assert worker._runner.shutdown_timeout == expected_timeout


@pytest.mark.usefixtures("restore_signals")
def test_a_startup_failure_leaves_the_worker_not_booted(make_worker: MakeWorker) -> None:
    app = web.Application()

    async def broken(app: web.Application) -> None:
        raise RuntimeError("no database")

    app.on_startup.append(broken)
    worker = make_worker(app)
    try:
        with pytest.raises(RuntimeError, match="no database"):
            worker.init_process()  # gunicorn sets booted before run(); run() takes it back
    finally:
        for fd in worker.PIPE:
            os.close(fd)
    assert worker.booted is False
