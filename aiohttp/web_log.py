"""aiohttp 3.x import path for the access log (see :mod:`aiohttp.web.access_log`)."""

from .web.access_log import AbstractAccessLogger, AccessLogger

__all__ = ["AbstractAccessLogger", "AccessLogger"]
