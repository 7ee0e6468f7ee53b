"""Input that waits is bounded: 64 MiB sent at a server whose handlers never read grows the
server process by a few MiB at most, because reading pauses at a high-water mark.

The server runs in a subprocess (``bounded_server.py``) so its resident set size can be read
from ``/proc``; the client sends until the server stops reading (its writes stall) or all
64 MiB are sent, and the growth is measured while the connection is still open.
"""

from __future__ import annotations

import asyncio
import os
import struct
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")

TOTAL = 64 * 1024 * 1024
PIECE = 256 * 1024
#: What "a few MiB" means here: the marks are 128 KiB of held bytes, 32 queued requests (with
#: bodies under 128 KiB each) and 64 KiB of WebSocket messages, plus one frame being read, one
#: socket read and the allocator's slack. Measured: 0.1 MiB, except 2.2 MiB for the pipeline.
GROWTH_LIMIT = 4 * 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")  # pragma: no cover


@pytest.fixture
async def server(loop: asyncio.AbstractEventLoop) -> AsyncIterator[tuple[int, int]]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.functional.bounded_server",
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert proc.stdout is not None
    try:
        line = await asyncio.wait_for(proc.stdout.readline(), 20)
        yield proc.pid, int(line)
    finally:
        proc.kill()
        await proc.wait()


async def flood(
    port: int, head: bytes, piece: bytes, pid: int, total: int = TOTAL
) -> tuple[int, int]:
    """Send ``head`` then ``piece`` repeatedly up to ``total`` bytes, stopping when the server
    stops reading; return (bytes sent, RSS growth while the connection is still open)."""
    _reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head)
        await writer.drain()
        await asyncio.sleep(0.2)
        before = rss(pid)
        sent = 0
        while sent < total:
            writer.write(piece)
            try:
                await asyncio.wait_for(writer.drain(), 1.0)
            except TimeoutError:
                break  # back-pressure: the server stopped reading
            sent += len(piece)
        await asyncio.sleep(0.3)
        return sent, rss(pid) - before
    finally:
        writer.close()


def masked_frame(payload: bytes) -> bytes:
    """A masked binary frame (zero mask) with a 64-bit length (RFC 6455 §5.2)."""
    return b"\x82\xff" + struct.pack("!Q", len(payload)) + b"\x00\x00\x00\x00" + payload


PIPELINED = b"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 65000\r\n\r\n" + b"b" * 65000

CASES = {
    # An upgrade nobody answers: the bytes after the head are held for the switch.
    "upgrade": (
        b"GET /slow HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n",
        b"u" * PIECE,
    ),
    # A CONNECT nobody answers: the bytes are held for the tunnel.
    "connect": (b"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n", b"t" * PIECE),
    # Requests with bodies pipelined behind a handler that sleeps.
    "pipelined": (b"GET /slow HTTP/1.1\r\nHost: h\r\n\r\n", PIPELINED * 4),
    # WebSocket frames to a handler that never reads them.
    "websocket": (
        b"GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        masked_frame(b"w" * (1024 * 1024)),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_64_mib_at_a_slow_handler_grows_the_server_by_a_few_mib(
    server: tuple[int, int], case: str
) -> None:
    pid, port = server
    head, piece = CASES[case]
    # Warm up: the first connection of each kind imports and allocates what it needs.
    await flood(port, head, piece, pid, total=len(piece))
    sent, growth = await flood(port, head, piece, pid)
    assert growth < GROWTH_LIMIT, f"{case}: grew {growth / 2**20:.1f} MiB after {sent} bytes"
    assert sent < TOTAL, "the server read all 64 MiB without pausing"
