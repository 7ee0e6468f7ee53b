"""The aiohttp 3.x module path of a few public helpers.

``BasicAuth`` lives in :mod:`aiohttp.client.auth`; ``MimeType``, ``parse_mimetype`` and
``content_disposition_header`` in :mod:`aiohttp._sansio.mime`; ``HeadersMixin`` and
``TimerNoop`` (used by client mocking libraries) in :mod:`aiohttp.client`. :class:`reify`, the
cached property of 3.x that extensions import from here, is defined here, as is
``sentinel``, the "argument not given" default of 3.x signatures.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

from ._sansio.mime import MimeType, content_disposition_header, parse_mimetype
from .client.auth import BasicAuth
from .client.response import HeadersMixin
from .client.timeouts import TimerNoop

__all__ = (
    "BasicAuth",
    "HeadersMixin",
    "MimeType",
    "TimerNoop",
    "content_disposition_header",
    "parse_mimetype",
    "reify",
)

_T = TypeVar("_T")


class _SENTINEL(enum.Enum):
    sentinel = enum.auto()


#: The default of parameters whose absence means something ("not given").
sentinel = _SENTINEL.sentinel


class reify(Generic[_T]):
    """A read-only property computed on first access and kept in the instance's ``_cache``.

    The instance must have a ``_cache`` dict; clearing it makes the next access compute the
    value again.

    Args:
        wrapped: The method computing the value.
    """

    def __init__(self, wrapped: Callable[[Any], _T]) -> None:
        self.wrapped = wrapped
        self.name = wrapped.__name__
        self.__doc__ = wrapped.__doc__

    @overload
    def __get__(self, inst: None, owner: type[Any]) -> reify[_T]: ...

    @overload
    def __get__(self, inst: object, owner: type[Any]) -> _T: ...

    def __get__(self, inst: object | None, owner: type[Any]) -> reify[_T] | _T:
        if inst is None:
            return self
        cache: dict[str, Any] = inst._cache  # type: ignore[attr-defined]
        try:
            value: _T = cache[self.name]
        except KeyError:
            value = cache[self.name] = self.wrapped(inst)
        return value

    def __set__(self, inst: object, value: Any) -> None:
        raise AttributeError("reified property is read-only")
