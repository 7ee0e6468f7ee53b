"""Client drivers for WebSocket cases: make a client under test echo over a WebSocket.

A driver connects to a ``ws://`` URL on the harness's loopback server, sends back every text and
binary message it receives, answers the server's Close, and reports how it ended. Any object with
``name`` and ``async ws_echo(url, timeout) -> Observation`` is a driver; :class:`WSCommandClient`
runs a command template (``{url}`` is replaced), and ``TEMPLATES`` ships one for the
``websockets`` library, so the harness can be shown working against a client we did not write.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
import time
from typing import Protocol

from conformance.targets import Observation

TEMPLATES = {
    "websockets": f"{shlex.quote(sys.executable)} -m conformance.websocket.peers.websockets_echo "
    "client {url}",
}


class WSClientDriver(Protocol):
    """Makes a client under test echo over one WebSocket."""

    name: str

    async def ws_echo(self, url: str, timeout: float) -> Observation:  # noqa: ASYNC109
        """Connect to ``url``, echo until closed, report the outcome."""
        ...


class WSCommandClient:
    """A WebSocket client under test run as a command: exit status 0 means a clean run."""

    def __init__(self, template: str) -> None:
        self.template = TEMPLATES.get(template, template)
        self.name = template if template in TEMPLATES else "command"
        if "{url}" not in self.template:
            raise ValueError("the client command template must contain {url}")

    async def ws_echo(self, url: str, timeout: float) -> Observation:  # noqa: ASYNC109
        """Run the command once."""
        started = time.monotonic()
        proc = await asyncio.create_subprocess_shell(
            self.template.replace("{url}", shlex.quote(url)),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(proc.communicate(), timeout)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            return Observation("hang", elapsed=time.monotonic() - started)
        kind = "response" if proc.returncode == 0 else "error"
        return Observation(
            kind, body=out, error=err.decode("utf-8", "replace"), elapsed=time.monotonic() - started
        )
