"""aiohttp 3.x import path for the low-level server (see :mod:`aiohttp.web.server`)."""

from .web.server import Server

__all__ = ["Server"]
