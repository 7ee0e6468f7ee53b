"""aiohttp 3.x import path for requests (see :mod:`aiohttp.web.messages.request`)."""

from .web.messages.form import SPOOL_MAX_SIZE as _FILE_SPOOL_MAX_SIZE  # noqa: F401
from .web.messages.forwarded import FORWARDED_PAIR_RE as _FORWARDED_PAIR_RE  # noqa: F401
from .web.messages.headers import ETag  # noqa: F401 - 3.x imports it here
from .web.messages.request import BaseRequest, FileField, Request

__all__ = ["BaseRequest", "FileField", "Request"]
