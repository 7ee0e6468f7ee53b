"""aiohttp 3.x import path for the low-level server (see :mod:`aiohttp.web.server.lowlevel`)."""

from .web.server.lowlevel import Server

__all__ = ["Server"]
