"""Request parsing throughput, in messages per second, side by side with peers.

Workloads: (a) a browser-like GET head with 12 fields; (b) a POST with a 64 KiB chunked body in
1 KiB chunks; (c) 16 small pipelined requests in one buffer (16 messages per feed).

Peers: ``h11`` and ``httptools`` in this process; the real aiohttp 3.x parsers (pure Python with
``AIOHTTP_NO_EXTENSIONS=1``, and its C parser) in their own virtualenv (see ``peers.py``).
Every parser is reused across messages, except h11, which parses the next request on a
connection only after a response was sent: it gets a fresh ``Connection`` per message in (a) and
(b), and sends a minimal response between the requests of (c). ``httptools+heads`` also builds
what a server needs from the callbacks (decoded names and values in a ``CIMultiDict``), the
fair comparison for a parser whose heads come out ready to use.

``python -m benchmarks parser -- [--quick] [--no-venv]``
"""

from __future__ import annotations

import argparse
import base64
import inspect
import json
import sys
import time
from collections.abc import Callable

WORKLOADS: dict[str, tuple[bytes, int]] = {}
"""name -> (bytes fed at once, messages in them)."""

GET = (
    b"GET /catalog/item?id=42&ref=home HTTP/1.1\r\n"
    b"Host: www.example.com\r\n"
    b"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
    b"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
    b"Accept-Language: en-US,en;q=0.5\r\n"
    b"Accept-Encoding: gzip, deflate, br, zstd\r\n"
    b"Connection: keep-alive\r\n"
    b"Cookie: session=7b2f1c0e9a; theme=dark; consent=yes\r\n"
    b"Upgrade-Insecure-Requests: 1\r\n"
    b"Sec-Fetch-Dest: document\r\n"
    b"Sec-Fetch-Mode: navigate\r\n"
    b"Sec-Fetch-Site: same-origin\r\n"
    b"Referer: https://www.example.com/catalog\r\n"
    b"\r\n"
)
_CHUNK = b"x" * 1024
POST = (
    b"POST /upload HTTP/1.1\r\nHost: www.example.com\r\nContent-Type: application/octet-stream\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n"
    + b"".join(b"400\r\n" + _CHUNK + b"\r\n" for _ in range(64))
    + b"0\r\n\r\n"
)
SMALL = b"GET /api/v1/items/%02d HTTP/1.1\r\nHost: api.example.com\r\nAccept: */*\r\n\r\n"
PIPELINED = b"".join(SMALL % i for i in range(16))
WORKLOADS.update(
    {
        "a-get-12-fields": (GET, 1),
        "b-post-64k-chunked": (POST, 1),
        "c-16-pipelined": (PIPELINED, 16),
    }
)


def calibrate(run: Callable[[int], None], seconds: float) -> int:
    """How many feeds take about ``seconds`` of CPU time."""
    n = 1
    while True:
        start = time.process_time()
        run(n)
        took = time.process_time() - start
        if took > seconds / 4 or n > 1 << 24:
            return max(1, int(n * seconds / max(took, 1e-9)))
        n *= 2


def measure(run: Callable[[int], None], messages: int, seconds: float, rounds: int = 5) -> float:
    """Messages per CPU second of ``run(n)`` (n feeds), best of ``rounds`` timed rounds."""
    n = calibrate(run, seconds / rounds)
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        run(n)
        best = min(best, time.process_time() - start)
    return n * messages / best


def measure_side_by_side(
    runs: dict[str, Callable[[int], None]], messages: int, seconds: float, rounds: int = 7
) -> dict[str, float]:
    """Like :func:`measure` for several runners, alternating them round by round, so a busy
    machine slows them all alike."""
    counts = {name: calibrate(run, seconds / rounds) for name, run in runs.items()}
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.process_time()
            run(counts[name])
            best[name] = min(best[name], time.process_time() - start)
    return {name: counts[name] * messages / best[name] for name in runs}


def ours(data: bytes) -> Callable[[int], None]:
    from aiohttp._sansio.http1 import RequestParser

    feed = RequestParser().feed

    def run(n: int) -> None:
        for _ in range(n):
            feed(data)

    return run


def h11_runner(data: bytes) -> Callable[[int], None]:
    import h11

    def run(n: int) -> None:
        for _ in range(n):
            conn = h11.Connection(h11.SERVER)
            conn.receive_data(data)
            while True:
                event = conn.next_event()
                if type(event) is h11.EndOfMessage:
                    if conn.their_state is h11.DONE and data is PIPELINED:
                        conn.send(h11.Response(status_code=204, headers=[]))
                        conn.send(h11.EndOfMessage())
                        conn.start_next_cycle()
                        continue
                    break
                if event is h11.NEED_DATA or event is h11.PAUSED:
                    break

    return run


