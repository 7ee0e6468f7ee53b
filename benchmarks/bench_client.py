"""HTTP client throughput: ours vs the real aiohttp 3.x vs httpx, and a streamed download.

(a) ``requests``: 20,000 GETs at concurrency 64 against a minimal raw asyncio server that
answers a canned 2-byte response; requests per second and client CPU microseconds per request.
Peers: the real aiohttp 3.x with its C extensions (own virtualenv, see ``peers.py``) and httpx.
The same script drives ours and aiohttp 3.x (one API); httpx gets its ``AsyncClient``. It runs
twice: against a server that sends each response in one write, and against one that sends it
in three (the status line, the rest of the head, the body), each on its own turn of its loop.

(b) ``download``: one 256 MiB response streamed with ``iter_chunked(65536)`` against a raw
asyncio reader (``asyncio.open_connection`` + ``read``) on the same server; MB/s.

Printed are the requests per second, the client's CPU microseconds per request, ours over the
peer's requests per second, and the peer's CPU per request over ours (above 1: ours costs
less); on a busy host the CPU figures are the ones to read.

The server runs in its own process pinned to CPU 0, each client in its own process pinned to
CPU 1 (``taskset``), all with glibc's allocator thresholds fixed (DESIGN.md). Ours and the peers
run in interleaved rounds (``--rounds``, 3 by default) and the best round of each is reported.

``--baseline DIR`` adds another checkout of this library (``git worktree add`` or ``git archive``
of an older commit) to the same interleaved rounds, so a change is measured side by side with
the code before it.

``python -m benchmarks client -- [--quick] [--no-venv] [--baseline DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.common import save
from benchmarks.peers import AIOHTTP3, MALLOC_ENV, run_json

ROOT = Path(__file__).resolve().parents[1]
DOWNLOAD_SIZE = 256 * 1024 * 1024

SERVER = r"""
import asyncio, sys
RESP = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"
SPLIT = (b"HTTP/1.1 200 OK\r\n", b"Content-Length: 2\r\nContent-Type: text/plain\r\n\r\n", b"ok")
SIZE = int(sys.argv[2])
BLOCK = b"x" * (1 << 20)

class Proto(asyncio.Protocol):
    def connection_made(self, transport):
        self.t = transport
        self.buf = b""
        self.paused = None
    def pause_writing(self):
        self.paused = asyncio.get_running_loop().create_future()
    def resume_writing(self):
        if self.paused is not None and not self.paused.done():
            self.paused.set_result(None)
        self.paused = None
    def data_received(self, data):
        buf = self.buf + data
        while True:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                break
            head, buf = buf[:end], buf[end + 4:]
            if head.startswith(b"GET /big"):
                asyncio.get_running_loop().create_task(self.big())
            elif head.startswith(b"GET /split"):
                self.split(0)
            else:
                self.t.write(RESP)
        self.buf = buf
    def split(self, i):
        self.t.write(SPLIT[i])
        if i + 1 < len(SPLIT):
            asyncio.get_running_loop().call_soon(self.split, i + 1)
    async def big(self):
        self.t.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % SIZE)
        left = SIZE
        while left:
            n = min(left, len(BLOCK))
            self.t.write(BLOCK[:n] if n < len(BLOCK) else BLOCK)
            left -= n
            if self.paused is not None:
                await self.paused

