"""The nginx test helper itself: static files, proxying over TCP and unix sockets, upgrades."""

from __future__ import annotations

import http.client
import json
import socket
import socketserver
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.functional.nginx import Nginx, NginxFactory, nginx_factory

pytestmark = pytest.mark.needs_nginx

__all__ = ["nginx_factory"]  # the fixture, imported for the tests below


class _EchoHeaders(BaseHTTPRequestHandler):
    """Answers every GET with the request line and headers it received, as JSON."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = json.dumps({"path": self.path, "headers": dict(self.headers.items())}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _UnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class _UnixEchoHeaders(_EchoHeaders):
    def address_string(self) -> str:
        return "unix"


@pytest.fixture
def tcp_upstream() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHeaders)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def unix_upstream(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "app.sock")
    server = _UnixHTTPServer(path, _UnixEchoHeaders)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"unix:{path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _get_json(url: str) -> dict[str, object]:
    with urllib.request.urlopen(url, timeout=10) as response:
        data: dict[str, object] = json.loads(response.read())
        return data


def test_serves_a_static_file(nginx_factory: NginxFactory, tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_bytes(b"hello from disk\n")
    nginx = nginx_factory(lambda n: n.add_static("/static/", tmp_path))
    with urllib.request.urlopen(nginx.url("/static/hello.txt"), timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/plain"
        assert response.read() == b"hello from disk\n"


def test_proxies_to_a_tcp_upstream_with_forwarding_headers(
    nginx_factory: NginxFactory, tcp_upstream: str
) -> None:
    nginx = nginx_factory(lambda n: n.add_proxy("/", tcp_upstream))
    seen = _get_json(nginx.url("/some/path?q=1"))
    headers = seen["headers"]
    assert isinstance(headers, dict)
    assert seen["path"] == "/some/path?q=1"
    assert headers["X-Forwarded-For"] == "127.0.0.1"
    assert headers["X-Forwarded-Proto"] == "http"
    assert headers["Host"] == f"127.0.0.1:{nginx.port}"
    assert headers["Forwarded"] == f'for=127.0.0.1;proto=http;host="127.0.0.1:{nginx.port}"'


def test_a_client_cannot_forge_the_forwarded_header(
    nginx_factory: NginxFactory, tcp_upstream: str
) -> None:
    nginx = nginx_factory(lambda n: n.add_proxy("/", tcp_upstream))
    request = urllib.request.Request(nginx.url("/"), headers={"Forwarded": "for=6.6.6.6"})
    with urllib.request.urlopen(request, timeout=10) as response:
        headers = json.loads(response.read())["headers"]
    assert headers["Forwarded"].startswith("for=127.0.0.1;")
    assert "6.6.6.6" not in headers["Forwarded"]


def test_proxies_to_a_unix_socket_upstream(nginx_factory: NginxFactory, unix_upstream: str) -> None:
    nginx = nginx_factory(lambda n: n.add_proxy("/app/", unix_upstream))
    seen = _get_json(nginx.url("/app/x"))
    assert seen["path"] == "/app/x"


def _upgrade_echo_server(listener: socket.socket, seen: list[bytes]) -> None:
    """Accept one connection, answer its upgrade with 101, then echo bytes until EOF."""
    conn, _ = listener.accept()
    with conn:
        conn.settimeout(10)
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                return
            head += chunk
        seen.append(head)
        conn.sendall(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"
        )
        for _ in range(100):
            data = conn.recv(4096)
            if not data:
                return
            conn.sendall(data)


def test_passes_an_upgrade_through(nginx_factory: NginxFactory) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    seen: list[bytes] = []
    thread = threading.Thread(target=_upgrade_echo_server, args=(listener, seen))
    thread.start()
    try:
        port = listener.getsockname()[1]
        nginx = nginx_factory(lambda n: n.add_proxy("/", f"127.0.0.1:{port}"))
        with socket.create_connection(("127.0.0.1", nginx.port), timeout=10) as client:
            client.sendall(
                b"GET /ws HTTP/1.1\r\nHost: localhost\r\n"
                b"Upgrade: echo\r\nConnection: Upgrade\r\n\r\n"
            )
            response = http.client.HTTPResponse(client)
            response.begin()
            response.close()  # the socket itself stays open for the upgraded bytes
            assert response.status == 101
            client.sendall(b"ping through the proxy")
            assert client.recv(4096) == b"ping through the proxy"
        head = seen[0].lower()
        assert b"\r\nupgrade: echo\r\n" in head
        assert b"\r\nconnection: upgrade\r\n" in head
    finally:
        listener.close()
        thread.join(timeout=10)


def test_stop_ends_the_process_and_removes_its_directory(tmp_path: Path) -> None:
    nginx = Nginx()
    nginx.add_static("/", tmp_path)
    with nginx:
        workdir = nginx.workdir
        assert nginx.is_running()
        assert workdir is not None
        assert (workdir / "nginx.pid").exists()
    assert not nginx.is_running()
    assert not workdir.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", nginx.port), timeout=1).close()


def test_a_bad_configuration_reports_nginx_s_error() -> None:
    nginx = Nginx(extra_server="        no_such_directive on;\n")
    with pytest.raises(RuntimeError, match="no_such_directive"):
        nginx.start()
    assert not nginx.is_running()


def test_rejects_a_prefix_that_would_inject_configuration() -> None:
    with pytest.raises(ValueError, match="location prefix"):
        Nginx().add_static("/x; root /", "/tmp")
