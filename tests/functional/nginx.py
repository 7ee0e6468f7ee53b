"""Run the system nginx on loopback with a generated configuration, for functional tests.

``Nginx`` writes a configuration into a temporary directory (error log, access log, pid file
and every temporary path live there, so nothing outside it is touched), starts
``nginx -p <dir> -c <dir>/nginx.conf -g 'daemon off;'`` as a child process on a free
unprivileged port of 127.0.0.1, waits until the port accepts connections (bounded in time) and
always stops the process again::

    nginx = Nginx()
    nginx.add_static("/static/", tmp_path)
    nginx.add_proxy("/", ["127.0.0.1:8080", "unix:/run/app.sock"])
    with nginx:
        urllib.request.urlopen(nginx.url("/static/a.txt"))

Locations are added before the server starts. A proxy location speaks HTTP/1.1 to its upstreams
with keep-alive, passes WebSocket upgrades through (``Upgrade``/``Connection``), and sets
``Host``, ``X-Forwarded-For``, ``X-Forwarded-Proto``, ``X-Forwarded-Host`` and an RFC 7239
``Forwarded`` header that replaces whatever the client sent.

The ``nginx_factory`` fixture hands out started servers and stops them all at teardown; import
it into a test module (or a ``conftest.py``) to use it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pytest

NGINX_BINARY = "/usr/sbin/nginx"
STARTUP_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
# Attempts at finding a free port: another process may take the one we probed before nginx binds.
PORT_ATTEMPTS = 5


def nginx_available() -> bool:
    """Whether the nginx binary is installed and executable."""
    return os.access(NGINX_BINARY, os.X_OK)


def free_port() -> int:
    """A port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class _Static:
    prefix: str
    root: Path

    def render(self) -> str:
        return f"        location {self.prefix} {{\n            alias {self.root}/;\n        }}\n"


@dataclass
class _Proxy:
    prefix: str
    name: str
    upstreams: list[str]
    extra: str = ""

    def render_upstream(self) -> str:
        servers = "".join(f"        server {address};\n" for address in self.upstreams)
        return f"    upstream {self.name} {{\n{servers}        keepalive 128;\n    }}\n"

    def render(self) -> str:
        return (
            f"        location {self.prefix} {{\n"
            f"            proxy_pass http://{self.name};\n"
            "            proxy_http_version 1.1;\n"
            "            proxy_set_header Upgrade $http_upgrade;\n"
            "            proxy_set_header Connection $connection_upgrade;\n"
            "            proxy_set_header Host $http_host;\n"
            "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
            "            proxy_set_header X-Forwarded-Proto $scheme;\n"
            "            proxy_set_header X-Forwarded-Host $host;\n"
            '            proxy_set_header Forwarded "for=$forwarded_node;proto=$scheme;'
            'host=\\"$http_host\\"";\n'
            "            proxy_read_timeout 60s;\n"
            "            proxy_request_buffering off;\n"
            "            proxy_buffering off;\n"
            f"{self.extra}"
            "        }\n"
        )


