"""The aiohttp 3.x module path of the connectors (see :mod:`aiohttp.client.connector`)."""

import socket
from collections.abc import Callable
from typing import Any

from .client.connection import Connection
from .client.connector import BaseConnector, TCPConnector, UnixConnector

__all__ = (
    "AddrInfoType",
    "BaseConnector",
    "Connection",
    "SocketFactoryType",
    "TCPConnector",
    "UnixConnector",
)

AddrInfoType = tuple[int | socket.AddressFamily, int | socket.SocketKind, int, str, tuple[Any, ...]]
"""One ``getaddrinfo`` entry: ``(family, type, proto, canonname, sockaddr)``."""
SocketFactoryType = Callable[[AddrInfoType], socket.socket]
"""What ``TCPConnector(socket_factory=...)`` takes: makes the socket for one address."""


def __getattr__(name: str) -> object:
    """The 0.x connector names (``SocketConnector``, ``ProxyConnector``), with a warning."""
    from .client.legacy import renamed  # noqa: PLC0415 - only old programs ask

    return renamed(name)
