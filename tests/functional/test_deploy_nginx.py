"""gunicorn's aiohttp workers behind a real nginx: TCP and unix upstreams, WebSockets, restarts.

nginx connects to gunicorn from 127.0.0.2 (``proxy_bind``) and gunicorn trusts only that
address (``--forwarded-allow-ips``), so the tests can tell a client talking through the proxy
(whose ``Forwarded`` header is believed) from a client talking to gunicorn directly (whose
forged header is not).
"""

from __future__ import annotations

import http.client
import json
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.sync.client import connect as ws_connect

from tests.functional.nginx import Nginx
from tests.functional.test_deploy_gunicorn import (
    AIOHTTP_APP,
    Gunicorn,
    _fire,
    get,
    recycle_under_load,
    wait_until_started,
)
from tests.functional.test_deploy_wsgi import (
    WSGI_APP,
    _expected_digest,
    _expected_download,
    download,
    upload,
)

pytestmark = pytest.mark.needs_nginx

PROXY_ADDRESS = "127.0.0.2"
CLIENT_ADDRESS = "127.0.0.3"
WORKER = "aiohttp.worker.GunicornWebWorker"


def _proxy_to(upstream: str) -> Nginx:
    nginx = Nginx()
    tcp = not upstream.startswith("unix:")
    extra = f"            proxy_bind {PROXY_ADDRESS};\n" if tcp else ""
    nginx.add_proxy("/", upstream, extra=extra)
    return nginx


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    (tmp_path / "deployed_app.py").write_text(AIOHTTP_APP, encoding="utf-8")
    return tmp_path


@pytest.fixture
def tcp_stack(app_dir: Path) -> Iterator[tuple[Gunicorn, Nginx]]:
    args = ["--forwarded-allow-ips", PROXY_ADDRESS]
    server = Gunicorn(app_dir, "deployed_app:make_app", WORKER, args=args)
    with server, _proxy_to(f"127.0.0.1:{server.port}") as nginx:
        yield server, nginx


def _whoami(port: int, *, source: str, headers: dict[str, str]) -> dict[str, str]:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request("GET", "/whoami", headers=headers)
        response = connection.getresponse()
        assert response.status == 200
        data: dict[str, str] = json.loads(response.read())
        return data
    finally:
        connection.close()


FORGED = {"Forwarded": "for=6.6.6.6;proto=https", "X-Forwarded-For": "6.6.6.6"}


def test_the_application_sees_the_client_through_the_trusted_proxy(
    tcp_stack: tuple[Gunicorn, Nginx],
) -> None:
    _, nginx = tcp_stack
    seen = _whoami(nginx.port, source=CLIENT_ADDRESS, headers=FORGED)
    # nginx replaced the client's Forwarded header with its own record of the client.
    assert seen == {"remote": CLIENT_ADDRESS, "scheme": "http", "host": f"127.0.0.1:{nginx.port}"}


def test_a_direct_client_cannot_forge_proxy_headers(tcp_stack: tuple[Gunicorn, Nginx]) -> None:
    server, _ = tcp_stack
    seen = _whoami(server.port, source=CLIENT_ADDRESS, headers=FORGED)
    assert seen["remote"] == CLIENT_ADDRESS
    assert seen["scheme"] == "http"


def test_websocket_upgrade_passes_through(tcp_stack: tuple[Gunicorn, Nginx]) -> None:
    server, nginx = tcp_stack
    with ws_connect(f"ws://127.0.0.1:{nginx.port}/ws", open_timeout=10) as ws:
        for text in ("one", "two"):
            ws.send(text)
            pid, _, echoed = str(ws.recv(timeout=10)).partition(":")
            assert echoed == text
            assert int(pid) in server.ready_pids()


def test_sigterm_behind_nginx_finishes_in_flight_requests(
    tcp_stack: tuple[Gunicorn, Nginx],
) -> None:
    server, nginx = tcp_stack
    in_flight = _fire(nginx.port, ["/slow?delay=2"] * 4)
    wait_until_started(server.workdir, 4)
    server.signal(signal.SIGTERM)
    results = [future.result(timeout=30) for future in in_flight]
    assert server.wait() == 0
    assert [status for status, _ in results] == [200] * 4


def test_max_requests_restarts_lose_nothing_behind_nginx(app_dir: Path) -> None:
    args = ["--max-requests", "5", "--max-requests-jitter", "2"]
    server = Gunicorn(app_dir, "deployed_app:make_app", WORKER, args=args)
    with server, _proxy_to(f"127.0.0.1:{server.port}") as nginx:
        statuses = recycle_under_load(server, nginx.port, restarts=3)
    assert set(statuses) == {200}


def test_unix_socket_upstream(app_dir: Path) -> None:
    path = app_dir / "app.sock"
    server = Gunicorn(app_dir, "deployed_app:make_app", WORKER, bind=[f"unix:{path}"])
    with server, _proxy_to(f"unix:{path}") as nginx:
        status, body = get(nginx.port, "/")
        assert status == 200
        assert int(body) in server.ready_pids()
        # A unix-socket peer is trusted (as in gunicorn), so the client shows through.
        seen = _whoami(nginx.port, source=CLIENT_ADDRESS, headers=FORGED)
        assert seen["remote"] == CLIENT_ADDRESS
        with ws_connect(f"ws://127.0.0.1:{nginx.port}/ws", open_timeout=10) as ws:
            ws.send("over a unix socket")
            assert str(ws.recv(timeout=10)).endswith(":over a unix socket")


def test_a_wsgi_application_streams_both_ways_through_nginx(tmp_path: Path) -> None:
    (tmp_path / "wsgi_app.py").write_text(WSGI_APP, encoding="utf-8")
    total = 3 * 1024 * 1024 + 1
    server = Gunicorn(tmp_path, "wsgi_app:application", "aiohttp.worker.AsyncGunicornWorker")
    with server, _proxy_to(f"127.0.0.1:{server.port}") as nginx:
        status, info = upload(nginx.port, "/upload", total)
        assert status == 200
        assert info == {"size": total, "sha256": _expected_digest(total), "input": "WSGIInput"}
        assert download(nginx.port, "/download?300") == (200, *_expected_download(300))
