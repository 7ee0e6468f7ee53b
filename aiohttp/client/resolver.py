"""Name resolution for the connector: :class:`ThreadedResolver`, :class:`AsyncResolver`, the cache.

:class:`AsyncResolver` needs the optional ``aiodns`` package, imported only when one is built.
"""

from __future__ import annotations

import abc
import asyncio
import importlib
import ipaddress
import socket
import time
from collections.abc import Callable
from typing import Any, TypedDict

__all__ = (
    "AbstractResolver",
    "AsyncResolver",
    "DefaultResolver",
    "DnsCache",
    "ResolveResult",
    "ThreadedResolver",
)


class ResolveResult(TypedDict):
    """One resolved address, as aiohttp 3.x resolvers return it."""

    hostname: str
    host: str
    port: int
    family: int
    proto: int
    flags: int


class AbstractResolver(abc.ABC):
    """The interface of a pluggable resolver."""

    @abc.abstractmethod
    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve ``host`` to its addresses.

        Raises:
            OSError: The name cannot be resolved.
        """

    @abc.abstractmethod
    async def close(self) -> None:
        """Release the resolver's resources."""


def _literal(host: str, port: int) -> list[ResolveResult] | None:
    try:
        addr = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    family = socket.AF_INET6 if addr.version == 6 else socket.AF_INET
    return [
        ResolveResult(
            hostname=host,
            host=str(addr),
            port=port,
            family=family,
            proto=socket.IPPROTO_TCP,
            flags=socket.AI_NUMERICHOST,
        )
    ]


class ThreadedResolver(AbstractResolver):
    """Resolve with ``getaddrinfo`` in the loop's default executor.

    Args:
        loop: Accepted for compatibility; the running loop is used.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop_arg = loop

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve ``host``; IP literals are returned without a lookup.

        Raises:
            OSError: The name cannot be resolved.
        """
        literal = _literal(host, port)
        if literal is not None:
            return literal
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, family=family, flags=socket.AI_ADDRCONFIG
        )
        results: list[ResolveResult] = []
        for fam, _, proto, _, address in infos:
            if fam == socket.AF_INET6 and len(address) >= 4 and address[3]:
                # Keep the scope id of a link-local address (RFC 4007 §11).
                resolved_host = f"{address[0]}%{address[3]}"
            else:
                resolved_host = str(address[0])
            results.append(
                ResolveResult(
                    hostname=host,
                    host=resolved_host,
                    port=int(address[1]),
                    family=fam,
                    proto=proto,
                    flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
                )
            )
        if not results:
            raise OSError(socket.EAI_NONAME, "DNS lookup returned no addresses")
        return results

    async def close(self) -> None:
        """Nothing to release."""


def _node_host(family: int, address: tuple[Any, ...]) -> str:
    """The numeric host of an aiodns address, with an IPv6 scope id kept (RFC 4007 §11)."""
    host = address[0].decode("ascii") if isinstance(address[0], bytes) else str(address[0])
    if family == socket.AF_INET6 and len(address) >= 4 and address[3]:
        return f"{host}%{address[3]}"
    return host


class AsyncResolver(AbstractResolver):
    """Resolve with the ``aiodns`` package (c-ares), without a thread per lookup.

    Args:
        loop: Accepted for compatibility; the running loop is used.
        *args: Passed to ``aiodns.DNSResolver`` (``nameservers``, ...).
        **kwargs: Passed to ``aiodns.DNSResolver`` (``timeout``, ``tries``, ...).

    Raises:
        RuntimeError: ``aiodns`` is not installed.
    """

    def __init__(
        self, loop: asyncio.AbstractEventLoop | None = None, *args: Any, **kwargs: Any
    ) -> None:
        self._loop_arg = loop
        try:
            aiodns = importlib.import_module("aiodns")
        except ImportError:
            raise RuntimeError("Resolver requires aiodns library") from None
        self._dns_error: type[Exception] = aiodns.error.DNSError
        self._resolver: Any = aiodns.DNSResolver(*args, **kwargs)

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve ``host``; IP literals are returned without a lookup.

        Raises:
            OSError: The name cannot be resolved (the ``aiodns`` error is its ``__cause__``).
        """
        literal = _literal(host, port)
        if literal is not None:
            return literal
        try:
            answer = await self._resolver.getaddrinfo(
                host, family=family, port=port, type=socket.SOCK_STREAM, flags=socket.AI_ADDRCONFIG
            )
        except self._dns_error as exc:
            reason = exc.args[1] if len(exc.args) > 1 else "DNS lookup failed"
            raise OSError(None, reason) from exc
        results = [
            ResolveResult(
                hostname=host,
                host=_node_host(node.family, node.addr),
                port=int(node.addr[1]),
                family=node.family,
                proto=node.protocol or socket.IPPROTO_TCP,
                flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            )
            for node in answer.nodes
        ]
        if not results:
            raise OSError(None, "DNS lookup returned no addresses")
        return results

    async def close(self) -> None:
        """Cancel pending lookups and release the c-ares channel."""
        close = getattr(self._resolver, "close", None)
        if close is None:  # aiodns before 3.5
            self._resolver.cancel()
        else:
            await close()


DefaultResolver = ThreadedResolver


#: Host names a DNS cache keeps (aiohttp 3.x's ``dns_cache_max_size``): a client that follows
#: links to many hosts would otherwise grow it without bound.
DNS_CACHE_MAX_SIZE = 1000


class DnsCache:
    """Resolved addresses by ``(host, port)``, each kept ``ttl`` seconds (``None``: forever).

    Args:
        ttl: Seconds an entry stays valid.
        clock: The monotonic clock (a parameter so tests can drive it).
        max_size: Entries kept; adding one more drops the oldest.
    """

    def __init__(
        self,
        ttl: float | None = 10,
        clock: Callable[[], float] | None = None,
        *,
        max_size: int = DNS_CACHE_MAX_SIZE,
    ) -> None:
        self._ttl = ttl
        self._clock = clock or time.monotonic
        self.max_size = max_size
        self._entries: dict[tuple[str, int], tuple[list[ResolveResult], float]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple[str, int]) -> list[ResolveResult] | None:
        """The cached addresses for ``key``, or ``None`` when absent or expired."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        addrs, stamp = entry
        if self._ttl is not None and self._clock() - stamp > self._ttl:
            del self._entries[key]
            return None
        return addrs

    def add(self, key: tuple[str, int], addrs: list[ResolveResult]) -> None:
        """Remember the addresses for ``key``, dropping the oldest entry when full."""
        if self.max_size <= 0:
            return
        entries = self._entries
        entries.pop(key, None)
        if len(entries) >= self.max_size:
            del entries[next(iter(entries))]
        entries[key] = (addrs, self._clock())

    def clear(self, key: tuple[str, int] | None = None) -> None:
        """Forget one entry, or all of them."""
        if key is None:
            self._entries.clear()
        else:
            self._entries.pop(key, None)
