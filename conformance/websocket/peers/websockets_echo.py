"""An echo client and server built on the ``websockets`` library, for checking the harness.

``python -m conformance.websocket.peers.websockets_echo client ws://127.0.0.1:PORT/ws`` echoes
every message until the server closes, exiting 0 after a clean close and 1 otherwise;
``... server PORT`` serves an echo WebSocket on loopback.
"""

from __future__ import annotations

import asyncio
import sys


async def _client(url: str) -> int:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed, InvalidHandshake

    try:
        async with connect(url, max_size=None, ping_interval=None) as ws:
            try:
                async for message in ws:
                    await ws.send(message)
            except ConnectionClosed:
                return 1
            return 0 if ws.close_code == 1000 else 1
    except (InvalidHandshake, OSError) as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


async def _server(port: int) -> None:
    from websockets.asyncio.server import ServerConnection, serve

    async def echo(ws: ServerConnection) -> None:
        async for message in ws:
            await ws.send(message)

    async with serve(echo, "127.0.0.1", port):  # the library's defaults, as it ships
        await asyncio.Future()


def main(argv: list[str]) -> int:
    """Run the client or the server."""
    if len(argv) == 2 and argv[0] == "client":
        return asyncio.run(_client(argv[1]))
    if len(argv) == 2 and argv[0] == "server":
        asyncio.run(_server(int(argv[1])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
