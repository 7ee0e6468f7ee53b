"""Sub-applications: mounted under a path prefix, or selected by the ``Host`` field.

``app.add_subapp("/admin", admin)`` gives ``admin`` everything under ``/admin``; its routes,
middlewares and signals stay its own, and the parent's middlewares run around them.
``app.add_domain("*.example.com", other)`` hands requests whose ``Host`` matches to ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from yarl import URL

from ..exceptions import HTTPMethodNotAllowed
from .match_info import UrlMappingMatchInfo
from .resources import AbstractResource, PrefixResource
from .route import ResourceRoute

if TYPE_CHECKING:
    from ..application import Application
    from ..messages.request import Request

__all__ = ["Domain", "MaskDomain", "MatchedSubAppResource", "PrefixedSubAppResource"]


def _allowed(match_info: UrlMappingMatchInfo) -> set[str]:
    exc = match_info.http_exception
    if isinstance(exc, HTTPMethodNotAllowed):
        return set(exc.allowed_methods)
    return set()


async def _route_inside(
    app: Application, request: Request
) -> tuple[UrlMappingMatchInfo | None, set[str]]:
    """Resolve ``request`` in a sub-application's router, the match recording that app."""
    match_info = await app.router.resolve(request)
    match_info.add_app(app)
    return match_info, _allowed(match_info)


def _prefix_all(app: Application, prefix: str) -> None:
    router = app.router
    for resource in router.resources():
        resource.add_prefix(prefix)
    invalidate = getattr(router, "invalidate_index", None)
    if invalidate is not None:
        invalidate()


class PrefixedSubAppResource(PrefixResource):
    """A sub-application mounted under a prefix: it claims the prefix and everything below.

    Args:
        prefix: The mount point, e.g. ``/admin``.
        app: The sub-application.
    """

    def __init__(self, prefix: str, app: Application) -> None:
        super().__init__(prefix)
        self._app = app
        _prefix_all(app, prefix)

    def add_prefix(self, prefix: str) -> None:
        """Prepend ``prefix`` here and to every resource of the sub-application."""
        super().add_prefix(prefix)
        _prefix_all(self._app, prefix)

    def url_for(self, *args: str, **kwargs: str) -> URL:
        """Not available: ask the sub-application's router instead.

        Raises:
            RuntimeError: Always.
        """
        raise RuntimeError(".url_for() is not supported by sub-application root")

    def get_info(self) -> dict[str, Any]:
        """``{"app": ..., "prefix": ...}``."""
        return {"app": self._app, "prefix": self._prefix}

    @property
    def app(self) -> Application:
        """The sub-application."""
        return self._app

    def match(self, path: str) -> dict[str, str] | None:
        """``{}`` for the prefix and everything under it."""
        if path == self._prefix or path.startswith(self._prefix2):
            return {}
        return None

    async def resolve(self, request: Request) -> tuple[UrlMappingMatchInfo | None, set[str]]:
        """Route inside the sub-application (a 404 there is final)."""
        if self.match(request.rel_url.path_safe) is None:
            return None, set()
        return await _route_inside(self._app, request)

    def __len__(self) -> int:
        return len(self._app.router.routes())

    def __iter__(self) -> Iterator[ResourceRoute]:
        return iter(self._app.router.routes())  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"<PrefixedSubAppResource {self._prefix} -> {self._app!r}>"


class Domain:
    """A host name rule: exact match, case-insensitive, with the port when not 80.

    Args:
        domain: ``example.com`` or ``example.com:8080``.

    Raises:
        TypeError: ``domain`` is not a string.
        ValueError: ``domain`` is empty, has a scheme, or is not a valid host name.
    """

    _part = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")

    def __init__(self, domain: str) -> None:
        self._domain = self._validate(domain)

    def _validate(self, domain: str) -> str:
        if not isinstance(domain, str):
            raise TypeError("Domain must be str")
        domain = domain.rstrip(".").lower()
        if not domain:
            raise ValueError("Domain cannot be empty")
        if "://" in domain:
            raise ValueError("Scheme not supported")
        url = URL("http://" + domain)
        host = url.raw_host
        if host is None or not all(self._part.fullmatch(x) for x in host.split(".")):
            raise ValueError("Domain not valid")
        if url.port == 80:
            return host
        return f"{host}:{url.port}"

    @property
    def canonical(self) -> str:
        """The normalised rule."""
        return self._domain

    def match_domain(self, host: str) -> bool:
        """Whether the ``Host`` value matches: the port counts only when the rule names one."""
        host = host.lower()
        return host == self._domain or host.partition(":")[0] == self._domain

    def get_info(self) -> dict[str, Any]:
        """``{"domain": ...}``."""
        return {"domain": self._domain}


class MaskDomain(Domain):
    """A host name rule with ``*`` wildcards: ``*.example.com``.

    Args:
        domain: The mask.
    """

    _part = re.compile(r"(?!-)[a-z0-9*-]{1,63}(?<!-)")

    def __init__(self, domain: str) -> None:
        super().__init__(domain)
        host_mask, _, self._port = self._domain.partition(":")
        self._mask = re.compile(re.escape(host_mask).replace(r"\*", ".*"), re.IGNORECASE)

    @property
    def canonical(self) -> str:
        """The rule as a regex source: ``*`` within the host name, any port after it."""
        return self._domain.replace(".", r"\.").replace("*", "[^:]*") + "(:.*)?"

    def match_domain(self, host: str) -> bool:
        """Whether the ``Host`` value's name matches the mask (and its port the rule's, if any)."""
        name, _, port = host.partition(":")
        if self._port and port != self._port:
            return False
        return self._mask.fullmatch(name) is not None


class MatchedSubAppResource(AbstractResource):
    """A sub-application chosen by a :class:`Domain` rule on the ``Host`` field.

    Args:
        rule: The host rule.
        app: The sub-application.
    """

    def __init__(self, rule: Domain, app: Application) -> None:
        super().__init__()
        self._rule = rule
        self._app = app

    @property
    def canonical(self) -> str:
        """The rule's canonical form."""
        return self._rule.canonical

    def get_info(self) -> dict[str, Any]:
        """``{"app": ..., "rule": ...}``."""
        return {"app": self._app, "rule": self._rule}

    def add_prefix(self, prefix: str) -> None:
        """Prepend ``prefix`` to every resource of the sub-application."""
        _prefix_all(self._app, prefix)

    def raw_match(self, path: str) -> bool:
        """Never."""
        return False

    def url_for(self, **kwargs: Any) -> URL:
        """Not available.

        Raises:
            RuntimeError: Always.
        """
        raise RuntimeError(".url_for() is not supported by sub-application root")

    async def resolve(self, request: Request) -> tuple[UrlMappingMatchInfo | None, set[str]]:
        """Route inside the sub-application when the ``Host`` matches."""
        host = request.headers.get("Host")
        if not host or not self._rule.match_domain(host):
            return None, set()
        return await _route_inside(self._app, request)

    def __len__(self) -> int:
        return len(self._app.router.routes())

    def __iter__(self) -> Iterator[ResourceRoute]:
        return iter(self._app.router.routes())  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"<MatchedSubAppResource -> {self._app!r}>"
