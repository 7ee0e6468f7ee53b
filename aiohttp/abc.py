"""aiohttp 3.x import path for the abstract base classes users subclass."""

from ._io.writer import AbstractStreamWriter
from .client.cookiejar import AbstractCookieJar
from .client.resolver import AbstractResolver, ResolveResult
from .web.access_log import AbstractAccessLogger
from .web.application import Application  # noqa: F401
from .web.exceptions import HTTPException  # noqa: F401
from .web.match_info import AbstractMatchInfo
from .web.request import BaseRequest, Request  # noqa: F401
from .web.response import StreamResponse  # noqa: F401
from .web.routing import AbstractRouter
from .web.view import AbstractView

# Application, BaseRequest, Request, StreamResponse and HTTPException are importable from here
# as in 3.x (extensions annotate with them); they are documented in aiohttp.web.

__all__ = [
    "AbstractAccessLogger",
    "AbstractCookieJar",
    "AbstractMatchInfo",
    "AbstractResolver",
    "AbstractRouter",
    "AbstractStreamWriter",
    "AbstractView",
    "ResolveResult",
]
