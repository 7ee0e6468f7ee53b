"""aiohttp 3.x import path for the access log (see :mod:`aiohttp.web.server.access_log`)."""

from .web.messages.request import BaseRequest  # noqa: F401 - 3.x code imports it from here
from .web.messages.response import StreamResponse  # noqa: F401 - 3.x code imports it from here
from .web.server.access_log import AbstractAccessLogger, AccessLogger, KeyMethod

__all__ = ["AbstractAccessLogger", "AccessLogger", "KeyMethod"]
