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


def test_chain_map_proxy_reads_the_first_mapping_that_has_the_key() -> None:
    from aiohttp import ChainMapProxy, web

    key = web.AppKey("key", int)
    inner: dict[Any, Any] = {"a": 1, key: 2}
    outer: dict[Any, Any] = {"a": 10, "b": 20}
    proxy = ChainMapProxy([inner, outer])
    assert (proxy["a"], proxy["b"], proxy[key]) == (1, 20, 2)
    assert proxy.get("missing") is None
    assert proxy.get("missing", 0) == 0
    with pytest.raises(KeyError):
        proxy["missing"]
    assert len(proxy) == 3
    assert set(proxy) == {"a", "b", key}
    assert "b" in proxy
    assert "c" not in proxy
    assert proxy
    assert not ChainMapProxy([{}, {}])
    assert repr(ChainMapProxy([{"a": 1}])) == "ChainMapProxy({'a': 1})"


def test_chain_map_proxy_cannot_be_subclassed() -> None:
    from aiohttp.helpers import ChainMapProxy

    with pytest.raises(TypeError, match="forbidden"):

        class Mine(ChainMapProxy):  # type: ignore[misc]
            pass


def test_etag_is_the_web_etag() -> None:
    from aiohttp import ETag, helpers, web

    assert ETag is helpers.ETag is web.ETag
    tag = ETag(value="abc", is_weak=True)
    assert (tag.value, tag.is_weak) == ("abc", True)
    assert ETag("x") == ETag("x", False)
    with pytest.raises(AttributeError):
        tag.value = "y"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("method", "status", "empty", "no_length"),
    [
        ("GET", 200, False, False),
        ("HEAD", 200, True, False),  # RFC 9110 §9.3.2: HEAD keeps the GET's Content-Length
        ("GET", 101, True, True),
        ("GET", 204, True, True),
        ("GET", 304, True, True),
        ("CONNECT", 200, True, True),  # RFC 9110 §8.6
        ("CONNECT", 407, False, False),
    ],
)
def test_3x_body_rules(method: str, status: int, empty: bool, no_length: bool) -> None:
    from aiohttp.helpers import must_be_empty_body, should_remove_content_length

    assert must_be_empty_body(method, status) is empty
    assert should_remove_content_length(method, status) is no_length


def test_3x_parse_http_date() -> None:
    from datetime import UTC, datetime

    from aiohttp.helpers import parse_http_date

    assert parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == datetime(
        1994, 11, 6, 8, 49, 37, tzinfo=UTC
    )
    assert parse_http_date("not a date") is None
    assert parse_http_date(None) is None
