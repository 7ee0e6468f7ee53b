"""What the side-by-side scenarios share: one application, servers in pinned processes, readings.

A server runs in its own process pinned to CPU 1 (``taskset``), with glibc's allocator thresholds
fixed (DESIGN.md); whoever drives it runs on CPU 0. Ours and the real aiohttp 3.x (its own
virtualenv, see ``peers.py``) serve the same application source, :data:`AIOHTTP_APP`; the
``websockets`` library serves an equivalent echo from :data:`WEBSOCKETS_APP`::

    with serve("ours") as server:
        cpu0 = server.cpu_seconds()
        ...                                     # load http://127.0.0.1:{server.port}/
        print(server.cpu_seconds() - cpu0, server.rss_kib())

Results are saved as JSON under ``build/bench/`` (or ``$BENCH_RESULTS``) with :func:`save`.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import peers

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "build" / "bench"))
"""Where :func:`save` writes (``$BENCH_RESULTS``, else ``build/bench/``)."""

AIOHTTP_APP = """
import sys, asyncio
from aiohttp import web

async def hello(request):
    return web.Response(text="Hello, World!")

async def echo(request, compress=False):
    ws = web.WebSocketResponse(compress=compress, max_msg_size=64 * 1024 * 1024)
    await ws.prepare(request)
    async for msg in ws:
        if msg.type == web.WSMsgType.TEXT:
            await ws.send_str(msg.data)
        elif msg.type == web.WSMsgType.BINARY:
            await ws.send_bytes(msg.data)
    return ws

async def echo_deflate(request):
    return await echo(request, compress=True)

async def main(port):
    app = web.Application()
    app.router.add_get("/", hello)
    app.router.add_get("/ws", echo)
    app.router.add_get("/wsz", echo_deflate)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, backlog=4096).start()
    print("READY", flush=True)
    await asyncio.Event().wait()

asyncio.run(main(int(sys.argv[1])))
"""

WEBSOCKETS_APP = """
import logging, sys, asyncio
from websockets.asyncio.server import serve

logging.getLogger("websockets").setLevel(logging.CRITICAL)

async def echo(ws):
    async for message in ws:
        await ws.send(message)

async def main(port):
    # Compression is negotiated when the client offers it (the /wsz scenarios), as ours does.
    async with serve(echo, "127.0.0.1", port, max_size=None, ping_interval=None, backlog=4096):
        print("READY", flush=True)
        await asyncio.Event().wait()

asyncio.run(main(int(sys.argv[1])))
"""

SERVERS = ("ours", "aiohttp3", "websockets", "baseline")
"""Who can serve: this library, the real aiohttp 3.x with C extensions, ``websockets``, and
this library at another revision (the ``aiohttp`` package in a ``baseline`` directory)."""


@dataclass
class Server:
    """A server under test in its own process."""

    name: str
    proc: subprocess.Popen[str]
    port: int

    def cpu_seconds(self) -> float:
        """CPU time of all the server's threads so far, to the nanosecond (schedstat)."""
        tasks = Path(f"/proc/{self.proc.pid}/task")
        return sum(int((t / "schedstat").read_text().split()[0]) for t in tasks.iterdir()) / 1e9

    def rss_kib(self) -> int:
        """The server's resident memory, KiB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")


def free_port() -> int:
    """A TCP port on loopback that nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _command(
    name: str, script: Path, port: int, baseline: Path | None
) -> tuple[list[str], dict[str, str]]:
    if name in ("ours", "baseline"):
        script.write_text(AIOHTTP_APP)
        tree = ROOT if name == "ours" else baseline
        env = {**os.environ, **peers.MALLOC_ENV, "PYTHONPATH": str(tree)}
        return [sys.executable, str(script), str(port)], env
    if name == "aiohttp3":
        script.write_text(AIOHTTP_APP)
        return peers.command(peers.AIOHTTP3, [str(script), str(port)]), peers.environment(
            peers.AIOHTTP3
        )
    if name == "websockets":
        script.write_text(WEBSOCKETS_APP)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        return [sys.executable, str(script), str(port)], {**env, **peers.MALLOC_ENV}
    raise ValueError(f"unknown server {name!r}; have {', '.join(SERVERS)}")


@contextmanager
def serve(name: str, baseline: Path | None = None) -> Iterator[Server]:
    """Start ``name``'s server pinned to CPU 1; stop it on exit.

    ``baseline`` is the directory whose ``aiohttp`` package the ``baseline`` server runs.
    """
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        cmd, env = _command(name, Path(tmp) / "server.py", port, baseline)
        proc = subprocess.Popen(
            ["taskset", "-c", "1", *cmd], cwd=tmp, env=env, stdout=subprocess.PIPE, text=True
        )
        try:
            assert proc.stdout is not None
            if proc.stdout.readline().strip() != "READY":
                raise RuntimeError(f"{name} server did not start")
            yield Server(name, proc, port)
        finally:
            proc.kill()
            proc.wait()


def pin_to_cpu0() -> None:
    """Pin this process (the load generator) to CPU 0, away from the servers."""
    os.sched_setaffinity(0, {0})


def raise_fd_limit(wanted: int) -> int:
    """Raise this process's open-file limit (inherited by the servers it starts); the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return max(soft, target)


def host() -> dict[str, Any]:
    """What the figures were measured on: the CPU, the cores, the load while measuring."""
    model = platform.processor()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {"cpu": model, "cores": os.cpu_count(), "load": os.getloadavg(), "time": time.time()}


def save(name: str, results: Any) -> Path:
    """Write ``results`` (and the host) to ``build/bench/<name>.json``; return the path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"host": host(), "results": results}, indent=2) + "\n")
    print(f"saved {path}")
    return path


def ratio(ours: float, theirs: float) -> str:
    """``theirs / ours`` as ``1.23x``: above 1 means ours costs less (CPU, time, memory)."""
    return f"{theirs / ours:.2f}x" if ours > 0 else "-"
