"""WebSocket server throughput: ours against aiohttp 3.x (C extensions) and ``websockets``.

Each server runs in its own process pinned to CPU 1 with ``taskset``; the load generator (this
process, pinned to CPU 0) is a bare asyncio protocol sending pre-masked frames and counting the
bytes that come back, so it costs a fraction of what a server spends per message and the server
is the bottleneck. No compression is offered.

- ``echo``: 16 connections each keep 8 text messages of 64 bytes in flight; printed are the
  messages per second and the server's CPU microseconds per message (user + system, from
  ``/proc/<pid>/task/*/schedstat``), which a busy neighbour on a shared machine disturbs much less
  than wall time;
- ``big``: one connection sends a 16 MiB binary message and waits for the echo, several times;
  printed are the round trip and the server's CPU milliseconds per round trip (the server
  unmasks, reassembles and sends back 16 MiB), and what share of ours unmasking takes (the
  time our ``apply_mask`` needs for 16 MiB in this process).

The same application source serves ours and the real aiohttp 3.x (its own virtualenv, see
``benchmarks/peers.py``); ``websockets`` serves an equivalent echo handler (``common.py``).
All servers start once and then take ``--repeat`` turns each, in a rotating order, so a busy
moment of the host spoils one turn rather than one server's result; the best and the median of
the turns are printed, and the ratios are taken from the best.

``--baseline DIR`` adds a server named ``baseline``: the same application on the ``aiohttp``
package found in ``DIR`` (an export of another revision, e.g. ``git archive main aiohttp | tar
-x -C DIR``), so a change is measured against the code before it side by side, in one run.

``python -m benchmarks websocket -- [--duration 3] [--rounds 5] [--repeat 5]
[--only ours,aiohttp3,websockets] [--baseline DIR]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from benchmarks import common

CONNECTIONS = 16
WINDOW = 8
TEXT_64 = b"x" * 64
BIG = 16 * 1024 * 1024
MASK = b"\x12\x34\x56\x78"
HANDSHAKE = (
    b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
)


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


class _Load(asyncio.Protocol):
    """One client connection: handshake, then each time ``expect`` bytes came back, ``next()``.

    Only the count of echoed bytes is checked (the servers send nothing else), which keeps the
    generator's cost per message far below the server's.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._head: bytes | None = b""
        self.expect = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(HANDSHAKE)

    def data_received(self, data: bytes) -> None:
        if self._head is not None:
            self._head += data
            end = self._head.find(b"\r\n\r\n")
            if end < 0:
                return
            if not self._head.startswith(b"HTTP/1.1 101"):
                raise RuntimeError(f"handshake refused: {self._head[:40]!r}")
            data = self._head[end + 4 :]
            self._head = None
            self.ready.set_result(None)
            if not data:
                return
        self.expect -= len(data)
        if self.expect <= 0:
            self.next()

    def next(self) -> None:
        """The awaited bytes all came back."""

    def connection_lost(self, exc: BaseException | None) -> None:
        if not self.ready.done():
            self.ready.set_exception(exc or ConnectionError("closed before the handshake"))


L = TypeVar("L", bound=_Load)


class _EchoLoad(_Load):
    batch = _masked_frame(1, TEXT_64) * WINDOW
    answer = (2 + len(TEXT_64)) * WINDOW

    def __init__(self) -> None:
        super().__init__()
        self.done = 0
        self.running = True

    def go(self) -> None:
        assert self.transport is not None
        self.expect = self.answer
        self.transport.write(self.batch)

    def next(self) -> None:
        self.done += WINDOW
        if self.running:
            self.go()


class _BigLoad(_Load):
    frame = b""

    def __init__(self) -> None:
        super().__init__()
        self.echoed: asyncio.Future[None] | None = None

    async def round_trip(self) -> float:
        assert self.transport is not None
        self.echoed = asyncio.get_running_loop().create_future()
        self.expect = 10 + BIG
        start = time.perf_counter()
        self.transport.write(self.frame)
        await self.echoed
        return time.perf_counter() - start

    def next(self) -> None:
        assert self.echoed is not None
        self.echoed.set_result(None)


async def _open(server: common.Server, factory: type[L]) -> L:
    loop = asyncio.get_running_loop()
    _, conn = await loop.create_connection(factory, "127.0.0.1", server.port)
    await conn.ready
    return conn


@dataclass
class Turn:
    """One server's figures from one turn."""

    rate: float  # messages per second
    cpu_us: float  # server CPU microseconds per message
    load_us: float  # load generator CPU microseconds per message
    big_ms: float  # best 16 MiB round trip of the turn, milliseconds
    big_cpu_ms: float  # server CPU milliseconds per 16 MiB round trip