@dataclass
class Nginx:
    """One nginx process serving 127.0.0.1:``port`` from a configuration it writes itself.

    Args:
        workdir: Directory for the configuration, logs and temporary files; a fresh temporary
            directory (removed at stop) when ``None``.
        extra_http: Raw configuration text added inside the ``http`` block.
        extra_server: Raw configuration text added inside the ``server`` block.
        startup_timeout: Seconds to wait for the port to accept connections.
    """

    workdir: Path | None = None
    extra_http: str = ""
    extra_server: str = ""
    startup_timeout: float = STARTUP_TIMEOUT
    port: int = 0
    _statics: list[_Static] = field(default_factory=list)
    _proxies: list[_Proxy] = field(default_factory=list)
    _process: subprocess.Popen[bytes] | None = None
    _owns_workdir: bool = False

    def add_static(self, prefix: str, root: Path | str) -> None:
        """Serve the files under ``root`` at URL paths starting with ``prefix``."""
        self._statics.append(_Static(_prefix(prefix), Path(root).resolve()))

    def add_proxy(self, prefix: str, upstreams: str | Sequence[str], *, extra: str = "") -> None:
        """Reverse-proxy URL paths starting with ``prefix`` to the given upstreams.

        Args:
            prefix: The location prefix, e.g. ``"/"`` or ``"/app/"``.
            upstreams: ``"host:port"`` or ``"unix:/path/to.sock"`` addresses, balanced round-robin.
            extra: Raw configuration lines added inside the location block.
        """
        addresses = [upstreams] if isinstance(upstreams, str) else list(upstreams)
        if not addresses:
            raise ValueError("a proxy location needs at least one upstream")
        name = f"upstream{len(self._proxies)}"
        self._proxies.append(_Proxy(_prefix(prefix), name, addresses, extra))

    # -- lifecycle ---------------------------------------------------------------------------

    def is_running(self) -> bool:
        """Whether the nginx process is alive."""
        return self._process is not None and self._process.poll() is None

    def url(self, path: str = "/") -> str:
        """The ``http://127.0.0.1:port`` URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def error_log(self) -> Path:
        """The error log file (read it when a test needs to know why nginx refused something)."""
        return self._dir / "error.log"

    @property
    def access_log(self) -> Path:
        """The access log file."""
        return self._dir / "access.log"

    @property
    def _dir(self) -> Path:
        if self.workdir is None:
            raise RuntimeError("nginx has not been started")
        return self.workdir

    def start(self) -> None:
        """Write the configuration, start nginx and wait until it accepts connections."""
        if self._process is not None:
            raise RuntimeError("nginx is already started")
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="nginx-"))
            self._owns_workdir = True
        last_error = ""
        for _attempt in range(PORT_ATTEMPTS):
            self.port = free_port()
            self._write_config()
            last_error = self._launch()
            if not last_error:
                return
            if "Address already in use" not in last_error:
                break
        self._cleanup_dir()
        raise RuntimeError(f"nginx did not start:\n{last_error}")

    def stop(self) -> None:
        """Stop nginx (``SIGTERM``, ``SIGKILL`` after a bounded wait); remove its temp dir."""
        process, self._process = self._process, None
        if process is not None:
            _terminate(process)
        self._cleanup_dir()

    def __enter__(self) -> Nginx:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- internals ---------------------------------------------------------------------------

    def _launch(self) -> str:
        """Start the process and wait for readiness; the error log text on failure, else ''."""
        conf = self._dir / "nginx.conf"
        command = [NGINX_BINARY, "-p", f"{self._dir}/", "-c", str(conf), "-e", str(self.error_log)]
        stderr_path = self._dir / "stderr.log"
        with stderr_path.open("wb") as stderr:
            process = subprocess.Popen(
                [*command, "-g", "daemon off;"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                text = stderr_path.read_text(errors="replace") + self._read_error_log()
                return text or "nginx exited"
            if _accepts(self.port):
                self._process = process
                return ""
            time.sleep(0.02)
        _terminate(process)
        return f"nginx did not accept connections within {self.startup_timeout} s\n" + (
            self._read_error_log()
        )

    def _read_error_log(self) -> str:
        try:
            return self.error_log.read_text(errors="replace")
        except OSError:
            return ""

    def _cleanup_dir(self) -> None:
        if self._owns_workdir and self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
            self._owns_workdir = False

    def _write_config(self) -> None:
        base = self._dir
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (base / "temp" / name).mkdir(parents=True, exist_ok=True)
        (base / "nginx.conf").write_text(self.config_text(), encoding="utf-8")

    def config_text(self) -> str:
        """The configuration nginx runs with (also handy in a failing test's output)."""
        base = self._dir
        # A master started as root hands the workers to an unprivileged user that could not read
        # our temporary directory; keep them as the current user instead.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        upstreams = "".join(proxy.render_upstream() for proxy in self._proxies)
        locations = "".join(item.render() for item in self._statics) + "".join(
            item.render() for item in self._proxies
        )
        return (
            f"{user}"
            "worker_processes 1;\n"
            f"pid {base}/nginx.pid;\n"
            f"error_log {base}/error.log notice;\n"
            "events {\n    worker_connections 512;\n}\n"
            "http {\n"
            f"    access_log {base}/access.log;\n"
            f"    client_body_temp_path {base}/temp/client_body;\n"
            f"    proxy_temp_path {base}/temp/proxy;\n"
            f"    fastcgi_temp_path {base}/temp/fastcgi;\n"
            f"    uwsgi_temp_path {base}/temp/uwsgi;\n"
            f"    scgi_temp_path {base}/temp/scgi;\n"
            "    types {\n        text/plain txt;\n        text/html html;\n"
            "        application/json json;\n    }\n"
            "    default_type application/octet-stream;\n"
            "    sendfile on;\n"
            "    keepalive_timeout 30s;\n"
            "    client_max_body_size 64m;\n"
            "    map $http_upgrade $connection_upgrade {\n"
            "        default upgrade;\n"
            "        '' '';\n"
            "    }\n"
            "    map $remote_addr $forwarded_node {\n"
            "        ~^[0-9.]+$ $remote_addr;\n"
            '        ~: "\\"[$remote_addr]\\"";\n'
            "        default unknown;\n"
            "    }\n"
            f"{upstreams}"
            f"{self.extra_http}"
            "    server {\n"
            f"        listen 127.0.0.1:{self.port};\n"
            "        server_name localhost;\n"
            f"{locations}"
            f"{self.extra_server}"
            "    }\n"
            "}\n"
        )


def _prefix(prefix: str) -> str:
    if not prefix.startswith("/") or any(c in prefix for c in " ;{}\n\r"):
        raise ValueError(f"not a location prefix: {prefix!r}")
    return prefix


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _terminate(process: subprocess.Popen[bytes]) -> None:
    """Stop ``process``: ask nicely, wait a bounded time, then kill."""
    if process.poll() is None:
        process.terminate()  # SIGTERM: nginx's fast shutdown
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


NginxFactory = Callable[..., Nginx]


@pytest.fixture
def nginx_factory() -> Iterator[NginxFactory]:
    """Build and start ``Nginx`` servers; all of them are stopped at teardown.

    Call it with a ``configure`` callable that adds locations, plus ``Nginx`` keyword arguments::

        def test_x(nginx_factory):
            nginx = nginx_factory(lambda n: n.add_static("/", root))
    """
    if not nginx_available():
        pytest.fail(f"{NGINX_BINARY} is not installed")
    started: list[Nginx] = []

    def factory(configure: Callable[[Nginx], None] | None = None, **kwargs: object) -> Nginx:
        nginx = Nginx(**kwargs)  # type: ignore[arg-type]
        if configure is not None:
            configure(nginx)
        started.append(nginx)
        nginx.start()
        return nginx

    try:
        yield factory
    finally:
        for nginx in started:
            nginx.stop()
