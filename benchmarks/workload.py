"""In-process workloads for profilers: our server or client and a minimal raw peer in one loop.

Each workload does ``count`` operations and nothing else, deterministically, so a profiler's
figures over the whole process compare between two versions of the code: run it twice with
different counts and the difference is the cost of the extra operations::

    python -m benchmarks.workload get 20000
    python -m benchmarks.workload get 20000 --cprofile build/profile/get.pstats
    py-spy record -o build/profile/get.svg -- python -m benchmarks.workload get 20000
    valgrind --tool=callgrind python -m benchmarks.workload get 2000

``--pause`` waits for a line on standard input after the imports, so that an instruction
count can leave them out (``valgrind --tool=callgrind --instr-atstart=no``, then
``callgrind_control -i on PID`` before the line is sent).

Workloads: ``get`` (keep-alive ``GET /``), ``post`` (keep-alive ``POST /echo`` of 1 KiB),
``close`` (``GET /`` with ``Connection: close``, a new connection each), ``ws`` (a 64-byte
WebSocket text echo, one message per read), ``wsburst`` (the same with 8 messages in flight,
sent in one write), ``client`` (our ``ClientSession`` doing GETs at
concurrency 64 against a canned response), and ``floor`` and ``wsfloor`` (the ``get`` and
``ws`` loads against a bare asyncio protocol that answers with canned bytes: the part of every
figure that is the raw peer and asyncio itself). The raw peers parse just enough to count
answers.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import re
import socket
import sys
import time
from collections.abc import Awaitable, Callable

from aiohttp import ClientSession, TCPConnector, web

CONNECTIONS = 8
LENGTH = re.compile(rb"content-length: *(\d+)", re.I)
GET = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
POST = (
    b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
    b"Content-Length: 1024\r\n\r\n" + b"x" * 1024
)
CLOSE = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
UPGRADE = (
    b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
)
BURST = 8
MASK = b"\x12\x34\x56\x78"
FRAME = b"\x81\xc0" + MASK + bytes(b ^ MASK[i % 4] for i, b in enumerate(b"x" * 64))
SWITCHED = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
ECHO = b"\x81\x40" + b"x" * 64
CANNED = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"
FLOOR = b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, World!"


class Peer(asyncio.Protocol):
    """A raw client: sends ``request`` ``left`` times, each after the previous answer."""

    def __init__(self, request: bytes, left: int, done: asyncio.Future[None]) -> None:
        self.request, self.left, self.done = request, left, done
        self.buf = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.send()

    def send(self) -> None:
        assert self.transport is not None
        if self.left == 0:
            self.transport.close()
            self.done.set_result(None)
            return
        self.left -= 1
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        while (end := buf.find(b"\r\n\r\n")) >= 0:
            found = LENGTH.search(buf, 0, end)
            size = end + 4 + (int(found.group(1)) if found else 0)
            if len(buf) < size:
                return
            del buf[:size]
            self.send()


class WsPeer(Peer):
    """A raw WebSocket client: after the handshake, one masked frame per echo."""

    upgraded = False
    frames = FRAME  # what it sends after the handshake, each time

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            del buf[: end + 4]
            self.upgraded, self.request = True, self.frames
            self.left += 1  # the handshake was not a message
            self.send()
        elif len(buf) >= 66:  # the unmasked echo: 2 header bytes and 64 of payload
            del buf[:66]
            self.send()


class WsBurstPeer(WsPeer):
    """A raw WebSocket client keeping :data:`BURST` messages in flight, sent in one write."""

    frames = FRAME * BURST

    def __init__(self, request: bytes, left: int, done: asyncio.Future[None]) -> None:
        super().__init__(request, left // BURST, done)

    def data_received(self, data: bytes) -> None:
        if not self.upgraded:
            super().data_received(data)  # the handshake's answer: the first burst goes
            return
        buf = self.buf
        buf += data
        if len(buf) >= 66 * BURST:  # the echoes of the whole burst
            del buf[: 66 * BURST]
            self.send()


async def _hello(request: web.Request) -> web.Response:
    return web.Response(text="Hello, World!")


async def _echo(request: web.Request) -> web.Response:
    return web.Response(body=await request.read())


async def _ws(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for msg in ws:
        await ws.send_str(msg.data)
    return ws


async def serve(count: int, request: bytes, peer: type[Peer] = Peer) -> None:
    """Our server under ``count`` requests from :data:`CONNECTIONS` raw keep-alive clients."""
    app = web.Application()
    app.router.add_get("/", _hello)
    app.router.add_post("/echo", _echo)
    app.router.add_get("/ws", _ws)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.SockSite(runner, _listening())
    await site.start()
    loop = asyncio.get_running_loop()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    done = [loop.create_future() for _ in range(CONNECTIONS)]
    for fut in done:
        await loop.create_connection(
            lambda f=fut: peer(request, count // CONNECTIONS, f), port=port
        )
    await asyncio.gather(*done)
    await runner.cleanup()


async def close(count: int) -> None:
    """Our server answering ``count`` requests, each on its own connection."""

    async def one(port: int) -> None:
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        await loop.create_connection(lambda: Peer(CLOSE, 1, fut), "127.0.0.1", port)
        await fut

    app = web.Application()
    app.router.add_get("/", _hello)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.SockSite(runner, _listening())
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    for _ in range(count // CONNECTIONS):
        await asyncio.gather(*(one(port) for _ in range(CONNECTIONS)))
    await runner.cleanup()


class _Floor(asyncio.Protocol):
    """The floor: a bare asyncio server answering each GET head with a canned response."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.transport.write(FLOOR * data.count(b"\r\n\r\n"))  # type: ignore[attr-defined]