def httptools_runner(data: bytes, *, heads: bool) -> Callable[[int], None]:
    import httptools
    from multidict import CIMultiDict, CIMultiDictProxy

    class Protocol:
        def __init__(self) -> None:
            self.fields: list[tuple[bytes, bytes]] = []
            self.body: list[bytes] = []
            self.url = b""

        def on_url(self, url: bytes) -> None:
            self.url = url

        def on_header(self, name: bytes, value: bytes) -> None:
            self.fields.append((name, value))

        def on_headers_complete(self) -> None:
            if heads:
                CIMultiDictProxy(
                    CIMultiDict(
                        [
                            (k.decode("latin-1"), v.decode("utf-8", "surrogateescape"))
                            for k, v in self.fields
                        ]
                    )
                )
                self.url.decode("ascii")
                parser.get_method().decode("ascii")
                parser.get_http_version()
                parser.should_keep_alive()
            self.fields = []

        def on_body(self, body: bytes) -> None:
            self.body.append(body)

        def on_message_complete(self) -> None:
            self.body = []

    parser = httptools.HttpRequestParser(Protocol())

    def run(n: int) -> None:
        for _ in range(n):
            parser.feed_data(data)

    return run


PEER_CODE = (
    r"""
import asyncio, base64, json, sys, time
from aiohttp import http_parser
from aiohttp.base_protocol import BaseProtocol
from typing import Callable
workloads = {k: (base64.b64decode(v[0]), v[1]) for k, v in json.loads(sys.stdin.read()).items()}
seconds = float(sys.argv[1])
kind = sys.argv[2]
loop = asyncio.new_event_loop()
cls = http_parser.HttpRequestParserPy if kind == "py" else http_parser.HttpRequestParserC
def make(data):
    parser = cls(BaseProtocol(loop), loop, 2**16, max_line_size=8190, max_field_size=8190)
    def run(n):
        for _ in range(n):
            for message, payload in parser.feed_data(data)[0]:
                pass
    return run
"""
    + "\n"
    + "".join(inspect.getsource(calibrate) + "\n\n" + inspect.getsource(measure))
    + r"""
print(json.dumps({k: measure(make(d), m, seconds) for k, (d, m) in workloads.items()}))
"""
)


def aiohttp_peer(kind: str, seconds: float) -> dict[str, float]:
    """Run the real aiohttp 3.x parser (``py`` or ``c``) in its virtualenv."""
    from benchmarks import peers

    peer = peers.AIOHTTP3_PURE if kind == "py" else peers.AIOHTTP3
    payload = json.dumps({k: (base64.b64encode(d).decode(), m) for k, (d, m) in WORKLOADS.items()})
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as cwd:
        done = subprocess.run(
            peers.command(peer, ["-c", PEER_CODE, str(seconds), kind]),
            input=payload,
            cwd=cwd,
            env=peers.environment(peer),
            stdout=subprocess.PIPE,
            check=True,
            text=True,
            timeout=900,
        )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str]) -> int:
    """Run the parser benchmark; print messages per second and each peer's ratio to ours."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks parser")
    parser.add_argument("--quick", action="store_true", help="shorter rounds")
    parser.add_argument("--no-venv", action="store_true", help="skip the aiohttp 3.x peers")
    args = parser.parse_args(argv)
    seconds = 0.6 if args.quick else 2.0
    local: dict[str, Callable[[bytes], Callable[[int], None]]] = {
        "ours": ours,
        "h11": h11_runner,
        "httptools": lambda d: httptools_runner(d, heads=False),
        "httptools+heads": lambda d: httptools_runner(d, heads=True),
    }
    table: dict[str, dict[str, float]] = {name: {} for name in local}
    for workload, (data, messages) in WORKLOADS.items():
        runs = {name: factory(data) for name, factory in local.items()}
        for name, rate in measure_side_by_side(runs, messages, seconds * len(runs)).items():
            table[name][workload] = rate
    if not args.no_venv:
        table["aiohttp3-py"] = aiohttp_peer("py", seconds)
        table["aiohttp3-c"] = aiohttp_peer("c", seconds)
    print(f"{'parser':<18}" + "".join(f"{w:>24}" for w in WORKLOADS))
    for name, row in table.items():
        cells = []
        for workload in WORKLOADS:
            rate = row[workload]
            ratio = table["ours"][workload] / rate
            cells.append(
                f"{rate:>12,.0f}/s" + (f" ours {ratio:4.2f}x" if name != "ours" else " " * 10)
            )
        print(f"{name:<18}" + "".join(f"{c:>24}" for c in cells))
    print("('ours N x' = our messages per second divided by the peer's)")
    print(json.dumps(table))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
