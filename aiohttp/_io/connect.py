"""Opening client connections: TCP with Happy Eyeballs (RFC 8305), TLS, and unix sockets.

The caller resolves names (so it can cache and trace them) and passes the address list here.
:func:`open_tcp` sorts the addresses so the families alternate (RFC 8305 §4), starts one attempt,
and starts the next one when the previous fails or ``happy_eyeballs_delay`` passes without an
answer (§5); the first socket to connect wins and the others are closed. TLS is layered on the
winning socket. Errors are the standard library's (``OSError``, ``ssl.SSLError``,
``ssl.SSLCertVerificationError``); the client translates them into its own tree.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl as ssl_mod
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

__all__ = (
    "AddrInfo",
    "AddrInfoType",
    "SocketFactoryType",
    "interleave_families",
    "open_tcp",
    "open_unix",
    "tcp_keepalive",
    "tcp_nodelay",
)

_P = TypeVar("_P", bound=asyncio.BaseProtocol)


def tcp_keepalive(transport: asyncio.BaseTransport) -> None:
    """Turn on ``SO_KEEPALIVE`` for the transport's socket (if it has one)."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)


def tcp_nodelay(transport: asyncio.BaseTransport, value: bool) -> None:
    """Set ``TCP_NODELAY`` (Nagle's algorithm off when true) on a TCP transport's socket.

    Transports without a socket, and sockets that are not TCP, are left alone; so is a socket
    that is already closed.
    """
    sock = transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, bool(value))


class AddrInfo(NamedTuple):
    """One resolved address: what ``socket.getaddrinfo`` returns, minus the canonical name."""

    family: int
    socktype: int
    proto: int
    sockaddr: tuple[Any, ...]


def interleave_families(addrs: Sequence[AddrInfo]) -> list[AddrInfo]:
    """Reorder addresses so address families alternate, first family first (RFC 8305 §4)."""
    by_family: dict[int, list[AddrInfo]] = {}
    for addr in addrs:
        by_family.setdefault(addr.family, []).append(addr)
    queues = list(by_family.values())
    result: list[AddrInfo] = []
    while queues:
        for queue in list(queues):
            result.append(queue.pop(0))
            if not queue:
                queues.remove(queue)
    return result


AddrInfoType = tuple[int | socket.AddressFamily, int | socket.SocketKind, int, str, tuple[Any, ...]]
"""One ``getaddrinfo`` entry: ``(family, type, proto, canonname, sockaddr)`` (3.x's name)."""
SocketFactoryType = Callable[[AddrInfoType], socket.socket]
"""Makes the socket for one address: ``factory((family, type, proto, canonname, sockaddr))``;
what ``TCPConnector(socket_factory=...)`` takes (3.x's name)."""


def _new_socket(addr: AddrInfo, factory: SocketFactoryType | None) -> socket.socket:
    kind = addr.socktype or socket.SOCK_STREAM
    if factory is not None:
        return factory((addr.family, kind, addr.proto, "", addr.sockaddr))
    return socket.socket(addr.family, kind, addr.proto)


