"""Where a request came from: :class:`RequestOriginMixin`, the origin half of a request.

``remote``, ``scheme``, ``secure`` and ``host``, read from a trusted proxy's headers when the
server trusts the peer (:class:`~aiohttp.web.messages.forwarded.ProxyView`), else from the
connection and the request head; and ``forwarded``, every ``Forwarded`` element as sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDictProxy
from yarl import URL

from ..._sansio.http1.events import RequestHead
from .forwarded import ProxyView, parse_forwarded

if TYPE_CHECKING:
    import asyncio

    from ..server.protocol import RequestHandler

__all__ = ["RequestOriginMixin"]


class RequestOriginMixin:
    """The origin of a request: its client's address, its scheme and its host."""

    _message: RequestHead
    _headers: CIMultiDictProxy[str]
    _protocol: RequestHandler
    _cache: dict[str, Any]

    if TYPE_CHECKING:

        @property
        def transport(self) -> asyncio.Transport | None: ...

        def get_extra_info(self, name: str, default: Any = None) -> Any: ...

    def _proxy_view(self) -> ProxyView | None:
        if "proxy" not in self._cache:
            trusted = self._protocol.trusted_proxies
            found = None
            if trusted:
                found = trusted.resolve(self._peer_address(), self._headers)
            self._cache["proxy"] = found
        view: ProxyView | None = self._cache["proxy"]
        return view

    def _peer_address(self) -> str | None:
        peername = self.get_extra_info("peername")
        if isinstance(peername, list | tuple):
            return str(peername[0])
        return None if peername is None else str(peername)

    @property
    def remote(self) -> str | None:
        """The client's address (from trusted proxy headers, else the peer's)."""
        if "remote" not in self._cache:
            view = self._proxy_view()
            if view is not None and view.remote:
                self._cache["remote"] = view.remote
            else:
                self._cache["remote"] = self._peer_address()
        remote: str | None = self._cache["remote"]
        return remote

    @property
    def scheme(self) -> str:
        """``"https"`` over TLS (or as a trusted proxy says), else ``"http"``."""
        if "scheme" not in self._cache:
            view = self._proxy_view()
            if view is not None and view.scheme in ("http", "https"):
                self._cache["scheme"] = view.scheme
            else:
                tls = self.get_extra_info("sslcontext") is not None
                self._cache["scheme"] = "https" if tls else "http"
        scheme: str = self._cache["scheme"]
        return scheme

    @property
    def secure(self) -> bool:
        """Whether the request came over TLS (``scheme == "https"``)."""
        return self.scheme == "https"

    @property
    def host(self) -> str:
        """The ``Host`` field (or a trusted proxy's), else the local address the request came to.

        For an absolute-form request-target it is the target's authority, whatever ``Host``
        says (RFC 9112 §3.2.2). Without either (HTTP/1.0) it is the address of the listening
        socket: an IPv6 address in brackets, a Unix socket's path, ``""`` when unknown. (Looking
        up this machine's name instead would block the event loop on DNS, as 3.14.5 also fixed.)
        """
        if "host" not in self._cache:
            view = self._proxy_view()
            if view is not None and view.host:
                host: str | None = view.host
            else:
                host = self._absolute_authority() or self._headers.get("Host")
            self._cache["host"] = host if host is not None else self._local_host()
        host_value: str = self._cache["host"]
        return host_value

    def _absolute_authority(self) -> str | None:
        """The authority of an absolute-form request-target (RFC 9112 §3.2.2), else ``None``."""
        target = self._message.target
        if target[:1] == "/" or target == "*" or self._message.method == "CONNECT":
            return None
        url = URL(target, encoded=True)
        return url.raw_authority if url.absolute and url.raw_authority else None

    def _local_host(self) -> str:
        transport = self.transport
        sockname = transport.get_extra_info("sockname") if transport is not None else None
        if isinstance(sockname, str):
            return sockname
        if isinstance(sockname, tuple | list) and sockname:
            address = str(sockname[0])
            return f"[{address}]" if ":" in address else address
        return ""

    @property
    def forwarded(self) -> tuple[Mapping[str, str], ...]:
        """Every ``Forwarded`` element (RFC 7239), client side first, as sent (not trusted)."""
        return parse_forwarded(self._headers.getall("Forwarded", ()))