async def echo_rate(server: common.Server, duration: float) -> tuple[float, float, float]:
    """(messages per second, server and load generator CPU microseconds per message)."""
    loads = [await _open(server, _EchoLoad) for _ in range(CONNECTIONS)]
    for conn in loads:
        conn.go()
    await asyncio.sleep(min(0.5, duration / 4))  # warm up
    done0, cpu0, load0 = sum(c.done for c in loads), server.cpu_seconds(), time.process_time()
    start = time.perf_counter()
    await asyncio.sleep(duration)
    elapsed = time.perf_counter() - start
    total = sum(c.done for c in loads) - done0
    cpu, load = server.cpu_seconds() - cpu0, time.process_time() - load0
    for conn in loads:
        conn.running = False
    await asyncio.sleep(0.05)
    for conn in loads:
        assert conn.transport is not None
        conn.transport.close()
    return total / elapsed, cpu / total * 1e6, load / total * 1e6


async def big_round_trip(server: common.Server, rounds: int) -> tuple[float, float]:
    """(the best time to send 16 MiB and read it back, server CPU per round), in seconds."""
    conn = await _open(server, _BigLoad)
    assert conn.transport is not None
    await conn.round_trip()  # warm up
    cpu0 = server.cpu_seconds()
    best = min([await conn.round_trip() for _ in range(rounds)])
    cpu = (server.cpu_seconds() - cpu0) / rounds
    conn.transport.close()
    return best, cpu


def _turn(server: common.Server, args: argparse.Namespace) -> Turn:
    rate, cpu_us, load_us = asyncio.run(echo_rate(server, args.duration))
    big, big_cpu = asyncio.run(big_round_trip(server, args.rounds))
    return Turn(rate, cpu_us, load_us, big * 1000, big_cpu * 1000)


@dataclass
class Figures:
    """All turns of one server."""

    turns: list[Turn] = field(default_factory=list)

    def best(self) -> Turn:
        """The best of each figure over the turns."""
        t = self.turns
        return Turn(
            max(x.rate for x in t),
            min(x.cpu_us for x in t),
            min(x.load_us for x in t),
            min(x.big_ms for x in t),
            min(x.big_cpu_ms for x in t),
        )

    def median(self) -> Turn:
        """The median of each figure over the turns."""
        t = self.turns
        return Turn(
            *(statistics.median(getattr(x, f) for x in t) for f in Turn.__dataclass_fields__)
        )


def _masking_ms() -> float:
    """CPU milliseconds to unmask 16 MiB with :func:`apply_mask` (the best of 3 runs)."""
    from aiohttp._sansio.websocket.frames import apply_mask

    payload, best = os.urandom(BIG), float("inf")
    for _ in range(3):
        start = time.process_time()
        apply_mask(MASK, payload)
        best = min(best, time.process_time() - start)
    return best * 1000


def _report(results: dict[str, Figures]) -> None:
    print(
        f"{'server':<12}{'':<7}{'msg/s':>9}{'cpu µs/msg':>12}{'load µs/msg':>13}"
        f"{'16 MiB rt':>11}{'cpu/16 MiB':>12}"
    )
    for name, figures in results.items():
        for label, t in (("best", figures.best()), ("median", figures.median())):
            print(
                f"{name:<12}{label:<7}{t.rate:>9.0f}{t.cpu_us:>12.2f}{t.load_us:>13.2f}"
                f"{t.big_ms:>9.1f}ms{t.big_cpu_ms:>10.1f}ms"
            )
    if "ours" not in results:
        return
    masking = _masking_ms()
    print(
        f"unmasking 16 MiB with our sans-I/O code takes {masking:.1f} ms of CPU here: "
        f"{masking / results['ours'].best().big_cpu_ms:.0%} of our server's CPU per round trip"
    )
    ours, ours_median = results["ours"].best(), results["ours"].median()
    for name, figures in results.items():
        if name == "ours":
            continue
        theirs, theirs_median = figures.best(), figures.median()
        print(
            f"ours vs {name}: {ours.rate / theirs.rate:.2f}x messages/s "
            f"(median {ours_median.rate / theirs_median.rate:.2f}x), "
            f"{theirs.cpu_us / ours.cpu_us:.2f}x their CPU per message; 16 MiB round trip "
            f"{ours.big_ms / theirs.big_ms:.2f}x their time "
            f"(median {ours_median.big_ms / theirs_median.big_ms:.2f}x), "
            f"{ours.big_cpu_ms / theirs.big_cpu_ms:.2f}x their CPU"
        )


def main(argv: list[str]) -> int:
    """Run both scenarios against each server and print ratios to ours."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks websocket")
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5, help="turns per server")
    parser.add_argument("--only", default="ours,aiohttp3,websockets")
    parser.add_argument("--baseline", type=Path, help="also run the aiohttp package in this dir")
    args = parser.parse_args(argv)
    names = args.only.split(",")
    if args.baseline is not None:
        if not (args.baseline / "aiohttp" / "__init__.py").is_file():
            parser.error(f"no aiohttp package in {args.baseline}")
        names.append("baseline")
    common.pin_to_cpu0()
    _BigLoad.frame = _masked_frame(2, os.urandom(BIG))
    results = {name: Figures() for name in names}
    with ExitStack() as stack:
        servers = [stack.enter_context(common.serve(name, args.baseline)) for name in names]
        for turn in range(args.repeat):
            for i in range(len(servers)):  # rotate the order so no server always goes first
                server = servers[(turn + i) % len(servers)]
                results[server.name].turns.append(_turn(server, args))
    _report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
