"""aiohttp 3.x import path for the loggers (see :mod:`aiohttp._io.log`)."""

from ._io.log import (
    access_logger,
    client_logger,
    internal_logger,
    server_logger,
    web_logger,
    ws_logger,
)

__all__ = [
    "access_logger",
    "client_logger",
    "internal_logger",
    "server_logger",
    "web_logger",
    "ws_logger",
]
