"""Proxies: which proxy a URL uses, and opening connections through one.

Plain-http requests go to an HTTP proxy in absolute-form (RFC 9112 §3.2.2) with
``Proxy-Authorization``. https requests open a tunnel with ``CONNECT host:port``
(RFC 9110 §9.3.6) and run TLS to the origin through it. With ``trust_env=True`` the proxy comes
from ``HTTP_PROXY``/``HTTPS_PROXY`` (lower case too) unless ``NO_PROXY`` names the host, and
credentials for a host come from ``~/.netrc`` (``~/_netrc`` on Windows, or ``$NETRC``).
"""

from __future__ import annotations

import asyncio
import netrc
import os
import platform
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDict
from yarl import URL

from .._sansio.http1 import serialize_request_head
from .auth import BasicAuth, basic_auth
from .exceptions import (
    ClientConnectorError,
    ClientHttpProxyError,
    ClientProxyConnectionError,
    InvalidUrlClientError,
)
from .protocol import ResponseHandler
from .request import ClientRequest
from .timeouts import ClientTimeout
from .tls import Fingerprint, check_fingerprint, context_for
from .tracing import Trace

if TYPE_CHECKING:
    from .connector import TCPConnector

__all__ = (
    "bypassed",
    "netrc_auth",
    "open_via_proxy",
    "proxy_for",
    "proxy_from_env",
    "proxy_with_auth",
)


def proxy_from_env(url: URL) -> tuple[URL, BasicAuth | None] | None:
    """The proxy the environment names for ``url``, with credentials from its userinfo, else
    from the netrc entry of the proxy's host.

    ``NO_PROXY`` is honoured (``urllib.request.proxy_bypass_environment``).
    """
    proxies = urllib.request.getproxies_environment()
    scheme = "https" if url.scheme in ("https", "wss") else "http"
    raw = proxies.get(scheme)
    if not raw or bypassed(url.host or "", url.port, proxies.get("no", "")):
        return None
    proxy = URL(raw)
    if proxy.scheme not in ("http", "https"):
        return None
    auth = BasicAuth.from_url(proxy)
    if auth is None and proxy.host:  # as 3.x: the proxy host's netrc entry
        auth = netrc_auth(proxy.host)
    return proxy.with_user(None), auth


_SOCKS_SCHEMES = frozenset({"socks4", "socks4a", "socks5", "socks5h"})


def proxy_with_auth(proxy: str | URL, proxy_auth: BasicAuth | None) -> tuple[URL, BasicAuth | None]:
    """The proxy URL without its userinfo, and the credentials to send it.

    Credentials in the URL (``http://user:pass@proxy``) are used unless ``proxy_auth`` is given.

    Raises:
        InvalidUrlClientError: A proxy that is not a URL, or a SOCKS proxy, which this client
            does not speak (sending it HTTP would fail in confusing ways); the message names
            aiohttp-socks.
    """
    try:
        url = URL(proxy)
    except ValueError as exc:  # e.g. "http://[bad": 3.x's InvalidURL
        raise InvalidUrlClientError(proxy) from exc
    if not url.raw_host:
        raise InvalidUrlClientError(proxy)
    if url.scheme in _SOCKS_SCHEMES:
        raise InvalidUrlClientError(
            url.with_user(None),
            f"{url.scheme} proxies are not supported; install aiohttp-socks and use "
            "connector=aiohttp_socks.ProxyConnector.from_url(proxy_url)",
        )
    auth = BasicAuth.from_url(url)
    if auth is None:
        return url, proxy_auth
    return url.with_user(None), proxy_auth if proxy_auth is not None else auth


def proxy_for(
    url: URL, proxy: str | URL | None, proxy_auth: BasicAuth | None, defaults: Any
) -> tuple[URL | None, BasicAuth | None]:
    """The proxy a request to ``url`` goes through, and its credentials.

    The request's ``proxy``, else the session's, else (with ``trust_env``) the environment's.
    """
    if proxy is not None:
        return proxy_with_auth(proxy, proxy_auth)
    default = defaults.proxy
    if default is not None:
        if isinstance(default, URL):
            return default, proxy_auth or defaults.proxy_auth
        # A str: the session's proxy= that could not be read; as in 3.x, requests refuse it.
        return proxy_with_auth(default, proxy_auth or defaults.proxy_auth)
    if defaults.trust_env:
        found = proxy_from_env(url)
        if found is not None:
            return found[0], proxy_auth or found[1]
    return None, proxy_auth


