"""Class-based views: one method per HTTP method.

::

    class UserView(web.View):
        async def get(self) -> web.Response:
            return web.Response(text=self.request.match_info["name"])

    app.router.add_view("/users/{name}", UserView)

A method the class does not define is answered with 405 and an ``Allow`` field listing the ones it
does.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, NoReturn

from ..exceptions import HTTPMethodNotAllowed

if TYPE_CHECKING:
    from ..messages.request import Request
    from ..messages.response import StreamResponse

__all__ = ["AbstractView", "View"]

_METHODS = ("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE")


class AbstractView(ABC):
    """Base for class-based views: built with the request, then awaited for the response.

    Args:
        request: The request being handled.
    """

    def __init__(self, request: Request) -> None:
        self._request = request

    @property
    def request(self) -> Request:
        """The request being handled."""
        return self._request

    @abstractmethod
    def __await__(self) -> Generator[Any, None, StreamResponse]:
        """Run the view and return its response."""


class View(AbstractView):
    """A view that dispatches on the request method to ``get()``, ``post()`` and so on."""

    async def _iter(self) -> StreamResponse:
        method = self.request.method
        if method not in _METHODS:
            self._raise_allowed_methods()
        handler = getattr(self, method.lower(), None)
        if handler is None:
            self._raise_allowed_methods()
        response: StreamResponse = await handler()
        return response

    def __await__(self) -> Generator[Any, None, StreamResponse]:
        return self._iter().__await__()

    def _raise_allowed_methods(self) -> NoReturn:
        allowed = {m for m in _METHODS if hasattr(self, m.lower())}
        raise HTTPMethodNotAllowed(self.request.method, allowed)
