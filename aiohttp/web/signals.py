"""Frozen lists and signals: the callback lists an :class:`~aiohttp.web.Application` exposes.

``app.on_startup``, ``app.on_shutdown``, ``app.on_cleanup`` and ``app.on_response_prepare``
are :class:`Signal` objects, ``app.cleanup_ctx`` and ``app.middlewares`` are :class:`FrozenList`
objects: ordinary mutable lists until the application is frozen (when it starts), read-only after.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator, MutableSequence
from typing import Any, SupportsIndex, TypeVar, overload

__all__ = ["FrozenList", "Signal"]

_T = TypeVar("_T")


class FrozenList(MutableSequence[_T]):
    """A list that refuses changes once :meth:`freeze` has been called.

    Args:
        items: The initial items.
    """

    __slots__ = ("_frozen", "_items")

    def __init__(self, items: Iterable[_T] | None = None) -> None:
        self._frozen = False
        self._items: list[_T] = list(items) if items is not None else []

    @property
    def frozen(self) -> bool:
        """Whether the list is read-only now."""
        return self._frozen

    def freeze(self) -> None:
        """Make the list read-only; freezing twice is harmless."""
        self._frozen = True

    def _check(self) -> None:
        if self._frozen:
            raise RuntimeError("Cannot modify frozen list.")

    @overload
    def __getitem__(self, index: int) -> _T: ...

    @overload
    def __getitem__(self, index: slice) -> list[_T]: ...

    def __getitem__(self, index: int | slice) -> _T | list[_T]:
        return self._items[index]

    @overload
    def __setitem__(self, index: int, value: _T) -> None: ...

    @overload
    def __setitem__(self, index: slice, value: Iterable[_T]) -> None: ...

    def __setitem__(self, index: int | slice, value: Any) -> None:
        self._check()
        self._items[index] = value

    def __delitem__(self, index: int | slice) -> None:
        self._check()
        del self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[_T]:
        return iter(self._items)

    def __reversed__(self) -> Iterator[_T]:
        return reversed(self._items)

    def __eq__(self, other: object) -> bool:
        return list(self) == other

    __hash__ = None  # type: ignore[assignment]

    def insert(self, index: SupportsIndex, value: _T) -> None:
        """Insert ``value`` before ``index``.

        Raises:
            RuntimeError: The list is frozen.
        """
        self._check()
        self._items.insert(index, value)

    def __repr__(self) -> str:
        return f"<FrozenList(frozen={self._frozen}, {self._items!r})>"


class Signal(FrozenList[Callable[..., Awaitable[Any]]]):
    """A list of coroutine callbacks, all awaited in order by :meth:`send`.

    Args:
        owner: The object the signal belongs to (shown in ``repr``).
    """

    __slots__ = ("_owner",)

    def __init__(self, owner: object) -> None:
        super().__init__()
        self._owner = owner

    def __repr__(self) -> str:
        return f"<Signal owner={self._owner!r}, frozen={self.frozen}, {list(self)!r}>"

    async def send(self, *args: Any, **kwargs: Any) -> None:
        """Await every callback with the given arguments, in registration order.

        Raises:
            RuntimeError: The signal is not frozen yet (the application was not started).
        """
        if not self.frozen:
            raise RuntimeError(f"Cannot send non-frozen signal {self!r}.")
        for receiver in self:
            await receiver(*args, **kwargs)
