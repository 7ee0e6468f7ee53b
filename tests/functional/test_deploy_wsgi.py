"""WSGI applications (plain PEP 3333, asyncio flavour, Flask) under gunicorn's WSGI workers."""

from __future__ import annotations

import hashlib
import http.client
import json
import signal
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiohttp.worker import AsyncNoStreamGunicornWorker
from tests.functional.test_deploy_gunicorn import Gunicorn, _fire, get, wait_until_started

WSGI_APP = textwrap.dedent(
    """
    import hashlib
    import json
    import os
    import time

    import aiohttp

    CLOSED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "closed.log")


    class Body:
        '''A response iterable that records its close() in a file.'''

        def __init__(self, name, chunks):
            self.name = name
            self.chunks = chunks

        def __iter__(self):
            return iter(self.chunks)

        def close(self):
            with open(CLOSED, "a") as log:
                log.write(self.name + "\\n")


    def upload_digest(environ):
        digest = hashlib.sha256()
        size = 0
        stream = environ["wsgi.input"]
        while block := stream.read(65536):
            digest.update(block)
            size += len(block)
        return {"size": size, "sha256": digest.hexdigest(), "input": type(stream).__name__}


    def download(count):
        for i in range(count):
            yield (b"%08d" % i) * 8192


    def application(environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/upload":
            body = json.dumps(upload_digest(environ)).encode()
            start_response("200 OK", [("Content-Type", "application/json")])
            return Body("upload", [body])
        if path == "/download":
            count = int(environ["QUERY_STRING"] or "1")
            start_response("200 OK", [("Content-Type", "application/octet-stream")])
            return Body("download", download(count))
        if path == "/slow":
            with open("slow-started.log", "a") as started:  # the test waits for these lines
                started.write(f"{os.getpid()}\\n")
            time.sleep(float(environ["QUERY_STRING"] or "1"))
            start_response("200 OK", [("Content-Type", "text/plain")])
            return Body("slow", [b"done"])
        if path == "/environ":
            keys = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING",
                    "SERVER_PROTOCOL", "REMOTE_ADDR", "HTTP_X_A", "wsgi.url_scheme")
            body = json.dumps({k: environ.get(k) for k in keys}).encode()
            start_response("200 OK", [("Content-Length", str(len(body)))])
            return [body]
        if path == "/fail":
            raise RuntimeError("application failure")
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return Body("404", [b"not found"])


    async def asyncio_application(environ, start_response):
        body = await environ["wsgi.input"].read()
        start_response("200 OK", [("Content-Type", "application/json")])
        info = {"size": len(body), "sha256": hashlib.sha256(body).hexdigest(),
                "input": isinstance(environ["wsgi.input"], aiohttp.StreamReader)}
        return [json.dumps(info).encode()]
    """
)

FLASK_APP = textwrap.dedent(
    """
    import hashlib

    from flask import Flask, Response, jsonify, request

    app = Flask(__name__)


    @app.post("/upload")
    def upload():
        digest = hashlib.sha256()
        size = 0
        while block := request.stream.read(65536):
            digest.update(block)
            size += len(block)
        return jsonify(size=size, sha256=digest.hexdigest())


    @app.get("/download/<int:count>")
    def download(count):
        def blocks():
            for i in range(count):
                yield (b"%08d" % i) * 8192
        return Response(blocks(), mimetype="application/octet-stream")


    @app.get("/hello/<name>")
    def hello(name):
        return f"hello {name} from {request.remote_addr}"
    """
)

STREAM = "aiohttp.worker.AsyncGunicornWorker"
NO_STREAM = "aiohttp.worker.AsyncNoStreamGunicornWorker"


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    (tmp_path / "wsgi_app.py").write_text(WSGI_APP, encoding="utf-8")
    (tmp_path / "flask_app.py").write_text(FLASK_APP, encoding="utf-8")
    return tmp_path


