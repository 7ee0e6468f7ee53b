"""Resources: the paths of the URL space, each holding the routes for its methods.

Paths are matched in their *decoded* form, except that ``%2F`` and ``%25`` stay encoded, so an
encoded slash never splits a segment (this is yarl's ``URL.path_safe``); matched variables are then
fully decoded. So ``/users/{name}`` matches ``/users/J%C3%BCrgen`` with ``name == "Jürgen"`` and
``/users/a%2Fb`` with ``name == "a/b"``.

* :class:`PlainResource`: a fixed path, found with one dict lookup by the router.
* :class:`DynamicResource`: ``{name}`` (one non-empty segment) and ``{name:regex}`` variables.
* :class:`PrefixResource`: a path prefix (static files, sub-applications).
"""

from __future__ import annotations

import keyword
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sized
from typing import TYPE_CHECKING, Any

from yarl import URL

from .match_info import UrlMappingMatchInfo
from .route import METH_ANY, AbstractRoute, ExpectHandler, Handler, ResourceRoute

if TYPE_CHECKING:
    from ..messages.request import Request
    from .view import AbstractView

__all__ = [
    "AbstractResource",
    "DynamicResource",
    "PlainResource",
    "PrefixResource",
    "Resource",
    "safe_path",
]

#: What separates the identifiers of a route name (``api.users:get``).
NAME_SPLIT_RE = re.compile(r"[.:-]")
# A variable, possibly with a regex that itself contains one level of braces: {id:\d{2,3}}.
#: The path separator as it appears in a compiled route pattern.
PATH_SEP = re.escape("/")

ROUTE_RE = re.compile(r"(\{[_a-zA-Z][^{}]*(?:\{[^{}]*\}[^{}]*)*\})")


def safe_path(path: str) -> str:
    """A route pattern's literal text in the matching form (decoded but ``%2F``/``%25``).

    Valid percent-escapes in the pattern are decoded, so ``/caf%C3%A9`` and ``/café`` are the same.
    """
    raw = URL.build(path=path).raw_path
    if "%" in path:
        raw = raw.replace("%25", "%")
    try:
        return URL.build(path=raw, encoded=True).path_safe
    except ValueError:  # pragma: no cover - yarl accepts every requoted path
        return path


def unquote_safe(value: str) -> str:
    """Decode the ``%2F`` and ``%25`` that the matching form keeps encoded."""
    if "%" not in value:
        return value
    return value.replace("%2F", "/").replace("%2f", "/").replace("%25", "%")


def quote_part(value: str) -> str:
    """Percent-encode a variable's value for a URL path segment (``/`` becomes ``%2F``)."""
    return URL.build(path=value).raw_path.replace("/", "%2F")


def check_name(name: str | None) -> None:
    """Check a route name: identifiers joined with ``.``, ``:`` or ``-``.

    Raises:
        ValueError: The name is malformed or uses a Python keyword.
    """
    if not name:
        return
    for part in NAME_SPLIT_RE.split(name):
        if keyword.iskeyword(part):
            raise ValueError(
                f"Incorrect route name {name!r}, python keywords cannot be used for route name"
            )
        if not part.isidentifier():
            raise ValueError(
                f"Incorrect route name {name!r}, the name should be a sequence of python "
                "identifiers separated by dash, dot or column"
            )


class AbstractResource(Sized, Iterable[AbstractRoute], ABC):
    """A part of the URL space that the router can match.

    Args:
        name: The resource's name, for ``router[name]`` and ``url_for``.
    """

    def __init__(self, *, name: str | None = None) -> None:
        self._name = name

    @property
    def name(self) -> str | None:
        """The resource's name, or ``None``."""
        return self._name

    @property
    @abstractmethod
    def canonical(self) -> str:
        """The pattern as written, e.g. ``/users/{name}``."""

    @abstractmethod
    def url_for(self, **kwargs: Any) -> URL:
        """Build a URL for the resource."""

    @abstractmethod
    async def resolve(self, request: Request) -> tuple[UrlMappingMatchInfo | None, set[str]]:
        """Match the request: ``(match_info, allowed)`` or ``(None, allowed_methods_seen)``."""

    @abstractmethod
    def add_prefix(self, prefix: str) -> None:
        """Prepend ``prefix`` to the resource's path (used by sub-applications)."""

    @abstractmethod
    def get_info(self) -> dict[str, Any]:
        """A description of the resource for introspection."""

    def freeze(self) -> None:
        """Called when the router freezes."""

    @abstractmethod
    def raw_match(self, path: str) -> bool:
        """Whether ``path`` is exactly the resource's pattern."""

    def index_key(self) -> str | None:
        """The literal start of every path this resource matches, up to and including a ``/``.

        The router files the resource under this key and only asks it about paths that start
        with it; ``None`` means "ask me about every path" (for example a resource matching on
        the host).
        """
        return None

    def match(self, path: str) -> dict[str, str] | None:
        """The path variables if ``path`` belongs to this resource, else ``None``."""
        return None


