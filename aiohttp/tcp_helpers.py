"""aiohttp 3.x import path for the TCP socket options (see :mod:`aiohttp._io.connect`)."""

from ._io.connect import tcp_keepalive, tcp_nodelay

__all__ = ("tcp_keepalive", "tcp_nodelay")
