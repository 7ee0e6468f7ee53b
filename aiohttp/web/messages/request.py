"""Requests: :class:`BaseRequest` (low-level server) and :class:`Request` (applications).

A request is built by the server for each parsed head, with the body as a
:class:`~aiohttp.streams.StreamReader` (``request.content``). Everything else is computed on
first use and cached: the URL, query, cookies, conditional headers.

Behind a reverse proxy, configure the proxies' addresses (``trusted_proxies=`` on
:func:`~aiohttp.web.run_app`, :class:`~aiohttp.web.AppRunner` or
:class:`~aiohttp.web.Server`): ``remote``, ``scheme`` and ``host`` then come from
``Forwarded`` or ``X-Forwarded-For/-Proto/-Host`` for connections from those addresses only
(see :mod:`aiohttp.web.messages.forwarded`). Without it the headers are never believed.
"""

from __future__ import annotations

import asyncio
import re
import warnings
from collections.abc import Iterator, Mapping, MutableMapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Self, TypeVar, overload

from multidict import CIMultiDict, CIMultiDictProxy, MultiDictProxy
from yarl import URL

from ..._io.dev_mode import DEBUG, warn_custom_attribute
from ..._io.streams import StreamReader
from ..._io.writer import AbstractStreamWriter
from ..._sansio.cookies import parse_cookie_header
from ..._sansio.http1.events import HttpVersion, RequestHead
from ..app_key import ChainMapProxy
from ..keys import RequestKey, warn_str_key
from .form import FileField
from .headers import ConditionalHeadersMixin
from .origin import RequestOriginMixin
from .request_body import RequestBodyMixin

if TYPE_CHECKING:
    from ..server.protocol import RequestHandler

__all__ = ["BaseRequest", "FileField", "Request"]

_SENTINEL: Any = object()
_T = TypeVar("_T")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
DEFAULT_CLIENT_MAX_SIZE = 1024**2
#: The most form fields :meth:`BaseRequest.post` accepts by default (3.14).
DEFAULT_CLIENT_MAX_FIELDS = 1000


