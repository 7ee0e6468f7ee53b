"""The router: resources in registration order, resolved fast.

Resources are tried in aiohttp 3.x's order: host-matched sub-applications (``add_domain``) first,
then the most specific: a resource ranks by the literal path before its first variable (its
:func:`specificity_key`; a plain path by the whole path), longest first, so ``/users/me`` wins
over ``/users/{id}`` and over a ``/users`` prefix whatever order they were added in; resources
of equal rank are tried in the order they were added. The first that matches the path and the
method wins. To avoid trying them in turn, the router builds an index when it is first used
after a change:

* plain paths go into a dict (one lookup);
* every other resource is filed under the literal start of its paths, cut after a ``/``
  (``/users/{id}/posts`` under ``/users/``, a static prefix ``/static`` under ``/static/``), so a
  request path is only matched against the resources filed under one of its own ``/``-ended
  prefixes (a handful of dict lookups, one per segment);
* resources that cannot say (host-based sub-applications, third-party resources) are asked about
  every request.

The first candidate in that order is asked to resolve; only when it refuses the method (a 405 in
the making), or cannot say in advance, are all the candidates asked in turn.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Container, Iterable, Iterator, Mapping, Sized
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ..exceptions import HTTPMethodNotAllowed, HTTPNotFound
from .match_info import AbstractMatchInfo, MatchInfoError, UrlMappingMatchInfo
from .resources import (
    NAME_SPLIT_RE,
    ROUTE_RE,
    AbstractResource,
    DynamicResource,
    PlainResource,
    Resource,
    check_name,
)
from .route import AbstractRoute, ExpectHandler, Handler, ResourceRoute
from .static import DEFAULT_CHUNK_SIZE, StaticResource
from .subapps import MatchedSubAppResource

_HOST_BASED = (MatchedSubAppResource,)

if TYPE_CHECKING:
    from ..messages.request import Request
    from .route_def import AbstractRouteDef
    from .view import AbstractView

__all__ = ["AbstractRouter", "ResourcesView", "RoutesView", "UrlDispatcher"]


class AbstractRouter(ABC):
    """Anything that turns a request into an :class:`AbstractMatchInfo`."""

    def __init__(self) -> None:
        self._frozen = False

    def post_init(self, app: Any) -> None:  # noqa: B027 - optional hook
        """Called once the application owning the router is built."""

    @property
    def frozen(self) -> bool:
        """Whether the router refuses new routes."""
        return self._frozen

    def freeze(self) -> None:
        """Refuse new routes from now on."""
        self._frozen = True

    @abstractmethod
    async def resolve(self, request: Request) -> AbstractMatchInfo:
        """Find the route for ``request`` (a 404/405 match info when there is none)."""


class ResourcesView(Sized, Iterable[AbstractResource], Container[AbstractResource]):
    """A read-only view of the router's resources."""

    def __init__(self, resources: list[AbstractResource]) -> None:
        self._resources = resources

    def __len__(self) -> int:
        return len(self._resources)

    def __iter__(self) -> Iterator[AbstractResource]:
        yield from self._resources

    def __contains__(self, resource: object) -> bool:
        return resource in self._resources


class RoutesView(Sized, Iterable[AbstractRoute], Container[AbstractRoute]):
    """A read-only view of every route of every resource."""

    def __init__(self, resources: list[AbstractResource]) -> None:
        self._routes: list[AbstractRoute] = []
        for resource in resources:
            self._routes.extend(resource)

    def __len__(self) -> int:
        return len(self._routes)

    def __iter__(self) -> Iterator[AbstractRoute]:
        yield from self._routes

    def __contains__(self, route: object) -> bool:
        return route in self._routes


def specificity_key(resource: AbstractResource) -> str:
    """The path a resource is ranked by: aiohttp 3.x's resource index key.

    Its canonical path, cut before the first variable at the last ``/`` (``/users/{id}/posts`` is
    ranked as ``/users``), without a trailing ``/``.
    """
    key = resource.canonical
    if "{" in key:
        key = key.partition("{")[0].rpartition("/")[0]
    return key.rstrip("/") or "/"


