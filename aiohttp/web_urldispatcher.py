"""aiohttp 3.x import path for routing (see :mod:`aiohttp.web.routing.router`)."""

from .web.routing.match_info import AbstractMatchInfo, MatchInfoError, UrlMappingMatchInfo
from .web.routing.resources import (
    PATH_SEP,  # noqa: F401 - 3.x name
    AbstractResource,
    DynamicResource,
    PlainResource,
    PrefixResource,
    Resource,
)
from .web.routing.route import AbstractRoute, ResourceRoute, SystemRoute
from .web.routing.route import default_expect_handler as _default_expect_handler  # noqa: F401
from .web.routing.router import AbstractRouter, ResourcesView, RoutesView, UrlDispatcher
from .web.routing.static import StaticResource
from .web.routing.subapps import Domain, MaskDomain, MatchedSubAppResource, PrefixedSubAppResource
from .web.routing.view import AbstractView, View

__all__ = [
    "AbstractMatchInfo",
    "AbstractResource",
    "AbstractRoute",
    "AbstractRouter",
    "AbstractView",
    "Domain",
    "DynamicResource",
    "MaskDomain",
    "MatchInfoError",
    "MatchedSubAppResource",
    "PlainResource",
    "PrefixResource",
    "PrefixedSubAppResource",
    "Resource",
    "ResourceRoute",
    "ResourcesView",
    "RoutesView",
    "StaticResource",
    "SystemRoute",
    "UrlDispatcher",
    "UrlMappingMatchInfo",
    "View",
]
