"""Connectors: where connections come from. :class:`TCPConnector`, :class:`UnixConnector`.

``connector.connect(request, traces, timeout)`` returns a :class:`Connection`: a pooled one for
the same :class:`~aiohttp.client.request.ConnectionKey` when one is idle and healthy, else a new
one once the limits allow. The connection goes back to the pool by itself when its response
ends with keep-alive framing (see :mod:`aiohttp.client.pool` for the rules).
"""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
import warnings
from collections.abc import Awaitable, Generator, Hashable, Mapping, Sequence
from types import TracebackType
from typing import Any

from .._io.connect import AddrInfo, SocketFactoryType, open_tcp, open_unix
from .._sansio.limits import HttpLimits
from .connection import Connection
from .deprecated import warn_loop_argument, warn_ssl_shutdown_timeout
from .exceptions import (
    ClientConnectorCertificateError,
    ClientConnectorDNSError,
    ClientConnectorError,
    ClientConnectorSSLError,
    ConnectionTimeoutError,
    ServerFingerprintMismatch,
    UnixClientConnectorError,
)
from .pool import ConnectionPool
from .protocol import ResponseHandler
from .request import ClientRequest
from .resolver import (
    DNS_CACHE_MAX_SIZE,
    AbstractResolver,
    DefaultResolver,
    DnsCache,
    ResolveResult,
)
from .timeouts import ClientTimeout, Deadline
from .tls import Fingerprint, check_fingerprint, context_for, merge_ssl_params
from .tracing import (
    Trace,
    TraceDnsCacheHitParams,
    TraceDnsCacheMissParams,
    TraceDnsResolveHostEndParams,
    TraceDnsResolveHostStartParams,
    send_all,
)

__all__ = ("BaseConnector", "TCPConnector", "UnixConnector")

_NOT_GIVEN: Any = object()


class _Done:
    """An awaitable that is already done (what :meth:`BaseConnector.close` returns)."""

    __slots__ = ()

    def __await__(self) -> Generator[None, None, None]:
        return
        yield  # pragma: no cover - makes this a generator


_CLOSED = _Done()

HIGH_LEVEL_SCHEMA_SET = frozenset({"", "http", "https", "ws", "wss"})
"""The URL schemes a session sends through a connector ("" for a URL given without one)."""


