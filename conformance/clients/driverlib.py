"""The driver side of the persistent client protocol (``conformance/cases/DRIVER.md``).

A driver is a small program that makes one HTTP client (or WebSocket client) do what the harness
asks, line by line on standard input, and answers line by line on standard output. This module
is the whole protocol loop; an adapter only says how its client opens a session, fetches, and
closes the session. Sessions run in threads, so requests of different sessions overlap as the
harness's cases do, and each session keeps its client object (its connection pool) from one
request to the next.

Standard library only, and importable as a plain file (``import driverlib``) so a driver can run
with another environment's Python, where this package is not installed.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any, Protocol

PROTOCOL = "conformance-driver/1"


class Adapter(Protocol):
    """What a driver implements for its client."""

    #: Name and version of the client, e.g. ``"requests 2.32.3"``.
    name: str
    #: False when the client cannot keep a connection across the requests of a session.
    keeps_connections: bool

    def open_session(self) -> Any:
        """A new client session (a pool of connections), used for one case."""
        ...

    def fetch(self, session: Any, request: dict[str, Any]) -> dict[str, Any]:
        """Make one request; returns ``{"status": int, "body": bytes}``; raises on failure."""
        ...

    def close_session(self, session: Any) -> None:
        """Release the session's connections."""
        ...


def body_of(request: dict[str, Any]) -> bytes | None:
    """The request body the harness asked for (base64 in the message), or ``None``."""
    body = request.get("body")
    return None if body is None else base64.b64decode(body)


def describe(exc: BaseException) -> str:
    """An exception as one line: its type and message."""
    return f"{type(exc).__name__}: {exc}".replace("\n", " ")[:500]


class _Loop:
    def __init__(self, adapter: Any, out: IO[str]) -> None:
        self.adapter = adapter
        self.out = out
        self.lock = threading.Lock()
        self.sessions: dict[str, Any] = {}
        self.pool = ThreadPoolExecutor(max_workers=64)

    def send(self, message: dict[str, Any]) -> None:
        with self.lock:
            self.out.write(json.dumps(message) + "\n")
            self.out.flush()

    def hello(self) -> None:
        ops = ["close"]
        if hasattr(self.adapter, "fetch"):
            ops.append("fetch")
        if hasattr(self.adapter, "ws_echo"):
            ops.append("ws_echo")
        self.send(
            {
                "driver": PROTOCOL,
                "name": self.adapter.name,
                "ops": ops,
                "keeps_connections": bool(getattr(self.adapter, "keeps_connections", True)),
            }
        )

    def handle(self, message: dict[str, Any]) -> None:
        op = message.get("op")
        ident = message.get("id")
        started = time.monotonic()
        try:
            if op == "fetch":
                key = str(message.get("session", ""))
                with self.lock:
                    session = self.sessions.get(key)
                if session is None:
                    session = self.adapter.open_session()
                    with self.lock:
                        self.sessions[key] = session
                result = self.adapter.fetch(session, message)
                reply = {
                    "outcome": "response",
                    "status": result.get("status"),
                    "body": base64.b64encode(result.get("body") or b"").decode("ascii"),
                }
            elif op == "close":
                with self.lock:
                    session = self.sessions.pop(str(message.get("session", "")), None)
                if session is not None:
                    self.adapter.close_session(session)
                reply = {"outcome": "closed"}
            elif op == "ws_echo":
                code = self.adapter.ws_echo(message["url"], float(message.get("timeout", 10)))
                reply = {"outcome": "response" if code == 1000 else "error", "close_code": code}
                if code != 1000:
                    reply["error"] = f"close code {code}"
            else:
                reply = {"outcome": "error", "error": f"unknown op {op!r}"}
        except Exception as exc:  # the client's failure is the answer
            reply = {"outcome": "error", "error": describe(exc)}
        reply["id"] = ident
        reply["elapsed"] = round(time.monotonic() - started, 4)
        self.send(reply)


def run(adapter: Any, stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> int:
    """Serve the harness until standard input ends; returns the exit status."""
    loop = _Loop(adapter, stdout or sys.stdout)
    loop.hello()
    for line in stdin or sys.stdin:
        if not line.strip():
            continue
        try:
            message = json.loads(line)
        except ValueError:
            loop.send({"id": None, "outcome": "error", "error": "not JSON"})
            continue
        loop.pool.submit(loop.handle, message)
    loop.pool.shutdown(wait=True, cancel_futures=False)
    return 0
