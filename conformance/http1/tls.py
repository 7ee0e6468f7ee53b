"""HTTP/1.1 over TLS for server cases (RFC 9112 §9.7, §9.8).

A case with ``"tls": true`` talks to the server's TLS endpoint. The harness does not check the
server's certificate (the cases test HTTP over TLS, not a PKI). ``expect.closure`` checks how the
server ends the connection: ``"close_notify"`` means a TLS closure alert before the TCP close
(§9.8), which only a blocking socket with ``suppress_ragged_eofs=False`` tells apart from a bare
TCP close, so that exchange runs in a thread.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from pathlib import Path

#: A self-signed certificate for ``localhost`` and ``127.0.0.1`` (valid until 2125) and its key,
#: for a server a test or a setup starts (the aiohttp adapter's TLS site uses them).
CERT = Path(__file__).resolve().parent.parent / "tls" / "cert.pem"
KEY = CERT.with_name("key.pem")


def client_context() -> ssl.SSLContext:
    """The harness's TLS context: any certificate, TLS 1.2 or later."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def server_context() -> ssl.SSLContext:
    """A TLS server context with the shipped certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERT, KEY)
    return context


def _exchange(host: str, port: int, data: bytes, within: float) -> tuple[bytes, str]:
    deadline = time.monotonic() + within
    received = bytearray()
    raw = socket.create_connection((host, port), timeout=within)
    try:
        sock = client_context().wrap_socket(raw, suppress_ragged_eofs=False)
    except BaseException:
        raw.close()
        raise
    with sock:
        sock.sendall(data)
        try:
            while True:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = sock.recv(65536)
                if not chunk:
                    return bytes(received), "close_notify"
                received += chunk
        except ssl.SSLEOFError:
            return bytes(received), "no close_notify"
        except TimeoutError:
            return bytes(received), "open"
        except (ssl.SSLError, OSError) as exc:
            return bytes(received), f"reset ({exc})"


async def exchange(host: str, port: int, data: bytes, within: float) -> tuple[bytes, str]:
    """Send ``data`` over TLS and read until the server ends the connection.

    Returns:
        The octets received and how the connection ended: ``"close_notify"``, ``"no
        close_notify"`` (a bare TCP close), ``"open"`` (not ended within ``within`` seconds) or
        ``"reset (...)"``.
    """
    return await asyncio.to_thread(_exchange, host, port, data, within)