class BaseRequest(
    RequestOriginMixin,
    RequestBodyMixin,
    ConditionalHeadersMixin,
    MutableMapping["str | RequestKey[Any]", Any],
):
    """An HTTP request as the low-level server hands it to its handler.

    It is also a mutable mapping for per-request state: ``request[key]`` with a
    :class:`~aiohttp.web.RequestKey` (a ``str`` key works too, and warns once with
    :class:`~aiohttp.web.NotAppKeyWarning`, shown only when asked for).

    Args:
        message: The parsed head.
        payload: The body stream.
        protocol: The connection's protocol.
        payload_writer: The writer the response goes through.
        task: The task running the handler.
        loop: The event loop.
        client_max_size: The largest body :meth:`read` and :meth:`post` accept (413 past it).
        client_max_fields: The most form fields :meth:`post` accepts (413 past it).
        state: Initial per-request state (the mapping interface).
        scheme: Overrides :attr:`scheme`.
        host: Overrides :attr:`host`.
        remote: Overrides :attr:`remote`.
    """

    #: The attributes a request has (aiohttp 3.x lists them for development-mode checks).
    #:
    #: :meta hide-value:
    ATTRS = RequestBodyMixin.ATTRS | frozenset(
        {
            "_message", "_headers", "_payload", "_protocol", "_payload_writer", "_task",
            "_loop", "_client_max_size", "_client_max_fields", "_state", "_cache",
            "_read_bytes", "_post", "_needs_prepare_hook",
        }
    )  # fmt: skip
    #: Attributes a clone copies from the original (subclasses add theirs).
    _CLONED: tuple[str, ...] = ()

    def __init__(  # noqa: PLR0917 - the aiohttp 3.x signature
        self,
        message: RequestHead,
        payload: StreamReader,
        protocol: RequestHandler,
        payload_writer: AbstractStreamWriter,
        task: asyncio.Task[None] | None,
        loop: asyncio.AbstractEventLoop,
        *,
        client_max_size: int = DEFAULT_CLIENT_MAX_SIZE,
        client_max_fields: int = DEFAULT_CLIENT_MAX_FIELDS,
        state: dict[str | RequestKey[Any], Any] | None = None,
        scheme: str | None = None,
        host: str | None = None,
        remote: str | None = None,
    ) -> None:
        self._message = message
        self._headers: CIMultiDictProxy[str] = message.headers
        self._payload = payload
        self._protocol = protocol
        self._payload_writer = payload_writer
        self._task = task
        self._loop = loop
        self._client_max_size = client_max_size
        self._client_max_fields = client_max_fields
        self._state = {} if state is None else state
        self._cache: dict[str, Any] = {}
        self._read_bytes: bytes | None = None
        self._post: MultiDictProxy[str | bytes | FileField] | None = None
        if scheme is not None:
            self._cache["scheme"] = scheme
        if host is not None:
            self._cache["host"] = host
        if remote is not None:
            self._cache["remote"] = remote

    def clone(
        self,
        *,
        method: str = _SENTINEL,
        rel_url: URL | str = _SENTINEL,
        headers: Mapping[str, str] = _SENTINEL,
        scheme: str = _SENTINEL,
        host: str = _SENTINEL,
        remote: str = _SENTINEL,
        client_max_size: int = _SENTINEL,
        client_max_fields: int = _SENTINEL,
    ) -> Self:
        """A copy with some fields replaced; the body stream is shared.

        Raises:
            RuntimeError: The body was already read.
        """
        if self._read_bytes is not None:
            raise RuntimeError("Cannot clone request after reading its content")
        changes: dict[str, Any] = {}
        if method is not _SENTINEL:
            changes["method"] = method
        if rel_url is not _SENTINEL:
            changes["target"] = str(URL(rel_url))  # absolute: its authority is the host (3.x)
        if headers is not _SENTINEL:
            new_headers = CIMultiDictProxy(CIMultiDict(headers))
            changes["headers"] = new_headers
            changes["raw_headers"] = tuple(
                (k.encode("utf-8"), v.encode("utf-8")) for k, v in new_headers.items()
            )
        message = self._message._replace(**changes)
        kwargs: dict[str, Any] = {}
        for name, value in (("scheme", scheme), ("host", host), ("remote", remote)):
            if value is not _SENTINEL:
                kwargs[name] = value
            elif name in self._cache:
                kwargs[name] = self._cache[name]
        new = self.__class__(
            message,
            self._payload,
            self._protocol,
            self._payload_writer,
            self._task,
            self._loop,
            client_max_size=(
                self._client_max_size if client_max_size is _SENTINEL else client_max_size
            ),
            client_max_fields=(
                self._client_max_fields if client_max_fields is _SENTINEL else client_max_fields
            ),
            state=self._state.copy(),
            **kwargs,
        )
        for name in self._CLONED:
            setattr(new, name, getattr(self, name))
        return new

    # -- connection -----------------------------------------------------------------------------

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The task running the handler."""
        return self._task

    @property
    def protocol(self) -> RequestHandler:
        """The connection's protocol (``switch_protocol`` hands the connection over)."""
        return self._protocol

    @property
    def transport(self) -> asyncio.Transport | None:
        """The connection's transport, or ``None`` once closed."""
        return self._protocol.transport

    @property
    def writer(self) -> AbstractStreamWriter:
        """The writer the response goes through."""
        return self._payload_writer

    @property
    def client_max_size(self) -> int:
        """The largest body :meth:`read` accepts."""
        return self._client_max_size

    @property
    def client_max_fields(self) -> int:
        """The most form fields :meth:`post` accepts."""
        return self._client_max_fields

    @property
    def message(self) -> RequestHead:
        """The parsed head (deprecated, as in 3.x: the request's properties read it)."""
        warnings.warn("Request.message is deprecated", DeprecationWarning, stacklevel=2)
        return self._message

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The event loop (deprecated)."""
        warnings.warn("request.loop property is deprecated", DeprecationWarning, stacklevel=2)
        return self._loop

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        """Transport information such as ``"peername"`` or ``"sslcontext"``."""
        transport = self._protocol.transport
        return default if transport is None else transport.get_extra_info(name, default)

    async def wait_for_disconnection(self) -> None:
        """Return when the client closes the connection."""
        await self._protocol.wait_closed()

    # -- the request line ------------------------------------------------------------------------

    @property
    def method(self) -> str:
        """The method, e.g. ``"GET"``."""
        return self._message.method

    @property
    def version(self) -> HttpVersion:
        """The HTTP version, e.g. ``HttpVersion(1, 1)``."""
        return self._message.version

    @property
    def rel_url(self) -> URL:
        """The request-target as a relative URL (path and query)."""
        url: URL | None = self._cache.get("rel_url")
        if url is None:
            target = self._message.target
            if target.startswith("/"):  # origin-form (RFC 9112 §3.2.1)
                path, _, query = target.partition("?")
                url = URL.build(path=path, query_string=query, encoded=True)
            elif self._message.method == "CONNECT":  # authority-form
                url = URL.build(authority=target, encoded=True).relative()
            else:  # absolute-form or asterisk-form
                url = URL(target, encoded=True)
                if url.absolute:
                    url = url.relative()
            self._cache["rel_url"] = url
        return url

    @property
    def url(self) -> URL:
        """The absolute URL: :attr:`scheme`, :attr:`host` and :attr:`rel_url`."""
        url: URL | None = self._cache.get("url")
        if url is None:
            url = URL.build(scheme=self.scheme, authority=self.host).join(self.rel_url)
            self._cache["url"] = url
        return url

    @property
    def path(self) -> str:
        """The path, percent-decoded."""
        return self.rel_url.path

    @property
    def raw_path(self) -> str:
        """The path as sent (percent-encoded, query included, as aiohttp 3.x)."""
        return self._message.target

    @property
    def path_qs(self) -> str:
        """The decoded path with the query string."""
        return str(self.rel_url)

    @property
    def query(self) -> MultiDictProxy[str]:
        """The query parameters."""
        return self.rel_url.query

    @property
    def query_string(self) -> str:
        """The query string, decoded."""
        return self.rel_url.query_string

    @property
    def headers(self) -> CIMultiDictProxy[str]:
        """The header fields, names case-insensitive."""
        return self._headers

    @property
    def raw_headers(self) -> tuple[tuple[bytes, bytes], ...]:
        """The header fields as sent, as byte pairs."""
        return self._message.raw_headers

    @property
    def keep_alive(self) -> bool:
        """Whether the client asked to keep the connection open."""
        return self._message.keep_alive

    # -- header views ----------------------------------------------------------------------------

    @property
    def cookies(self) -> Mapping[str, str]:
        """The cookies of the ``Cookie`` fields (RFC 6265 §5.4)."""
        cookies: Mapping[str, str] | None = self._cache.get("cookies")
        if cookies is None:
            pairs = [p for v in self._headers.getall("Cookie", ()) for p in parse_cookie_header(v)]
            cookies = self._cache["cookies"] = MappingProxyType(dict(pairs))
        return cookies

    # -- hooks -----------------------------------------------------------------------------------

    #: Whether ``response.prepare()`` must await :meth:`_prepare_hook` for this request.
    _needs_prepare_hook = False

    async def _prepare_hook(self, response: Any) -> None:
        """Called by ``response.prepare()``; applications send ``on_response_prepare``."""

    # -- mapping of per-request state ------------------------------------------------------------

    @overload
    def __getitem__(self, key: RequestKey[_T]) -> _T: ...

    @overload
    def __getitem__(self, key: str) -> Any: ...

    def __getitem__(self, key: str | RequestKey[_T]) -> Any:
        return self._state[key]

    @overload
    def __setitem__(self, key: RequestKey[_T], value: _T) -> None: ...

    @overload
    def __setitem__(self, key: str, value: Any) -> None: ...

    def __setitem__(self, key: str | RequestKey[_T], value: Any) -> None:
        if type(key) is not RequestKey:
            warn_str_key("request", key)
        self._state[key] = value

    def __delitem__(self, key: str | RequestKey[_T]) -> None:
        del self._state[key]

    def __len__(self) -> int:
        return len(self._state)

    def __iter__(self) -> Iterator[str | RequestKey[Any]]:
        return iter(self._state)

    def __repr__(self) -> str:
        path = self.path.encode("ascii", "backslashreplace").decode("ascii")  # as 3.x, and
        path = _CONTROL_RE.sub(lambda m: repr(m.group())[1:-1], path)  # no control characters
        return f"<{self.__class__.__name__} {self._message.method} {path} >"

    def __eq__(self, other: object) -> bool:
        return id(self) == id(other)

    def __hash__(self) -> int:
        return id(self)

    def __bool__(self) -> bool:
        return True


class Request(BaseRequest):
    """A request routed by an :class:`~aiohttp.web.Application`.

    Adds :attr:`match_info` (set by the router; a clone keeps it), :attr:`app` and
    :attr:`config_dict`.
    """

    #: The attributes a routed request has (:attr:`BaseRequest.ATTRS` and its match info).
    #:
    #: :meta hide-value:
    ATTRS = BaseRequest.ATTRS | frozenset({"_match_info"})
    _CLONED = ("_match_info",)

    _match_info: Any = None
    _needs_prepare_hook = True  # the application clears it when no app has a receiver

    if DEBUG:

        def __setattr__(self, name: str, value: Any) -> None:
            warn_custom_attribute(type(self).__name__, name, self.ATTRS)
            super().__setattr__(name, value)

    @property
    def match_info(self) -> Any:
        """What the router matched: the path's variable parts, the handler, the apps."""
        return self._match_info

    @property
    def app(self) -> Any:
        """The application handling this request."""
        match_info = self._match_info
        return None if match_info is None else match_info.current_app

    @property
    def config_dict(self) -> Any:
        """A read-only chain of the apps' mappings, innermost app first."""
        match_info = self._match_info
        if match_info is None:
            return ChainMapProxy([])
        lst = match_info.apps
        app = self.app
        idx = lst.index(app)
        return ChainMapProxy(reversed(lst[: idx + 1]))

    async def _prepare_hook(self, response: Any) -> None:
        match_info = self._match_info
        if match_info is None:
            return
        for app in match_info.apps:
            signal = app.on_response_prepare
            if signal:
                await signal.send(self, response)
