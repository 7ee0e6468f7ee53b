"""Building and sending a request: :class:`RequestInfo`, :class:`ConnectionKey`,
:class:`~aiohttp.client.request.ClientRequest`.

A request object is the request in its final form: validated URL, merged headers,
encoded body. Its ``send()`` method writes it on a connection and waits for the response
head. A body that is already bytes leaves with the head in one ``transport.write``; any other
body streams through :class:`aiohttp._io.writer.StreamWriter` in its own task, so an early
answer from the server (a 413, say) is seen while the upload is still going.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Set
from contextlib import AbstractContextManager
from http.cookies import BaseCookie
from typing import TYPE_CHECKING, Any, NamedTuple

from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from .._io.writer import StreamWriter
from .._sansio.http1.events import HttpVersion, HttpVersion11
from .auth import BasicAuth
from .body import Body, encode_body
from .exceptions import InvalidUrlClientError, NonHttpUrlClientError
from .headers import ACCEPT_ENCODING, AUTO_HEADERS, cookie_header, host_header, serialized_head
from .protocol import ContentDecoder

if TYPE_CHECKING:
    from .connection import Connection
    from .options import RequestOptions
    from .response import ClientResponse
    from .session import ClientSession
    from .tracing import Trace
    from .upload import UploadTracker

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


class ClientRequest:
    """One request, ready to send.

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
    _upload_tracker: UploadTracker | None = None
    _upload_attempt = 0

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
        self.version = http_version(version)
        self.ssl = ssl
        self.server_hostname = server_hostname
        self.expect100 = expect100
        self.compress = "deflate" if compress is True else (compress or None)
        self.headers: CIMultiDict[str] = CIMultiDict(headers or ())
        skip = frozenset(n.lower() for n in skip_auto_headers) if skip_auto_headers else _NO_SKIP
        self._skip = skip
        if auth is not None and not isinstance(auth, BasicAuth):
            raise TypeError("BasicAuth() tuple is required instead")
        self.auth = auth if auth is not None else BasicAuth.from_url(url)
        self.body: Body = encode_body(data)
        self.chunked = bool(chunked)
        # The 0.x ``chunked=<size>``: chunks of at most that many bytes.
        self._chunk_size = None if chunked is None or chunked is True else _chunk_size(chunked)
        self._fill_headers(skip, cookies)
        if proxy is None and proxy_auth is None and not proxy_headers:
            self.proxy: URL | None = None
            self.proxy_auth: BasicAuth | None = None
            self.proxy_headers: CIMultiDict[str] | None = None
        else:
            self.update_proxy(proxy, proxy_auth, proxy_headers)
        self.writer_task: asyncio.Task[None] | None = None
        self.continued = False

    # -- building ---------------------------------------------------------------------------

    def _fill_headers(self, skip: Set[str], cookies: Any) -> None:
        headers = self.headers
        url = self.url
        if "host" not in skip and "Host" not in headers:
            headers["Host"] = host_header(url)
        for name, lower, value in AUTO_HEADERS:
            if name not in headers and lower not in skip:
                headers[name] = value
        if cookies:
            existing = headers.get("Cookie")
            added = cookies if isinstance(cookies, str) else cookie_header(None, cookies)
            headers["Cookie"] = f"{existing}; {added}" if existing else added
        self._cookie_base = headers.get("Cookie")
        self._cookie_sent: str | None = None
        if self.auth is not None and "Authorization" not in headers:
            headers["Authorization"] = self.auth.encode()
        self._fill_body_headers(skip)

    def _fill_body_headers(self, skip: Set[str]) -> None:
        headers = self.headers
        body = self.body
        if body.content_type and "content-type" not in skip and "Content-Type" not in headers:
            headers["Content-Type"] = body.content_type
        for name, value in body.headers.items():
            headers.setdefault(name, value)
        if self.compress:
            if "Content-Encoding" in headers:
                raise ValueError("compress can not be set if Content-Encoding header is set")
            headers["Content-Encoding"] = self.compress
            self.chunked = True
        if "Transfer-Encoding" in headers:
            if "chunked" in headers["Transfer-Encoding"].lower() and self.chunked is False:
                self.chunked = True
            elif self.chunked:
                raise ValueError("chunked can not be set if Transfer-Encoding header is set")
        if self.chunked:
            if "Content-Length" in headers:
                raise ValueError("chunked can not be set if Content-Length header is set")
            if self.version < HttpVersion11:
                raise ValueError("chunked encoding is not allowed with HTTP/1.0 (RFC 9112 §7)")
            headers.setdefault("Transfer-Encoding", "chunked")
        elif "Content-Length" not in headers:
            if body.size is not None:
                if body.size or self.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
                    headers["Content-Length"] = str(body.size)
            elif self.version >= HttpVersion11 and "Transfer-Encoding" not in headers:
                self.chunked = True
                headers["Transfer-Encoding"] = "chunked"
        if self.expect100:
            headers["Expect"] = "100-continue"
        elif headers.get("Expect", "").lower() == "100-continue":
            self.expect100 = True

    def _add_jar_cookies(self, cookies: BaseCookie[str]) -> None:
        """Send the jar's ``cookies`` too; the request's own win a name they share.

        The request's own are its ``Cookie`` header as built, or as a middleware changed it
        since the jar's were last added (a request sent again gets the jar's latest).
        """
        current = self.headers.get("Cookie")
        base = self._cookie_base if current == self._cookie_sent else current
        if base:
            own = [part.strip() for part in base.split(";") if part.strip()]
            names = {part.partition("=")[0] for part in own}
            jar = [f"{k}={m.coded_value}" for k, m in cookies.items() if k not in names]
            value = "; ".join([*jar, *own])
        else:
            value = cookie_header(cookies, None)
        self.headers["Cookie"] = self._cookie_sent = value

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

    # -- sending ----------------------------------------------------------------------------

    async def send(self, conn: Connection) -> ClientResponse:
        """Write the request on ``conn``; return the response once its head arrived.

        Raises:
            ClientResponseError: The response head is malformed.
            ServerDisconnectedError: The connection closed before the response head.
        """
        from .exchange import send_on  # noqa: PLC0415 - the exchange builds on this module

        return await send_on(conn, self)

    async def _write(
        self,
        conn: Connection,
        *,
        timer: AbstractContextManager[object] | None = None,
        decoder_factory: Callable[[str], ContentDecoder | None] | None = None,
        on_chunk_sent: Callable[[bytes], Any] | None = None,
        on_headers_sent: Callable[[CIMultiDict[str]], Awaitable[None]] | None = None,
        read_bufsize: int | None = None,
    ) -> None:
        """Write the request on ``conn`` (the body may keep streaming in :attr:`writer_task`).

        Raises:
            ValueError: A header contains CR, LF or NUL.
            ConnectionResetError: The connection closed while writing.
        """
        protocol = conn.protocol
        protocol.expect_response(
            self.method,
            timer=timer,
            decoder_factory=decoder_factory,
            expect_continue=self.expect100,
            read_bufsize=read_bufsize,
        )
        if not self.keep_alive():
            protocol.close_after_response()
        head = serialized_head(self.method, self.request_target(), self.headers, self.version)
        body = self.body
        transport = protocol.transport
        if transport is None or transport.is_closing():
            raise ConnectionResetError("Connection closed before the request was sent")
        if on_headers_sent is not None:
            await on_headers_sent(self.headers)
        tracker = self._upload_tracker
        if tracker is not None:
            tracker._attempt_writing(self._upload_attempt, transport)
            on_chunk_sent = _counting(tracker, self._upload_attempt, on_chunk_sent)
        if body.data is not None and not self.chunked and not self.expect100:
            transport.write(head + body.data if body.data else head)
            if on_chunk_sent is not None and body.data:
                await on_chunk_sent(body.data)
            if tracker is not None:
                tracker._attempt_finished(self._upload_attempt)
            return
        writer = StreamWriter(protocol, protocol.loop, on_chunk_sent=on_chunk_sent)
        if self.chunked:
            writer.enable_chunking()
            writer.max_chunk_size = self._chunk_size
        if self.compress:
            writer.enable_compression(self.compress)
        writer.write_head(head)
        self.writer_task = protocol.loop.create_task(self._write_body(writer, conn))

    async def _write_body(self, writer: StreamWriter, conn: Connection) -> None:
        protocol = conn.protocol
        tracker, attempt = self._upload_tracker, self._upload_attempt
        try:
            if self.expect100:
                writer.send_headers()
                await protocol.wait_continue()
                if protocol.has_final_head():
                    # A final status instead of 100: the body is not sent.
                    if tracker is not None:
                        tracker._attempt_failed(attempt, None)
                    return
            await self.body.write(writer)
            await writer.write_eof()
        except asyncio.CancelledError:
            if tracker is not None:
                tracker._attempt_failed(attempt, None)
            conn.close()
            raise
        except Exception as exc:
            if tracker is not None:
                tracker._attempt_failed(attempt, exc)
            protocol.writer_failed(exc)
        else:
            if tracker is not None:
                tracker._attempt_finished(attempt)

    @property
    def skip_auto_headers(self) -> frozenset[str]:
        """The automatic header names not sent (lower case)."""
        return self._skip

    async def close(self) -> None:
        """Wait until the body upload, if one is still running, is over."""
        task = self.writer_task
        if task is not None and not task.done():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(task)

    def terminate(self) -> None:
        """Stop a body upload still running."""
        task = self.writer_task
        if task is not None and not task.done():
            task.cancel()

    async def stop_writing(self) -> None:
        """Cancel a body upload still in progress."""
        task = self.writer_task
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def __repr__(self) -> str:
        return f"<ClientRequest {self.method} {self.url}>"


def _counting(
    tracker: UploadTracker, attempt: int, then: Callable[[bytes], Any] | None
) -> Callable[[bytes], Awaitable[None]]:
    """An ``on_chunk_sent`` that counts the body bytes for ``tracker``, then calls ``then``."""

    async def on_chunk_sent(chunk: bytes) -> None:
        tracker._add_bytes(attempt, len(chunk))
        if then is not None:
            await then(chunk)

    return on_chunk_sent


def _chunk_size(chunked: bool | int | None) -> int | None:
    """The chunk size the 0.x ``chunked=<size>`` asked for, if any."""
    if isinstance(chunked, bool) or not isinstance(chunked, int) or chunked <= 0:
        return None
    return chunked
