"""``AsyncResolver``: aiodns lookups giving the same results as ``ThreadedResolver``.

Only names that resolve offline are used: ``localhost`` (``/etc/hosts``, or c-ares' own rule for
it) and numeric addresses. A failing lookup asks a name server on 127.0.0.1, where nothing
listens, so it fails at once without the network.
"""

from __future__ import annotations

import socket
import subprocess
import sys

import aiodns
import pytest

import aiohttp
import aiohttp.resolver
from aiohttp.abc import AbstractResolver
from aiohttp.client.resolver import AsyncResolver, ThreadedResolver, _node_host


@pytest.mark.parametrize(
    ("host", "port", "family"),
    [
        ("localhost", 80, socket.AF_INET),
        ("localhost", 0, socket.AF_INET),
        ("127.0.0.1", 8080, socket.AF_INET),
        ("::1", 443, socket.AF_INET6),
        ("[::1]", 443, socket.AF_INET6),
    ],
)
async def test_same_results_as_the_threaded_resolver(host: str, port: int, family: int) -> None:
    resolver = AsyncResolver()
    try:
        found = await resolver.resolve(host, port, socket.AddressFamily(family))
    finally:
        await resolver.close()
    assert found == await ThreadedResolver().resolve(host, port, socket.AddressFamily(family))
    assert found
    assert all(entry["hostname"] == host for entry in found)


async def test_default_family_is_ipv4() -> None:
    resolver = AsyncResolver()
    found = await resolver.resolve("localhost")
    await resolver.close()
    assert [(entry["host"], entry["port"], entry["family"]) for entry in found] == [
        ("127.0.0.1", 0, socket.AF_INET)
    ]


async def test_lookup_failure_is_an_oserror() -> None:
    # Arguments go to aiodns.DNSResolver, as in 3.x: here a name server nobody runs.
    resolver = AsyncResolver(nameservers=["127.0.0.1"], timeout=0.5, tries=1)
    with pytest.raises(OSError) as info:
        await resolver.resolve("no-such-host.invalid", 80)
    await resolver.close()
    cause = info.value.__cause__
    assert isinstance(cause, aiodns.error.DNSError)
    assert info.value.strerror == cause.args[1]  # c-ares' reason, as 3.x reports it


def test_scope_id_of_a_link_local_address_is_kept() -> None:
    # RFC 4007 §11: the zone index goes with the address, as ThreadedResolver does it.
    assert _node_host(socket.AF_INET6, (b"fe80::1", 80, 0, 3)) == "fe80::1%3"
    assert _node_host(socket.AF_INET6, (b"::1", 80, 0, 0)) == "::1"
    assert _node_host(socket.AF_INET, (b"10.0.0.1", 80)) == "10.0.0.1"
    assert _node_host(socket.AF_INET, ("10.0.0.1", 80)) == "10.0.0.1"  # a pycares giving str


async def test_close_cancels_with_an_aiodns_without_close(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(aiodns.DNSResolver, "close")  # aiodns before 3.5 had only cancel()
    cancelled: list[bool] = []
    original_cancel = aiodns.DNSResolver.cancel

    def cancel(self: aiodns.DNSResolver) -> None:
        cancelled.append(True)
        original_cancel(self)

    monkeypatch.setattr(aiodns.DNSResolver, "cancel", cancel)
    resolver = AsyncResolver()
    await resolver.close()
    assert cancelled == [True]


async def test_without_aiodns_construction_raises_runtime_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "aiodns", None)  # what an environment without it sees
    with pytest.raises(RuntimeError, match="aiodns"):
        AsyncResolver()


def test_exported_at_the_3x_paths() -> None:
    assert aiohttp.AsyncResolver is AsyncResolver
    assert aiohttp.resolver.AsyncResolver is AsyncResolver
    assert issubclass(AsyncResolver, AbstractResolver)


def test_aiohttp_imports_without_aiodns() -> None:
    code = "import sys; sys.modules['aiodns'] = None; import aiohttp; print(aiohttp.AsyncResolver)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "AsyncResolver" in done.stdout
