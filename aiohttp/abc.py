"""aiohttp 3.x import path for the abstract base classes users subclass."""

from collections.abc import Iterable

from multidict import CIMultiDict  # noqa: F401
from yarl import URL  # noqa: F401

from ._io.writer import AbstractStreamWriter
from .client.cookiejar import (  # noqa: F401
    AbstractCookieJar,
    ClearCookiePredicate,
    parse_set_cookie_headers,
)
from .client.resolver import AbstractResolver, ResolveResult
from .typedefs import LooseCookies  # noqa: F401
from .web.application import Application  # noqa: F401
from .web.exceptions import HTTPException  # noqa: F401
from .web.messages.request import BaseRequest, Request  # noqa: F401
from .web.messages.response import StreamResponse  # noqa: F401
from .web.routing.match_info import AbstractMatchInfo
from .web.routing.router import AbstractRouter
from .web.routing.view import AbstractView
from .web.server.access_log import AbstractAccessLogger

# Application, BaseRequest, Request, StreamResponse and HTTPException are importable from here
# as in 3.x (extensions annotate with them); they are documented in aiohttp.web. So are the
# names 3.x's module uses in its signatures (CIMultiDict, URL, LooseCookies,
# ClearCookiePredicate, IterableBase) and parse_set_cookie_headers, which the cookie jars use.

#: The base of a cookie jar, iterable over its morsels (3.x's name for it).
IterableBase = Iterable

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
