"""aiohttp 3.x import path for the access log (see :mod:`aiohttp.web.access_log`)."""

from .web.access_log import AbstractAccessLogger, AccessLogger, KeyMethod
from .web.request import BaseRequest  # noqa: F401 - 3.x code imports it from here
from .web.response import StreamResponse  # noqa: F401 - 3.x code imports it from here

__all__ = ["AbstractAccessLogger", "AccessLogger", "KeyMethod"]
