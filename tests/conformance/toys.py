"""A toy HTTP/1.1 server and client, each with a switch that makes it break specific rules.

They exist to show the harness's checks can fail: the careful versions pass the chosen cases and
the broken versions must FAIL them. Both are deliberately tiny and serve the FORMAT.md contract
only as far as the chosen cases need.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from conformance.targets import FetchRequest, Observation, ServerTarget

_HEAD_END = b"\r\n\r\n"


@dataclass
class ToyServer:
    """Answers ``/`` and ``/echo``.

    Careful: requires exactly one Host, rejects Content-Length with Transfer-Encoding, decodes
    chunked bodies, honours ``Connection: close``. Broken: frames by Content-Length only, never
    checks Host, ignores ``Connection: close``.
    """

    broken: bool = False

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        buffer = b""
        try:
            while True:
                while _HEAD_END not in buffer:
                    chunk = await reader.read(65536)
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(_HEAD_END)
                lines = head.decode("latin-1").split("\r\n")
                fields = [line.partition(":") for line in lines[1:]]
                names = {name.strip().lower(): value.strip() for name, _, value in fields}
                hosts = [n for n, _, _ in fields if n.strip().lower() == "host"]
                target = lines[0].split(" ")[1] if " " in lines[0] else "/"
                if not self.broken and (
                    len(hosts) != 1 or ("transfer-encoding" in names and "content-length" in names)
                ):
                    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                    return
                body = b""
                if not self.broken and names.get("transfer-encoding", "").lower() == "chunked":
                    body, buffer = await self._chunked(reader, buffer)
                elif "content-length" in names:
                    length = int(names["content-length"])
                    while len(buffer) < length:
                        buffer += await reader.read(65536)
                    body, buffer = buffer[:length], buffer[length:]
                content = body if target == "/echo" else b"ok"
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT"
                    b"\r\n\r\n%s" % (len(content), content)
                )
                await writer.drain()
                if not self.broken and "close" in names.get("connection", "").lower():
                    return
        except (ConnectionError, ValueError):
            return
        finally:
            writer.close()

    async def _chunked(self, reader: asyncio.StreamReader, buffer: bytes) -> tuple[bytes, bytes]:
        body = b""
        while True:
            while b"\r\n" not in buffer:
                buffer += await reader.read(65536)
            line, _, buffer = buffer.partition(b"\r\n")
            size = int(line.split(b";")[0], 16)
            while len(buffer) < size + 2:
                buffer += await reader.read(65536)
            if size == 0:
                return body, buffer[2:]
            body, buffer = body + buffer[:size], buffer[size + 2 :]

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[ServerTarget]:
        """Serve on a free loopback port for the duration of the block."""
        server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            yield ServerTarget("127.0.0.1", port, "toy server")
        finally:
            server.close()


_STATUS = re.compile(rb"HTTP/1\.[01] ([0-9]{3}) [^\r\n]*")


class ToyClient:
    """A client driver speaking raw HTTP/1.1, one connection per request.

    Careful by default: sends Host, frames by Content-Length, checks the status-line and honours
    the timeout. Each flaw in ``flaws`` breaks one of those: ``"no-host"`` sends no Host,
    ``"read-to-close"`` reads every body until the server closes, ``"lax-status"`` takes the
    three octets after the version as the status whatever they are, ``"no-timeout"`` waits for
    ever, ``"extra-crlf"`` follows the request with an empty line. ``"says-close"`` is no flaw:
    it sends ``Connection: close`` on every request, as a client without persistent connections
    must (RFC 9112 §9.3).
    """

    def __init__(self, *flaws: str) -> None:
        self.flaws = set(flaws)
        self.name = "toy client" + (f" ({', '.join(sorted(flaws))})" if flaws else "")

    async def fetch_all(self, requests: list[FetchRequest]) -> list[Observation]:
        """One connection per request, each after its pause."""
        observed = []
        for request in requests:
            await asyncio.sleep(request.pause)
            observed.append(await self._fetch(request))
        return observed

    async def _fetch(self, request: FetchRequest) -> Observation:
        started = time.monotonic()
        try:
            if "no-timeout" in self.flaws:
                return await self._exchange(request, started)
            async with asyncio.timeout(request.timeout):
                return await self._exchange(request, started)
        except (TimeoutError, ConnectionError, ValueError, asyncio.IncompleteReadError) as exc:
            return Observation("error", error=repr(exc), elapsed=time.monotonic() - started)

    async def _exchange(self, request: FetchRequest, started: float) -> Observation:
        host_port = request.url.split("/")[2]
        host, _, port = host_port.partition(":")
        path = "/" + request.url.split("/", 3)[3]
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            host_line = b"" if "no-host" in self.flaws else b"Host: %s\r\n" % host_port.encode()
            extra = b"\r\n" if "extra-crlf" in self.flaws else b""
            if "says-close" in self.flaws:
                host_line += b"Connection: close\r\n"
            writer.write(b"GET %s HTTP/1.1\r\n%s\r\n%s" % (path.encode(), host_line, extra))
            head = await reader.readuntil(_HEAD_END)
            status_line = head.split(b"\r\n")[0]
            if "lax-status" in self.flaws:
                status = int(status_line[9:12])
            else:
                match = _STATUS.fullmatch(status_line)
                if match is None:
                    raise ValueError(f"bad status line {status_line!r}")
                status = int(match.group(1))
            length = re.search(rb"(?im)^content-length: *([0-9]+)\r?$", head)
            if length is None or "read-to-close" in self.flaws:
                body = await reader.read()
            else:
                body = await reader.readexactly(int(length.group(1)))
        finally:
            writer.close()
        return Observation("response", status=status, body=body, elapsed=time.monotonic() - started)