def _chunks(total: int, size: int = 65536) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        block = bytes([sent // size % 251]) * min(size, total - sent)
        sent += len(block)
        yield block


def upload(port: int, path: str, total: int) -> tuple[int, dict[str, object]]:
    """POST ``total`` bytes with chunked transfer coding, as they are produced."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            "POST", path, body=_chunks(total), encode_chunked=True, headers={"Connection": "close"}
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def _expected_digest(total: int) -> str:
    digest = hashlib.sha256()
    for block in _chunks(total):
        digest.update(block)
    return digest.hexdigest()


def download(port: int, path: str) -> tuple[int, int, str]:
    """GET ``path`` reading the body block by block: status, size, sha256."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        digest = hashlib.sha256()
        size = 0
        while block := response.read(65536):
            digest.update(block)
            size += len(block)
        return response.status, size, digest.hexdigest()
    finally:
        connection.close()


def _expected_download(count: int) -> tuple[int, str]:
    digest = hashlib.sha256()
    for i in range(count):
        digest.update((b"%08d" % i) * 8192)
    return count * 65536, digest.hexdigest()


def _closed(app_dir: Path) -> list[str]:
    try:
        return (app_dir / "closed.log").read_text().split()
    except FileNotFoundError:
        return []


@pytest.mark.parametrize(
    ("worker_class", "input_type"), [(STREAM, "WSGIInput"), (NO_STREAM, "BytesIO")]
)
def test_plain_wsgi_streaming_upload_and_download(
    app_dir: Path, worker_class: str, input_type: str
) -> None:
    total = 3 * 1024 * 1024 + 17 if worker_class == STREAM else 512 * 1024 + 17
    with Gunicorn(app_dir, "wsgi_app:application", worker_class) as server:
        status, info = upload(server.port, "/upload", total)
        assert status == 200
        assert info == {"size": total, "sha256": _expected_digest(total), "input": input_type}
        assert download(server.port, "/download?200") == (200, *_expected_download(200))
    assert sorted(_closed(app_dir)) == ["download", "upload"]


def _post(port: int, path: str, body: bytes) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", path, body=body)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_the_buffered_worker_takes_a_body_at_its_limit(app_dir: Path) -> None:
    # One byte more is refused with 413: tests/unit/test_wsgi.py (over a real connection the
    # client may not see the 413 while the server does not drain the refused body).
    limit = AsyncNoStreamGunicornWorker.client_max_size
    with Gunicorn(app_dir, "wsgi_app:application", NO_STREAM) as server:
        assert _post(server.port, "/upload", b"x" * limit) == 200


def test_environ_seen_by_the_application(app_dir: Path) -> None:
    with Gunicorn(app_dir, "wsgi_app:application", STREAM) as server:
        status, body = get(server.port, "/environ?x=%41", headers={"X-A": "1"})
    assert status == 200
    assert json.loads(body) == {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/environ",
        "QUERY_STRING": "x=%41",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_A": "1",
        "wsgi.url_scheme": "http",
    }


def test_an_application_error_answers_500_and_the_worker_keeps_serving(app_dir: Path) -> None:
    with Gunicorn(app_dir, "wsgi_app:application", STREAM) as server:
        assert get(server.port, "/fail")[0] == 500
        assert get(server.port, "/environ")[0] == 200
        assert "application failure" in server.log()


def test_close_is_called_when_the_client_goes_away(app_dir: Path) -> None:
    with Gunicorn(app_dir, "wsgi_app:application", STREAM, workers=1) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("GET", "/download?100000")  # about 6 GiB: never read in full
        response = connection.getresponse()
        assert response.read(65536)
        connection.close()
        deadline = time.monotonic() + 10
        while "download" not in _closed(app_dir) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _closed(app_dir) == ["download"]


def test_sigterm_lets_in_flight_wsgi_requests_finish(app_dir: Path) -> None:
    with Gunicorn(app_dir, "wsgi_app:application", STREAM) as server:
        in_flight = _fire(server.port, ["/slow?2"] * 4)
        wait_until_started(app_dir, 4)
        server.signal(signal.SIGTERM)
        results = [future.result(timeout=30) for future in in_flight]
        assert server.wait() == 0
    assert results == [(200, b"done")] * 4


def test_the_asyncio_flavour_reads_a_stream_reader(app_dir: Path) -> None:
    total = 256 * 1024 + 3
    with Gunicorn(app_dir, "wsgi_app:asyncio_application", STREAM) as server:
        status, info = upload(server.port, "/", total)
    assert status == 200
    assert info == {"size": total, "sha256": _expected_digest(total), "input": True}


def test_flask_streaming_upload_and_download(app_dir: Path) -> None:
    total = 2 * 1024 * 1024 + 5
    with Gunicorn(app_dir, "flask_app:app", STREAM) as server:
        status, info = upload(server.port, "/upload", total)
        assert status == 200
        assert info == {"size": total, "sha256": _expected_digest(total)}
        assert download(server.port, "/download/150") == (200, *_expected_download(150))
        assert get(server.port, "/hello/world") == (200, b"hello world from 127.0.0.1")
