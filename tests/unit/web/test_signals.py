"""Frozen lists and signals."""

from __future__ import annotations

import pytest

from aiohttp.web.signals import FrozenList, Signal


def test_frozen_list_is_a_list_until_frozen() -> None:
    items = FrozenList([1, 2])
    items.append(3)
    items.insert(0, 0)
    items[1] = 10
    del items[2]
    assert list(items) == [0, 10, 3]
    assert items == [0, 10, 3]
    assert items[0:2] == [0, 10]
    assert list(reversed(items)) == [3, 10, 0]
    assert not items.frozen
    items.freeze()
    assert items.frozen
    for change in (
        lambda: items.append(4),
        lambda: items.insert(0, 1),
        lambda: items.__setitem__(0, 1),
        lambda: items.__delitem__(0),
    ):
        with pytest.raises(RuntimeError, match="frozen"):
            change()
    assert len(items) == 3
    assert "frozen=True" in repr(items)


async def test_signal_sends_in_order_with_arguments() -> None:
    seen: list[tuple[str, int]] = []
    signal = Signal(owner="app")

    async def first(value: int) -> None:
        seen.append(("first", value))

    async def second(value: int) -> None:
        seen.append(("second", value))

    signal.append(first)
    signal.append(second)
    signal.freeze()
    await signal.send(7)
    assert seen == [("first", 7), ("second", 7)]
    assert "owner=app" in repr(signal)


async def test_signal_must_be_frozen_before_sending() -> None:
    signal = Signal(owner=None)
    with pytest.raises(RuntimeError, match="non-frozen"):
        await signal.send()


async def test_signal_error_stops_the_chain() -> None:
    seen: list[str] = []
    signal = Signal(owner=None)

    async def boom() -> None:
        raise ValueError("boom")

    async def after() -> None:
        seen.append("after")

    signal.extend([boom, after])
    signal.freeze()
    with pytest.raises(ValueError, match="boom"):
        await signal.send()
    assert seen == []