async def floor(count: int) -> None:
    """The ``get`` load against :class:`_Floor`: what asyncio costs before any HTTP work."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Floor, sock=_listening())
    port = server.sockets[0].getsockname()[1]
    done = [loop.create_future() for _ in range(CONNECTIONS)]
    for fut in done:
        make = lambda f=fut: Peer(GET, count // CONNECTIONS, f)  # noqa: E731
        await loop.create_connection(make, "127.0.0.1", port)
    await asyncio.gather(*done)
    server.close()


class _WsFloor(asyncio.Protocol):
    """The WebSocket floor: the ``101`` once, then a canned 64-byte echo per masked frame."""

    upgraded = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if not self.upgraded:
            self.upgraded = True
            self.transport.write(SWITCHED)  # type: ignore[attr-defined]
            return
        self.transport.write(ECHO * (len(data) // len(FRAME)))  # type: ignore[attr-defined]


async def wsfloor(count: int) -> None:
    """The ``ws`` load against :class:`_WsFloor`: asyncio and the peer, no WebSocket work."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_WsFloor, sock=_listening())
    port = server.sockets[0].getsockname()[1]
    done = [loop.create_future() for _ in range(CONNECTIONS)]
    for fut in done:
        make = lambda f=fut: WsPeer(UPGRADE, count // CONNECTIONS, f)  # noqa: E731
        await loop.create_connection(make, "127.0.0.1", port)
    await asyncio.gather(*done)
    server.close()


async def client(count: int) -> None:
    """Our client doing ``count`` GETs at concurrency 64 against a canned raw server."""

    class Canned(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = transport

        def data_received(self, data: bytes) -> None:
            self.transport.write(CANNED * data.count(b"\r\n\r\n"))  # type: ignore[attr-defined]

    loop = asyncio.get_running_loop()
    server = await loop.create_server(Canned, sock=_listening())
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
    left = [count]
    async with ClientSession(connector=TCPConnector(limit=64)) as session:

        async def worker() -> None:
            while left[0] > 0:
                left[0] -= 1
                async with session.get(url) as resp:
                    await resp.read()

        await asyncio.gather(*(worker() for _ in range(64)))
    server.close()


def _listening() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    return sock


WORKLOADS: dict[str, Callable[[int], Awaitable[None]]] = {
    "get": lambda n: serve(n, GET),
    "post": lambda n: serve(n, POST),
    "close": close,
    "ws": lambda n: serve(n, UPGRADE, WsPeer),
    "wsburst": lambda n: serve(n, UPGRADE, WsBurstPeer),
    "client": client,
    "floor": floor,
    "wsfloor": wsfloor,
}


def main(argv: list[str]) -> int:
    """Run one workload; print the operations per second (wall time, for orientation only)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.workload")
    parser.add_argument("name", choices=sorted(WORKLOADS))
    parser.add_argument("count", type=int)
    parser.add_argument("--cprofile", metavar="FILE", help="write cProfile stats here")
    parser.add_argument("--pause", action="store_true", help="wait for a line on stdin first")
    args = parser.parse_args(argv)
    if args.pause:
        print("READY", flush=True)
        sys.stdin.readline()
    profile = cProfile.Profile() if args.cprofile else None
    start = time.perf_counter()
    if profile is not None:
        profile.enable()
    asyncio.run(WORKLOADS[args.name](args.count))  # type: ignore[arg-type]
    if profile is not None:
        profile.disable()
        profile.dump_stats(args.cprofile)
    elapsed = time.perf_counter() - start
    print(f"{args.name}: {args.count} in {elapsed:.2f} s, {args.count / elapsed:.0f}/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
