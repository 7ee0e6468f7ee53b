"""Raw-socket helpers for the advisory tests: bytes exactly as an attacker would send them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable


async def exchange(port: int, pieces: Iterable[bytes], *, limit: float = 5.0) -> bytes:
    """Send each piece as its own write (without closing our side) and read until the server
    closes, or ``limit`` seconds pass; return what arrived."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    data = bytearray()
    try:
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.005)
        async with asyncio.timeout(limit):
            while chunk := await reader.read(65536):
                data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    finally:
        writer.close()
    return bytes(data)


def statuses(data: bytes) -> list[int]:
    """The status codes of the responses in ``data`` (a rough reader: enough for tests that
    count answers; bodies in these tests never contain a status line)."""
    return [int(part[:3]) for part in data.split(b"HTTP/1.1 ")[1:] if part[:3].isdigit()]
