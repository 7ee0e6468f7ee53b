"""Running for real: graceful shutdown over sockets, run_app under signals, the CLI."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import traceback
from pathlib import Path
from typing import Any

import pytest

from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]


async def get(
    port: int, path: str = "/", *, extra: bytes = b""
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n" % (path.encode(), extra))
    return reader, writer


async def test_graceful_shutdown_order_over_sockets() -> None:
    events: list[str] = []
    started = asyncio.Event()
    app = web.Application()

    async def slow(request: web.Request) -> web.Response:
        started.set()
        await asyncio.sleep(0.2)
        events.append("handler done")
        return web.Response(text="finished")

    async def on_shutdown(app: web.Application) -> None:
        events.append("on_shutdown")

    async def on_cleanup(app: web.Application) -> None:
        events.append("on_cleanup")

    app.router.add_get("/slow", slow)
    app.on_shutdown.append(on_shutdown)
    app.on_cleanup.append(on_cleanup)
    runner = web.AppRunner(app, shutdown_timeout=5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]

    idle_reader, idle_writer = await get(port, "/missing")
    head = await idle_reader.readuntil(b"\r\n\r\n")  # a keep-alive connection, now idle
    length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    await idle_reader.readexactly(length)
    busy_reader, busy_writer = await get(port, "/slow")
    await started.wait()

    await runner.cleanup()
    assert events == ["on_shutdown", "handler done", "on_cleanup"]
    assert await asyncio.wait_for(idle_reader.read(), 5) == b""  # closed without an answer
    data = await asyncio.wait_for(busy_reader.read(), 5)
    assert data.startswith(b"HTTP/1.1 200 OK")
    assert b"Connection: close" in data
    assert data.endswith(b"finished")
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0
    idle_writer.close()
    busy_writer.close()


async def test_shutdown_timeout_cancels_stuck_handlers_over_sockets() -> None:
    cancelled = asyncio.Event()

    async def stuck(request: web.BaseRequest) -> web.Response:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return web.Response()

    runner = web.ServerRunner(web.Server(stuck, handler_cancellation=True), shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    reader, writer = await get(runner.addresses[0][1])
    await asyncio.sleep(0.05)
    await asyncio.wait_for(runner.cleanup(), 5)
    assert cancelled.is_set()
    assert await asyncio.wait_for(reader.read(), 5) == b""
    writer.close()


async def test_graceful_shutdown_waits_for_a_handler_whose_client_left() -> None:
    """As 3.x: a handler still running after its client disconnected (here it outlives the
    cancellation) is waited for, up to ``shutdown_timeout``."""
    finished = asyncio.Event()
    started = asyncio.Event()

    async def slow(request: web.BaseRequest) -> web.Response:
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            await asyncio.sleep(0.3)  # cleaning up after the client left
            finished.set()
        return web.Response()

    runner = web.ServerRunner(web.Server(slow, handler_cancellation=True), shutdown_timeout=5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    _, writer = await get(runner.addresses[0][1])
    await asyncio.wait_for(started.wait(), 5)
    writer.close()  # the client leaves while its handler runs
    await asyncio.sleep(0.05)
    await asyncio.wait_for(runner.cleanup(), 5)
    assert finished.is_set()


async def test_stopping_a_site_keeps_a_connection_accepted_in_the_same_moment() -> None:
    """A connection the loop accepted just before ``site.stop()`` is still served.

    The request is queued before the loop looks at the listening socket, so the loop accepts it
    in the very iteration that schedules the stop; the stop then runs before the accepted
    connection is set up. A site that closed its server there would drop the connection with a
    reset (a gunicorn worker recycling on ``max_requests`` lost requests this way).
    """

    async def hello(request: web.BaseRequest) -> web.Response:
        return web.Response(text="served")

    runner = web.ServerRunner(web.Server(hello))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    client = socket.create_connection(("127.0.0.1", runner.addresses[0][1]), timeout=5)
    try:
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        await asyncio.sleep(0)  # the next iteration both resumes us and accepts the client
        stopping = asyncio.ensure_future(site.stop())  # runs before the accepted one is set up
        await asyncio.wait_for(stopping, 5)
        client.setblocking(False)
        loop = asyncio.get_running_loop()
        received = b""
        async with asyncio.timeout(5):
            while chunk := await loop.sock_recv(client, 65536):
                received += chunk
    finally:
        client.close()
        await asyncio.wait_for(runner.cleanup(), 5)
    assert received.startswith(b"HTTP/1.1 200 OK\r\n")
    assert received.endswith(b"\r\n\r\nserved")


async def test_unix_site(tmp_path: Path) -> None:
    async def hello(request: web.BaseRequest) -> web.Response:
        return web.Response(text="unix")

    runner = web.ServerRunner(web.Server(hello))
    await runner.setup()
    path = str(tmp_path / "s.sock")
    await web.UnixSite(runner, path).start()
    reader, writer = await asyncio.open_unix_connection(path)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert (await asyncio.wait_for(reader.read(), 5)).endswith(b"unix")
    writer.close()
    await runner.cleanup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def wait_ready(proc: asyncio.subprocess.Process, port: int) -> bytes:
    for _ in range(200):
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.write(b"GET /hi HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        return data
    raise AssertionError("server did not start")


APP_MODULE = textwrap.dedent(
    """
    import asyncio
    from aiohttp import web

    async def hi(request):
        return web.Response(text="hi " + ",".join(request.app["argv"]))

    ARGV = web.AppKey("argv", list)

    def init(argv):
        app = web.Application()
        app[ARGV] = argv
        app.router.add_get("/hi", hi)
        async def bye(app):
            print("cleanup ran", flush=True)
        app.on_cleanup.append(bye)
        return app

    async def make_app():
        return init(["coro"])
    """
).replace('request.app["argv"]', "request.app[ARGV]")


async def run_child(tmp_path: Path, port: int, args: list[str]) -> tuple[bytes, str]:
    (tmp_path / "myapp.py").write_text(APP_MODULE)
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp_path}"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        answer = await wait_ready(proc, port)
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = await asyncio.wait_for(proc.communicate(), 20)
    return answer, out.decode()


async def test_run_app_with_a_coroutine_stops_on_sigint(tmp_path: Path) -> None:
    port = free_port()
    script = (
        "from aiohttp import web; import myapp; "
        f"web.run_app(myapp.make_app(), host='127.0.0.1', port={port})"
    )
    answer, out = await run_child(tmp_path, port, ["-c", script])
    assert answer.endswith(b"hi coro")
    assert f"Running on http://127.0.0.1:{port}" in out
    assert "cleanup ran" in out


async def test_python_m_aiohttp_web_cli(tmp_path: Path) -> None:
    port = free_port()
    args = ["-m", "aiohttp.web", "-H", "127.0.0.1", "-P", str(port), "myapp:init", "x", "y"]
    answer, out = await run_child(tmp_path, port, args)
    assert answer.endswith(b"hi x,y")
    assert "cleanup ran" in out


def test_cli_rejects_a_bad_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aiohttp.web", "nocolon"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2
    assert "module:function" in proc.stderr


async def test_test_client_against_an_app(aiohttp_client: Any) -> None:
    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="hello " + request.match_info["name"])

    app = web.Application()
    app.router.add_get("/{name}", hello)
    client = await aiohttp_client(app)
    resp = await client.get("/bob")
    assert resp.status == 200
    assert await resp.text() == "hello bob"
    async with client.post("/bob") as resp2:
        assert resp2.status == 405
    assert client.app is app
    assert str(client.make_url("/x")) == f"http://127.0.0.1:{client.port}/x"


async def test_run_app_on_uvloop(tmp_path: Path) -> None:
    port = free_port()
    script = (
        "import uvloop; from aiohttp import web; import myapp; "
        f"web.run_app(myapp.init(['uv']), host='127.0.0.1', port={port}, "
        "loop=uvloop.new_event_loop())"
    )
    answer, out = await run_child(tmp_path, port, ["-c", script])
    assert answer.endswith(b"hi uv")
    assert "cleanup ran" in out


async def test_https_site_with_a_large_upload() -> None:
    import ssl

    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)

    async def size(request: web.BaseRequest) -> web.Response:
        total = 0
        async for chunk in request.content.iter_any():
            total += len(chunk)
        return web.Response(text=f"{request.scheme} {total}")

    runner = web.ServerRunner(web.Server(size))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_ctx)
    await site.start()
    port = runner.addresses[0][1]
    body = b"t" * 3_000_000
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client_ctx)
    writer.write(
        b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body)
        + body
    )
    data = await asyncio.wait_for(reader.read(), 30)
    writer.close()
    await runner.cleanup()
    assert data.endswith(b"https 3000000")


def test_run_app_in_process_until_graceful_exit() -> None:
    import threading
    import urllib.request

    from aiohttp.web.server.runner import _raise_graceful_exit

    port = free_port()
    printed: list[str] = []
    answers: list[bytes] = []
    app = web.Application()

    async def hi(request: web.Request) -> web.Response:
        return web.Response(text="in process")

    async def on_startup(app: web.Application) -> None:
        def fetch() -> None:
            try:
                for _ in range(100):  # on_startup runs before the site listens
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
                            answers.append(r.read())
                            return
                    except OSError:
                        time.sleep(0.05)
            finally:
                loop.call_soon_threadsafe(_raise_graceful_exit)

        threading.Thread(target=fetch).start()

    app.router.add_get("/", hi)
    app.on_startup.append(on_startup)
    loop = asyncio.new_event_loop()
    web.run_app(
        app,
        host=["127.0.0.1"],
        port=port,
        handle_signals=False,
        loop=loop,
        print=printed.append,
        access_log=None,
    )
    assert answers == [b"in process"]
    assert printed == [
        f"======== Running on http://127.0.0.1:{port} ========\n(Press CTRL+C to quit)"
    ]
    assert loop.is_closed()


def test_run_app_on_a_socket_and_a_unix_path(tmp_path: Path) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    path = str(tmp_path / "app.sock")
    printed: list[str] = []
    app = web.Application()

    async def stop_soon(app: web.Application) -> None:
        asyncio.get_running_loop().call_later(0.2, _stop)

    def _stop() -> None:
        from aiohttp.web.server.runner import _raise_graceful_exit

        _raise_graceful_exit()

    app.on_startup.append(stop_soon)
    web.run_app(
        app, sock=sock, path=path, handle_signals=False, print=printed.append, access_log=None
    )
    assert f"http://127.0.0.1:{port}" in printed[0]
    assert f"http://unix:{path}:" in printed[0]


async def test_loop_create_server_with_a_low_level_server() -> None:
    async def handler(request: web.BaseRequest) -> web.Response:
        return web.Response(text=f"low level {request.path}")

    loop = asyncio.get_running_loop()
    server = web.Server(handler)
    srv = await loop.create_server(server, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    reader, writer = await get(port, "/x", extra=b"Connection: close\r\n")
    data = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    srv.close()
    await srv.wait_closed()
    await server.shutdown(1)
    assert data.endswith(b"low level /x")
    assert server.requests_count == 1


async def test_runner_cleanup_closes_open_websockets_with_1001() -> None:
    """RFC 6455 §7.4.1: a server going down closes its WebSockets with 1001, not a drop."""
    import websockets
    from websockets.asyncio.client import connect

    async def ws_handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for msg in ws:
            await ws.send_str(msg.data)
        return ws

    app = web.Application()
    app.router.add_get("/ws", ws_handler)
    runner = web.AppRunner(app, shutdown_timeout=10)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    async with connect(f"ws://127.0.0.1:{port}/ws") as client:
        await client.send("hi")
        assert await client.recv() == "hi"
        started = time.monotonic()
        cleanup = asyncio.create_task(runner.cleanup())
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(client.recv(), 5)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1001
        await asyncio.wait_for(cleanup, 5)
    assert time.monotonic() - started < 3


def test_run_app_keeps_the_startup_frames_in_the_traceback() -> None:
    """The user's frame that raised during startup is in the traceback run_app() raises."""

    async def failing_ctx(app: web.Application) -> Any:
        raise RuntimeError("boom at startup")
        yield  # pragma: no cover

    app = web.Application()
    app.cleanup_ctx.append(failing_ctx)
    with pytest.raises(RuntimeError, match="boom at startup") as info:
        web.run_app(app, host="127.0.0.1", port=0, handle_signals=False, print=None)
    assert "failing_ctx" in [frame.name for frame in traceback.extract_tb(info.tb)]


def test_run_app_reports_a_task_failing_at_shutdown_in_3x_words() -> None:
    from aiohttp.web.server.runner import _raise_graceful_exit

    reported: list[dict[str, Any]] = []

    async def fail() -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            raise RuntimeError("FAIL") from None

    async def start_and_stop(app: web.Application) -> None:
        asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: reported.append(ctx))
        asyncio.get_running_loop().create_task(fail())
        asyncio.get_running_loop().call_later(0.05, _raise_graceful_exit)

    app = web.Application()
    app.on_startup.append(start_and_stop)
    web.run_app(
        app,
        host="127.0.0.1",
        port=0,
        handle_signals=False,
        print=None,
        loop=asyncio.new_event_loop(),
    )
    [context] = reported
    assert context["message"] == "unhandled exception during asyncio.run() shutdown"
    assert str(context["exception"]) == "FAIL"
