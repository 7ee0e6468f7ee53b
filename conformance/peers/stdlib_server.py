"""The server-under-test contract served by the standard library's ``http.server``.

``python -m conformance.peers.stdlib_server [--port N]`` serves ``/``, ``/echo``,
``/status/{code}`` and ``/stream`` (FORMAT.md) with ``ThreadingHTTPServer`` and HTTP/1.1
persistent connections. ``http.server`` leaves reading the body to the application, so the handler
reads Content-Length bodies and, since the contract needs it, chunked ones.
"""

from __future__ import annotations

import argparse
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_STATUS_PATH = re.compile(r"/status/([0-9]{3})")


class ContractHandler(BaseHTTPRequestHandler):
    """Answers every method the same way, by path."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the harness reports what matters."""

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline()
        length = self.headers.get("Content-Length")
        return self.rfile.read(int(length)) if length else b""

    def _answer(self) -> None:
        body = self._read_body()
        path = urlsplit(self.path).path or "/"  # origin-form or absolute-form
        status = _STATUS_PATH.fullmatch(path)
        if status:
            self.send_response(int(status.group(1)))
            self.end_headers()
            return
        if path == "/stream":
            self._stream()
            return
        content = body if path == "/echo" else b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        chunked = self.request_version == "HTTP/1.1"
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":  # the head a GET would get, no content (RFC 9110 §9.3.2)
            return
        for part in (b"01234", b"56789"):
            self.wfile.write(b"5\r\n" + part + b"\r\n" if chunked else part)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _answer

    def do_HEAD(self) -> None:
        """HEAD: the headers of a GET."""
        self._answer()


class QuietServer(ThreadingHTTPServer):
    """A threading server that does not print tracebacks of connections peers broke."""

    daemon_threads = True
    # The harness opens many connections at once; the default backlog of 5 drops SYNs.
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        """Peers under test break connections on purpose; nothing to report."""


@contextmanager
def running(host: str = "127.0.0.1", port: int = 0) -> Iterator[tuple[str, int]]:
    """Serve in a thread for the duration of the block; yields the address."""
    server = QuietServer((host, port), ContractHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield host, int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    server = QuietServer((args.host, args.port), ContractHandler)
    print(f"serving on http://{args.host}:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