class _Index:
    """The lookup structures built from the resource list (see the module docstring)."""

    __slots__ = (
        "buckets", "longest", "plain_all", "plain_first", "rank", "resources", "unindexed",
    )  # fmt: skip

    def __init__(self, resources: list[AbstractResource]) -> None:
        self.resources = resources
        self.plain_all: dict[str, list[int]] = {}
        # Paths whose first candidate is a plain resource, as found: at most one per plain path.
        self.plain_first: dict[str, int] = {}
        self.buckets: dict[str, list[int]] = {}
        self.unindexed: list[int] = []
        # Host-matched sub-applications first, then the longest specificity key, then the
        # order of registration (aiohttp 3.x's order of resolution).
        self.rank: list[tuple[int, int, int]] = []
        for index, resource in enumerate(resources):
            host_based = isinstance(resource, _HOST_BASED)
            self.rank.append(
                (0, 0, index) if host_based else (1, -len(specificity_key(resource)), index)
            )
            if type(resource) is PlainResource:  # a subclass may match differently
                self.plain_all.setdefault(resource.path, []).append(index)
                continue
            key = resource.index_key()
            if key is None:
                self.unindexed.append(index)
            else:
                self.buckets.setdefault(key, []).append(index)
        self.longest = max(map(len, self.buckets), default=0)

    def _bucketed(self, path: str) -> list[int]:
        """Indexes of the resources filed under a ``/``-ended prefix of ``path``."""
        buckets = self.buckets
        longest = self.longest
        found: list[int] = []
        pos = path.find("/") + 1
        while 0 < pos <= longest:
            bucket = buckets.get(path[:pos])
            if bucket is not None:
                found.extend(bucket)
            pos = path.find("/", pos) + 1
        if len(path) < longest and not path.endswith("/"):
            bucket = buckets.get(path + "/")  # a prefix resource asked for its bare prefix
            if bucket is not None:
                found.extend(bucket)
        return found

    def candidates(self, path: str) -> list[int]:
        """Indexes, in the order of resolution, of every resource that may match ``path``.

        A resource left out cannot match: its paths all start with its key.
        """
        found = self._bucketed(path)
        found.extend(self.plain_all.get(path, ()))
        found.extend(self.unindexed)
        if len(found) > 1:
            found.sort(key=self.rank.__getitem__)
        return found

    def first_candidate(self, path: str) -> tuple[int | None, dict[str, str] | None]:
        """The index of the first resource that may match, and its variables when known.

        Variables are known (``{}`` for a plain path) when the candidate is a plain or variable
        resource whose path matched; the caller then only checks the method.
        """
        first = self.plain_first.get(path)
        if first is not None:
            return first, {}
        resources = self.resources
        for index in self.candidates(path):
            resource = resources[index]
            kind = type(resource)
            if kind is PlainResource:  # filed under its whole path: it matches
                self.plain_first[path] = index
                return index, {}
            if kind is DynamicResource:
                found = resource.match(path)
                if found is not None:
                    return index, found
                continue
            return index, None
        return None, None


