"""Scale: memory per idle connection, and latency with many connections open.

Servers (``common.py``): ours and the real aiohttp 3.x with C extensions, pinned to CPU 1; for
the WebSocket figure also ``websockets``. The open-file limit of this process, and so of the
servers and ``wrk`` it starts, is raised to fit ``--counts`` connections (``setrlimit``).

- ``idle-http``: this process opens keep-alive connections one by one, sends ``GET /`` on each,
  reads the answer and leaves the connection idle; the server's resident memory (VmRSS) grows
  by so much per connection, measured at each of ``--counts`` (1,000 and 10,000) against the
  memory after a warm-up;
- ``idle-websocket``: the same with a WebSocket handshake on ``/ws`` and no message after it;
- ``latency``: ``wrk --latency`` on CPU 0, ``-c1000`` keep-alive connections doing ``GET /``
  for ``--duration`` seconds: requests per second, p50 and p99 latency, server CPU µs/request.

Client sockets are closed with ``SO_LINGER`` 0 (a reset), so ten thousand closed connections
leave no ``TIME_WAIT`` behind to exhaust the local ports of the next server's turn.

``python -m benchmarks scale -- [--counts 1000,10000] [--duration 5]
[--latency-connections 1000] [--only ours,aiohttp3,websockets]``
"""

from __future__ import annotations

import argparse
import re
import socket
import struct
import subprocess
import sys
import time
from typing import Any

from benchmarks import common

GET = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
UPGRADE = (
    b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
)
# What the end of each answer looks like: the hello body, the empty line after a 101's head.
ANSWERS = {GET: (b"HTTP/1.1 200", b"Hello, World!"), UPGRADE: (b"HTTP/1.1 101", b"\r\n\r\n")}
RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 seconds


def _open(port: int, request: bytes) -> socket.socket:
    """A connection that sent ``request`` and read the whole answer."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
    sock.sendall(request)
    status, end = ANSWERS[request]
    data = b""
    while not data.endswith(end):
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError(f"closed after {data[:60]!r}")
        data += chunk
    if not data.startswith(status):
        raise RuntimeError(f"unexpected answer {data[:60]!r}")
    return sock


def _settled_rss(server: common.Server) -> int:
    """The server's RSS once it has handled all it was sent (it stops changing)."""
    last = -1
    while (rss := server.rss_kib()) != last:
        last = rss
        time.sleep(0.3)
    return rss


def idle_memory(server: common.Server, request: bytes, counts: list[int]) -> dict[str, float]:
    """KiB of server memory per idle connection, at each count of open connections."""
    for _ in range(20):  # warm up: imports, first allocations, caches
        _open(server.port, request).close()
    base = _settled_rss(server)
    conns: list[socket.socket] = []
    per_conn = {}
    try:
        for count in counts:
            while len(conns) < count:
                conns.append(_open(server.port, request))
            per_conn[str(count)] = (_settled_rss(server) - base) / count
    finally:
        for sock in conns:
            sock.close()
    return per_conn


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]


def latency(server: common.Server, connections: int, duration: int) -> dict[str, float]:
    """wrk with ``--latency`` against ``GET /``: req/s, p50/p99 ms, server CPU µs/request."""
    cmd = ["taskset", "-c", "0", "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency"]
    cpu0 = server.cpu_seconds()
    out = subprocess.run(
        [*cmd, f"http://127.0.0.1:{server.port}/"],
        check=True,
        capture_output=True,
        text=True,
        timeout=duration + 60,
    ).stdout
    cpu = server.cpu_seconds() - cpu0
    found = {p: re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M) for p in ("50", "99")}
    total = re.search(r"(\d+) requests in", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if total is None or rps is None or not all(found.values()):
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(rps.group(1)),
        "p50_ms": _ms(*found["50"].groups()),  # type: ignore[union-attr]
        "p99_ms": _ms(*found["99"].groups()),  # type: ignore[union-attr]
        "cpu_us": cpu / max(int(total.group(1)), 1) * 1e6,
        "socket_errors": errors.group(1) if errors else "none",
    }


def measure(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """The three figures for one server (HTTP ones only where it serves HTTP)."""
    result: dict[str, Any] = {}
    if name != "websockets":
        with common.serve(name) as server:
            result["idle-http"] = idle_memory(server, GET, args.counts)
            result["latency"] = latency(server, args.latency_connections, args.duration)
    with common.serve(name) as server:
        result["idle-websocket"] = idle_memory(server, UPGRADE, args.counts)
    return result


def report(results: dict[str, dict[str, Any]], counts: list[int]) -> None:
    """Print memory per connection and latency, with ratios to ours."""
    ours = results.get("ours", {})
    print(f"{'server':<12}{'idle':<11}" + "".join(f"{f'KiB @{n}':>13}" for n in counts))
    for scenario in ("idle-http", "idle-websocket"):
        for name, res in results.items():
            if scenario not in res:
                continue
            cells = []
            for n in counts:
                kib = res[scenario][str(n)]
                vs = common.ratio(ours[scenario][str(n)], kib) if scenario in ours else "-"
                cells.append(f"{kib:>7.1f} {vs:>5}")
            print(f"{name:<12}{scenario[5:]:<11}" + "".join(f"{c:>13}" for c in cells))
    print(f"{'server':<12}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU µs/req':>12}{'vs ours':>9}")
    for name, res in results.items():
        if "latency" in res:
            lat = res["latency"]
            vs = common.ratio(ours["latency"]["cpu_us"], lat["cpu_us"]) if ours else "-"
            print(
                f"{name:<12}{lat['rps']:>9.0f}{lat['p50_ms']:>9.2f}{lat['p99_ms']:>9.2f}"
                f"{lat['cpu_us']:>12.1f}{vs:>9}  socket errors: {lat['socket_errors']}"
            )


def main(argv: list[str]) -> int:
    """Measure each server and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks scale")
    parser.add_argument("--counts", default="1000,10000", help="open connections to measure at")
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk")
    parser.add_argument("--latency-connections", type=int, default=1000)
    parser.add_argument("--only", default="ours,aiohttp3,websockets")
    args, _ = parser.parse_known_args(argv)
    args.counts = [int(n) for n in args.counts.split(",")]
    common.pin_to_cpu0()
    limit = common.raise_fd_limit(max(*args.counts, args.latency_connections) + 1024)
    print(f"open-file limit: {limit}")
    results = {name: measure(name, args) for name in args.only.split(",")}
    report(results, args.counts)
    common.save("scale", results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
