"""The result of routing a request: the matched variables, the route and the applications.

:class:`UrlMappingMatchInfo` is a ``dict`` of the path variables (``request.match_info["name"]``)
that also knows its route, its handler, the ``expect_handler`` and the chain of applications the
request went through (the root application first, the innermost sub-application last).
:class:`MatchInfoError` is what routing returns for a 404 or 405: its handler raises the error, so
middlewares still run around it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Generator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .route import SystemRoute

if TYPE_CHECKING:
    from ..application import Application
    from ..exceptions import HTTPException
    from .route import AbstractRoute

__all__ = ["AbstractMatchInfo", "MatchInfoError", "UrlMappingMatchInfo"]


class AbstractMatchInfo(ABC):
    """What a router's ``resolve()`` returns."""

    __slots__ = ()

    @property
    @abstractmethod
    def handler(self) -> Callable[..., Awaitable[Any]]:
        """The handler to call with the request."""

    @property
    @abstractmethod
    def expect_handler(self) -> Callable[..., Awaitable[Any]]:
        """The handler that answers ``Expect: 100-continue``."""

    @property
    @abstractmethod
    def http_exception(self) -> HTTPException | None:
        """The routing error (404/405) or ``None``."""

    @abstractmethod
    def get_info(self) -> dict[str, Any]:
        """Information about the matched resource, for introspection."""

    @property
    @abstractmethod
    def apps(self) -> tuple[Application, ...]:
        """The applications the request went through, the root first."""

    @abstractmethod
    def add_app(self, app: Application) -> None:
        """Add an application in front of the chain (called on the way out of nested routers)."""

    @abstractmethod
    def freeze(self) -> None:
        """Forbid further :meth:`add_app` calls."""


class UrlMappingMatchInfo(dict[str, str], AbstractMatchInfo):
    """The path variables of a matched route, plus the route itself.

    Args:
        match_dict: The variables matched in the path.
        route: The route chosen.
    """

    __slots__ = ("_apps", "_current_app", "_frozen", "_route")

    def __init__(self, match_dict: dict[str, str], route: AbstractRoute) -> None:
        super().__init__(match_dict)
        self._route = route
        self._apps: list[Application] = []
        self._current_app: Application | None = None
        self._frozen = False

    @property
    def handler(self) -> Callable[..., Awaitable[Any]]:
        """The route's handler."""
        return self._route.handler

    @property
    def route(self) -> AbstractRoute:
        """The route chosen."""
        return self._route

    @property
    def expect_handler(self) -> Callable[..., Awaitable[Any]]:
        """The route's ``Expect`` handler."""
        return self._route.handle_expect_header

    @property
    def http_exception(self) -> HTTPException | None:
        """Always ``None``: the route matched."""
        return None

    def get_info(self) -> dict[str, Any]:
        """The resource's description (``path``, ``formatter``, ``pattern``...)."""
        return self._route.get_info()

    @property
    def apps(self) -> tuple[Application, ...]:
        """The applications, the root first."""
        return tuple(self._apps)

    def add_app(self, app: Application) -> None:
        """Put ``app`` in front of the chain and make it current.

        Raises:
            RuntimeError: The match info is frozen.
        """
        if self._frozen:
            raise RuntimeError("Cannot change apps stack after .freeze() call")
        if self._current_app is None:
            self._current_app = app
        self._apps.insert(0, app)

    @property
    def current_app(self) -> Application:
        """The application whose middleware or handler is running now."""
        app = self._current_app
        assert app is not None
        return app

    @current_app.setter
    def current_app(self, app: Application) -> None:
        if app not in self._apps:
            raise RuntimeError(f"Expected one of the following apps {self._apps!r}, got {app!r}")
        self._current_app = app

    @contextmanager
    def set_current_app(self, app: Application) -> Generator[None, None, None]:
        """Make ``app`` current for the duration of a ``with`` block.

        Raises:
            RuntimeError: ``app`` is not in :attr:`apps`.
        """
        if app not in self._apps:
            raise RuntimeError(f"Expected one of the following apps {self._apps!r}, got {app!r}")
        prev = self._current_app
        self._current_app = app
        try:
            yield
        finally:
            self._current_app = prev

    def freeze(self) -> None:
        """Forbid further :meth:`add_app` calls."""
        self._frozen = True

    def __repr__(self) -> str:
        return f"<MatchInfo {super().__repr__()}: {self._route}>"


class MatchInfoError(UrlMappingMatchInfo):
    """A routing failure: its handler raises ``http_exception``.

    Args:
        http_exception: The 404 or 405 to answer with.
    """

    __slots__ = ("_exception",)

    def __init__(self, http_exception: HTTPException) -> None:
        self._exception = http_exception
        super().__init__({}, SystemRoute(self._exception))

    @property
    def http_exception(self) -> HTTPException:
        """The 404 or 405."""
        return self._exception

    def __repr__(self) -> str:
        return f"<MatchInfoError {self._exception.status}: {self._exception.reason}>"
