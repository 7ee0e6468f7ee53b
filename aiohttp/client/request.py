"""Building a request: :class:`RequestInfo`, :class:`ConnectionKey`,
:class:`~aiohttp.client.request.ClientRequest`.

A request object is the request in its final form: validated URL, merged headers,
encoded body. Its ``send()`` method (from :mod:`aiohttp.client.sending`) writes it on a
connection and waits for the response head.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from .._sansio.http1.events import HttpVersion, HttpVersion11
from .auth import BasicAuth
from .body import EMPTY_BODY, Body, encode_body
from .exceptions import InvalidUrlClientError, NonHttpUrlClientError
from .headers import ACCEPT_ENCODING, AUTO_HEADERS, cookie_header, host_header
from .sending import RequestSender

if TYPE_CHECKING:
    from .options import RequestOptions
    from .response import ClientResponse
    from .session import ClientSession
    from .tracing import Trace

__all__ = ("ClientRequest", "ConnectionKey", "RequestInfo")

HTTP_SCHEMES = frozenset({"http", "https"})
WS_SCHEMES = frozenset({"ws", "wss"})
SECURE_SCHEMES = frozenset({"https", "wss"})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})

_NO_SKIP: frozenset[str] = frozenset()
_NO_URL: Any = object()  # stands for "not given" in RequestInfo


class _RequestInfo(NamedTuple):
    url: URL
    method: str
    headers: CIMultiDictProxy[str]
    real_url: URL


class RequestInfo(_RequestInfo):
    """What was sent: carried by responses and by :class:`ClientResponseError`.

    Attributes:
        url: The URL requested (without fragment).
        method: The method.
        headers: The headers sent.
        real_url: The URL as given, fragment included (``url`` when not given).
    """

    __slots__ = ()

    def __new__(
        cls,
        url: URL,
        method: str,
        headers: CIMultiDictProxy[str],
        real_url: URL = _NO_URL,
    ) -> RequestInfo:
        return tuple.__new__(cls, (url, method, headers, url if real_url is _NO_URL else real_url))


class ConnectionKey(NamedTuple):
    """What makes two requests able to share a pooled connection."""

    host: str
    port: int | None
    is_ssl: bool
    ssl: Any
    proxy: URL | None
    proxy_auth: BasicAuth | None
    proxy_headers_hash: int | None
    #: The TLS server name asked for: a connection made for one is never lent for another.
    server_hostname: str | None = None


def http_version(version: Any) -> HttpVersion:
    """An :class:`HttpVersion` from what 3.x accepts: the tuple itself, ``(1, 1)`` or ``"1.1"``.

    Raises:
        ValueError: A string that is no ``major.minor`` version.
    """
    if isinstance(version, HttpVersion):
        return version
    if isinstance(version, str):
        major, _, minor = version.partition(".")
        try:
            return HttpVersion(int(major.strip()), int(minor.strip()))
        except ValueError:
            raise ValueError(f"Can not parse http version number: {version}") from None
    return HttpVersion(*version)


def check_url(url: URL, *, allow_ws: bool = False) -> None:
    """Refuse a URL the client cannot request.

    A URL without a scheme is judged by its host, as in 3.x: ``example.com/path`` has none.

    Raises:
        NonHttpUrlClientError: The scheme is not http(s) (or ws(s) when allowed).
        InvalidUrlClientError: The URL has no host.
    """
    scheme = url.scheme
    if scheme and scheme not in HTTP_SCHEMES and not (allow_ws and scheme in WS_SCHEMES):
        raise NonHttpUrlClientError(url)
    if not url.raw_host:
        raise InvalidUrlClientError(url)


class ClientRequest(RequestSender):
    """One request, ready to send.

    The constructor runs the ``update_*`` steps of aiohttp 3.x in its order (version, host,
    headers, automatic headers, cookies, content coding, auth, proxy, body, framing,
    expectation); a subclass may override any of them, and a middleware may call them again
    before sending.

    Args:
        method: The method (upper-cased here).
        url: The absolute URL (fragment kept in ``original_url``, dropped on the wire).
        params: Query parameters added to the URL.
        headers: Request headers (already merged with the session's).
        skip_auto_headers: Header names not to add automatically.
        data: The body (bytes, str, form dict, file object, async iterable, payload).
        cookies: Cookies to send: a mapping, pairs, a ``BaseCookie``, or a ``Cookie`` value.
        auth: Basic credentials (or userinfo taken from ``url``).
        version: The HTTP version.
        compress: Compress the body with this coding (``deflate``, ``gzip``); ``True``
            means ``deflate``.
        chunked: Send the body with ``Transfer-Encoding: chunked``.
        expect100: Send ``Expect: 100-continue`` and wait before the body.
        loop: The event loop.
        response_class: The class of the response (the session's).
        proxy: The proxy URL, if any.
        proxy_auth: Proxy credentials.
        timer: Accepted for compatibility (the session's options carry the timeouts).
        session: The session sending the request (``req.session`` in middlewares).
        ssl: The TLS setting for https.
        proxy_headers: Extra headers for the proxy.
        traces: The request's traces.
        trust_env: Accepted for compatibility (the chain's auth step reads ``.netrc``).
        server_hostname: Override the name for SNI and certificate matching.
    """

    GET_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
    POST_METHODS = frozenset({"PATCH", "POST", "PUT"})
    ALL_METHODS = GET_METHODS | POST_METHODS | frozenset({"DELETE"})
    DEFAULT_HEADERS = {"Accept": "*/*", "Accept-Encoding": ACCEPT_ENCODING}  # noqa: RUF012 - 3.x

    _options: RequestOptions = None  # type: ignore[assignment]  # set by build_request
    response: ClientResponse | None = None  # the response, once its head arrived
    auth: BasicAuth | None = None
    body: Body = EMPTY_BODY
    _skip: frozenset[str] = _NO_SKIP
    _cookies: Any = None  # the cookies given, which win over the jar's (see cookiejar.py)

    def __init__(
        self,
        method: str,
        url: URL,
        *,
        params: Any = None,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        skip_auto_headers: Iterable[str] | None = None,
        data: Any = None,
        cookies: Any = None,
        auth: BasicAuth | None = None,
        version: HttpVersion = HttpVersion11,
        compress: str | bool | None = None,
        chunked: bool | int | None = None,
        expect100: bool = False,
        loop: asyncio.AbstractEventLoop | None = None,
        response_class: type[ClientResponse] | None = None,
        proxy: URL | None = None,
        proxy_auth: BasicAuth | None = None,
        timer: Any = None,
        session: ClientSession | None = None,
        ssl: Any = True,
        proxy_headers: Mapping[str, str] | None = None,
        traces: list[Trace] | None = None,
        trust_env: bool = False,
        server_hostname: str | None = None,
    ) -> None:
        check_url(url, allow_ws=True)
        self.session = session
        self.loop = loop
        self.response_class = response_class
        self._traces = traces or []
        self.method = method.upper()
        if params:
            url = url.extend_query(params)
        self.original_url = url
        self.url = url.with_fragment(None) if url.raw_fragment else url
        self.ssl = ssl
        self.server_hostname = server_hostname
        self.compress = compress
        self._set_chunking(chunked)
        self.length: int | None = None
        self.writer_task: asyncio.Task[None] | None = None
        self.continued = False
        if skip_auto_headers:  # (an iterator is read once, here)
            skip_auto_headers = self._skip = frozenset(n.lower() for n in skip_auto_headers)
        self.update_version(version)
        self.update_host(url)
        self.update_headers(headers)
        self.update_auto_headers(skip_auto_headers)
        if cookies:
            self._cookies = cookies
        self.update_cookies(cookies)
        self.update_content_encoding(data)
        self._update_credentials(auth, trust_env, proxy, proxy_auth, proxy_headers)
        self.update_body_from_data(data)
        if data is not None or self.method not in self.GET_METHODS:
            self.update_transfer_encoding()
        self.update_expect_continue(expect100)

    def _update_credentials(
        self,
        auth: BasicAuth | None,
        trust_env: bool,
        proxy: URL | None,
        proxy_auth: BasicAuth | None,
        proxy_headers: Mapping[str, str] | None,
    ) -> None:
        """The origin's credentials (unless the caller set ``Authorization``), the proxy's."""
        if "Authorization" not in self.headers:  # a field the caller set wins (see auth.py)
            self.update_auth(auth, trust_env)
        elif auth is not None and not isinstance(auth, BasicAuth):
            raise TypeError("BasicAuth() tuple is required instead")
        if proxy is None and proxy_auth is None and not proxy_headers:
            self.proxy: URL | None = None
            self.proxy_auth: BasicAuth | None = None
            self.proxy_headers: CIMultiDict[str] | None = None
        else:
            self.update_proxy(proxy, proxy_auth, proxy_headers)

    def _set_chunking(self, chunked: bool | int | None) -> None:
        # The 0.x ``chunked=<size>``: chunks of at most that many bytes.
        self._chunk_size = None if chunked is None or chunked is True else _chunk_size(chunked)
        self.chunked = bool(chunked)

    # -- building (aiohttp 3.x's steps) -----------------------------------------------------

    def update_version(self, version: HttpVersion | str) -> None:
        """Set the HTTP version from an :class:`HttpVersion`, a pair or ``"1.1"``.

        Raises:
            ValueError: A string that is no ``major.minor`` version.
        """
        self.version = http_version(version)

    def update_host(self, url: URL) -> None:
        """Check that ``url`` has a host, and take Basic credentials from its userinfo.

        Raises:
            InvalidUrlClientError: The URL has no host.
        """
        if not url.raw_host:
            raise InvalidUrlClientError(url)
        if url.raw_user is not None or url.raw_password is not None:
            self.auth = BasicAuth.from_url(url)

    def update_headers(self, headers: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> None:
        """Start the headers afresh: ``Host`` first (RFC 9110 §7.2), then ``headers``.

        A ``Host`` in ``headers`` replaces the URL's; other names keep every value given.
        """
        given: Any = headers
        if given and not isinstance(given, CIMultiDict | CIMultiDictProxy):
            given = CIMultiDict(given)
        fields: CIMultiDict[str] = CIMultiDict()
        host = given.get("Host") if given else None
        if host is None and "host" not in self._skip:
            host = host_header(self.url)
        if host is not None:
            fields["Host"] = host
        if given:
            if "Host" in given:
                fields.extend((k, v) for k, v in given.items() if k.lower() != "host")
            else:
                fields.extend(given)
        self.headers: CIMultiDict[str] = fields

    def update_auto_headers(self, skip_auto_headers: Iterable[str] | None) -> None:
        """Add ``Accept``, ``Accept-Encoding`` and ``User-Agent`` unless set or skipped."""
        if skip_auto_headers is not None:
            self._skip = (
                frozenset(n.lower() for n in skip_auto_headers) if skip_auto_headers else _NO_SKIP
            )
        skip = self._skip
        headers = self.headers
        for name, lower, value in AUTO_HEADERS:
            if name not in headers and lower not in skip:
                headers[name] = value

    def update_cookies(self, cookies: Any) -> None:
        """Add ``cookies`` to the ``Cookie`` field; they replace pairs of the same name there.

        As in aiohttp 3.x the field lists its pairs sorted by name.
        """
        if not cookies:
            return
        self.headers["Cookie"] = cookie_header(self.headers.get("Cookie"), cookies)

    def update_content_encoding(self, data: Any) -> None:
        """Set ``Content-Encoding`` for ``compress=`` (a body is compressed only if it exists).

        Raises:
            ValueError: ``compress`` with a ``Content-Encoding`` field already set.
        """
        if not data:
            self.compress = None  # an empty body is not compressed
            return
        if self.headers.get("Content-Encoding"):
            if self.compress:
                raise ValueError("compress can not be set if Content-Encoding header is set")
        elif self.compress:
            if not isinstance(self.compress, str):
                self.compress = "deflate"
            self.headers["Content-Encoding"] = self.compress
            self.chunked = True  # the compressed length is not known in advance

    def update_auth(self, auth: BasicAuth | None, trust_env: bool = False) -> None:
        """Set ``Authorization`` from ``auth``, else from the credentials of the URL.

        Raises:
            TypeError: ``auth`` is not a :class:`BasicAuth`.
        """
        if auth is None:
            auth = self.auth
        if auth is None:
            return
        if not isinstance(auth, BasicAuth):
            raise TypeError("BasicAuth() tuple is required instead")
        self.auth = auth
        self.headers["Authorization"] = auth.encode()

    def update_body_from_data(self, body: Any, _stacklevel: int = 3) -> None:
        """Encode ``body`` (see :mod:`aiohttp.client.body`) and set the fields it implies:
        ``Content-Length`` when its size is known (else the request is chunked),
        ``Content-Type`` and the payload's own fields, unless set or skipped."""
        self.body = encoded = encode_body(body)
        headers = self.headers
        skip = self._skip
        if body is None:
            if self.method not in self.GET_METHODS:
                if not self.chunked and "Content-Length" not in headers:
                    headers["Content-Length"] = "0"
                if self.method in self.POST_METHODS:
                    self._default_content_type()
            return
        if not self.chunked and "Content-Length" not in headers:
            size = encoded.size
            if size is None:
                self.chunked = True
            elif size or self.method not in self.GET_METHODS:
                headers["Content-Length"] = str(size)
        if encoded.content_type and "content-type" not in skip and "Content-Type" not in headers:
            headers["Content-Type"] = encoded.content_type
        for name, value in encoded.headers.items():
            if name not in headers and name.lower() not in skip:
                headers[name] = value
        if self.method in self.POST_METHODS:
            self._default_content_type()

    def _default_content_type(self) -> None:
        """POST, PUT and PATCH say ``application/octet-stream`` when nothing else is known,
        as aiohttp 3.x does."""
        if "Content-Type" not in self.headers and "content-type" not in self._skip:
            self.headers["Content-Type"] = "application/octet-stream"

    async def update_body(self, body: Any) -> None:
        """Replace the body (closing the payload of the one before) and its framing fields."""
        payload = self.body.payload
        if payload is not None:
            await payload.close()
        headers = self.headers
        headers.popall("Content-Length", None)
        if self.chunked:
            headers.popall("Transfer-Encoding", None)
        self.update_body_from_data(body)
        if body is not None or self.method not in self.GET_METHODS:
            self.update_transfer_encoding()

    def update_transfer_encoding(self) -> None:
        """Frame the body: ``Transfer-Encoding: chunked`` when chunked (RFC 9112 §7.1).

        Raises:
            ValueError: ``chunked`` with a ``Transfer-Encoding`` or ``Content-Length`` field
                set, or on HTTP/1.0, which has no chunked coding.
        """
        headers = self.headers
        te = headers.get("Transfer-Encoding")
        if te is not None:
            if "chunked" in te.lower() and not self.chunked:
                self.chunked = True
            elif self.chunked:
                raise ValueError("chunked can not be set if Transfer-Encoding header is set")
        elif self.chunked:
            if "Content-Length" in headers:
                raise ValueError("chunked can not be set if Content-Length header is set")
            headers["Transfer-Encoding"] = "chunked"
        if self.chunked and self.version < HttpVersion11:
            raise ValueError("chunked encoding is not allowed with HTTP/1.0 (RFC 9112 §7)")

    def update_expect_continue(self, expect: bool = False) -> None:
        """Send ``Expect: 100-continue`` (RFC 9110 §10.1.1); a field set so counts too."""
        if expect:
            self.headers["Expect"] = "100-continue"
        elif self.headers.get("Expect", "").lower() == "100-continue":
            expect = True
        self.expect100 = expect

    def update_proxy(
        self,
        proxy: URL | None,
        proxy_auth: BasicAuth | None,
        proxy_headers: Mapping[str, str] | None,
    ) -> None:
        """Send this request through ``proxy`` (before it is sent).

        A plain-http request carries the proxy's credentials itself (RFC 9110 §11.7.1); an
        https one gives them to the CONNECT that opens its tunnel.

        Raises:
            ValueError: ``proxy_auth`` is not a :class:`BasicAuth`.
        """
        if proxy_auth is not None and not isinstance(proxy_auth, BasicAuth):
            raise ValueError("proxy_auth must be None or BasicAuth() tuple")
        self.proxy = proxy
        self.proxy_auth = proxy_auth
        self.proxy_headers = CIMultiDict(proxy_headers) if proxy_headers else None
        if proxy is not None and not self.is_ssl():
            if proxy_auth is not None:
                self.headers["Proxy-Authorization"] = proxy_auth.encode()
            for name, value in (proxy_headers or {}).items():
                self.headers[name] = value

    # -- facts ------------------------------------------------------------------------------

    def keep_alive(self) -> bool:
        """Whether this request lets the connection persist (RFC 9112 §9.3)."""
        tokens = {t.strip().lower() for t in self.headers.get("Connection", "").split(",")}
        if self.version < HttpVersion11:
            return "keep-alive" in tokens
        return "close" not in tokens

    def is_ssl(self) -> bool:
        """Whether the URL's scheme is https or wss."""
        return self.url.scheme in SECURE_SCHEMES

    @property
    def host(self) -> str:
        """The URL's host."""
        return self.url.raw_host or ""

    @property
    def port(self) -> int | None:
        """The URL's port."""
        return self.url.port

    @property
    def connection_key(self) -> ConnectionKey:
        """The pool key of this request."""
        proxy_hash = hash(tuple(self.proxy_headers.items())) if self.proxy_headers else None
        return ConnectionKey(
            self.host,
            self.port,
            self.is_ssl(),
            self.ssl,
            self.proxy,
            self.proxy_auth,
            proxy_hash,
            self.server_hostname,
        )

    @property
    def request_info(self) -> RequestInfo:
        """What this request sends."""
        return tuple.__new__(
            RequestInfo, (self.url, self.method, CIMultiDictProxy(self.headers), self.original_url)
        )

    def request_target(self) -> str:
        """The request-target: origin-form, or absolute-form via an http proxy (RFC 9112 §3.2)."""
        if self.method == "CONNECT":
            return f"{self.url.raw_host}:{self.url.port}"
        if self.proxy is not None and not self.is_ssl():
            return str(self.url)
        return self.url.raw_path_qs or "/"

    @property
    def skip_auto_headers(self) -> frozenset[str]:
        """The automatic header names not sent (lower case)."""
        return self._skip

    def __repr__(self) -> str:
        return f"<ClientRequest {self.method} {self.url}>"


def _chunk_size(chunked: bool | int | None) -> int | None:
    """The chunk size the 0.x ``chunked=<size>`` asked for, if any."""
    if isinstance(chunked, bool) or not isinstance(chunked, int) or chunked <= 0:
        return None
    return chunked
