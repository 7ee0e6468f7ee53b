"""run_app on a debug loop: the default access logger writes to stderr unless configured."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs run_app in a fresh interpreter (no logging configured, unlike under pytest), answers one
# request made from a thread, then stops with GracefulExit.
SCRIPT = textwrap.dedent(
    """
    import asyncio, logging, sys, threading, time, urllib.request
    from aiohttp import web
    from aiohttp.web.server.runner import _raise_graceful_exit

    debug, configure = sys.argv[1] == "debug", sys.argv[2] == "configured"
    if configure:
        logging.getLogger("aiohttp.access").addHandler(logging.NullHandler())
    loop = asyncio.new_event_loop()
    loop.set_debug(debug)

    async def hi(request):
        return web.Response(text="hi")

    async def on_startup(app):
        def fetch():
            try:
                for _ in range(200):  # the site listens only after on_startup
                    try:
                        with urllib.request.urlopen(f"http://127.0.0.1:{port}/logged", timeout=10):
                            return
                    except OSError:
                        time.sleep(0.05)
            finally:
                loop.call_soon_threadsafe(_raise_graceful_exit)

        threading.Thread(target=fetch).start()

    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = web.Application()
    app.router.add_get("/logged", hi)
    app.on_startup.append(on_startup)
    web.run_app(app, host="127.0.0.1", port=port, loop=loop, print=None, handle_signals=False)
    """
)


@pytest.mark.parametrize(
    ("mode", "logged"),
    [
        (["debug", "unconfigured"], True),
        (["normal", "unconfigured"], False),
        (["debug", "configured"], False),
    ],
    ids=["debug-loop-logs-to-stderr", "normal-loop-silent", "configured-logger-left-alone"],
)
def test_access_log_on_stderr_only_in_debug_when_unconfigured(
    mode: list[str], *, logged: bool
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert ('"GET /logged HTTP/1.1" 200' in done.stderr) is logged, done.stderr
