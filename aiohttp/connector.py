"""The aiohttp 3.x module path of the connectors (see :mod:`aiohttp.client.connector`)."""

from ._io.connect import AddrInfoType, SocketFactoryType
from .client.connection import Connection
from .client.connector import BaseConnector, TCPConnector, UnixConnector
from .client.resolver import DnsCache as _DNSCacheTable  # noqa: F401 - 3.x's name

__all__ = (
    "AddrInfoType",
    "BaseConnector",
    "Connection",
    "SocketFactoryType",
    "TCPConnector",
    "UnixConnector",
)


def __getattr__(name: str) -> object:
    """3.x's shared SSL contexts (made on first use), and the 0.x connector names
    (``SocketConnector``, ``ProxyConnector``), with a warning."""
    if name in ("_SSL_CONTEXT_VERIFIED", "_SSL_CONTEXT_UNVERIFIED"):
        from .client.tls import context_for  # noqa: PLC0415 - made only when asked for

        return context_for(name == "_SSL_CONTEXT_VERIFIED")
    from .client.legacy import renamed  # noqa: PLC0415 - only old programs ask

    return renamed(name)
