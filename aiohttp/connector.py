"""The aiohttp 3.x module path of the connectors (see :mod:`aiohttp.client.connector`)."""

from .client.connector import BaseConnector, Connection, TCPConnector, UnixConnector

__all__ = ("BaseConnector", "Connection", "TCPConnector", "UnixConnector")


def __getattr__(name: str) -> object:
    """The 0.x connector names (``SocketConnector``, ``ProxyConnector``), with a warning."""
    from .client.legacy import renamed  # noqa: PLC0415 - only old programs ask

    return renamed(name)
