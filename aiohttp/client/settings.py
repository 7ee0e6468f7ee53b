"""What a :class:`~aiohttp.client.session.ClientSession` is configured with.

:class:`SessionDefaults` holds the settings a session gives every request (a request's own
arguments are resolved against them in :mod:`aiohttp.client.options`); the functions here check
the session's arguments.
"""

from __future__ import annotations

import dataclasses
import sys
import warnings
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDict
from yarl import URL

from .._sansio.http1.events import HttpVersion
from .._sansio.limits import HttpLimits
from .auth import BasicAuth, warn_auth_arguments
from .deprecated import warn_loop_argument
from .exceptions import InvalidUrlClientError
from .middlewares import ClientMiddlewareType
from .retry import RetryPolicy
from .timeouts import DEFAULT_TIMEOUT, ClientTimeout
from .tracing import TraceConfig

if TYPE_CHECKING:
    from .response import ClientResponse

__all__ = (
    "NOT_GIVEN",
    "SessionDefaults",
    "caller_location",
    "check_arguments",
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
    proxy: URL | None
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


def session_timeout(timeout: Any, read_timeout: Any, conn_timeout: Any) -> ClientTimeout:
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
                    stacklevel=3,
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
    """
    warn_loop_argument(loop, "the session ('async with aiohttp.ClientSession()')", 3)
    warn_auth_arguments(auth, proxy_auth, 3)
    if auth is not None and not isinstance(auth, BasicAuth):
        raise TypeError("auth must be a BasicAuth instance")
    if base_url is None:
        return None
    url = URL(base_url)
    if not url.is_absolute():
        raise InvalidUrlClientError(url, "base_url must be absolute")
    return url


def caller_location(depth: int = 2) -> str:
    """``file:line`` of the code ``depth`` frames up (where an unclosed session was made)."""
    frame = sys._getframe(depth)
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


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
