"""Typed keys for application state: ``app[key]`` with ``key = web.AppKey("db", Database)``."""

from __future__ import annotations

import sys
from typing import Any, Generic, TypeVar, final

__all__ = ["AppKey"]

_T = TypeVar("_T")


@final
class AppKey(Generic[_T]):
    """A key for :class:`web.Application` state that carries the value's type for type checkers.

    Using ``AppKey`` instead of a plain ``str`` avoids clashes between libraries (the key's name
    is qualified with the module that created it) and lets ``mypy`` check ``app[key]``.

    Args:
        name: A short name, shown in ``repr``.
        t: The type of the value stored under the key (informative).
    """

    __slots__ = ("__orig_class__", "_name", "_t")

    def __init__(self, name: str, t: type[_T] | None = None) -> None:
        frame = sys._getframe(1)
        module = frame.f_globals.get("__name__", "")
        self._name = f"{module}.{name}" if module else name
        self._t = t

    @property
    def name(self) -> str:
        """The qualified name."""
        return self._name

    def __lt__(self, other: object) -> bool:
        if isinstance(other, AppKey):
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
        return f"<AppKey({self._name}, type={t_repr})>"
