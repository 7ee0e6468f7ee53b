"""The real gunicorn with 2 workers of each aiohttp worker class, on loopback.

``Gunicorn`` (also used by the other ``test_deploy_*`` modules) starts
``python -m gunicorn`` on a generated application module, waits until every worker serves, and
always stops the master and its workers again.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
import trustme
from gunicorn.arbiter import Arbiter
from gunicorn.config import KNOWN_SETTINGS
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect

ROOT = Path(__file__).resolve().parents[2]
# Newer gunicorns open a control socket under $HOME, shared by every master: keep ours off it.
CONTROL_SOCKET_OFF = [
    setting.cli[0] for setting in KNOWN_SETTINGS if setting.name == "control_socket_disable"
]
START_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0

AIOHTTP_APP = textwrap.dedent(
    """
    import asyncio
    import os

    from aiohttp import web


    async def pid(request):
        return web.Response(text=str(os.getpid()))


    async def slow(request):
        with open("slow-started.log", "a") as started:  # the test waits for these lines
            started.write(f"{os.getpid()}\\n")
        await asyncio.sleep(float(request.query.get("delay", "1")))
        return web.Response(text=f"done {os.getpid()}")


    async def echo(request):
        response = web.StreamResponse()
        await response.prepare(request)
        async for chunk in request.content.iter_chunked(65536):
            await response.write(chunk)
        await response.write_eof()
        return response


    async def whoami(request):
        return web.json_response(
            {"remote": request.remote, "scheme": request.scheme, "host": request.host}
        )


    async def ws_echo(request):
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for msg in ws:
            if msg.type == web.WSMsgType.TEXT:
                await ws.send_str(f"{os.getpid()}:{msg.data}")
        return ws


    async def make_app():
        app = web.Application()
        app.router.add_get("/", pid)
        app.router.add_get("/slow", slow)
        app.router.add_post("/echo", echo)
        app.router.add_get("/whoami", whoami)
        app.router.add_get("/ws", ws_echo)
        return app
    """
)


class Gunicorn:
    """One gunicorn master with its workers, serving ``app`` from ``workdir``.

    Args:
        workdir: Where the application module lives; logs go there too.
        app: gunicorn's ``module:name``.
        worker_class: The ``--worker-class``.
        workers: How many workers.
        bind: ``--bind`` addresses; ``127.0.0.1:0`` picks a free port.
        args: More command-line arguments.
        systemd_socket: A listening socket handed over as systemd's socket activation does
            (fd 3, ``LISTEN_FDS=1``, ``LISTEN_PID`` = gunicorn's pid); no ``--bind`` then.
    """

    def __init__(
        self,
        workdir: Path,
        app: str,
        worker_class: str,
        *,
        workers: int = 2,
        bind: Sequence[str] = ("127.0.0.1:0",),
        args: Sequence[str] = (),
        systemd_socket: socket.socket | None = None,
    ) -> None:
        self.workdir = workdir
        self.app = app
        self.worker_class = worker_class
        self.workers = workers
        self.bind = list(bind)
        self.args = list(args)
        self.systemd_socket = systemd_socket
        self.error_log = workdir / "gunicorn-error.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def command(self) -> list[str]:
        binds = [arg for address in self.bind for arg in ("--bind", address)]
        if self.systemd_socket is not None:
            binds = []
        return [
            sys.executable,
            "-m",
            "gunicorn",
            self.app,
            "--chdir",
            str(self.workdir),
            "--worker-class",
            self.worker_class,
            "--workers",
            str(self.workers),
            *binds,
            "--graceful-timeout",
            "10",
            "--error-logfile",
            str(self.error_log),
            "--log-level",
            "debug",
            *self.args,
            *CONTROL_SOCKET_OFF,
        ]

    def start(self) -> None:
        self.error_log.unlink(missing_ok=True)  # readiness is read from this run's log only
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        command = self.command()
        pass_fds: tuple[int, ...] = ()
        if self.systemd_socket is not None:
            # The shell moves the socket to fd 3 and becomes gunicorn (same pid, so LISTEN_PID
            # matches), as systemd does for a socket-activated service.
            fd = self.systemd_socket.fileno()
            pass_fds = (fd,)
            command = [
                "bash",  # dash cannot redirect file descriptors above 9
                "-c",
                f'exec 3<&{fd} {fd}<&-; LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"',
                "bash",
                *command,
            ]
        with (self.workdir / "gunicorn-stdout.log").open("wb") as output:
            self.process = subprocess.Popen(
                command,
                cwd=self.workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                pass_fds=pass_fds,
            )
        self.wait_for_workers(self.workers)

    def log(self) -> str:
        try:
            return self.error_log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def ready_pids(self) -> list[int]:
        """Workers that started serving, in order."""
        return [int(pid) for pid in re.findall(r"aiohttp worker (\d+) serving", self.log())]

    def wait_for_workers(self, count: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log()}")
            if len(self.ready_pids()) >= count:
                match = re.search(r"Listening at: https?://127\.0\.0\.1:(\d+)", self.log())
                if match:
                    self.port = int(match.group(1))
                return
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn workers did not start in {START_TIMEOUT} s:\n{self.log()}")

    def signal(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    def wait(self, timeout: float = STOP_TIMEOUT) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """Stop gracefully, kill after a bounded wait, and make sure no worker survives."""
        process = self.process
        if process is None:
            return
        try:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=STOP_TIMEOUT)
        finally:
            for pid in re.findall(r"Booting worker with pid: (\d+)", self.log()):
                _kill_if_alive(int(pid), str(self.workdir))

    def __enter__(self) -> Gunicorn:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _kill_if_alive(pid: int, marker: str) -> None:
    """Kill ``pid`` if it still is one of our workers (its command line names our workdir)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return  # gone
    if marker in cmdline:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def get(
    port: int, path: str, *, headers: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, bytes]:
    """One request on a fresh connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Connection": "close", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def aiohttp_app_dir(tmp_path: Path) -> Path:
    (tmp_path / "deployed_app.py").write_text(AIOHTTP_APP, encoding="utf-8")
    return tmp_path


WEB_WORKERS = ["aiohttp.worker.GunicornWebWorker", "aiohttp.worker.GunicornUVLoopWebWorker"]


@pytest.mark.parametrize("worker_class", [*WEB_WORKERS, "aiohttp.GunicornWebWorker"])
def test_two_workers_serve_the_application(aiohttp_app_dir: Path, worker_class: str) -> None:
    with Gunicorn(aiohttp_app_dir, "deployed_app:make_app", worker_class) as server:
        pids = server.ready_pids()
        assert len(set(pids)) == 2
        for _ in range(10):
            status, body = get(server.port, "/")
            assert status == 200
            assert int(body) in pids


def wait_until_started(workdir: Path, count: int, timeout: float = 20) -> None:
    """Wait until ``count`` slow requests are in their handlers (each notes it in a file)."""
    log = workdir / "slow-started.log"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and len(log.read_text().splitlines()) >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"fewer than {count} slow requests started within {timeout} s")


def _fire(port: int, paths: list[str]) -> list[concurrent.futures.Future[tuple[int, bytes]]]:
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=len(paths))
    futures = [pool.submit(get, port, path) for path in paths]
    pool.shutdown(wait=False)
    return futures


@pytest.mark.parametrize("worker_class", WEB_WORKERS)
def test_sigterm_lets_in_flight_requests_finish(aiohttp_app_dir: Path, worker_class: str) -> None:
    with Gunicorn(aiohttp_app_dir, "deployed_app:make_app", worker_class) as server:
        in_flight = _fire(server.port, ["/slow?delay=2"] * 6)
        wait_until_started(aiohttp_app_dir, 6)
        server.signal(signal.SIGTERM)
        results = [future.result(timeout=30) for future in in_flight]
        assert server.wait() == 0
    assert [status for status, _ in results] == [200] * 6
    assert all(body.startswith(b"done ") for _, body in results)


def test_sigquit_stops_fast(aiohttp_app_dir: Path) -> None:
    with Gunicorn(aiohttp_app_dir, "deployed_app:make_app", WEB_WORKERS[0], workers=1) as server:
        in_flight = _fire(server.port, ["/slow?delay=30"])
        time.sleep(0.5)
        started = time.monotonic()
        server.signal(signal.SIGQUIT)
        server.wait(timeout=15)
        assert time.monotonic() - started < 10
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            in_flight[0].result(timeout=15)


def recycle_under_load(server: Gunicorn, port: int, *, restarts: int) -> list[int]:
    """Send requests one after another until ``restarts`` new workers served; the statuses."""
    statuses: list[int] = []
    deadline = time.monotonic() + 30
    while len(server.ready_pids()) < 2 + restarts and time.monotonic() < deadline:
        statuses.append(get(port, "/")[0])
    assert len(server.ready_pids()) >= 2 + restarts, server.log()
    return statuses


def test_max_requests_recycles_workers_without_dropping_a_request(
    aiohttp_app_dir: Path,
) -> None:
    args = ["--max-requests", "5", "--max-requests-jitter", "3"]
    with Gunicorn(aiohttp_app_dir, "deployed_app:make_app", WEB_WORKERS[0], args=args) as server:
        statuses = recycle_under_load(server, server.port, restarts=3)
        assert set(statuses) == {200}
        assert "Max requests, shutting down" in server.log()


def test_a_long_request_does_not_trip_the_worker_timeout(aiohttp_app_dir: Path) -> None:
    with Gunicorn(
        aiohttp_app_dir, "deployed_app:make_app", WEB_WORKERS[0], args=["--timeout", "2"]
    ) as server:
        status, body = get(server.port, "/slow?delay=5")
        assert status == 200
        assert body.startswith(b"done ")
        assert "WORKER TIMEOUT" not in server.log()


def test_serves_on_a_unix_socket(aiohttp_app_dir: Path) -> None:
    path = aiohttp_app_dir / "app.sock"
    server = Gunicorn(
        aiohttp_app_dir, "deployed_app:make_app", WEB_WORKERS[0], bind=[f"unix:{path}"]
    )
    with server, socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(10)
        sock.connect(str(path))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 200
        assert int(response.read()) in server.ready_pids()
        response.close()


def test_tls_from_gunicorn_settings(aiohttp_app_dir: Path) -> None:
    authority = trustme.CA()
    cert = authority.issue_cert("127.0.0.1")
    cert.private_key_and_cert_chain_pem.write_to_path(str(aiohttp_app_dir / "server.pem"))
    args = ["--certfile", "server.pem", "--keyfile", "server.pem"]
    with Gunicorn(aiohttp_app_dir, "deployed_app:make_app", WEB_WORKERS[0], args=args) as server:
        context = ssl.create_default_context()
        authority.configure_trust(context)
        connection = http.client.HTTPSConnection(
            "127.0.0.1", server.port, context=context, timeout=10
        )
        try:
            connection.request("GET", "/whoami")
            response = connection.getresponse()
            assert response.status == 200
            assert b'"scheme": "https"' in response.read()
        finally:
            connection.close()


def test_gunicorn_access_log_format_is_honoured(aiohttp_app_dir: Path) -> None:
    access_log = aiohttp_app_dir / "access.log"
    args = [
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        'ip=%(h)s line="%(r)s" status=%(s)s trace=%({x-trace}i)s',
    ]
    with Gunicorn(aiohttp_app_dir, "deployed_app:make_app", WEB_WORKERS[0], args=args) as server:
        assert get(server.port, "/?q=1", headers={"X-Trace": "abc"})[0] == 200
        deadline = time.monotonic() + 5
        while "trace=abc" not in access_log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
    line = access_log.read_text().strip().splitlines()[-1]
    assert line == 'ip=127.0.0.1 line="GET /?q=1 HTTP/1.1" status=200 trace=abc'


@pytest.mark.parametrize("worker_class", WEB_WORKERS)
def test_sigterm_closes_open_websockets_with_1001(aiohttp_app_dir: Path, worker_class: str) -> None:
    url_path = "/ws"
    server = Gunicorn(aiohttp_app_dir, "deployed_app:make_app", worker_class)
    with server, contextlib.ExitStack() as stack:
        url = f"ws://127.0.0.1:{server.port}{url_path}"
        sockets = [stack.enter_context(ws_connect(url, open_timeout=10)) for _ in range(4)]
        for ws in sockets:
            ws.send("hi")
            assert str(ws.recv(timeout=10)).endswith(":hi")
        started = time.monotonic()
        server.signal(signal.SIGTERM)
        for ws in sockets:
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 1001
        assert server.wait() == 0
        # Well inside graceful_timeout: nobody waited for the WebSockets to time out.
        assert time.monotonic() - started < 5


def test_a_target_that_is_not_an_application_stops_gunicorn(aiohttp_app_dir: Path) -> None:
    (aiohttp_app_dir / "not_aiohttp.py").write_text(
        "def application(environ, start_response):\n    return []\n", encoding="utf-8"
    )
    # One worker: when two fail at once, gunicorn 27's halt may re-raise its HaltServer and
    # exit with 1 instead of its boot-error status.
    server = Gunicorn(aiohttp_app_dir, "not_aiohttp:application", WEB_WORKERS[0], workers=1)
    with pytest.raises(RuntimeError, match="gunicorn exited"):
        server.start()
    try:
        # gunicorn halts ("Worker failed to boot") instead of restarting workers forever.
        assert server.wait() == Arbiter.WORKER_BOOT_ERROR
        assert "aiohttp.worker.AsyncGunicornWorker" in server.log()  # the hint in the error
    finally:
        server.stop()


def test_serves_on_a_socket_from_systemd_socket_activation(aiohttp_app_dir: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        server = Gunicorn(
            aiohttp_app_dir, "deployed_app:make_app", WEB_WORKERS[0], systemd_socket=listener
        )
        with server:
            pids = server.ready_pids()
            for _ in range(4):
                status, body = get(port, "/")
                assert status == 200
                assert int(body) in pids


def test_a_fast_stop_does_not_wait_for_a_silent_websocket_client(aiohttp_app_dir: Path) -> None:
    server = Gunicorn(aiohttp_app_dir, "deployed_app:make_app", WEB_WORKERS[0], workers=1)
    with server, socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        assert sock.recv(4096).startswith(b"HTTP/1.1 101 ")
        # This client never answers the server's Close frame (WebSocketResponse waits 10 s).
        started = time.monotonic()
        server.signal(signal.SIGQUIT)
        server.wait(timeout=15)
        assert time.monotonic() - started < 6
