"""The server-under-test contract (``conformance/cases/FORMAT.md``) as an ASGI application,
with a WebSocket echo on ``/ws``, for uvicorn, hypercorn and other ASGI servers.

Standard library only, and runnable from any environment: ``uvicorn --app-dir
conformance/peers asgi_app:app``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

_STATUS = re.compile(r"/status/([0-9]{3})")
Scope = dict[str, Any]


async def _body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


async def _echo_ws(receive: Any, send: Any) -> None:
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await send({"type": "websocket.send", "text": message["text"]})
        elif message.get("bytes") is not None:
            await send({"type": "websocket.send", "bytes": message["bytes"]})


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: Scope, receive: Any, send: Any) -> None:
    """``/``, ``/echo``, ``/status/{code}``, ``/stream`` and the ``/ws`` echo."""
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    if scope["type"] == "websocket":
        await _echo_ws(receive, send)
        return
    body = await _body(receive)
    path = urlsplit(scope["path"]).path or "/"  # some servers pass an absolute-form target
    if path == "/ws":  # an HTTP request to the WebSocket resource: not a handshake
        await send({"type": "http.response.start", "status": 400, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    status = _STATUS.fullmatch(path)
    if status:
        await send({"type": "http.response.start", "status": int(status.group(1)), "headers": []})
        await send({"type": "http.response.body", "body": b""})
        return
    if path == "/stream":
        headers = [(b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"01234", "more_body": True})
        await send({"type": "http.response.body", "body": b"56789", "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        return
    content = body if path == "/echo" else b"ok"
    headers = [
        (b"content-type", b"application/octet-stream"),
        (b"content-length", str(len(content)).encode()),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": content})
