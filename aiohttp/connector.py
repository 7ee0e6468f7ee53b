"""The aiohttp 3.x module path of the connectors (see :mod:`aiohttp.client.connector`)."""

from .client.connector import BaseConnector, Connection, TCPConnector, UnixConnector

__all__ = ("BaseConnector", "Connection", "TCPConnector", "UnixConnector")