def bypassed(host: str, port: int | None, no_proxy: str) -> bool:
    """Whether ``NO_PROXY`` (comma-separated names, ``.suffix``es, ``*``) exempts ``host``."""
    host = host.lower().rstrip(".")
    for raw_entry in no_proxy.split(","):
        entry = raw_entry.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        name, _, entry_port = entry.partition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and port is not None and entry_port != str(port):
            continue
        name = name.lstrip(".").rstrip(".")
        if host == name or host.endswith("." + name):
            return True
    return False


#: Whether this is Windows, where the netrc file is ``~/_netrc`` (aiohttp 3.x's
#: ``helpers.IS_WINDOWS``).
IS_WINDOWS = platform.system() == "Windows"


def netrc_auth(host: str) -> BasicAuth | None:
    """Credentials for ``host`` from the netrc file (``$NETRC``, or ``~/.netrc``; ``~/_netrc``
    on Windows), if any."""
    default = Path.home() / ("_netrc" if IS_WINDOWS else ".netrc")
    path = os.environ.get("NETRC") or str(default)
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (OSError, netrc.NetrcParseError):
        return None
    if entry is None:
        return None
    login, account, password = entry
    return basic_auth(login or account or "", password or "")


def proxy_headers_for(req: ClientRequest) -> CIMultiDict[str]:
    """The headers the proxy itself should see (extra headers and credentials)."""
    headers: CIMultiDict[str] = CIMultiDict(req.proxy_headers or ())
    if req.proxy_auth is not None:
        headers["Proxy-Authorization"] = req.proxy_auth.encode()
    return headers


async def open_via_proxy(
    connector: TCPConnector, req: ClientRequest, traces: list[Trace], timeouts: ClientTimeout
) -> ResponseHandler:
    """Open a connection through ``req.proxy``: direct for http, a CONNECT tunnel for https.

    Raises:
        ClientProxyConnectionError: The proxy could not be reached.
        ClientHttpProxyError: The proxy refused the tunnel.
    """
    proxy = req.proxy
    assert proxy is not None
    try:
        protocol = await connector._open(
            req, proxy.host or "", proxy.port or 80, traces, timeouts, tls=proxy.scheme == "https"
        )
    except ClientConnectorError as exc:
        raise ClientProxyConnectionError(req.connection_key, exc.os_error) from exc
    if not req.is_ssl():
        return protocol
    try:
        await _tunnel(protocol, req)
        return await _start_tls(connector, protocol, req)
    except BaseException:
        protocol.close()
        raise


async def _tunnel(protocol: ResponseHandler, req: ClientRequest) -> None:
    authority = f"{req.host}:{req.port or 443}"
    headers = proxy_headers_for(req)
    headers["Host"] = authority
    protocol.expect_response("CONNECT")
    transport = protocol.transport
    assert transport is not None
    transport.write(serialize_request_head("CONNECT", authority, headers))
    head, _ = await protocol.read_head()
    if not 200 <= head.status < 300:
        raise ClientHttpProxyError(
            req.request_info, (), status=head.status, message=head.reason, headers=head.headers
        )


async def _start_tls(
    connector: TCPConnector, protocol: ResponseHandler, req: ClientRequest
) -> ResponseHandler:
    loop = asyncio.get_running_loop()
    raw = protocol.transport
    assert raw is not None
    setting = req.ssl if req.ssl is not True else connector._ssl
    inner = connector._make_protocol()
    tls_transport = await loop.start_tls(
        raw,
        inner,
        context_for(setting),
        server_hostname=req.server_hostname or req.host.rstrip("."),
    )
    assert tls_transport is not None  # None only when the transport was closed meanwhile
    inner.connection_made(tls_transport)
    protocol.transport = None  # the tunnel now belongs to the TLS layer
    if isinstance(setting, Fingerprint):
        check_fingerprint(tls_transport, setting, req.host, req.port or 443)
    return inner
