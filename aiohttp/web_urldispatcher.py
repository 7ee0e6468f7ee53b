"""aiohttp 3.x import path for routing (see :mod:`aiohttp.web.routing`)."""

from .web.match_info import AbstractMatchInfo, MatchInfoError, UrlMappingMatchInfo
from .web.resources import (
    AbstractResource,
    DynamicResource,
    PlainResource,
    PrefixResource,
    Resource,
)
from .web.route import AbstractRoute, ResourceRoute, SystemRoute
from .web.routing import AbstractRouter, ResourcesView, RoutesView, UrlDispatcher
from .web.static import StaticResource
from .web.subapps import Domain, MaskDomain, MatchedSubAppResource, PrefixedSubAppResource
from .web.view import AbstractView, View

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