class BaseConnector:
    """Pooling and limits, shared by every connector.

    Args:
        keepalive_timeout: Seconds an idle connection is kept (default 15).
        force_close: Close each connection after its response; never pool.
        limit: Connections in use across hosts (0: unlimited).
        limit_per_host: Connections in use per host, port and TLS setting (0: unlimited).
        enable_cleanup_closed: Accepted for compatibility (TLS transports are aborted on close).
        loop: Deprecated; the running loop is used.
        timeout_ceil_threshold: Accepted for compatibility.
    """

    allowed_protocol_schema_set = HIGH_LEVEL_SCHEMA_SET

    def __init__(
        self,
        *,
        keepalive_timeout: float | None = _NOT_GIVEN,
        force_close: bool = False,
        limit: int = 100,
        limit_per_host: int = 0,
        enable_cleanup_closed: bool = False,
        loop: asyncio.AbstractEventLoop | None = None,
        timeout_ceil_threshold: float = 5,
    ) -> None:
        if keepalive_timeout is _NOT_GIVEN:
            keepalive_timeout = None if force_close else 15.0
        elif force_close and keepalive_timeout is not None:
            raise ValueError("keepalive_timeout cannot be set if force_close is True")
        warn_loop_argument(loop, "the connector", stacklevel=2)
        self._loop_arg = loop
        self._force_close = force_close
        self._keepalive_timeout: float | None = keepalive_timeout
        self._limit = limit
        self._limit_per_host = limit_per_host
        self._pool: ConnectionPool | None = None
        self._closed = False
        self._limits = HttpLimits()
        self._all: set[ResponseHandler] = set()

    @property
    def _loop(self) -> asyncio.AbstractEventLoop:
        """The event loop (the 3.x attribute connector subclasses use)."""
        return self._loop_arg if self._loop_arg is not None else asyncio.get_running_loop()

    def _get_pool(self) -> ConnectionPool:
        pool = self._pool
        if pool is None:
            pool = self._pool = ConnectionPool(
                asyncio.get_running_loop(),
                limit=self._limit,
                limit_per_host=self._limit_per_host,
                keepalive_timeout=self._keepalive_timeout,
            )
        return pool

    @property
    def _conns(self) -> Mapping[Hashable, list[tuple[ResponseHandler, float]]]:
        """Idle connections by pool key, each with the time it was parked.

        The 3.x attribute that session-closing code walks (``for handler, _ in conns``).
        """
        return self._pool.idle if self._pool is not None else {}

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    @property
    def force_close(self) -> bool:
        """Whether connections close after each response."""
        return self._force_close

    @property
    def limit(self) -> int:
        """The total connection limit."""
        return self._limit

    @property
    def limit_per_host(self) -> int:
        """The per-host connection limit."""
        return self._limit_per_host

    def close(self, *, abort_ssl: bool = False) -> Awaitable[None]:
        """Close every connection, idle or in use; returns an awaitable, as in 3.x.

        Args:
            abort_ssl: Accepted for compatibility: TLS connections are always aborted.
        """
        self._close_now()
        return _CLOSED

    def _close_now(self) -> None:
        self._closed = True
        if self._pool is not None:
            self._pool.close()
        for protocol in list(self._all):
            protocol.close()
        self._all.clear()

    async def __aenter__(self) -> BaseConnector:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        exc_traceback: TracebackType | None = None,
    ) -> None:
        self._close_now()

    def __enter__(self) -> BaseConnector:
        warnings.warn(
            '"with Connector():" is deprecated, use "async with Connector():" instead',
            DeprecationWarning,
            stacklevel=2,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self._close_now()

    # -- lending ----------------------------------------------------------------------------

    async def connect(
        self,
        req: ClientRequest,
        traces: Sequence[Trace],
        timeout: ClientTimeout,  # noqa: ASYNC109 - the 3.x signature
    ) -> Connection:
        """A connection for ``req``: from the pool when one is idle and healthy, else a new one
        once the limits allow (``timeout.connect`` bounds the wait and the opening).

        Raises:
            ClientConnectorError: The connection could not be opened.
            ConnectionTimeoutError: ``connect`` elapsed.
        """
        if self._closed:
            raise ClientConnectorError(req.connection_key, OSError("Connector is closed."))
        key = req.connection_key
        pool = self._get_pool()
        open_connection = functools.partial(self._open_new, req, traces, timeout)
        if not timeout.connect:
            protocol, reused = await pool.acquire(key, open_connection, traces)
        else:
            loop = asyncio.get_running_loop()
            with Deadline(
                loop,
                loop.time() + timeout.connect,
                lambda: ConnectionTimeoutError(f"Connection timeout to host {req.url}"),
            ):
                protocol, reused = await pool.acquire(key, open_connection, traces)
        return Connection(self, key, protocol, reused=reused)

    async def _open_new(
        self,
        req: ClientRequest,
        traces: Sequence[Trace],
        timeout: ClientTimeout,  # noqa: ASYNC109 - passed on to _create_connection
    ) -> ResponseHandler:
        protocol = await self._create_connection(req, list(traces), timeout)
        closed = protocol.closed
        if closed is not None:  # None: the connection is already lost
            self._all.add(protocol)
            closed.add_done_callback(lambda _: self._all.discard(protocol))
        return protocol

    def _release(self, key: Hashable, protocol: ResponseHandler | None) -> None:
        """Take back what :meth:`connect` lent: pooled when reusable, else closed.

        ``None`` gives back only the slot (the protocol left the pool's care).
        """
        pool = self._pool
        if pool is None:
            return
        if protocol is not None and (self._closed or self._force_close or protocol.should_close):
            protocol.close()
            self._all.discard(protocol)
            protocol = None
        pool.release(key, protocol)

    def _make_protocol(self) -> ResponseHandler:
        return ResponseHandler(asyncio.get_running_loop(), limits=self._limits)

    async def _create_connection(
        self, req: ClientRequest, traces: list[Trace], timeouts: ClientTimeout
    ) -> ResponseHandler:
        raise NotImplementedError


def _sock_connect_deadline(req: ClientRequest, timeouts: ClientTimeout) -> Deadline:
    loop = asyncio.get_running_loop()
    return Deadline(
        loop,
        loop.time() + timeouts.sock_connect if timeouts.sock_connect else None,
        lambda: ConnectionTimeoutError(f"Connection timeout to host {req.url}"),
    )


class TCPConnector(BaseConnector):
    """Connections over TCP, with TLS for https, a DNS cache and Happy Eyeballs (RFC 8305).

    Args:
        verify_ssl: Deprecated: ``ssl=False``.
        fingerprint: Deprecated: ``ssl=Fingerprint(...)``.
        use_dns_cache: Cache resolved addresses.
        ttl_dns_cache: Seconds a cached address is kept (``None``: forever).
        dns_cache_max_size: Host names the DNS cache keeps; the oldest goes first.
        family: Restrict to ``socket.AF_INET`` or ``AF_INET6`` (0: both).
        ssl_context: Deprecated: ``ssl=context``.
        ssl: The default TLS setting: ``True`` (verify), ``False``, an ``SSLContext`` or a
            :class:`Fingerprint`.
        local_addr: A local ``(host, port)`` to bind.
        resolver: The resolver (a :class:`ThreadedResolver` by default).
        keepalive_timeout: As for :class:`BaseConnector`.
        force_close: As for :class:`BaseConnector`.
        limit: As for :class:`BaseConnector`.
        limit_per_host: As for :class:`BaseConnector`.
        enable_cleanup_closed: As for :class:`BaseConnector`.
        loop: As for :class:`BaseConnector`.
        timeout_ceil_threshold: As for :class:`BaseConnector`.
        happy_eyeballs_delay: Seconds between connection attempts (``None``: one at a time).
        interleave: Accepted for compatibility (families always alternate).
        socket_factory: Makes the socket of each connection attempt, given its
            ``(family, type, proto, canonname, sockaddr)``.
        ssl_shutdown_timeout: Deprecated in 3.x and ignored: TLS connections are aborted on
            close.
    """

    allowed_protocol_schema_set = HIGH_LEVEL_SCHEMA_SET | frozenset({"tcp"})

    def __init__(
        self,
        *,
        verify_ssl: bool = True,
        fingerprint: bytes | None = None,
        use_dns_cache: bool = True,
        ttl_dns_cache: int | None = 10,
        dns_cache_max_size: int = DNS_CACHE_MAX_SIZE,
        family: socket.AddressFamily = socket.AF_UNSPEC,
        ssl_context: ssl.SSLContext | None = None,
        ssl: Any = True,
        local_addr: tuple[str, int] | None = None,
        resolver: AbstractResolver | None = None,
        keepalive_timeout: float | None = _NOT_GIVEN,
        force_close: bool = False,
        limit: int = 100,
        limit_per_host: int = 0,
        enable_cleanup_closed: bool = False,
        loop: asyncio.AbstractEventLoop | None = None,
        timeout_ceil_threshold: float = 5,
        happy_eyeballs_delay: float | None = 0.25,
        interleave: int | None = None,
        socket_factory: SocketFactoryType | None = None,
        ssl_shutdown_timeout: float | None = _NOT_GIVEN,
    ) -> None:
        super().__init__(
            keepalive_timeout=keepalive_timeout,
            force_close=force_close,
            limit=limit,
            limit_per_host=limit_per_host,
            enable_cleanup_closed=enable_cleanup_closed,
            loop=loop,
            timeout_ceil_threshold=timeout_ceil_threshold,
        )
        if ssl_shutdown_timeout is not _NOT_GIVEN:
            warn_ssl_shutdown_timeout()
        self._ssl = merge_ssl_params(ssl, verify_ssl, ssl_context, fingerprint)
        self._family = family
        self._local_addr = local_addr
        self._resolver = resolver or DefaultResolver()
        self._resolver_owner = resolver is None
        self._use_dns_cache = use_dns_cache
        self._cache = DnsCache(ttl_dns_cache, max_size=dns_cache_max_size)
        self._happy_eyeballs_delay = happy_eyeballs_delay
        self._socket_factory = socket_factory

    async def close(self, *, abort_ssl: bool = False) -> None:
        """Close every connection, idle or in use, and the resolver the connector made.

        Args:
            abort_ssl: Accepted for compatibility: TLS connections are always aborted.
        """
        await super().close(abort_ssl=abort_ssl)
        if self._resolver_owner:
            await self._resolver.close()

    @property
    def family(self) -> int:
        """The address family in use (0: any)."""
        return self._family

    @property
    def use_dns_cache(self) -> bool:
        """Whether resolved addresses are cached."""
        return self._use_dns_cache

    def clear_dns_cache(self, host: str | None = None, port: int | None = None) -> None:
        """Forget cached addresses for one host and port, or all."""
        if host is not None and port is not None:
            self._cache.clear((host, port))
        elif host is None and port is None:
            self._cache.clear()
        else:
            raise ValueError("Either both host and port or none of them are allowed.")

    async def _resolve(self, host: str, port: int, traces: list[Trace]) -> list[ResolveResult]:
        key = (host, port)
        if self._use_dns_cache:
            cached = self._cache.get(key)
            if cached is not None:
                if traces:
                    await send_all(traces, "dns_cache_hit", TraceDnsCacheHitParams(host))
                return cached
            if traces:
                await send_all(traces, "dns_cache_miss", TraceDnsCacheMissParams(host))
        if traces:
            await send_all(traces, "dns_resolvehost_start", TraceDnsResolveHostStartParams(host))
        family = socket.AddressFamily(self._family)
        addrs = await self._resolver.resolve(host, port, family=family)
        if traces:
            await send_all(traces, "dns_resolvehost_end", TraceDnsResolveHostEndParams(host))
        if self._use_dns_cache:
            self._cache.add(key, addrs)
        return addrs

    async def _open(
        self,
        req: ClientRequest,
        host: str,
        port: int,
        traces: list[Trace],
        timeouts: ClientTimeout,
        *,
        tls: bool,
    ) -> ResponseHandler:
        key = req.connection_key
        try:
            results = await self._resolve(host, port, traces)
        except OSError as exc:
            raise ClientConnectorDNSError(key, exc) from exc
        addr_infos = [_addr_info(r) for r in results]
        setting = req.ssl if req.ssl is not True else self._ssl
        context = context_for(setting) if tls else None
        server_hostname = (req.server_hostname or host.rstrip(".")) if tls else None
        try:
            _, protocol = await self._wrap_create_connection(
                self._make_protocol,
                addr_infos=addr_infos,
                req=req,
                timeout=timeouts,
                client_error=ClientConnectorError,
                ssl=context,
                server_hostname=server_hostname,
                local_addr=self._local_addr,
            )
        except ConnectionTimeoutError:
            raise
        except ssl.SSLCertVerificationError as exc:
            raise ClientConnectorCertificateError(key, exc) from exc
        except ssl.SSLError as exc:
            raise ClientConnectorSSLError(key, exc) from exc
        except OSError as exc:
            raise ClientConnectorError(key, exc) from exc
        if tls and isinstance(setting, Fingerprint):
            try:
                check_fingerprint(protocol.transport, setting, host, port)
            except ServerFingerprintMismatch:
                protocol.close()
                raise
        return protocol

    async def _wrap_create_connection(
        self,
        *args: Any,
        addr_infos: Sequence[tuple[int, int, int, str, tuple[Any, ...]]],
        req: ClientRequest,
        timeout: ClientTimeout,  # noqa: ASYNC109 - the 3.x hook's signature
        client_error: type[Exception] = ClientConnectorError,
        **kwargs: Any,
    ) -> tuple[asyncio.BaseTransport, ResponseHandler]:
        """Open one connection to the first of ``addr_infos`` that answers (RFC 8305).

        The aiohttp 3.x hook that proxy connectors override: ``args[0]`` is the protocol
        factory, ``addr_infos`` are ``getaddrinfo``-style 5-tuples, ``kwargs`` carry ``ssl``,
        ``server_hostname`` and ``local_addr``. The hook applies ``timeout.sock_connect``
        itself. ``OSError`` and ``ssl.SSLError`` raised here become the client's connector
        errors.
        """
        factory = args[0] if args else self._make_protocol
        addrs = [AddrInfo(family, kind, proto, addr) for family, kind, proto, _, addr in addr_infos]
        with _sock_connect_deadline(req, timeout):
            return await open_tcp(
                asyncio.get_running_loop(),
                factory,
                addrs,
                ssl=kwargs.get("ssl"),
                server_hostname=kwargs.get("server_hostname"),
                local_addr=kwargs.get("local_addr"),
                happy_eyeballs_delay=self._happy_eyeballs_delay,
                socket_factory=self._socket_factory,
            )

    async def _create_connection(
        self, req: ClientRequest, traces: list[Trace], timeouts: ClientTimeout
    ) -> ResponseHandler:
        if req.proxy is not None:
            from .proxy import open_via_proxy  # noqa: PLC0415 - proxies are the rare path

            return await open_via_proxy(self, req, traces, timeouts)
        port = req.port or (443 if req.is_ssl() else 80)
        return await self._open(req, req.host, port, traces, timeouts, tls=req.is_ssl())


def _addr_info(result: ResolveResult) -> tuple[int, int, int, str, tuple[Any, ...]]:
    """A ``getaddrinfo``-style entry for a resolved address.

    A resolver may leave ``family`` as 0 (``AF_UNSPEC``); the address itself tells which it is.
    """
    host = result["host"]
    family = result["family"] or (socket.AF_INET6 if ":" in host else socket.AF_INET)
    if family == socket.AF_INET6:
        addr, _, scope = host.partition("%")
        sockaddr: tuple[Any, ...] = (addr, result["port"], 0, int(scope) if scope.isdigit() else 0)
    else:
        sockaddr = (host, result["port"])
    return (family, socket.SOCK_STREAM, result["proto"], "", sockaddr)


class UnixConnector(BaseConnector):
    """Connections over a unix domain socket; every request goes to ``path``.

    Args:
        path: The socket path.
        force_close: As for :class:`BaseConnector`.
        keepalive_timeout: As for :class:`BaseConnector`.
        limit: As for :class:`BaseConnector`.
        limit_per_host: As for :class:`BaseConnector`.
        loop: As for :class:`BaseConnector`.
    """

    allowed_protocol_schema_set = HIGH_LEVEL_SCHEMA_SET | frozenset({"unix"})

    def __init__(  # noqa: PLR0917 - positional, as in 3.x
        self,
        path: str,
        force_close: bool = False,
        keepalive_timeout: float | None = _NOT_GIVEN,
        limit: int = 100,
        limit_per_host: int = 0,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(
            force_close=force_close,
            keepalive_timeout=keepalive_timeout,
            limit=limit,
            limit_per_host=limit_per_host,
            loop=loop,
        )
        self._path = path

    @property
    def path(self) -> str:
        """The socket path."""
        return self._path

    async def _create_connection(
        self, req: ClientRequest, traces: list[Trace], timeouts: ClientTimeout
    ) -> ResponseHandler:
        try:
            with _sock_connect_deadline(req, timeouts):
                _, protocol = await open_unix(
                    asyncio.get_running_loop(), self._make_protocol, self._path
                )
        except ConnectionTimeoutError:
            raise
        except OSError as exc:
            raise UnixClientConnectorError(self._path, req.connection_key, exc) from exc
        return protocol
