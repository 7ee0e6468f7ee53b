"""What a :class:`~aiohttp.client.session.ClientSession` is configured with.

:func:`configure` checks the session's arguments and sets its attributes; among them
:class:`SessionDefaults`, the settings a session gives every request (a request's own arguments
are resolved against them in :mod:`aiohttp.client.options`). :class:`SessionSettings` gives the
session 3.x's read-only attributes over them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import warnings
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDict
from yarl import URL

from .._sansio.http1.events import HttpVersion
from .._sansio.limits import HttpLimits
from .auth import BasicAuth, warn_auth_arguments
from .deprecated import warn_loop_argument, warn_ssl_shutdown_timeout
from .exceptions import InvalidUrlClientError
from .headers import merge_headers
from .middlewares import ClientMiddlewareType
from .proxy import proxy_with_auth
from .request import http_version
from .retry import RetryPolicy
from .timeouts import DEFAULT_TIMEOUT, ClientTimeout
from .tracing import TraceConfig

if TYPE_CHECKING:
    from .connector import BaseConnector
    from .response import ClientResponse

__all__ = (
    "NOT_GIVEN",
    "SessionDefaults",
    "SessionSettings",
    "check_arguments",
    "configure",
    "frozen_trace_configs",
    "session_timeout",
    "starting_jar",
)


@dataclasses.dataclass(slots=True)
class SessionDefaults:
    """Session-wide request settings."""

    base_url: URL | None
    headers: CIMultiDict[str]
    skip_auto_headers: frozenset[str]
    auth: BasicAuth | None
    proxy: str | URL | None
    proxy_auth: BasicAuth | None
    version: HttpVersion
    timeout: ClientTimeout
    raise_for_status: bool | Callable[[ClientResponse], Awaitable[None]]
    auto_decompress: bool
    max_decompressed_size: int | None
    max_decompressed_read_size: int | None
    read_bufsize: int
    limits: HttpLimits
    trust_env: bool
    retry: RetryPolicy | None
    json_serialize: Callable[[Any], str]
    middlewares: tuple[ClientMiddlewareType, ...]


NOT_GIVEN: Any = object()
"""The default of arguments whose absence differs from ``None``.

:meta hide-value:
"""


def session_timeout(
    timeout: Any, read_timeout: Any, conn_timeout: Any, stacklevel: int = 3
) -> ClientTimeout:
    """The session's :class:`ClientTimeout`, from ``timeout`` or the deprecated 2.x arguments.

    Raises:
        ValueError: ``timeout`` is not a :class:`ClientTimeout` (a number, say), or is given
            with ``read_timeout`` or ``conn_timeout``.
    """
    if timeout is NOT_GIVEN or timeout is None:
        result = DEFAULT_TIMEOUT
        for name, given, field in (
            ("read_timeout", read_timeout is not NOT_GIVEN, "total"),
            ("conn_timeout", conn_timeout is not None, "connect"),
        ):
            if given:
                warnings.warn(
                    f"{name} is deprecated, use timeout argument instead",
                    DeprecationWarning,
                    stacklevel=stacklevel,
                )
                value = read_timeout if name == "read_timeout" else conn_timeout
                result = dataclasses.replace(result, **{field: value})
        return result
    if not isinstance(timeout, ClientTimeout):
        raise ValueError(
            f"timeout parameter cannot be of {type(timeout)} type, "
            "please use 'timeout=ClientTimeout(...)'"
        )
    if read_timeout is not NOT_GIVEN:
        raise ValueError("read_timeout and timeout parameters conflict, please setup timeout.read")
    if conn_timeout is not None:
        raise ValueError(
            "conn_timeout and timeout parameters conflict, please setup timeout.connect"
        )
    return timeout


def check_arguments(
    base_url: str | URL | None, loop: Any, auth: Any, proxy_auth: Any
) -> URL | None:
    """Validate :class:`ClientSession` arguments, warning for the deprecated ones; return the
    base URL.

    Raises:
        TypeError: ``auth`` is not a :class:`BasicAuth`.
        InvalidUrlClientError: ``base_url`` is not absolute.
        ValueError: ``base_url`` has a path that does not end in ``/`` (3.x).
    """
    warn_loop_argument(loop, "the session ('async with aiohttp.ClientSession()')", 4)
    warn_auth_arguments(auth, proxy_auth, 4)
    if auth is not None and not isinstance(auth, BasicAuth):
        raise TypeError("auth must be a BasicAuth instance")
    if base_url is None:
        return None
    url = URL(base_url)
    if not url.is_absolute():
        raise InvalidUrlClientError(url, "base_url must be absolute")
    if not url.raw_path.endswith("/"):  # "a" joined to ".../api" would replace "api"
        raise ValueError("base_url must have a trailing '/'")
    return url


def starting_jar(cookie_jar: Any, cookies: Any) -> Any:
    """The session's cookie jar (a new ``CookieJar`` unless given), holding ``cookies``."""
    if cookie_jar is None:
        from .cookiejar import CookieJar  # noqa: PLC0415 - avoids an import cycle at load time

        cookie_jar = CookieJar()
    if cookies:
        cookie_jar.update_cookies(cookies)
    return cookie_jar


def frozen_trace_configs(configs: Iterable[TraceConfig] | None) -> list[TraceConfig]:
    """The session's trace configs, frozen (their signals take no more receivers)."""
    frozen = list(configs or ())
    for config in frozen:
        config.freeze()
    return frozen