async def _connect_one(
    loop: asyncio.AbstractEventLoop,
    addr: AddrInfo,
    local_addr: tuple[str, int] | None,
    factory: SocketFactoryType | None,
) -> socket.socket:
    sock = _new_socket(addr, factory)
    try:
        sock.setblocking(False)
        if local_addr is not None:
            sock.bind(local_addr)
        await loop.sock_connect(sock, addr.sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


async def _race(
    loop: asyncio.AbstractEventLoop,
    addrs: Sequence[AddrInfo],
    delay: float | None,
    local_addr: tuple[str, int] | None,
    factory: SocketFactoryType | None = None,
) -> socket.socket:
    """Connect to the first address that answers, staggering attempts by ``delay``."""
    errors: list[OSError] = []
    pending: set[asyncio.Task[socket.socket]] = set()
    remaining = list(addrs)
    winner: socket.socket | None = None
    try:
        while remaining or pending:
            if remaining:
                attempt = _connect_one(loop, remaining.pop(0), local_addr, factory)
                pending.add(loop.create_task(attempt))
            timeout = delay if (remaining and delay is not None) else None
            done, pending = await asyncio.wait(
                pending, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
            )
            for task in done:
                exc = task.exception()
                if exc is None and winner is None:
                    winner = task.result()
                elif exc is None:
                    task.result().close()
                elif isinstance(exc, OSError):
                    errors.append(exc)
                else:
                    raise exc
            if winner is not None:
                return winner
            # A failure, or ``delay`` without an answer, starts the next attempt (RFC 8305 §5).
    finally:
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(BaseException):
                sock = await task
                sock.close()
    if len(errors) == 1:
        raise errors[0]
    if not errors:
        raise OSError("No addresses to connect to")
    first = errors[0]
    if all(str(err) == str(first) for err in errors):
        raise first
    raise OSError(first.errno, "Multiple exceptions: " + ", ".join(str(e) for e in errors))


async def open_tcp(
    loop: asyncio.AbstractEventLoop,
    protocol_factory: Callable[[], _P],
    addrs: Sequence[AddrInfo],
    *,
    ssl: ssl_mod.SSLContext | None = None,
    server_hostname: str | None = None,
    local_addr: tuple[str, int] | None = None,
    happy_eyeballs_delay: float | None = 0.25,
    ssl_handshake_timeout: float | None = None,
    socket_factory: SocketFactoryType | None = None,
) -> tuple[asyncio.Transport, _P]:
    """Open a TCP connection to the first of ``addrs`` to answer, then TLS when ``ssl`` is set.

    Args:
        loop: The running loop.
        protocol_factory: Builds the protocol for the connection.
        addrs: Resolved addresses, in preference order.
        ssl: The TLS context, or ``None`` for plain TCP.
        server_hostname: The name for SNI and certificate matching.
        local_addr: A local ``(host, port)`` to bind before connecting.
        happy_eyeballs_delay: Seconds before starting the next attempt; ``None`` tries the
            addresses one after another.
        ssl_handshake_timeout: Seconds allowed for the TLS handshake.
        socket_factory: Makes each attempt's socket (options set before connecting).

    Returns:
        The transport and protocol.

    Raises:
        OSError: No address could be connected.
        ssl.SSLError: The TLS handshake failed.
    """
    ordered = interleave_families(addrs) if happy_eyeballs_delay is not None else list(addrs)
    sock = await _race(loop, ordered, happy_eyeballs_delay, local_addr, socket_factory)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        kwargs: dict[str, Any] = {}
        if ssl is not None:
            kwargs["server_hostname"] = server_hostname or ""
            if ssl_handshake_timeout is not None:
                kwargs["ssl_handshake_timeout"] = ssl_handshake_timeout
        transport, protocol = await loop.create_connection(
            protocol_factory, sock=sock, ssl=ssl, **kwargs
        )
    except BaseException:
        sock.close()
        raise
    # No isinstance check: uvloop's transports behave as asyncio.Transport without
    # subclassing it.
    return transport, protocol


async def open_unix(
    loop: asyncio.AbstractEventLoop,
    protocol_factory: Callable[[], _P],
    path: str,
    *,
    ssl: ssl_mod.SSLContext | None = None,
    server_hostname: str | None = None,
) -> tuple[asyncio.Transport, _P]:
    """Open a connection to a unix domain socket.

    Raises:
        OSError: The socket could not be opened.
    """
    kwargs: dict[str, Any] = {}
    if ssl is not None:
        kwargs["server_hostname"] = server_hostname or ""
    transport, protocol = await loop.create_unix_connection(
        protocol_factory, path, ssl=ssl, **kwargs
    )
    # No isinstance check: uvloop's transports behave as asyncio.Transport without
    # subclassing it.
    return transport, protocol
