"""Middlewares: coroutines wrapped around the handler, in the order of ``app.middlewares``.

A middleware takes the request and the next handler and returns a response::

    @web.middleware
    async def timing(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        response.headers["X-Elapsed"] = "..."
        return response

The first middleware in the list is the outermost; one that returns without calling ``handler``
short-circuits everything inside it. Middlewares also run around routing failures (404/405), which
is what :func:`normalize_path_middleware` relies on.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .exceptions import HTTPMove, HTTPPermanentRedirect
from .routing.route import SystemRoute

if TYPE_CHECKING:
    from .application import Application
    from .messages.request import Request
    from .messages.response import StreamResponse

__all__ = ["middleware", "normalize_path_middleware"]

Handler = Callable[["Request"], Awaitable["StreamResponse"]]
Middleware = Callable[["Request", Handler], Awaitable["StreamResponse"]]

_F = TypeVar("_F", bound=Callable[..., Any])

_SLASHES = re.compile("//+")
_LEADING_SLASHES = re.compile("^/+")


def middleware(f: _F) -> _F:
    """Mark ``f(request, handler)`` as a (new-style) middleware.

    Without the mark a middleware is taken for the deprecated ``factory(app, handler)`` style.
    """
    f.__middleware_version__ = 1  # type: ignore[attr-defined]
    return f


async def _resolves(request: Request, path: str) -> bool:
    alt = request.clone(rel_url=path)
    match_info = await request.app.router.resolve(alt)
    return match_info.http_exception is None


def _candidates(path: str, *, append: bool, remove: bool, merge: bool) -> list[str]:
    found: list[str] = []
    if merge:
        found.append(_SLASHES.sub("/", path))
    if append and not path.endswith("/"):
        found.append(path + "/")
    if remove and path.endswith("/"):
        found.append(path[:-1])
    if merge and append:
        found.append(_SLASHES.sub("/", path + "/"))
    if merge and remove:
        found.append(_SLASHES.sub("/", path)[:-1])
    # Never redirect to "//host/...": that is another origin (an open redirect).
    return [_LEADING_SLASHES.sub("/", p) for p in found if p]


def normalize_path_middleware(
    *,
    append_slash: bool = True,
    remove_slash: bool = False,
    merge_slashes: bool = True,
    redirect_class: type[HTTPMove] = HTTPPermanentRedirect,
) -> Middleware:
    """A middleware that redirects a request that found no route to a path that has one.

    The candidates are tried in this order: slashes merged (``//a///b`` -> ``/a/b``), a trailing
    slash appended (or removed), and both. The query string is kept.

    Args:
        append_slash: Try the path with a ``/`` appended.
        remove_slash: Try the path without its trailing ``/``.
        merge_slashes: Try the path with runs of ``/`` merged.
        redirect_class: The redirect to answer with (308 by default: the method is kept).

    Raises:
        AssertionError: ``append_slash`` and ``remove_slash`` are both true (3.x's type).
    """
    if append_slash and remove_slash:
        raise AssertionError("Cannot both remove and append slash")

    @middleware
    async def impl(request: Request, handler: Handler) -> StreamResponse:
        if isinstance(request.match_info.route, SystemRoute):
            raw = request.raw_path
            path, sep, query = raw.partition("?")
            suffix = sep + query
            candidates = _candidates(
                path, append=append_slash, remove=remove_slash, merge=merge_slashes
            )
            for candidate in candidates:
                if candidate != path and await _resolves(request, candidate):
                    raise redirect_class(candidate + suffix)
        return await handler(request)

    return impl


def fix_current_app(app: Application) -> Middleware:
    """The middleware that makes ``request.app`` the application whose part of the chain runs."""

    @middleware
    async def impl(request: Request, handler: Handler) -> StreamResponse:
        match_info = request.match_info
        previous = match_info.current_app
        match_info.current_app = app
        try:
            return await handler(request)
        finally:
            match_info.current_app = previous

    return impl
