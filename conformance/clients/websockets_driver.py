"""Persistent driver for the ``websockets`` client (the protocol is in
``conformance/cases/DRIVER.md``): WebSocket echo only, with the library's defaults.

Run it with the Python that has ``websockets`` installed:
``/path/to/venv/bin/python conformance/clients/websockets_driver.py``.
"""

from __future__ import annotations

import sys

import websockets
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

try:
    from conformance.clients import driverlib
except ImportError:  # run as a file by a Python without this package
    import driverlib  # type: ignore[no-redef]


class Websockets:
    """``websockets.sync.client.connect``, echoing every message."""

    name = f"websockets {websockets.__version__}"
    keeps_connections = True

    def ws_echo(self, url: str, timeout: float) -> int | None:
        """Echo until the server closes; the close code the server sent."""
        with connect(url, open_timeout=timeout, close_timeout=timeout) as ws:
            try:
                for message in ws:
                    ws.send(message)
            except ConnectionClosed:
                pass
            frame = ws.protocol.close_rcvd
            return None if frame is None else frame.code


if __name__ == "__main__":
    sys.exit(driverlib.run(Websockets()))
