"""WebSocket server throughput: ours against aiohttp 3.x (C extensions) and ``websockets``.

Each server runs pinned to CPU 1 with ``taskset``; the load generator (a small raw-socket client
in this process, pinned to CPU 0, pre-masked frames, no compression offered) drives it:

- ``echo``: 16 connections each keep 8 text messages of 64 bytes in flight and read the echoes;
  messages per second and the server's CPU microseconds per message are printed;
- ``big``: one connection sends a 16 MiB binary message and waits for the echo, several
  times; the best round trip is printed (the server unmasks, reassembles and sends 16 MiB).

The same application source serves ours and the real aiohttp 3.x (its own virtualenv, see
``benchmarks/peers.py``); ``websockets`` serves an equivalent echo handler.

The servers take ``--repeat`` turns each, alternating, and the best of each figure is kept: on
a shared machine a busy moment then spoils one turn, not one server's whole result.

``python -m benchmarks websocket -- [--duration 5] [--rounds 5] [--repeat 3]
[--only ours,aiohttp3,websockets]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import peers

ROOT = Path(__file__).resolve().parents[1]

AIOHTTP_APP = """
import sys, asyncio
from aiohttp import web

async def ws_echo(request):
    ws = web.WebSocketResponse(compress=False, max_msg_size=64 * 1024 * 1024)
    await ws.prepare(request)
    async for msg in ws:
        if msg.type == web.WSMsgType.TEXT:
            await ws.send_str(msg.data)
        elif msg.type == web.WSMsgType.BINARY:
            await ws.send_bytes(msg.data)
    return ws

async def main(port):
    app = web.Application()
    app.router.add_get("/ws", ws_echo)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("READY", flush=True)
    await asyncio.Event().wait()

asyncio.run(main(int(sys.argv[1])))
"""

WEBSOCKETS_APP = """
import sys, asyncio
from websockets.asyncio.server import serve

async def echo(ws):
    async for message in ws:
        await ws.send(message)

async def main(port):
    async with serve(echo, "127.0.0.1", port, compression=None, max_size=None,
                     ping_interval=None):
        print("READY", flush=True)
        await asyncio.Event().wait()

asyncio.run(main(int(sys.argv[1])))
"""

CONNECTIONS = 16
WINDOW = 8
TEXT_64 = b"x" * 64
BIG = 16 * 1024 * 1024
MASK = b"\x12\x34\x56\x78"


def _masked_frame(opcode: int, payload: bytes) -> bytes:
    n = len(payload)
    if n < 126:
        head = bytes((0x80 | opcode, 0x80 | n))
    elif n < 65536:
        head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    stream = (MASK * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(stream, "big")).to_bytes(n, "big")
    return head + MASK + masked


@dataclass
class Server:
    """A server under test running in its own process."""

    name: str
    proc: subprocess.Popen[str]
    port: int

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the server process so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(name: str) -> Server:
    port = _free_port()
    script = Path(tempfile.mkdtemp()) / "server.py"
    if name == "ours":
        script.write_text(AIOHTTP_APP)
        env = {**os.environ, **peers.MALLOC_ENV, "PYTHONPATH": str(ROOT)}
        cmd = [sys.executable, str(script), str(port)]
    elif name == "aiohttp3":
        script.write_text(AIOHTTP_APP)
        env = peers.environment(peers.AIOHTTP3)
        cmd = peers.command(peers.AIOHTTP3, [str(script), str(port)])
    else:
        script.write_text(WEBSOCKETS_APP)
        env = {**os.environ, **peers.MALLOC_ENV}
        env.pop("PYTHONPATH", None)
        cmd = [sys.executable, str(script), str(port)]
    proc = subprocess.Popen(
        ["taskset", "-c", "1", *cmd],
        cwd=script.parent,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "READY":
        proc.kill()
        raise RuntimeError(f"{name} server did not start")
    return Server(name, proc, port)


async def _connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**24)
    writer.write(
        b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(f"handshake refused: {head[:40]!r}")
    return reader, writer


async def _echo_loop(port: int, stop_at: float, counts: list[int]) -> None:
    reader, writer = await _connect(port)
    batch = _masked_frame(1, TEXT_64) * WINDOW
    answer = (2 + 64) * WINDOW
    done = 0
    while time.perf_counter() < stop_at:
        writer.write(batch)
        await reader.readexactly(answer)
        done += WINDOW
    counts.append(done)
    writer.close()


async def echo_rate(server: Server, duration: float) -> tuple[float, float]:
    """(messages per second, server CPU microseconds per message)."""
    warm = time.perf_counter() + 0.5
    await asyncio.gather(*(_echo_loop(server.port, warm, []) for _ in range(2)))
    counts: list[int] = []
    cpu0 = server.cpu_seconds()
    start = time.perf_counter()
    await asyncio.gather(
        *(_echo_loop(server.port, start + duration, counts) for _ in range(CONNECTIONS))
    )
    elapsed = time.perf_counter() - start
    cpu = server.cpu_seconds() - cpu0
    total = sum(counts)
    return total / elapsed, cpu / total * 1e6


async def big_round_trip(server: Server, rounds: int) -> float:
    """The best time to send 16 MiB and read it back, in seconds."""
    reader, writer = await _connect(server.port)
    frame = _masked_frame(2, os.urandom(BIG))
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        writer.write(frame)
        await reader.readexactly(10 + BIG)
        best = min(best, time.perf_counter() - start)
    writer.close()
    return best


def main(argv: list[str]) -> int:
    """Run both scenarios against each server and print ratios to ours."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks websocket")
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="turns per server; best is kept")
    parser.add_argument("--only", default="ours,aiohttp3,websockets")
    args = parser.parse_args(argv)
    names = args.only.split(",")
    os.sched_setaffinity(0, {0})
    results: dict[str, tuple[float, float, float]] = {}
    for _ in range(args.repeat):  # servers take turns, so a busy moment hits all of them
        for name in names:
            server = _start(name)
            try:
                rate, cpu_us = asyncio.run(echo_rate(server, args.duration))
                big = asyncio.run(big_round_trip(server, args.rounds))
            finally:
                server.proc.kill()
                server.proc.wait()
            best = results.get(name, (0.0, float("inf"), float("inf")))
            results[name] = (max(best[0], rate), min(best[1], cpu_us), min(best[2], big))
    base = results.get("ours")
    print(f"{'server':<12}{'msg/s':>12}{'cpu µs/msg':>12}{'16 MiB rt':>12}{'ratio':>10}")
    for name, (rate, cpu_us, big) in results.items():
        ratio = f"{rate / base[0]:.2f}x" if base else "-"
        print(f"{name:<12}{rate:>12.0f}{cpu_us:>12.1f}{big * 1000:>10.0f}ms{ratio:>10}")
    if base:
        for name, (rate, _, big) in results.items():
            if name != "ours":
                print(
                    f"ours vs {name}: {base[0] / rate:.2f}x messages/s, "
                    f"16 MiB round trip {base[2] / big:.2f}x their time"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
