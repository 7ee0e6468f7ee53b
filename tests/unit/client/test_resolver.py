"""Name resolution and the DNS cache."""

from __future__ import annotations

import socket

import pytest

from aiohttp.client.resolver import DnsCache, ResolveResult, ThreadedResolver


@pytest.mark.parametrize(
    ("host", "family"),
    [("127.0.0.1", socket.AF_INET), ("::1", socket.AF_INET6), ("[::1]", socket.AF_INET6)],
)
async def test_ip_literals_need_no_lookup(host: str, family: int) -> None:
    (result,) = await ThreadedResolver().resolve(host, 80)
    assert result["family"] == family
    assert result["port"] == 80
    assert result["host"] == host.strip("[]")


async def test_localhost_resolves() -> None:
    results = await ThreadedResolver().resolve("localhost", 8080, family=socket.AF_INET)
    assert results
    assert all(r["port"] == 8080 and r["hostname"] == "localhost" for r in results)


async def test_unknown_name_raises_oserror() -> None:
    with pytest.raises(OSError):
        await ThreadedResolver().resolve("name.invalid", 80)


def result(host: str) -> ResolveResult:
    return ResolveResult(hostname="h", host=host, port=80, family=socket.AF_INET, proto=6, flags=0)


def test_cache_expires_after_ttl() -> None:
    now = [100.0]
    cache = DnsCache(ttl=10, clock=lambda: now[0])
    cache.add(("h", 80), [result("10.0.0.1")])
    now[0] = 110.0
    assert cache.get(("h", 80)) == [result("10.0.0.1")]
    now[0] = 110.1
    assert cache.get(("h", 80)) is None


def test_cache_without_ttl_and_clearing() -> None:
    cache = DnsCache(ttl=None)
    cache.add(("a", 80), [result("10.0.0.1")])
    cache.add(("b", 80), [result("10.0.0.2")])
    cache.clear(("a", 80))
    assert cache.get(("a", 80)) is None
    assert cache.get(("b", 80)) is not None
    cache.clear()
    assert cache.get(("b", 80)) is None
