"""The server-under-test contract (``conformance/cases/FORMAT.md``) as a WSGI application, for
gunicorn and other WSGI servers (no WebSocket).

Standard library only: ``gunicorn --chdir conformance/peers wsgi_app:app``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

_STATUS = re.compile(r"/status/([0-9]{3})")
_REASONS = {200: "OK", 204: "No Content", 304: "Not Modified"}


def _body(environ: dict[str, Any]) -> bytes:
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        return bytes(stream.read(int(length)))
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return bytes(stream.read())
    return b""


def _stream() -> Iterator[bytes]:
    yield b"01234"
    yield b"56789"


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """``/``, ``/echo``, ``/status/{code}`` and ``/stream``."""
    body = _body(environ)
    path = urlsplit(environ.get("PATH_INFO", "/")).path or "/"  # absolute-form passed through
    status = _STATUS.fullmatch(path)
    if status:
        code = int(status.group(1))
        start_response(f"{code} {_REASONS.get(code, 'Status')}", [])
        return [b""]
    if path == "/stream":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return _stream()
    content = body if path == "/echo" else b"ok"
    start_response(
        "200 OK",
        [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(content)))],
    )
    return [content]
