"""aiohttp 3.x import path for the connection protocol (see :mod:`aiohttp.web.protocol`)."""

from .web.protocol import RequestHandler

__all__ = ["RequestHandler"]