class UrlDispatcher(AbstractRouter, Mapping[str, AbstractResource]):
    """The application's router: ``app.router``.

    As a mapping it holds the *named* resources: ``router["user"].url_for(name="ann")``.
    """

    #: What separates the identifiers of a route name (``api.users:get``).
    NAME_SPLIT_RE = NAME_SPLIT_RE

    def __init__(self) -> None:
        super().__init__()
        self._resources: list[AbstractResource] = []
        self._named_resources: dict[str, AbstractResource] = {}
        self._index: _Index | None = None

    async def resolve(self, request: Request) -> UrlMappingMatchInfo:
        """Find the route for ``request``.

        Returns:
            The match info; a :class:`MatchInfoError` carrying a 405 (with ``Allow``) when some
            resource matched the path but not the method, else a 404.
        """
        index = self._index
        if index is None:
            index = self._index = _Index(self._resources)
        try:
            message = request._message
            target, method = message.target, message.method
        except AttributeError:  # a request-like object without a parsed head
            target, method = "", request.method
        if target[:1] == "/" and "%" not in target:  # origin-form, nothing to decode
            path = target.partition("?")[0]
        else:
            path = request.rel_url.path_safe
        start, variables = index.first_candidate(path)
        if start is None:
            return MatchInfoError(HTTPNotFound())
        resources = self._resources
        if variables is not None:
            # A plain or variable resource matched: only its method is left to check.
            route = resources[start].route_for(method)  # type: ignore[attr-defined]
            if route is not None:
                return UrlMappingMatchInfo(variables, route)
        allowed: set[str] = set()
        for position in index.candidates(path):
            match_info, methods = await resources[position].resolve(request)
            if match_info is not None:
                return match_info
            allowed |= methods
        if allowed:
            return MatchInfoError(HTTPMethodNotAllowed(request.method, allowed))
        return MatchInfoError(HTTPNotFound())

    def __iter__(self) -> Iterator[str]:
        return iter(self._named_resources)

    def __len__(self) -> int:
        return len(self._named_resources)

    def __contains__(self, resource: object) -> bool:
        return resource in self._named_resources

    def __getitem__(self, name: str) -> AbstractResource:
        return self._named_resources[name]

    def resources(self) -> ResourcesView:
        """Every resource, in registration order."""
        return ResourcesView(self._resources)

    def routes(self) -> RoutesView:
        """Every route of every resource."""
        return RoutesView(self._resources)

    def named_resources(self) -> Mapping[str, AbstractResource]:
        """The named resources, read-only."""
        return MappingProxyType(self._named_resources)

    def register_resource(self, resource: AbstractResource) -> None:
        """Add a resource built elsewhere.

        Raises:
            RuntimeError: The router is frozen.
            ValueError: The name is malformed or already taken.
        """
        assert isinstance(resource, AbstractResource), (
            f"Instance of AbstractResource expected: {resource!r}"
        )
        if self.frozen:
            raise RuntimeError("Cannot register a resource into frozen router.")
        name = resource.name
        if name:
            check_name(name)
            if name in self._named_resources:
                raise ValueError(
                    f"Duplicate {name!r}, already handled by {self._named_resources[name]!r}"
                )
            self._named_resources[name] = resource
        self._resources.append(resource)
        self._index = None

    def add_resource(self, path: str, *, name: str | None = None) -> Resource:
        """The resource for ``path``: the last one added when it has the same path and name.

        Raises:
            ValueError: ``path`` does not start with ``/``, or its pattern is malformed.
        """
        if path and not path.startswith("/"):
            raise ValueError("path should be started with / or be empty")
        if self._resources:
            last = self._resources[-1]
            if isinstance(last, Resource) and last.name == name and last.raw_match(path):
                return last
        resource: Resource
        if not ("{" in path or "}" in path or ROUTE_RE.search(path)):
            resource = PlainResource(path, name=name)
        else:
            resource = DynamicResource(path, name=name)
        self.register_resource(resource)
        return resource

    def add_route(
        self,
        method: str,
        path: str,
        handler: Handler | type[AbstractView],
        *,
        name: str | None = None,
        expect_handler: ExpectHandler | None = None,
    ) -> ResourceRoute:
        """Answer ``method`` on ``path`` with ``handler``.

        Args:
            method: The HTTP method, or ``*`` for any.
            path: A plain path or a pattern with ``{name}`` / ``{name:regex}`` variables.
            handler: A coroutine function taking the request, or a :class:`web.View` subclass.
            name: A name for ``router[name]`` and ``url_for``.
            expect_handler: Answers ``Expect: 100-continue`` before the handler runs.
        """
        resource = self.add_resource(path, name=name)
        route = resource.add_route(method, handler, expect_handler=expect_handler)
        self._index = None
        return route

    def add_static(
        self,
        prefix: str,
        path: str | os.PathLike[str],
        *,
        name: str | None = None,
        expect_handler: ExpectHandler | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        show_index: bool = False,
        follow_symlinks: bool = False,
        append_version: bool = False,
    ) -> StaticResource:
        """Serve the files under ``path`` at ``prefix`` (see :class:`StaticResource`)."""
        assert prefix.startswith("/")
        if prefix.endswith("/"):
            prefix = prefix[:-1]
        resource = StaticResource(
            prefix,
            path,
            name=name,
            expect_handler=expect_handler,
            chunk_size=chunk_size,
            show_index=show_index,
            follow_symlinks=follow_symlinks,
            append_version=append_version,
        )
        self.register_resource(resource)
        return resource

    def add_head(self, path: str, handler: Handler, **kwargs: Any) -> ResourceRoute:
        """Answer HEAD on ``path``."""
        return self.add_route("HEAD", path, handler, **kwargs)

    def add_options(self, path: str, handler: Handler, **kwargs: Any) -> ResourceRoute:
        """Answer OPTIONS on ``path``."""
        return self.add_route("OPTIONS", path, handler, **kwargs)

    def add_get(
        self,
        path: str,
        handler: Handler,
        *,
        name: str | None = None,
        allow_head: bool = True,
        **kwargs: Any,
    ) -> ResourceRoute:
        """Answer GET on ``path`` (and HEAD too, unless ``allow_head=False``)."""
        resource = self.add_resource(path, name=name)
        if allow_head:
            resource.add_route("HEAD", handler, **kwargs)
        route = resource.add_route("GET", handler, **kwargs)
        self._index = None
        return route

    def add_post(self, path: str, handler: Handler, **kwargs: Any) -> ResourceRoute:
        """Answer POST on ``path``."""
        return self.add_route("POST", path, handler, **kwargs)

    def add_put(self, path: str, handler: Handler, **kwargs: Any) -> ResourceRoute:
        """Answer PUT on ``path``."""
        return self.add_route("PUT", path, handler, **kwargs)

    def add_patch(self, path: str, handler: Handler, **kwargs: Any) -> ResourceRoute:
        """Answer PATCH on ``path``."""
        return self.add_route("PATCH", path, handler, **kwargs)

    def add_delete(self, path: str, handler: Handler, **kwargs: Any) -> ResourceRoute:
        """Answer DELETE on ``path``."""
        return self.add_route("DELETE", path, handler, **kwargs)

    def add_view(self, path: str, handler: type[AbstractView], **kwargs: Any) -> ResourceRoute:
        """Answer every method on ``path`` with a class-based view."""
        return self.add_route("*", path, handler, **kwargs)

    def freeze(self) -> None:
        """Freeze the router and its resources."""
        super().freeze()
        for resource in self._resources:
            resource.freeze()
        self._index = None

    def invalidate_index(self) -> None:
        """Rebuild the lookup index on the next request (after resources changed their paths)."""
        self._index = None

    def index_resource(self, resource: AbstractResource) -> None:
        """File a registered resource in the lookup index again (after its path changed).

        The index is rebuilt from every registered resource on the next request.
        """
        self._index = None

    def unindex_resource(self, resource: AbstractResource) -> None:
        """Take a resource out of the lookup index before its path changes (``add_prefix``).

        The resource stays registered: the index is rebuilt on the next request.
        """
        self._index = None

    def add_routes(self, routes: Iterable[AbstractRouteDef]) -> list[AbstractRoute]:
        """Register route definitions (``web.get(...)``, a :class:`web.RouteTableDef`...).

        Returns:
            The routes created.
        """
        registered: list[AbstractRoute] = []
        for route_def in routes:
            registered.extend(route_def.register(self))
        return registered
