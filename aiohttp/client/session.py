"""The client session: :class:`ClientSession` and :func:`request`.

A session holds what requests share: the connector and its pool, the cookie jar, default
headers, auth, timeouts and middlewares. ``session.get(url)`` (and friends) returns an object
that works both with ``async with`` and with ``await``.

A request goes :meth:`ClientSession._request` → :func:`aiohttp.client.options.request_options`
(the arguments, resolved and frozen) → :func:`aiohttp.client.options.build_request` (the first
hop's request) → the chain of :mod:`aiohttp.client.chain`, whose last link,
:func:`aiohttp.client.exchange.exchange`, sends it on a pooled connection.
"""

from __future__ import annotations

import asyncio
import json
import sys
import traceback
import warnings
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Final

from multidict import CIMultiDict
from yarl import URL

from .._io.dev_mode import DEBUG, warn_custom_attribute
from .._sansio.codings import DEFAULT_MAX_DECOMPRESSED_READ_SIZE
from .._sansio.http1.events import HttpVersion, HttpVersion11
from .._sansio.limits import MAX_FIELDS
from .._sansio.websocket import DEFAULT_MAX_MSG_SIZE
from .auth import BasicAuth, first_hop_auth, split_userinfo
from .body import close_when_sent
from .chain import chain_for
from .connector import BaseConnector
from .context import (
    RequestContextManager,
)
from .exceptions import InvalidUrlClientError
from .headers import merge_headers
from .middlewares import ClientMiddlewareType
from .options import build_request, request_options
from .request import ClientRequest
from .response import ClientResponse
from .retry import RetryPolicy
from .settings import NOT_GIVEN, SessionSettings, configure
from .timeouts import ClientTimeout
from .tracing import Trace, TraceConfig
from .upload import UploadTracker
from .websocket import ClientWebSocketResponse, ClientWSTimeout, ws_connect

__all__ = ("ClientSession",)

_RequestContextManager = RequestContextManager  # the name aiohttp.test_utils imports

_SENTINEL: Final[Any] = NOT_GIVEN


