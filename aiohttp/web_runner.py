"""aiohttp 3.x import path for runners and sites (see :mod:`aiohttp.web.server.runner`)."""

from .web.server.runner import (
    AppRunner,
    BaseRunner,
    BaseSite,
    GracefulExit,
    ServerRunner,
    SockSite,
    TCPSite,
    UnixSite,
)

__all__ = [
    "AppRunner",
    "BaseRunner",
    "BaseSite",
    "GracefulExit",
    "ServerRunner",
    "SockSite",
    "TCPSite",
    "UnixSite",
]
