"""The harness side of the persistent client protocol (``conformance/cases/DRIVER.md``).

:class:`DriverClient` starts a driver program once, reads its hello line, and then asks it for
requests and WebSocket echoes, one JSON line each, many in flight at once (one per session).
Interpreter start-up happens before the first case, so it never counts against a case's time
bound, and a session keeps the client's connections across the requests of one case, so
connection reuse is really exercised. Drivers for curl, urllib, http.client, requests, httpx,
aiohttp and websockets ship in ``conformance/clients/``; :data:`DRIVERS` names them.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import shlex
import sys
import time
from pathlib import Path
from typing import Any

from conformance.targets import FetchRequest, Observation

CLIENTS_DIR = Path(__file__).resolve().parent / "clients"
#: Seconds a driver gets to start and say hello (an interpreter importing its library).
START_TIMEOUT = 30.0
#: Seconds past a request's own timeout the harness waits for the driver's answer.
ANSWER_GRACE = 3.0

#: Shipped drivers by name: the script in ``conformance/clients/``. ``NAME@/path/to/python`` runs
#: it with another environment's interpreter (``requests@build/matrix/requests/bin/python``).
DRIVERS = {
    "urllib": "urllib_driver.py",
    "http.client": "httpclient_driver.py",
    "curl": "curl_driver.py",
    "requests": "requests_driver.py",
    "httpx": "httpx_driver.py",
    "aiohttp": "aiohttp_driver.py",
    "websockets": "websockets_driver.py",
}


class DriverError(RuntimeError):
    """The driver did not start, broke the protocol or died: an ERROR, not a verdict."""


def driver_command(spec: str) -> list[str]:
    """The command line for ``spec``: a shipped driver's name (optionally ``name@python``), or
    any command line."""
    name, _, python = spec.partition("@")
    if name in DRIVERS:
        return [python or sys.executable, str(CLIENTS_DIR / DRIVERS[name])]
    return shlex.split(spec)


class DriverClient:
    """A client under test behind a persistent driver process.

    Args:
        spec: a shipped driver's name or a command line (see :func:`driver_command`).
        cwd: the directory to run it in (one without this repository's ``aiohttp`` folder, when
            the driver is to import another ``aiohttp``).
    """

    def __init__(self, spec: str, cwd: str | None = None) -> None:
        self.command = driver_command(spec)
        self.cwd = cwd
        self.name = spec
        self.keeps_connections = True
        self.speaks_http = False
        self.speaks_websocket = False
        self._proc: asyncio.subprocess.Process | None = None
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self._sessions = itertools.count(1)
        self._reader: asyncio.Task[None] | None = None
        self._stderr = bytearray()
        self._stderr_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the driver and read its hello.

        Raises:
            DriverError: it did not start or did not say hello in time.
        """
        try:
            self._proc = await asyncio.create_subprocess_exec(
                *self.command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                cwd=self.cwd,
                limit=64 * 1024 * 1024,
            )
        except OSError as exc:
            raise DriverError(f"cannot start {self.command[0]}: {exc}") from exc
        assert self._proc.stdout is not None
        assert self._proc.stderr is not None
        self._stderr_task = asyncio.create_task(self._drain(self._proc.stderr))
        try:
            line = await asyncio.wait_for(self._proc.stdout.readline(), START_TIMEOUT)
            hello = json.loads(line)
        except (TimeoutError, ValueError) as exc:
            await self.aclose()
            raise DriverError(f"no hello from the driver: {self._tail()}") from exc
        if not isinstance(hello, dict) or hello.get("driver") != "conformance-driver/1":
            await self.aclose()
            raise DriverError(f"not a conformance driver: {line[:200]!r}")
        self.name = str(hello.get("name", self.name))
        self.keeps_connections = bool(hello.get("keeps_connections", True))
        ops = hello.get("ops", [])
        self.speaks_http = "fetch" in ops
        self.speaks_websocket = "ws_echo" in ops
        self._reader = asyncio.create_task(self._read(self._proc.stdout))

    async def _drain(self, stream: asyncio.StreamReader) -> None:
        while chunk := await stream.read(65536):
            self._stderr += chunk
            del self._stderr[:-4096]

    def _tail(self) -> str:
        return self._stderr.decode("utf-8", "replace").strip()[-500:] or "(no error output)"

    async def _read(self, stream: asyncio.StreamReader) -> None:
        try:
            while line := await stream.readline():
                reply = json.loads(line)
                future = self._pending.pop(reply.get("id"), None)
                if future is not None and not future.done():
                    future.set_result(reply)
        except (ValueError, asyncio.LimitOverrunError) as exc:
            self._fail(DriverError(f"the driver broke the protocol: {exc}"))
            return
        self._fail(DriverError(f"the driver exited: {self._tail()}"))

    def _fail(self, exc: DriverError) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(exc)
        self._pending.clear()

    async def _call(self, message: dict[str, Any], timeout: float) -> dict[str, Any] | None:  # noqa: ASYNC109
        """Send one request line; its reply, or ``None`` when none came within ``timeout``."""
        proc = self._proc
        if proc is None or proc.stdin is None or self._reader is None or self._reader.done():
            raise DriverError(f"the driver is not running: {self._tail()}")
        ident = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[ident] = future
        proc.stdin.write((json.dumps({"id": ident, **message}) + "\n").encode())
        try:
            await proc.stdin.drain()
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            self._pending.pop(ident, None)
            return None
        except (ConnectionError, BrokenPipeError) as exc:
            raise DriverError(f"the driver is gone: {self._tail()}") from exc

    async def fetch_all(self, requests: list[FetchRequest]) -> list[Observation]:
        """Make ``requests`` in one session of the driver, each after its pause."""
        session = f"s{next(self._sessions)}"
        observed = []
        try:
            for request in requests:
                if request.pause:
                    await asyncio.sleep(request.pause)
                observed.append(await self._fetch(session, request))
        finally:
            with contextlib.suppress(DriverError):
                await self._call({"op": "close", "session": session}, 5.0)
        return observed

    async def _fetch(self, session: str, request: FetchRequest) -> Observation:
        message = {
            "op": "fetch",
            "session": session,
            "method": request.method,
            "url": request.url,
            "headers": [list(pair) for pair in request.headers],
            "body": None if request.body is None else base64.b64encode(request.body).decode(),
            "timeout": request.timeout,
        }
        started = time.monotonic()
        reply = await self._call(message, request.timeout + ANSWER_GRACE)
        elapsed = time.monotonic() - started
        if reply is None:
            return Observation("hang", error="the driver did not answer", elapsed=elapsed)
        if reply.get("outcome") == "response":
            body = base64.b64decode(reply.get("body") or "")
            return Observation("response", status=reply.get("status"), body=body, elapsed=elapsed)
        return Observation("error", error=str(reply.get("error", "")), elapsed=elapsed)

    async def ws_echo(self, url: str, timeout: float) -> Observation:  # noqa: ASYNC109
        """Have the client open a WebSocket to ``url`` and echo until the server closes."""
        started = time.monotonic()
        reply = await self._call({"op": "ws_echo", "url": url, "timeout": timeout}, timeout + 2)
        elapsed = time.monotonic() - started
        if reply is None:
            return Observation("hang", elapsed=elapsed)
        kind = "response" if reply.get("outcome") == "response" else "error"
        return Observation(kind, error=str(reply.get("error", "")), elapsed=elapsed)

    async def aclose(self) -> None:
        """End the driver: close its input, give it a moment, then kill it."""
        proc = self._proc
        if proc is None:
            return
        if proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), 5)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
        if self._stderr_task is not None:  # keep the last words for error messages
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._stderr_task), 1)
        for task in (self._reader, self._stderr_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._proc = None
