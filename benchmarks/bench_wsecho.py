"""WebSocket echo driven by an independent client, the ``websockets`` library.

Servers (``common.py``): ours, the real aiohttp 3.x with C extensions, and ``websockets``, each
pinned to CPU 1; the ``websockets`` client runs in this process on CPU 0. Scenarios:

- ``one-per-read``: 8 connections; each sends a 64-byte text message, waits for the echo, sends
  the next, so every read the server makes holds one message, as with most real clients;
- ``batched``: the same connections each send 8 messages, then read the 8 echoes, so a read
  may hold several messages;
- ``deflate``: one connection with permessage-deflate echoes 1,000 JSON-like texts of 16 KiB,
  one at a time.

Printed are the messages per second, the server's CPU microseconds per message (all its
threads, from ``/proc/<pid>/task/*/schedstat``) and for ``deflate`` the wall time of the 1,000
echoes; ratios are the peer's figure over ours (above 1: ours costs less). Every server takes
``--repeat`` turns in a rotating order and the best turn is kept.

``python -m benchmarks wsecho -- [--duration 3] [--repeat 3] [--messages 1000]
[--only ours,aiohttp3,websockets]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from contextlib import ExitStack
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from benchmarks import common

CONNECTIONS = 8
TEXT = "x" * 64
WINDOWS = {"one-per-read": 1, "batched": 8}


def json_like(seed: int, size: int = 16 * 1024) -> str:
    """``size`` characters of JSON records (ids, names, numbers, flags) that differ by ``seed``."""
    rnd = random.Random(seed)
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
    records, length = [], 0
    while length < size:
        record = {
            "id": rnd.randrange(10**9),
            "name": " ".join(rnd.choices(words, k=3)),
            "price": round(rnd.uniform(0, 1000), 2),
            "tags": rnd.sample(words, 2),
            "active": rnd.random() < 0.5,
        }
        records.append(record)
        length += len(json.dumps(record)) + 2
    return json.dumps(records)[:size]


async def _connect(server: common.Server, path: str, compression: str | None) -> ClientConnection:
    url = f"ws://127.0.0.1:{server.port}{path}"
    return await connect(url, compression=compression, max_size=None, ping_interval=None)


async def _loop(ws: ClientConnection, window: int, done: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for _ in range(window):
            await ws.send(TEXT)
        for _ in range(window):
            await ws.recv()
        done[0] += window


async def echo_rate(server: common.Server, window: int, duration: float) -> dict[str, float]:
    """Messages per second and server CPU µs per message with ``window`` messages in flight."""
    conns = [await _connect(server, "/ws", None) for _ in range(CONNECTIONS)]
    done, stop = [0], asyncio.Event()
    tasks = [asyncio.create_task(_loop(ws, window, done, stop)) for ws in conns]
    await asyncio.sleep(min(0.3, duration / 4))  # warm up
    count0, cpu0, start = done[0], server.cpu_seconds(), time.perf_counter()
    await asyncio.sleep(duration)
    count, cpu = done[0] - count0, server.cpu_seconds() - cpu0
    elapsed = time.perf_counter() - start
    stop.set()
    await asyncio.gather(*tasks)
    for ws in conns:
        await ws.close()
    return {"msg_per_s": count / elapsed, "cpu_us": cpu / max(count, 1) * 1e6}


async def deflate_echo(server: common.Server, texts: list[str]) -> dict[str, float]:
    """Wall time and server CPU for echoing ``texts`` one by one with permessage-deflate."""
    async with await _connect(server, "/wsz", "deflate") as ws:
        if not ws.protocol.extensions:
            raise RuntimeError(f"{server.name} did not negotiate permessage-deflate")
        await ws.send(texts[0])
        if await ws.recv() != texts[0]:
            raise RuntimeError(f"{server.name} echoed something else")
        cpu0, start = server.cpu_seconds(), time.perf_counter()
        for text in texts:
            await ws.send(text)
            await ws.recv()
        wall, cpu = time.perf_counter() - start, server.cpu_seconds() - cpu0
    n = len(texts)
    return {"msg_per_s": n / wall, "wall_ms": wall * 1e3, "cpu_us": cpu / n * 1e6}


def _turn(server: common.Server, args: argparse.Namespace, texts: list[str]) -> dict[str, Any]:
    turn: dict[str, Any] = {
        name: asyncio.run(echo_rate(server, window, args.duration))
        for name, window in WINDOWS.items()
    }
    turn["deflate"] = asyncio.run(deflate_echo(server, texts))
    return turn


def _best(turns: list[dict[str, Any]]) -> dict[str, Any]:
    """Per scenario, the turn that cost the server the least CPU per message."""
    return {name: min((t[name] for t in turns), key=lambda r: r["cpu_us"]) for name in turns[0]}


def report(best: dict[str, dict[str, Any]]) -> None:
    """Print one table per scenario with the peers' ratios to ours."""
    ours = best.get("ours")
    for scenario in (*WINDOWS, "deflate"):
        print(f"-- {scenario}")
        print(f"{'server':<12}{'msg/s':>10}{'cpu µs/msg':>12}{'wall ms':>10}{'CPU vs ours':>13}")
        for name, results in best.items():
            row = results[scenario]
            vs = common.ratio(ours[scenario]["cpu_us"], row["cpu_us"]) if ours else "-"
            wall = f"{row['wall_ms']:.0f}" if "wall_ms" in row else "-"
            print(f"{name:<12}{row['msg_per_s']:>10.0f}{row['cpu_us']:>12.1f}{wall:>10}{vs:>13}")
        if ours and "aiohttp3" in best and scenario == "deflate":
            wall = ours[scenario]["wall_ms"] / best["aiohttp3"][scenario]["wall_ms"]
            print(f"ours takes {wall:.2f}x aiohttp 3.x's time for the deflate echo")


def main(argv: list[str]) -> int:
    """Run the scenarios against each server and print ratios to ours."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks wsecho")
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=3, help="turns per server; best kept")
    parser.add_argument("--messages", type=int, default=1000, help="deflate echo messages")
    parser.add_argument("--only", default="ours,aiohttp3,websockets")
    args, _ = parser.parse_known_args(argv)
    common.pin_to_cpu0()
    texts = [json_like(i) for i in range(args.messages)]
    names = args.only.split(",")
    turns: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    with ExitStack() as stack:
        servers = [stack.enter_context(common.serve(name)) for name in names]
        for turn in range(args.repeat):
            for i in range(len(servers)):  # rotate so that no server always goes first
                server = servers[(turn + i) % len(servers)]
                turns[server.name].append(_turn(server, args, texts))
    best = {name: _best(t) for name, t in turns.items()}
    report(best)
    common.save("wsecho", {"best": best, "turns": turns})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