async def main():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(Proto, "127.0.0.1", int(sys.argv[1]), backlog=1024)
    print("ready", flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""

AIOHTTP_CLIENT = r"""
import asyncio, json, sys, time, resource
import aiohttp
url, total, conc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

async def main():
    connector = aiohttp.TCPConnector(limit=conc)
    async with aiohttp.ClientSession(connector=connector) as s:
        async def warm():
            async with s.get(url) as r:
                await r.read()
        await asyncio.gather(*(warm() for _ in range(conc)))
        left = [total]
        async def worker():
            while left[0] > 0:
                left[0] -= 1
                async with s.get(url) as r:
                    await r.read()
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(conc)))
        wall = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    print(json.dumps({"rps": total / wall, "cpu_us": cpu / total * 1e6}))

asyncio.run(main())
"""

HTTPX_CLIENT = r"""
import asyncio, json, sys, time, resource
import httpx
url, total, conc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

async def main():
    limits = httpx.Limits(max_connections=conc, max_keepalive_connections=conc)
    async with httpx.AsyncClient(limits=limits) as c:
        await asyncio.gather(*(c.get(url) for _ in range(conc)))
        left = [total]
        async def worker():
            while left[0] > 0:
                left[0] -= 1
                r = await c.get(url)
                r.read()
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(conc)))
        wall = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    print(json.dumps({"rps": total / wall, "cpu_us": cpu / total * 1e6}))

asyncio.run(main())
"""

AIOHTTP_DOWNLOAD = r"""
import asyncio, json, sys, time
import aiohttp

async def main():
    async with aiohttp.ClientSession() as s:
        t0 = time.perf_counter()
        n = 0
        async with s.get(sys.argv[1]) as r:
            async for chunk in r.content.iter_chunked(65536):
                n += len(chunk)
        wall = time.perf_counter() - t0
    print(json.dumps({"mbps": n / wall / 1e6, "bytes": n}))

asyncio.run(main())
"""

RAW_DOWNLOAD = r"""
import asyncio, json, sys, time
from urllib.parse import urlsplit

async def main():
    u = urlsplit(sys.argv[1])
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection(u.hostname, u.port)
    writer.write(f"GET {u.path} HTTP/1.1\r\nHost: {u.netloc}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    n = 0
    while n < length:
        data = await reader.read(65536)
        if not data:
            break
        n += len(data)
    wall = time.perf_counter() - t0
    writer.close()
    print(json.dumps({"mbps": n / wall / 1e6, "bytes": n}))

asyncio.run(main())
"""


def _taskset(cpu: int) -> list[str]:
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") and os.cpu_count() else []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(root: Path = ROOT) -> dict[str, str]:
    env = dict(os.environ)
    env.update(MALLOC_ENV)
    env["PYTHONPATH"] = str(root)
    return env


def _ours(code: str, args: list[str], root: Path = ROOT) -> dict[str, float]:
    done = subprocess.run(
        [*_taskset(1), sys.executable, "-c", code, *args],
        check=True,
        cwd=str(root),
        env=_env(root),
        stdout=subprocess.PIPE,
        text=True,
        timeout=900,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _peer(code: str, args: list[str]) -> dict[str, float]:
    script = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_client_{os.getpid()}.py"
    script.write_text(code)
    try:
        cmd_args = list(args)
        result: dict[str, float] = run_json(AIOHTTP3, script, args=cmd_args)
        return result
    finally:
        script.unlink()


WRITES = {"one write": "", "several writes": "split"}
"""How the server sends each response -> the path that asks for it."""


def _best(table: dict[str, dict[str, float]], name: str, row: dict[str, float]) -> None:
    """Keep the better of two runs (the machine is shared: noise only ever slows a run)."""
    key = "rps" if "rps" in row else "mbps"
    if name not in table or row[key] > table[name][key]:
        table[name] = row


def _requests(url: str, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Interleaved rounds of ours and aiohttp 3.x (best kept), then one of httpx."""
    rows: dict[str, dict[str, float]] = {}
    load = [url, str(args.requests), "64"]
    for _ in range(args.rounds):
        _best(rows, "ours", _ours(AIOHTTP_CLIENT, load))
        if args.baseline is not None:
            _best(rows, "baseline", _ours(AIOHTTP_CLIENT, load, args.baseline.resolve()))
        if not args.no_venv:
            _best(rows, "aiohttp 3.x (C)", _peer(AIOHTTP_CLIENT, load))
    rows["httpx"] = _ours(HTTPX_CLIENT, [url, str(max(args.requests // 10, 100)), "64"])
    print(f"{'client':<18}{'req/s':>12}{'CPU us/req':>12}{'ours vs it':>12}{'CPU vs ours':>13}")
    for name, row in rows.items():
        ratio = rows["ours"]["rps"] / row["rps"]
        cpu = row["cpu_us"] / rows["ours"]["cpu_us"]
        print(f"{name:<18}{row['rps']:>12,.0f}{row['cpu_us']:>12.1f}{ratio:>11.2f}x{cpu:>12.2f}x")
    return rows


def main(argv: list[str]) -> int:
    """Run the client benchmarks and print the ratios to ours."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks client")
    parser.add_argument("--quick", action="store_true", help="2,000 requests, 32 MiB download")
    parser.add_argument("--requests", type=int, help="requests per run (default 20,000)")
    parser.add_argument("--download-mib", type=int, help="size of the download (default 256)")
    parser.add_argument("--no-venv", action="store_true", help="skip the aiohttp 3.x peer")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (best kept)")
    parser.add_argument("--baseline", type=Path, help="another checkout to run side by side")
    args, _ = parser.parse_known_args(argv)
    args.requests = args.requests or (2000 if args.quick else 20000)
    size = (args.download_mib or (32 if args.quick else 256)) * 1024 * 1024
    port = _free_port()
    server = subprocess.Popen(
        [*_taskset(0), sys.executable, "-c", SERVER, str(port), str(size)],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        server.stdout.readline()
        url = f"http://127.0.0.1:{port}/"
        results: dict[str, Any] = {}
        for writes, path in WRITES.items():
            print(f"-- responses sent in {writes}")
            results[writes] = _requests(url + path, args)
        downloads: dict[str, dict[str, float]] = {}
        for _ in range(args.rounds):
            _best(downloads, "ours", _ours(AIOHTTP_DOWNLOAD, [url + "big"]))
            _best(downloads, "raw asyncio", _ours(RAW_DOWNLOAD, [url + "big"]))
        print(f"\n{'download':<18}{'MB/s':>12}{'ours vs it':>12}")
        for name, row in downloads.items():
            print(
                f"{name:<18}{row['mbps']:>12,.0f}{downloads['ours']['mbps'] / row['mbps']:>11.2f}x"
            )
        save("client", {"requests": results, "download": downloads})
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