class Resource(AbstractResource):
    """A resource holding routes, at most one per method.

    Args:
        name: The resource's name.
    """

    def __init__(self, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self._routes: list[ResourceRoute] = []
        self._by_method: dict[str, ResourceRoute] = {}
        self._any: ResourceRoute | None = None

    def add_route(
        self,
        method: str,
        handler: Handler | type[AbstractView],
        *,
        expect_handler: ExpectHandler | None = None,
    ) -> ResourceRoute:
        """Add a route for ``method`` (``*`` for any).

        Raises:
            RuntimeError: The resource already has a route for this method, or one for any
                method (``*``).
        """
        method = method.upper()
        taken = method if method in self._by_method else None
        if self._any is not None:  # as in 3.x: nothing is reached after the any-method route
            taken = METH_ANY
        if taken is not None:
            raise RuntimeError(
                f"Added route will never be executed, method {taken} is already registered"
            )
        route = ResourceRoute(method, handler, self, expect_handler=expect_handler)
        self.register_route(route)
        return route

    def register_route(self, route: ResourceRoute) -> None:
        """Attach an already built route.

        Raises:
            TypeError: ``route`` is not a :class:`ResourceRoute`.
        """
        if not isinstance(route, ResourceRoute):
            raise TypeError(f"Instance of Route class is required, got {route!r}")
        self._routes.append(route)
        if route.method == METH_ANY:
            self._any = route
        else:
            self._by_method.setdefault(route.method, route)

    def route_for(self, method: str) -> ResourceRoute | None:
        """The route answering ``method``, if any."""
        route = self._by_method.get(method)
        return route if route is not None else self._any

    def allowed_methods(self) -> set[str]:
        """The methods the routes answer (``*`` included as written)."""
        return {route.method for route in self._routes}

    async def resolve(self, request: Request) -> tuple[UrlMappingMatchInfo | None, set[str]]:
        """Match the request's path, then its method."""
        match_dict = self.match(request.rel_url.path_safe)
        if match_dict is None:
            return None, set()
        route = self.route_for(request.method)
        if route is None:
            return None, self.allowed_methods()
        return UrlMappingMatchInfo(match_dict, route), self.allowed_methods()

    def __len__(self) -> int:
        return len(self._routes)

    def __iter__(self) -> Iterator[ResourceRoute]:
        return iter(self._routes)


class PlainResource(Resource):
    """A fixed path.

    Args:
        path: The path, e.g. ``/about``; percent-escapes are decoded.
        name: The resource's name.
    """

    def __init__(self, path: str, *, name: str | None = None) -> None:
        super().__init__(name=name)
        assert not path or path.startswith("/")
        self._path = safe_path(path) if path else path

    @property
    def canonical(self) -> str:
        """The path."""
        return self._path

    @property
    def path(self) -> str:
        """The path in matching form (the router's dict key)."""
        return self._path

    def freeze(self) -> None:
        """An empty path means ``/`` once nothing can prefix it any more."""
        if not self._path:
            self._path = "/"

    def add_prefix(self, prefix: str) -> None:
        """Prepend ``prefix``."""
        assert prefix.startswith("/")
        assert not prefix.endswith("/")
        assert len(prefix) > 1
        self._path = safe_path(prefix) + self._path

    def index_key(self) -> str | None:
        """The path up to and including its last ``/`` (used for subclasses only: the router
        looks plain resources up by their whole path)."""
        return self._path[: self._path.rfind("/") + 1] or None

    def match(self, path: str) -> dict[str, str] | None:
        """``{}`` when ``path`` equals the resource's path."""
        return {} if path == self._path else None

    def raw_match(self, path: str) -> bool:
        """Whether ``path`` is this resource's path."""
        return self._path == path

    def get_info(self) -> dict[str, Any]:
        """``{"path": ...}``."""
        return {"path": self._path}

    def url_for(self) -> URL:  # type: ignore[override]
        """The resource's URL."""
        return URL.build(path=self._path)

    def __repr__(self) -> str:
        name = f"'{self.name}' " if self.name is not None else ""
        return f"<PlainResource {name} {self._path}>"


class DynamicResource(Resource):
    """A path with variables: ``{name}`` matches one non-empty segment, ``{name:regex}`` the regex.

    Args:
        path: The pattern, e.g. ``/users/{id:\\d+}/posts/{slug}``.
        name: The resource's name.

    Raises:
        ValueError: Unbalanced braces or a regex that does not compile.
    """

    #: A ``{name}`` variable.
    DYN = re.compile(r"\{(?P<var>[_a-zA-Z][_a-zA-Z0-9]*)\}")
    #: A ``{name:regex}`` variable.
    DYN_WITH_RE = re.compile(r"\{(?P<var>[_a-zA-Z][_a-zA-Z0-9]*):(?P<re>.+)\}")
    #: What a ``{name}`` variable matches: one non-empty path segment without braces.
    GOOD = r"[^{}" + PATH_SEP + "]+"

    def __init__(self, path: str, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self._orig_path = path
        self._pattern_src, self._formatter, self._segment_vars = self._compile(path)
        self._pattern = re.compile(self._pattern_src)

    @classmethod
    def _compile(cls, path: str) -> tuple[str, str, frozenset[str]]:
        """The regex source, the ``url_for`` formatter and the one-segment (``{name}``)
        variables."""
        pattern = ""
        formatter = ""
        names: list[str] = []
        for part in ROUTE_RE.split(path):
            match = cls.DYN.fullmatch(part)
            if match:
                pattern += f"(?P<{match.group('var')}>{cls.GOOD})"
                formatter += "{" + match.group("var") + "}"
                names.append(match.group("var"))
                continue
            match = cls.DYN_WITH_RE.fullmatch(part)
            if match:
                pattern += f"(?P<{match.group('var')}>{match.group('re')})"
                formatter += "{" + match.group("var") + "}"
                continue
            if "{" in part or "}" in part:
                raise ValueError(f"Invalid path '{path}'['{part}']")
            literal = safe_path(part) if part.startswith("/") else safe_path("/" + part)[1:]
            formatter += (
                quote_part(unquote_safe(literal))
                .replace("%2F", "/")
                .replace("{", "{{")
                .replace("}", "}}")
            )
            pattern += re.escape(literal)
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"Bad pattern '{pattern}': {exc}") from None
        return pattern, formatter, frozenset(names)

    @property
    def canonical(self) -> str:
        """The pattern with ``{name}`` placeholders."""
        return self._formatter

    def add_prefix(self, prefix: str) -> None:
        """Prepend ``prefix``."""
        assert prefix.startswith("/")
        assert not prefix.endswith("/")
        assert len(prefix) > 1
        self._orig_path = prefix + self._orig_path
        self._pattern_src, self._formatter, self._segment_vars = self._compile(self._orig_path)
        self._pattern = re.compile(self._pattern_src)

    def match(self, path: str) -> dict[str, str] | None:
        """The decoded variables if ``path`` matches."""
        found = self._pattern.fullmatch(path)
        if found is None:
            return None
        if "%" not in path:
            return found.groupdict()
        return {key: unquote_safe(value) for key, value in found.groupdict().items()}

    def index_key(self) -> str | None:
        """The literal text before the first variable, cut after its last ``/``."""
        head = ROUTE_RE.split(self._orig_path, maxsplit=1)[0]
        literal = safe_path(head) if head else "/"
        return literal[: literal.rfind("/") + 1]

    def raw_match(self, path: str) -> bool:
        """Whether ``path`` is this resource's pattern as written."""
        return self._orig_path == path

    def get_info(self) -> dict[str, Any]:
        """``{"formatter": ..., "pattern": ...}``."""
        return {"formatter": self._formatter, "pattern": self._pattern}

    def url_for(self, **parts: str) -> URL:
        """The URL with the variables filled in and percent-encoded: a ``/`` in a ``{name}``
        variable is encoded (the value stays one segment), one in a ``{name:regex}`` variable
        is kept, as 3.x keeps it (``{path:.+}`` spans segments).

        Raises:
            KeyError: A variable is missing.
        """
        segment = self._segment_vars
        url = self._formatter.format_map(
            {
                k: quote_part(str(v)) if k in segment else URL.build(path=str(v)).raw_path
                for k, v in parts.items()
            }
        )
        return URL.build(path=url, encoded=True)

    def __repr__(self) -> str:
        name = f"'{self.name}' " if self.name is not None else ""
        return f"<DynamicResource {name} {self._formatter}>"


class PrefixResource(AbstractResource):
    """Everything under a path prefix.

    Args:
        prefix: The prefix, e.g. ``/static`` (a trailing ``/`` is dropped).
        name: The resource's name.
    """

    def __init__(self, prefix: str, *, name: str | None = None) -> None:
        assert not prefix or prefix.startswith("/"), prefix
        assert prefix in ("", "/") or not prefix.endswith("/"), prefix
        super().__init__(name=name)
        self._prefix = safe_path(prefix) if prefix else prefix
        self._prefix2 = self._prefix + "/"

    @property
    def canonical(self) -> str:
        """The prefix."""
        return self._prefix

    def add_prefix(self, prefix: str) -> None:
        """Prepend ``prefix``."""
        assert prefix.startswith("/")
        assert not prefix.endswith("/")
        assert len(prefix) > 1
        self._prefix = safe_path(prefix) + self._prefix
        self._prefix2 = self._prefix + "/"

    def raw_match(self, prefix: str) -> bool:
        """Never: a prefix resource is not reused by ``add_resource``."""
        return False

    def index_key(self) -> str | None:
        """The prefix followed by ``/`` (the prefix alone is looked up with a ``/`` added)."""
        return self._prefix2
