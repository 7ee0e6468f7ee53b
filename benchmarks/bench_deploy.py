"""Scale-out: 2 gunicorn workers against 1, directly and behind nginx, measured with wrk.

Each setup serves a small aiohttp application (``GET /`` answers 13 bytes) from
``gunicorn --worker-class aiohttp.worker.GunicornWebWorker`` on loopback; ``wrk`` loads it for
``--duration`` seconds with 64 connections. The processes are not pinned: the point is to see
how much the second worker gains on a machine whose cores are shared with the load generator
(and nginx). Prints requests per second and the 2-worker / 1-worker ratios.

``python -m benchmarks deploy [-- --duration 5 --connections 64]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from tests.functional.nginx import Nginx

ROOT = Path(__file__).resolve().parents[1]
ALLOCATOR_ENV = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "67108864"}
APP = """
from aiohttp import web


async def hello(request):
    return web.Response(text="Hello, world!")


def make_app():
    app = web.Application()
    app.router.add_get("/", hello)
    return app
"""


def _start_gunicorn(workdir: Path, workers: int) -> tuple[subprocess.Popen[bytes], int, list[int]]:
    log = workdir / f"gunicorn-{workers}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "bench_app:make_app",
        "--chdir",
        str(workdir),
        "--worker-class",
        "aiohttp.worker.GunicornWebWorker",
        "--workers",
        str(workers),
        "--bind",
        "127.0.0.1:0",
        "--error-logfile",
        str(log),
        "--log-level",
        "info",
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT), **ALLOCATOR_ENV)
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = log.read_text() if log.exists() else ""
        port = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", text)
        pids = [int(pid) for pid in re.findall(r"aiohttp worker (\d+) serving", text)]
        if port and len(pids) >= workers:
            return process, int(port.group(1)), pids
        if process.poll() is not None:
            break
        time.sleep(0.1)
    _stop(process)
    raise RuntimeError(f"gunicorn did not start:\n{log.read_text() if log.exists() else ''}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


class Run(NamedTuple):
    """One wrk run: throughput and the workers' CPU time per request."""

    rps: float
    cpu_us: float


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of ``pids`` (fields 14 and 15 of /proc/<pid>/stat)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _wrk(url: str, duration: int, connections: int, pids: list[int]) -> Run:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", url]
    env = dict(os.environ, **ALLOCATOR_ENV)
    before = _cpu_seconds(pids)
    output = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    cpu = _cpu_seconds(pids) - before
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    if rps is None or total is None:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"wrk saw {errors.group(1)} error responses")
    return Run(float(rps.group(1)), cpu / max(int(total.group(1)), 1) * 1e6)


def _measure(workdir: Path, workers: int, args: argparse.Namespace) -> tuple[Run, Run]:
    """wrk directly against gunicorn, and through nginx."""
    process, port, pids = _start_gunicorn(workdir, workers)
    try:
        direct_url = f"http://127.0.0.1:{port}/"
        _wrk(direct_url, 1, args.connections, pids)  # warm-up
        direct = _wrk(direct_url, args.duration, args.connections, pids)
        nginx = Nginx()
        nginx.add_proxy("/", f"127.0.0.1:{port}")
        with nginx:
            _wrk(nginx.url("/"), 1, args.connections, pids)
            proxied = _wrk(nginx.url("/"), args.duration, args.connections, pids)
    finally:
        _stop(process)
    return direct, proxied


def main(argv: list[str]) -> int:
    """Run the benchmark and print the ratios."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks deploy")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=64)
    args, _ = parser.parse_known_args(argv)  # options meant for other benchmarks are ignored
    for tool in ("wrk", "/usr/sbin/nginx"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed", file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory(prefix="bench-deploy-") as tmp:
        workdir = Path(tmp)
        (workdir / "bench_app.py").write_text(APP, encoding="utf-8")
        one = _measure(workdir, 1, args)
        two = _measure(workdir, 2, args)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"cores: {os.cpu_count()}, load average: {load}")
    print(f"wrk -t2 -c{args.connections} -d{args.duration}s; CPU is the gunicorn workers' only")
    print(
        f"{'setup':<14}{'1 worker':>12}{'2 workers':>12}{'ratio':>8}{'CPU us/req 1w':>16}{'2w':>8}"
    )
    for name, single, double in (("direct", one[0], two[0]), ("behind nginx", one[1], two[1])):
        print(
            f"{name:<14}{single.rps:>12.0f}{double.rps:>12.0f}{double.rps / single.rps:>8.2f}"
            f"{single.cpu_us:>16.1f}{double.cpu_us:>8.1f}"
        )
    print(f"nginx in front (1 worker): {one[1].rps / one[0].rps:.2f} of direct throughput")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
