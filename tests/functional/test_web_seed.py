"""The 0.18.4 README server example runs unchanged, with DeprecationWarnings only.

The example's code is run verbatim in a fresh interpreter. Only the environment differs: port
8080 is mapped to a free port (so parallel runs cannot collide), and every warning is reported on
stderr with its category so the test can check that nothing but DeprecationWarning appears.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import websockets

ROOT = Path(__file__).resolve().parents[2]

SEED_SERVER_EXAMPLE = """\
import asyncio
from aiohttp import web

async def handle(request):
    name = request.match_info.get('name', "Anonymous")
    text = "Hello, " + name
    return web.Response(body=text.encode('utf-8'))

async def wshandler(request):
    ws = web.WebSocketResponse()
    ws.start(request)

    while True:
        msg = await ws.receive()

        if msg.tp == web.MsgType.text:
            ws.send_str("Hello, {}".format(msg.data))
        elif msg.tp == web.MsgType.binary:
            ws.send_bytes(msg.data)
        elif msg.tp == web.MsgType.close:
            break

    return ws


async def init(loop):
    app = web.Application(loop=loop)
    app.router.add_route('GET', '/echo', wshandler)
    app.router.add_route('GET', '/{name}', handle)

    srv = await loop.create_server(app.make_handler(),
                                        '127.0.0.1', 8080)
    print("Server started at http://127.0.0.1:8080")
    return srv

loop = asyncio.get_event_loop()
loop.run_until_complete(init(loop))
loop.run_forever()
"""

PRELUDE = """\
import asyncio.base_events, os, sys, warnings

warnings.simplefilter("always")

def _report(message, category, filename, lineno, file=None, line=None):
    sys.stderr.write(f"WARNING {category.__name__}: {message}\\n")
    sys.stderr.flush()

warnings.showwarning = _report
_port = int(os.environ["SEED_PORT"])
_create_server = asyncio.base_events.BaseEventLoop.create_server

async def _mapped(self, factory, host=None, port=None, *args, **kwargs):
    return await _create_server(self, factory, host, _port if port == 8080 else port,
                                *args, **kwargs)

asyncio.base_events.BaseEventLoop.create_server = _mapped
sys.stdout.reconfigure(line_buffering=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_seed_server_example_runs_unchanged(tmp_path: Path) -> None:
    port = free_port()
    script = tmp_path / "seed_server.py"
    script.write_text(PRELUDE + "\n" + SEED_SERVER_EXAMPLE)
    env = {**os.environ, "SEED_PORT": str(port), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(  # noqa: ASYNC220 - a long-lived child, read from a thread
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 30)
        assert line == b"Server started at http://127.0.0.1:8080\n"
        async with httpx.AsyncClient(timeout=10) as client:
            named = await client.get(f"http://127.0.0.1:{port}/Ann")
            anon = await client.get(f"http://127.0.0.1:{port}/")
        assert (named.status_code, named.text) == (200, "Hello, Ann")
        assert anon.status_code == 404  # '/{name}' needs a non-empty name
        async with websockets.connect(f"ws://127.0.0.1:{port}/echo") as ws:
            await ws.send("Ann")
            assert await asyncio.wait_for(ws.recv(), 10) == "Hello, Ann"
            await ws.send(b"\x00\x01")
            assert await asyncio.wait_for(ws.recv(), 10) == b"\x00\x01"
    finally:
        proc.terminate()
        _, stderr = await asyncio.to_thread(proc.communicate, timeout=20)
    lines = [line for line in stderr.decode().splitlines() if line.strip()]
    warnings = [line for line in lines if line.startswith("WARNING ")]
    assert warnings, "the old spellings should warn"
    assert all(line.startswith("WARNING DeprecationWarning: ") for line in warnings), warnings
    assert [line for line in lines if not line.startswith("WARNING ")] == []
