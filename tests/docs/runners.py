"""Running snippets on loopback: scripts, servers that are stopped again, and pytest modules.

Every run is bounded: a server must listen within ``START_TIMEOUT`` and exit within
``STOP_TIMEOUT`` of SIGINT; a script or a pytest run must finish within ``RUN_TIMEOUT``.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

START_TIMEOUT = 20.0
STOP_TIMEOUT = 20.0
RUN_TIMEOUT = 45.0

#: The port the docs use; the tests replace it with a free one in every snippet they run.
DOCS_PORT = "8080"

#: What ``client`` snippets talk to when their page has no ``server`` snippet: ``/`` answers
#: text, ``/echo`` sends a JSON body back, ``/ws`` echoes WebSocket messages.
ECHO_SERVER = """\
import sys

from aiohttp import web


async def index(request):
    return web.Response(text="Hello, world")


async def echo(request):
    return web.json_response(await request.json())


async def ws_echo(request):
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for msg in ws:
        if msg.type is web.WSMsgType.TEXT:
            await ws.send_str(msg.data)
        elif msg.type is web.WSMsgType.BINARY:
            await ws.send_bytes(msg.data)
    return ws


app = web.Application()
app.router.add_get("/", index)
app.router.add_post("/echo", echo)
app.router.add_get("/ws", ws_echo)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def on_port(text: str, port: int) -> str:
    return text.replace(DOCS_PORT, str(port))


def environ(home: Path) -> dict[str, str]:
    """The environment of a run: this interpreter first on PATH, and a private HOME (gunicorn
    opens a control socket there)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(home)
    env.pop("PYTHONWARNINGS", None)
    return env


def run(argv: Sequence[str], cwd: Path, *, extra: dict[str, str] | None = None) -> str:
    """Run a command to its end; fail with its output unless it exits with status 0."""
    done = subprocess.run(
        list(argv),
        cwd=cwd,
        env={**environ(cwd), **(extra or {})},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{argv} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def python(*args: str) -> list[str]:
    """A Python command on this interpreter; every warning is an error, as in the suite."""
    return [sys.executable, "-W", "error", *args]


def get(port: int, path: str = "/") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _wait_listening(proc: subprocess.Popen[str], port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"the server exited {proc.returncode}:\n{out}\n{err}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port} after {START_TIMEOUT} s")


class Served:
    """A server process; ``output`` holds what it wrote once it stopped."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.output = ""


@contextlib.contextmanager
def serving(argv: Sequence[str], cwd: Path, port: int) -> Iterator[Served]:
    """Start a server, wait until it listens on ``port``, and stop it with SIGINT at the end,
    as Ctrl-C would: it must then exit with status 0 in time."""
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=environ(cwd),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    served = Served(proc)
    try:
        _wait_listening(proc, port)
        yield served
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=STOP_TIMEOUT)
        served.output = out + err
        assert proc.returncode == 0, f"the server exited {proc.returncode}:\n{out}\n{err}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
