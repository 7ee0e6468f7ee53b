"""Typed keys for state: ``app[key]``, ``request[key]`` and ``response[key]``, with
``key = web.AppKey("db", Database)`` (:class:`RequestKey`, :class:`ResponseKey` alike), and
:class:`~aiohttp.web.NotAppKeyWarning` for state keyed with a plain ``str`` (documented with the
HTTP exceptions, where aiohttp 3.x keeps it)."""

from __future__ import annotations

import functools
import sys
import warnings
from typing import Any, Generic, TypeVar, final

__all__ = ["AppKey", "BaseKey", "RequestKey", "ResponseKey", "warn_str_key"]

_T = TypeVar("_T")


class NotAppKeyWarning(UserWarning):
    """State was keyed with a plain ``str`` instead of a typed key (:class:`AppKey`,
    :class:`RequestKey`, :class:`ResponseKey`)."""


def _top_level_module() -> str:
    """The module whose top-level code is running (3.x's qualifier for a key's name)."""
    frame = sys._getframe(2)
    while frame.f_code.co_name != "<module>" and frame.f_back is not None:
        frame = frame.f_back
    name: str = frame.f_globals.get("__name__", "")
    return name


@functools.total_ordering
class BaseKey(Generic[_T]):
    """A key for a state mapping that carries the value's type for type checkers.

    Using a key object instead of a plain ``str`` avoids clashes between libraries (the key's
    name is qualified, as in 3.x, with the module whose top-level code was running when it was
    made) and lets ``mypy`` check ``app[key]``.
    Each mapping has its own key class: :class:`AppKey`, :class:`RequestKey`,
    :class:`ResponseKey`.

    Args:
        name: A short name, shown in ``repr``.
        t: The type of the value stored under the key (informative).
    """

    __slots__ = ("__orig_class__", "_name", "_t")

    def __init__(self, name: str, t: type[_T] | None = None) -> None:
        self._name = f"{module}.{name}" if (module := _top_level_module()) else name
        self._t = t

    @property
    def name(self) -> str:
        """The qualified name."""
        return self._name

    def __lt__(self, other: object) -> bool:
        if isinstance(other, BaseKey):
            return self._name < other._name
        return True  # order before str keys

    def __repr__(self) -> str:
        t: Any = self._t
        if t is None:
            args = getattr(getattr(self, "__orig_class__", None), "__args__", None)
            t = args[0] if args else None
        if t is None:
            t_repr = "<<Unknown>>"
        elif isinstance(t, type):
            t_repr = (
                t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"
            )
        else:
            t_repr = repr(t)
        return f"<{type(self).__name__}({self._name}, type={t_repr})>"


@final
class AppKey(BaseKey[_T]):
    """A key for :class:`web.Application` state: ``app[key]``."""

    __slots__ = ()


@final
class RequestKey(BaseKey[_T]):
    """A key for per-request state: ``request[key]`` (a middleware leaving data for the
    handler, say)."""

    __slots__ = ()


@final
class ResponseKey(BaseKey[_T]):
    """A key for per-response state: ``response[key]``."""

    __slots__ = ()


_SEEN_STR_KEYS: set[tuple[str, str]] = set()


def warn_str_key(mapping: str, key: object) -> None:
    """Warn, once per process and key, that ``mapping[key]`` uses a ``str`` key instead of a
    typed one (:class:`NotAppKeyWarning`, shown only when asked for, as in aiohttp 3.x)."""
    if (mapping, key) in _SEEN_STR_KEYS or not isinstance(key, str):
        return
    if len(_SEEN_STR_KEYS) < 1024:  # a bound, should keys come from data
        _SEEN_STR_KEYS.add((mapping, key))
    kind, anchor = (
        ("RequestKey", "request") if mapping == "request" else ("ResponseKey", "response")
    )
    warnings.warn(
        f"It is recommended to use web.{kind} instances for keys.\n"
        f"https://docs.aiohttp.org/en/stable/web_advanced.html#{anchor}-s-storage",
        NotAppKeyWarning,
        stacklevel=3,
    )
