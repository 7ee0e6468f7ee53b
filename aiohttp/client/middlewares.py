"""Client middlewares: the interface every step of a request is written on.

A middleware is an async callable ``(request, handler) -> response``. It may change the request,
call ``handler(request)`` (the rest of the chain) once, several times (a retry, a second
attempt with credentials) or not at all (an answer from a cache), and change or replace the
response. :func:`build_client_middlewares` chains them so that the first one in the list is the
outermost: it sees the request first and the response last.

This module is also the aiohttp 3.x module ``aiohttp.client_middlewares``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from .request import ClientRequest
from .response import ClientResponse

__all__ = ("ClientHandlerType", "ClientMiddlewareType", "build_client_middlewares")

ClientHandlerType = Callable[[ClientRequest], Awaitable[ClientResponse]]
"""What a middleware calls to send the request on: ``await handler(request)``."""

ClientMiddlewareType = Callable[[ClientRequest, ClientHandlerType], Awaitable[ClientResponse]]
"""A middleware: ``async def middleware(request, handler) -> ClientResponse``."""


class _Link:
    """One middleware bound to the handler after it: calling it runs the middleware."""

    __slots__ = ("_handler", "_middleware")

    def __init__(self, middleware: ClientMiddlewareType, handler: ClientHandlerType) -> None:
        self._middleware = middleware
        self._handler = handler

    def __call__(self, request: ClientRequest) -> Awaitable[ClientResponse]:
        return self._middleware(request, self._handler)


def build_client_middlewares(
    handler: ClientHandlerType, middlewares: Sequence[ClientMiddlewareType]
) -> ClientHandlerType:
    """Chain ``middlewares`` in front of ``handler``; the first middleware is the outermost.

    Calling the result with a request runs ``middlewares[0](request, next)``, where ``next``
    runs ``middlewares[1]`` and so on, the last calling ``handler``.
    """
    for middleware in reversed(middlewares):
        handler = _Link(middleware, handler)
    return handler