class SessionSettings:
    """The read-only attributes of a :class:`~aiohttp.ClientSession` (3.x's names), read from
    what :func:`configure` set."""

    _closed: bool
    _connector: BaseConnector | None
    _connector_owner: bool
    _cookie_jar: Any
    _defaults: SessionDefaults
    _loop: asyncio.AbstractEventLoop | None
    _requote_redirect_url: bool
    _trace_configs: list[TraceConfig]

    @property
    def closed(self) -> bool:
        """Whether the session is closed."""
        return self._closed or self._connector is None or self._connector.closed

    @property
    def connector(self) -> BaseConnector | None:
        """The connector."""
        return self._connector

    @property
    def cookie_jar(self) -> Any:
        """The cookie jar."""
        return self._cookie_jar

    @property
    def version(self) -> HttpVersion:
        """The HTTP version of requests."""
        return self._defaults.version

    @property
    def headers(self) -> CIMultiDict[str]:
        """The default headers."""
        return self._defaults.headers

    @property
    def skip_auto_headers(self) -> frozenset[str]:
        """Header names not added automatically."""
        return self._defaults.skip_auto_headers

    @property
    def auth(self) -> BasicAuth | None:
        """The default credentials."""
        return self._defaults.auth

    @property
    def timeout(self) -> ClientTimeout:
        """The default timeouts."""
        return self._defaults.timeout

    @property
    def json_serialize(self) -> Callable[[Any], str]:
        """The JSON serializer."""
        return self._defaults.json_serialize

    @property
    def connector_owner(self) -> bool:
        """Whether the connector closes with the session."""
        return self._connector_owner

    @property
    def raise_for_status(self) -> bool | Callable[[ClientResponse], Awaitable[None]]:
        """The default ``raise_for_status``."""
        return self._defaults.raise_for_status

    _raise_for_status = raise_for_status  # the 3.x attribute name mocking libraries read

    @property
    def requote_redirect_url(self) -> bool:
        """Accepted for compatibility: redirect targets are taken as the server sent them."""
        return self._requote_redirect_url

    @requote_redirect_url.setter
    def requote_redirect_url(self, value: bool) -> None:
        warnings.warn(
            "Modifying requote_redirect_url is deprecated; pass it to ClientSession()",
            DeprecationWarning,
            stacklevel=2,
        )
        self._requote_redirect_url = value

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        """Deprecated: the event loop the session was created in."""
        warnings.warn("ClientSession.loop is deprecated", DeprecationWarning, stacklevel=2)
        return self._loop

    @property
    def auto_decompress(self) -> bool:
        """Whether bodies are decoded."""
        return self._defaults.auto_decompress

    @property
    def trust_env(self) -> bool:
        """Whether proxies and credentials come from the environment."""
        return self._defaults.trust_env

    @property
    def trace_configs(self) -> list[TraceConfig]:
        """The trace configs."""
        return self._trace_configs


def configure(session: Any, arguments: dict[str, Any]) -> None:
    """Check :class:`~aiohttp.ClientSession`'s ``arguments`` (its ``__init__``'s, by name) and
    set the session's attributes from them: the connector, the jar, the classes, and the
    :class:`SessionDefaults` every request is resolved against.

    Raises:
        ValueError: A bad ``timeout`` (see :func:`session_timeout`).
        TypeError: ``auth`` is not a :class:`BasicAuth`.
        InvalidUrlClientError: ``base_url`` is not absolute.
        ValueError: ``base_url`` has a path that does not end in ``/`` (3.x).
    """
    a = arguments
    session._base_url = check_arguments(a["base_url"], a["loop"], a["auth"], a["proxy_auth"])
    if a["ssl_shutdown_timeout"] is not NOT_GIVEN:
        warn_ssl_shutdown_timeout(4)
    connector = a["connector"]
    if connector is None:
        from .connector import TCPConnector  # noqa: PLC0415 - avoids an import cycle

        connector = TCPConnector()
    session._connector = connector
    session._connector_owner = a["connector_owner"]
    session._cookie_jar = starting_jar(a["cookie_jar"], a["cookies"])
    session._defaults = _defaults(session._base_url, a)
    session._json_serialize_bytes = a["json_serialize_bytes"]
    session._chains = {}
    session._request_class = a["request_class"]
    session._response_class = a["response_class"]
    session._ws_response_class = a["ws_response_class"]
    session._trace_configs = frozen_trace_configs(a["trace_configs"])
    session._requote_redirect_url = a["requote_redirect_url"]
    session._resolve_charset = a["fallback_charset_resolver"]
    session._loop = a["loop"] if a["loop"] is not None else _running_loop()
    session._closed = False


def _defaults(base_url: URL | None, a: dict[str, Any]) -> SessionDefaults:
    proxy, proxy_auth = a["proxy"], a["proxy_auth"]
    if proxy is not None:
        try:
            proxy, proxy_auth = proxy_with_auth(proxy, proxy_auth)
        except InvalidUrlClientError:
            proxy = str(proxy)  # as in 3.x, refused by each request that would use it
    return SessionDefaults(
        base_url=base_url,
        headers=merge_headers(a["headers"]),
        skip_auto_headers=frozenset(h.lower() for h in a["skip_auto_headers"] or ()),
        auth=a["auth"],
        proxy=proxy,
        proxy_auth=proxy_auth,
        version=http_version(a["version"]),
        timeout=session_timeout(a["timeout"], a["read_timeout"], a["conn_timeout"], 5),
        raise_for_status=a["raise_for_status"],
        auto_decompress=a["auto_decompress"],
        max_decompressed_size=a["max_decompressed_size"],
        max_decompressed_read_size=a["max_decompressed_read_size"],
        read_bufsize=a["read_bufsize"],
        limits=HttpLimits(
            max_status_line=a["max_line_size"],
            max_field_size=a["max_field_size"],
            max_fields=a["max_headers"],
        ),
        trust_env=a["trust_env"],
        retry=a["retry"],
        json_serialize=a["json_serialize"],
        middlewares=tuple(a["middlewares"]),
    )


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
