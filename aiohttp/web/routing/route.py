"""Routes: a method and a handler attached to a resource.

A :class:`ResourceRoute` belongs to a resource (``/users/{id}``) and answers one method (or ``*``
for any). :class:`SystemRoute` is the route of a routing failure: its handler raises the 404/405.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import warnings
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from yarl import URL

from ..._sansio.abnf import lower_token
from ..exceptions import HTTPException, HTTPExpectationFailed
from .view import AbstractView

if TYPE_CHECKING:
    from ..messages.request import Request
    from ..messages.response import StreamResponse
    from .resources import AbstractResource

__all__ = ["METH_ALL", "METH_ANY", "AbstractRoute", "ResourceRoute", "SystemRoute"]

Handler = Callable[["Request"], Awaitable["StreamResponse"]]
ExpectHandler = Callable[["Request"], Awaitable["StreamResponse | None"]]

METH_ANY = "*"
METH_ALL = frozenset(
    {"CONNECT", "HEAD", "GET", "DELETE", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"}
)

# RFC 9110 §5.6.2: a method is a token.
_TOKEN_CHARS = frozenset(
    "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

CONTINUE_LINE = b"HTTP/1.1 100 Continue\r\n\r\n"


async def default_expect_handler(request: Request) -> None:
    """Answer ``Expect: 100-continue`` with an interim ``100 Continue`` (RFC 9110 §10.1.1).

    Raises:
        HTTPExpectationFailed: Any other expectation (417).
    """
    expect = request.headers.get("Expect", "")
    if request.version[:2] == (1, 1):
        if lower_token(expect) == "100-continue":
            writer = request.writer
            await writer.write(CONTINUE_LINE)
            # The interim response is not part of the final one: count from zero again.
            writer.output_size = 0
        else:
            raise HTTPExpectationFailed(text=f"Unknown Expect: {expect}")


def _wrap_plain_function(handler: Callable[..., Any]) -> Handler:
    warnings.warn("Bare functions are deprecated, use async ones", DeprecationWarning, stacklevel=4)

    @functools.wraps(handler)
    async def wrapped(request: Request) -> StreamResponse:
        result = handler(request)
        if inspect.isawaitable(result):
            result = await result
        return result  # type: ignore[no-any-return]

    return wrapped


class AbstractRoute(ABC):
    """A method and a handler, optionally attached to a resource.

    Args:
        method: The HTTP method (upper-cased), or ``*`` for any.
        handler: A coroutine function taking the request, or a :class:`web.View` subclass.
        expect_handler: Answers ``Expect`` before the handler runs (``100 Continue`` by default).
        resource: The resource the route belongs to.

    Raises:
        ValueError: ``method`` is not a token.
        TypeError: ``handler`` is not callable.
        AssertionError: ``expect_handler`` is not a coroutine function (3.x's type).
    """

    __slots__ = ("_expect_handler", "_handler", "_method", "_resource")

    def __init__(
        self,
        method: str,
        handler: Handler | type[AbstractView],
        *,
        expect_handler: ExpectHandler | None = None,
        resource: AbstractResource | None = None,
    ) -> None:
        if expect_handler is None:
            expect_handler = default_expect_handler
        if not asyncio.iscoroutinefunction(expect_handler):
            raise AssertionError(f"Coroutine is expected, got {expect_handler!r}")  # 3.x's type
        method = method.upper()
        if method != METH_ANY and (not method or not _TOKEN_CHARS.issuperset(method)):
            raise ValueError(f"{method} is not allowed HTTP method")
        if not callable(handler):
            raise TypeError(f"Only async functions are allowed as web-handlers, got {handler!r}")
        if not (
            asyncio.iscoroutinefunction(handler)
            or (isinstance(handler, type) and issubclass(handler, AbstractView))
        ):
            handler = _wrap_plain_function(handler)
        self._method = method
        self._handler: Handler = handler
        self._expect_handler = expect_handler
        self._resource = resource

    @property
    def method(self) -> str:
        """The HTTP method, or ``*``."""
        return self._method

    @property
    def handler(self) -> Handler:
        """The request handler."""
        return self._handler

    @property
    @abstractmethod
    def name(self) -> str | None:
        """The route's name (its resource's name)."""

    @property
    def resource(self) -> AbstractResource | None:
        """The resource the route belongs to."""
        return self._resource

    @abstractmethod
    def get_info(self) -> dict[str, Any]:
        """Information about the resource, for introspection."""

    @abstractmethod
    def url_for(self, *args: str, **kwargs: str) -> URL:
        """The URL of the resource with the given parts."""

    async def handle_expect_header(self, request: Request) -> StreamResponse | None:
        """Run the ``expect_handler``; a response it returns is sent instead of the handler's."""
        return await self._expect_handler(request)


class ResourceRoute(AbstractRoute):
    """A route attached to a resource."""

    __slots__ = ()

    def __init__(
        self,
        method: str,
        handler: Handler | type[AbstractView],
        resource: AbstractResource,
        *,
        expect_handler: ExpectHandler | None = None,
    ) -> None:
        super().__init__(method, handler, expect_handler=expect_handler, resource=resource)

    def __repr__(self) -> str:
        return f"<ResourceRoute [{self.method}] {self._resource} -> {self.handler!r}"

    @property
    def name(self) -> str | None:
        """The resource's name."""
        if self._resource is None:
            return None
        return self._resource.name

    def url_for(self, *args: str, **kwargs: str) -> URL:
        """The resource's URL for the given parts."""
        assert self._resource is not None
        return self._resource.url_for(*args, **kwargs)

    def get_info(self) -> dict[str, Any]:
        """The resource's description."""
        assert self._resource is not None
        return self._resource.get_info()


class SystemRoute(AbstractRoute):
    """The route of a routing failure: its handler raises the HTTP error.

    Args:
        http_exception: The 404 or 405 (or other error) to raise.
    """

    __slots__ = ("_http_exception",)

    def __init__(self, http_exception: HTTPException) -> None:
        super().__init__(METH_ANY, self._handle)
        self._http_exception = http_exception

    def url_for(self, *args: str, **kwargs: str) -> URL:
        """Not available: a system route has no URL.

        Raises:
            RuntimeError: Always.
        """
        raise RuntimeError(".url_for() is not allowed for SystemRoute")

    @property
    def name(self) -> None:
        """Always ``None``."""
        return None

    def get_info(self) -> dict[str, Any]:
        """The error: ``{"http_exception": exc}``."""
        return {"http_exception": self._http_exception}

    async def _handle(self, request: Request) -> StreamResponse:
        raise self._http_exception

    @property
    def status(self) -> int:
        """The error's status."""
        return self._http_exception.status

    @property
    def reason(self) -> str:
        """The error's reason phrase."""
        return self._http_exception.reason

    def __repr__(self) -> str:
        return f"<SystemRoute {self.status}: {self.reason}>"
