"""``aiohttp.helpers``: the 3.x module path of a few public helpers."""

from __future__ import annotations

from typing import Any

import pytest

from aiohttp.helpers import reify


class _Counted:
    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}
        self.calls = 0

    @reify
    def value(self) -> int:
        """The value, computed once."""
        self.calls += 1
        return 42


def test_reify_computes_once_and_caches_in_the_instance_cache() -> None:
    obj = _Counted()
    assert (obj.value, obj.value, obj.calls) == (42, 42, 1)
    assert obj._cache == {"value": 42}
    obj._cache.clear()  # 3.x code invalidates a reified value by clearing ``_cache``
    assert (obj.value, obj.calls) == (42, 2)


def test_reify_is_read_only_and_documented_on_the_class() -> None:
    obj = _Counted()
    with pytest.raises(AttributeError):
        obj.value = 1
    assert isinstance(_Counted.__dict__["value"], reify)
    assert _Counted.value.__doc__ == "The value, computed once."


def test_reify_needs_a_cache_attribute() -> None:
    class NoCache:
        @reify
        def value(self) -> int:
            return 1

    with pytest.raises(AttributeError):
        _ = NoCache().value
