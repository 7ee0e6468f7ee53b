"""Persistent driver for an installed ``aiohttp`` (the protocol is in
``conformance/cases/DRIVER.md``): HTTP requests and WebSocket echo.

Run it as a file with the Python whose ``aiohttp`` is under test (the released one in its own
virtualenv, say), from a directory that has no ``aiohttp`` folder in it:
``/path/to/venv/bin/python /path/to/conformance/clients/aiohttp_driver.py``. A session is a
``ClientSession`` with its defaults; all sessions share one event loop in a thread.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from typing import Any

import aiohttp

try:
    from conformance.clients import driverlib
except ImportError:  # run as a file by a Python without this package
    import driverlib  # type: ignore[no-redef]


class Aiohttp:
    """``aiohttp.ClientSession`` on a loop of its own."""

    name = f"aiohttp {aiohttp.__version__}"
    keeps_connections = True

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def open_session(self) -> aiohttp.ClientSession:
        """A session with the library's defaults."""

        async def make() -> aiohttp.ClientSession:
            return aiohttp.ClientSession()

        return self._run(make())

    def fetch(self, session: aiohttp.ClientSession, request: dict[str, Any]) -> dict[str, Any]:
        """One request with a total timeout."""

        async def go() -> dict[str, Any]:
            async with session.request(
                request.get("method", "GET"),
                request["url"],
                headers=list(request.get("headers", [])) or None,
                data=driverlib.body_of(request),
                timeout=aiohttp.ClientTimeout(total=float(request.get("timeout", 2))),
            ) as response:
                return {"status": response.status, "body": await response.read()}

        return self._run(go())

    def close_session(self, session: aiohttp.ClientSession) -> None:
        """Close the session's connector."""
        self._run(session.close())

    def ws_echo(self, url: str, timeout: float) -> int | None:
        """Echo every message until the server closes; the close code."""

        async def go() -> int | None:
            async with (
                asyncio.timeout(timeout),
                aiohttp.ClientSession() as session,
                session.ws_connect(url, compress=15) as ws,  # offer permessage-deflate (RFC 7692)
            ):
                async for message in ws:
                    if message.type is aiohttp.WSMsgType.TEXT:
                        await ws.send_str(message.data)
                    elif message.type is aiohttp.WSMsgType.BINARY:
                        await ws.send_bytes(message.data)
                return ws.close_code

        return self._run(go())


if __name__ == "__main__":
    sys.exit(driverlib.run(Aiohttp()))