class ClientSession(SessionSettings):
    """A set of requests that share a connection pool, cookies and defaults.

    Args:
        base_url: Relative request URLs are joined to it.
        connector: Where connections come from (a :class:`TCPConnector` by default).
        loop: Deprecated; the running loop is used.
        cookies: Cookies to start the jar with.
        headers: Headers sent with every request.
        proxy: A proxy for every request.
        proxy_auth: Credentials for that proxy.
        skip_auto_headers: Header names not to add automatically.
        auth: Basic credentials for every request.
        json_serialize: Serializes the ``json=`` argument.
        json_serialize_bytes: Serializes the ``json=`` argument to bytes (used instead of
            ``json_serialize`` when given).
        request_class: The request class.
        response_class: The response class.
        ws_response_class: The WebSocket response class.
        version: The HTTP version.
        cookie_jar: The cookie jar (a new ``CookieJar`` by default).
        connector_owner: Close the connector with the session.
        raise_for_status: Raise for 4xx/5xx, or an async callable run on each response.
        read_timeout: Deprecated: ``timeout=ClientTimeout(total=...)``.
        conn_timeout: Deprecated: ``timeout=ClientTimeout(connect=...)``.
        timeout: A :class:`ClientTimeout` (default: 5 minutes total, 30 s to connect a socket).
        auto_decompress: Decode Content-Encoding.
        trust_env: Take proxies from ``HTTP(S)_PROXY``/``NO_PROXY`` and credentials from
            ``.netrc``.
        requote_redirect_url: Accepted for compatibility.
        trace_configs: :class:`TraceConfig` objects whose signals the session sends.
        read_bufsize: The body stream's buffer size.
        max_line_size: The longest status line accepted.
        max_field_size: The longest header line accepted.
        max_headers: The most header lines accepted in a response.
        fallback_charset_resolver: ``(response, body) -> encoding`` for a text body whose
            Content-Type names no charset (by default the charset is detected).
        middlewares: Client middlewares for every request (see
            :mod:`aiohttp.client_middlewares`); a request's ``middlewares=`` replaces them.
        max_decompressed_size: Cap on a decoded body however it is read
            (:class:`DecompressionLimitError`); ``None`` (the default) for none.
        max_decompressed_read_size: Cap on a decoded body read whole by ``read()``,
            ``text()`` or ``json()`` (64 MiB by default; ``None`` for none).
        retry: A :class:`RetryPolicy` for every request (off by default).
        ssl_shutdown_timeout: Deprecated in 3.x and ignored: TLS connections are aborted on
            close.
    """

    # Its 3.x home, which its repr (and so 3.x's ResourceWarning filters) shows.
    __module__ = "aiohttp.client"

    #: 3.x's switch: send an idempotent request once more on a new connection when its
    #: connection closes before the response head (false in the test client).
    _retry_connection: bool = True

    ATTRS = frozenset(
        {
            "_base_url",
            "_chains",
            "_closed",
            "_connector",
            "_connector_owner",
            "_cookie_jar",
            "_defaults",
            "_json_serialize_bytes",
            "_loop",
            "_plain_chain",
            "_plain_options_tail",
            "_request_class",
            "_requote_redirect_url",
            "_resolve_charset",
            "_response_class",
            "_retry_connection",
            "_source_traceback",
            "_trace_configs",
            "_ws_response_class",
            "requote_redirect_url",
        }
    )
    """The attributes a session has (3.x lists them so subclasses can tell theirs apart)."""

    _source_traceback: traceback.StackSummary | None = None
    _connector: BaseConnector | None = None
    _closed = True
    _plain_options_tail: tuple[Any, ...] | None = None  # kept by aiohttp.client.options
    _plain_chain: Any = None  # kept by aiohttp.client.chain
    # Set by configure() from the arguments:
    _base_url: URL | None
    _chains: dict[Any, Any]
    _json_serialize_bytes: Callable[[Any], bytes] | None
    _request_class: type[ClientRequest]
    _response_class: type[ClientResponse]
    _ws_response_class: type[ClientWebSocketResponse]
    _resolve_charset: Callable[[ClientResponse, bytes], str] | None

    def __init__(
        self,
        base_url: str | URL | None = None,
        *,
        connector: BaseConnector | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        cookies: Any = None,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        proxy: str | URL | None = None,
        proxy_auth: BasicAuth | None = None,
        skip_auto_headers: Iterable[str] | None = None,
        auth: BasicAuth | None = None,
        json_serialize: Callable[[Any], str] = json.dumps,
        json_serialize_bytes: Callable[[Any], bytes] | None = None,
        request_class: type[ClientRequest] = ClientRequest,
        response_class: type[ClientResponse] = ClientResponse,
        ws_response_class: type[ClientWebSocketResponse] = ClientWebSocketResponse,
        version: HttpVersion = HttpVersion11,
        cookie_jar: Any = None,
        connector_owner: bool = True,
        raise_for_status: bool | Callable[[ClientResponse], Awaitable[None]] = False,
        read_timeout: float | None = _SENTINEL,
        conn_timeout: float | None = None,
        timeout: ClientTimeout | None = _SENTINEL,
        auto_decompress: bool = True,
        trust_env: bool = False,
        requote_redirect_url: bool = True,
        trace_configs: list[TraceConfig] | None = None,
        read_bufsize: int = 2**18,
        max_line_size: int = 8190,
        max_field_size: int = 8190,
        max_headers: int = MAX_FIELDS,
        fallback_charset_resolver: Callable[[ClientResponse, bytes], str] | None = (
            lambda r, b: "utf-8"
        ),
        middlewares: Sequence[ClientMiddlewareType] = (),
        max_decompressed_size: int | None = None,
        max_decompressed_read_size: int | None = DEFAULT_MAX_DECOMPRESSED_READ_SIZE,
        retry: RetryPolicy | None = None,
        ssl_shutdown_timeout: float | None = _SENTINEL,
    ) -> None:
        configure(self, locals())  # the arguments, checked, as the session's attributes
        if self._loop is not None and self._loop.get_debug():  # as asyncio's own objects do
            self._source_traceback = traceback.extract_stack(sys._getframe(1))

    def __init_subclass__(cls) -> None:
        warnings.warn(
            f"Inheritance class {cls.__name__} from ClientSession is discouraged",
            DeprecationWarning,
            stacklevel=2,
        )

    if DEBUG:

        def __setattr__(self, name: str, val: Any) -> None:
            warn_custom_attribute("ClientSession", name, self.ATTRS)
            super().__setattr__(name, val)

    def __del__(self, _warnings: Any = warnings) -> None:
        if self._closed or self._connector is None:
            return
        # 3.x's words and repr, so the warning filters written for 3.x match.
        _warnings.warn(f"Unclosed client session {self!r}", ResourceWarning, source=self)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            context: dict[str, Any] = {"client_session": self, "message": "Unclosed client session"}
            if self._source_traceback is not None:  # the loop is in debug mode
                context["source_traceback"] = self._source_traceback
            loop.call_exception_handler(context)

    # -- requests ---------------------------------------------------------------------------

    def request(self, method: str, url: str | URL, **kwargs: Any) -> RequestContextManager:
        """Send a request; use with ``async with`` or ``await``.

        The keyword arguments are those of 3.x's ``ClientSession.request`` (``params``,
        ``data``, ``json``, ``headers``, ``auth``, ``timeout``, ``middlewares`` …); see
        :doc:`/client`.
        """
        return RequestContextManager(self._request(method, url, **kwargs))

    def get(
        self, url: str | URL, *, allow_redirects: bool = True, **kwargs: Any
    ) -> RequestContextManager:
        """Send a GET request."""
        if not allow_redirects:
            kwargs["allow_redirects"] = False
        return RequestContextManager(self._request("GET", url, **kwargs))

    def options(
        self, url: str | URL, *, allow_redirects: bool = True, **kwargs: Any
    ) -> RequestContextManager:
        """Send an OPTIONS request."""
        if not allow_redirects:
            kwargs["allow_redirects"] = False
        return RequestContextManager(self._request("OPTIONS", url, **kwargs))

    def head(
        self, url: str | URL, *, allow_redirects: bool = False, **kwargs: Any
    ) -> RequestContextManager:
        """Send a HEAD request (redirects are not followed by default)."""
        return RequestContextManager(
            self._request("HEAD", url, allow_redirects=allow_redirects, **kwargs)
        )

    def post(self, url: str | URL, *, data: Any = None, **kwargs: Any) -> RequestContextManager:
        """Send a POST request."""
        if data is not None:
            kwargs["data"] = data
        return RequestContextManager(self._request("POST", url, **kwargs))

    def put(self, url: str | URL, *, data: Any = None, **kwargs: Any) -> RequestContextManager:
        """Send a PUT request."""
        if data is not None:
            kwargs["data"] = data
        return RequestContextManager(self._request("PUT", url, **kwargs))

    def patch(self, url: str | URL, *, data: Any = None, **kwargs: Any) -> RequestContextManager:
        """Send a PATCH request."""
        if data is not None:
            kwargs["data"] = data
        return RequestContextManager(self._request("PATCH", url, **kwargs))

    def delete(self, url: str | URL, **kwargs: Any) -> RequestContextManager:
        """Send a DELETE request."""
        return RequestContextManager(self._request("DELETE", url, **kwargs))

    def ws_connect(
        self,
        url: str | URL,
        *,
        method: str = "GET",
        protocols: Iterable[str] = (),
        timeout: ClientWSTimeout | float = _SENTINEL,
        receive_timeout: float | None = None,
        autoclose: bool = True,
        autoping: bool = True,
        heartbeat: float | None = None,
        auth: BasicAuth | None = None,
        origin: str | None = None,
        params: Any = None,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        proxy: str | URL | None = None,
        proxy_auth: BasicAuth | None = None,
        ssl: Any = True,
        verify_ssl: bool | None = None,
        fingerprint: bytes | None = None,
        ssl_context: Any = None,
        server_hostname: str | None = None,
        proxy_headers: Mapping[str, str] | None = None,
        compress: int = 0,
        max_msg_size: int = DEFAULT_MAX_MSG_SIZE,
        decode_text: bool = True,
    ) -> Any:
        """Open a WebSocket (see :mod:`aiohttp.client.websocket`); ``async with`` or ``await``.

        The arguments are 3.x's; the request ones (``auth`` to ``proxy_headers``) are those of
        :meth:`request`. ``compress=15`` offers permessage-deflate (RFC 7692).
        """
        arguments = locals()
        del arguments["self"]
        return ws_connect(self, **arguments)

    def _build_url(self, str_or_url: str | URL) -> URL:
        try:
            url = URL(str_or_url)
            if self._base_url is not None and not url.is_absolute():
                url = self._base_url.join(url)
            url.port  # noqa: B018 - yarl reads (and checks) the port only when asked
        except ValueError as exc:
            raise InvalidUrlClientError(str_or_url) from exc
        return url

    def _prepare_headers(
        self, headers: Mapping[str, str] | Iterable[tuple[str, str]] | None
    ) -> CIMultiDict[str]:
        """The session's default headers with ``headers`` replacing the names it sets."""
        return merge_headers(self._defaults.headers, headers)

    async def _request(
        self,
        method: str,
        str_or_url: str | URL,
        *,
        timeout: ClientTimeout | float | None = _SENTINEL,  # noqa: ASYNC109 - 3.x API
        trace_request_ctx: Any = None,
        **kwargs: Any,
    ) -> ClientResponse:
        """Send one request through the chain (the engine behind :meth:`request`).

        Raises:
            RuntimeError: The session is closed.
            TypeError: An argument :meth:`request` does not take.
            ClientError: Any failure of the request, as a subclass of the client's tree.
        """
        tracker: UploadTracker | None = kwargs.get("upload_tracker")  # settles however it ends
        if tracker is not None:
            tracker._bind()
        try:
            if self.closed:
                raise RuntimeError("Session is closed")
            traces = self._make_traces(trace_request_ctx) if self._trace_configs else ()
            url = self._build_url(str_or_url)
            url_auth = None
            if url.raw_user is not None or url.raw_password is not None:
                url, url_auth = split_userinfo(url)
            options = request_options(
                self,
                method,
                url,
                timeout=self._resolve_timeout(timeout),
                traces=traces,
                kwargs=kwargs,
            )
            auth = options.args.auth
            if url_auth is not None or "Authorization" in options.headers:
                auth = first_hop_auth(auth, url_auth, options.headers, self._defaults, url)
            req = build_request(
                options,
                method=options.method,
                url=options.url,
                headers=options.headers,
                data=options.data,
                cookies=options.args.cookies,
                auth=auth,
            )
            try:
                resp = await chain_for(options)(req)
            except BaseException:
                payload = req.body.payload
                if payload is not None:  # as in 3.x: a failed or cancelled request closes it
                    await payload.close()
                raise
            if req.body.payload is not None:  # and so does one that is over, once it was sent
                await close_when_sent(req.body.payload, getattr(resp, "_writer", None))
            return resp
        finally:
            if tracker is not None:
                tracker._finalize()

    def _resolve_timeout(self, timeout: Any) -> ClientTimeout:
        if timeout is _SENTINEL:
            return self._defaults.timeout
        if isinstance(timeout, ClientTimeout):
            return timeout
        return ClientTimeout(total=timeout)  # a number (or None) means the total, as in 3.x

    def _make_traces(self, trace_request_ctx: Any) -> tuple[Trace, ...]:
        return tuple(
            Trace(self, config, config.trace_config_ctx(trace_request_ctx=trace_request_ctx))
            for config in self._trace_configs
        )

    # -- closing ----------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the session and, if it owns it, its connector (``await connector.close()``)."""
        connector = self._connector
        self._connector = None
        self._closed = True
        if connector is not None and self._connector_owner:
            await connector.close()

    def _close_now(self) -> None:
        connector = self._connector
        self._closed = True
        if connector is not None and self._connector_owner:
            connector._close_now()
        self._connector = None

    def detach(self) -> None:
        """Forget the connector without closing it."""
        self._connector = None
        self._closed = True

    async def __aenter__(self) -> ClientSession:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __enter__(self) -> None:
        raise TypeError("Use async with instead")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:  # pragma: no cover - __enter__ always raises
        pass
