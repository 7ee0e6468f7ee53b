"""Route definitions: routes described first and registered later with ``add_routes``.

::

    routes = web.RouteTableDef()

    @routes.get("/users/{name}")
    async def user(request: web.Request) -> web.Response: ...

    app.add_routes(routes)
    app.add_routes([web.post("/login", login), web.static("/static", "files")])
"""

from __future__ import annotations

import dataclasses
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .route import METH_ALL, METH_ANY, AbstractRoute

if TYPE_CHECKING:
    from .router import UrlDispatcher

__all__ = [
    "AbstractRouteDef",
    "RouteDef",
    "RouteTableDef",
    "StaticDef",
    "delete",
    "get",
    "head",
    "options",
    "patch",
    "post",
    "put",
    "route",
    "static",
    "view",
]

_H = TypeVar("_H", bound=Callable[..., Any])


class AbstractRouteDef(ABC):
    """Something that can add itself to a router."""

    __slots__ = ()

    @abstractmethod
    def register(self, router: UrlDispatcher) -> list[AbstractRoute]:
        """Add the route(s) to ``router`` and return them."""


@dataclasses.dataclass(frozen=True, repr=False, slots=True, weakref_slot=True)
class RouteDef(AbstractRouteDef):
    """A method, a path, a handler and the keyword arguments for ``router.add_route``."""

    method: str
    path: str
    handler: Any
    kwargs: dict[str, Any]

    def __repr__(self) -> str:
        info = "".join(f", {name}={value!r}" for name, value in sorted(self.kwargs.items()))
        name = getattr(self.handler, "__name__", repr(self.handler))
        return f"<RouteDef {self.method} {self.path} -> {name!r}{info}>"

    def register(self, router: UrlDispatcher) -> list[AbstractRoute]:
        """Add the route with ``router.add_<method>`` (or ``add_route`` for other methods)."""
        if self.method in METH_ALL:
            adder = getattr(router, "add_" + self.method.lower())
            return [adder(self.path, self.handler, **self.kwargs)]
        return [router.add_route(self.method, self.path, self.handler, **self.kwargs)]


@dataclasses.dataclass(frozen=True, repr=False, slots=True, weakref_slot=True)
class StaticDef(AbstractRouteDef):
    """A static directory for ``router.add_static``."""

    prefix: str
    path: str | os.PathLike[str]
    kwargs: dict[str, Any]

    def __repr__(self) -> str:
        info = "".join(f", {name}={value!r}" for name, value in sorted(self.kwargs.items()))
        return f"<StaticDef {self.prefix} -> {self.path}{info}>"

    def register(self, router: UrlDispatcher) -> list[AbstractRoute]:
        """Add the static resource and return its routes."""
        resource = router.add_static(self.prefix, self.path, **self.kwargs)
        return list(resource)


def route(method: str, path: str, handler: Any, **kwargs: Any) -> RouteDef:
    """A route for any method."""
    return RouteDef(method, path, handler, kwargs)


def head(path: str, handler: Any, **kwargs: Any) -> RouteDef:
    """A HEAD route."""
    return route("HEAD", path, handler, **kwargs)


def options(path: str, handler: Any, **kwargs: Any) -> RouteDef:
    """An OPTIONS route."""
    return route("OPTIONS", path, handler, **kwargs)


def get(
    path: str, handler: Any, *, name: str | None = None, allow_head: bool = True, **kwargs: Any
) -> RouteDef:
    """A GET route (also answering HEAD unless ``allow_head=False``)."""
    return route("GET", path, handler, name=name, allow_head=allow_head, **kwargs)


def post(path: str, handler: Any, **kwargs: Any) -> RouteDef:
    """A POST route."""
    return route("POST", path, handler, **kwargs)


def put(path: str, handler: Any, **kwargs: Any) -> RouteDef:
    """A PUT route."""
    return route("PUT", path, handler, **kwargs)


def patch(path: str, handler: Any, **kwargs: Any) -> RouteDef:
    """A PATCH route."""
    return route("PATCH", path, handler, **kwargs)


def delete(path: str, handler: Any, **kwargs: Any) -> RouteDef:
    """A DELETE route."""
    return route("DELETE", path, handler, **kwargs)


def view(path: str, handler: Any, **kwargs: Any) -> RouteDef:
    """A class-based view answering every method."""
    return route(METH_ANY, path, handler, **kwargs)


def static(prefix: str, path: str | os.PathLike[str], **kwargs: Any) -> StaticDef:
    """A static directory (see ``router.add_static``)."""
    return StaticDef(prefix, path, kwargs)


class RouteTableDef(Sequence[AbstractRouteDef]):
    """A list of route definitions filled with decorators: ``@routes.get("/")``."""

    def __init__(self) -> None:
        self._items: list[AbstractRouteDef] = []

    def __repr__(self) -> str:
        return f"<RouteTableDef count={len(self._items)}>"

    @overload
    def __getitem__(self, index: int) -> AbstractRouteDef: ...

    @overload
    def __getitem__(self, index: slice) -> list[AbstractRouteDef]: ...

    def __getitem__(self, index: int | slice) -> AbstractRouteDef | list[AbstractRouteDef]:
        return self._items[index]

    def __iter__(self) -> Iterator[AbstractRouteDef]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, item: object) -> bool:
        return item in self._items

    def route(self, method: str, path: str, **kwargs: Any) -> Callable[[_H], _H]:
        """A decorator adding a route for ``method`` on ``path``."""

        def inner(handler: _H) -> _H:
            self._items.append(RouteDef(method, path, handler, kwargs))
            return handler

        return inner

    def head(self, path: str, **kwargs: Any) -> Callable[[_H], _H]:
        """Decorator for a HEAD route."""
        return self.route("HEAD", path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Callable[[_H], _H]:
        """Decorator for a GET route (HEAD too unless ``allow_head=False``)."""
        return self.route("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Callable[[_H], _H]:
        """Decorator for a POST route."""
        return self.route("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Callable[[_H], _H]:
        """Decorator for a PUT route."""
        return self.route("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Callable[[_H], _H]:
        """Decorator for a PATCH route."""
        return self.route("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Callable[[_H], _H]:
        """Decorator for a DELETE route."""
        return self.route("DELETE", path, **kwargs)

    def options(self, path: str, **kwargs: Any) -> Callable[[_H], _H]:
        """Decorator for an OPTIONS route."""
        return self.route("OPTIONS", path, **kwargs)

    def view(self, path: str, **kwargs: Any) -> Callable[[_H], _H]:
        """Decorator for a class-based view."""
        return self.route(METH_ANY, path, **kwargs)

    def static(self, prefix: str, path: str | os.PathLike[str], **kwargs: Any) -> None:
        """Add a static directory."""
        self._items.append(StaticDef(prefix, path, kwargs))
