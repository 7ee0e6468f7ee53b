"""aiohttp 3.x import path for the abstract base classes users subclass."""

from ._io.writer import AbstractStreamWriter
from .client.cookiejar import AbstractCookieJar
from .client.resolver import AbstractResolver
from .web.access_log import AbstractAccessLogger
from .web.match_info import AbstractMatchInfo
from .web.routing import AbstractRouter
from .web.view import AbstractView

__all__ = [
    "AbstractAccessLogger",
    "AbstractCookieJar",
    "AbstractMatchInfo",
    "AbstractResolver",
    "AbstractRouter",
    "AbstractStreamWriter",
    "AbstractView",
]
