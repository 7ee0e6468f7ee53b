"""The options of one request: :class:`RequestArguments` as given, :class:`RequestOptions` resolved.

``session.request(method, url, **kwargs)`` binds ``kwargs`` to :class:`RequestArguments` (the
aiohttp 3.x keyword arguments, so a misspelt one is a ``TypeError`` naming it), then resolves
them against the session's defaults into one frozen :class:`RequestOptions`. Every step of the
request chain reads its settings from there, through ``request._options``; nothing downstream
looks at keyword dictionaries or back into the session.

:func:`build_request` makes the :class:`~aiohttp.client.request.ClientRequest` of one hop from
the options (the first hop here, later ones in :mod:`aiohttp.client.redirects`).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from multidict import CIMultiDict
from yarl import URL

from .._sansio.http1.events import HttpVersion
from .._sansio.limits import HttpLimits
from .auth import BasicAuth, warn_auth_arguments
from .cookiejar import request_cookies
from .headers import merge_headers
from .legacy import legacy_request_arguments
from .middlewares import ClientMiddlewareType
from .proxy import proxy_for
from .request import ClientRequest, http_version
from .retry import RetryPolicy
from .settings import NOT_GIVEN, SessionDefaults
from .timeouts import ClientTimeout
from .tls import check_setting, merge_ssl_params
from .tracing import Trace

if TYPE_CHECKING:
    from .session import ClientSession
    from .upload import UploadTracker

__all__ = ("RequestArguments", "RequestOptions", "build_request", "request_options")


@dataclasses.dataclass(slots=True, kw_only=True)
class RequestArguments:
    """The keyword arguments of ``session.request()``, as the caller gave them (3.x names)."""

    params: Any = None
    data: Any = None
    json: Any = None
    cookies: Any = None
    headers: Any = None
    skip_auto_headers: Any = None
    auth: BasicAuth | None = None
    allow_redirects: bool = True
    max_redirects: int = 10
    compress: str | bool | None = None
    chunked: bool | int | None = None
    expect100: bool = False
    raise_for_status: Any = None
    read_until_eof: bool = True
    proxy: str | URL | None = None
    proxy_auth: BasicAuth | None = None
    verify_ssl: bool | None = None
    fingerprint: bytes | None = None
    ssl_context: Any = None
    ssl: Any = True
    server_hostname: str | None = None
    proxy_headers: Mapping[str, str] | None = None
    read_bufsize: int | None = None
    auto_decompress: bool | None = None
    max_line_size: int | None = None
    max_field_size: int | None = None
    max_headers: int | None = None
    middlewares: Any = None
    upload_tracker: UploadTracker | None = None
    # Not in 3.x: this library's retry policy and decompression limits, and the HTTP version
    # of one request (the 0.x ``request(version=...)``).
    retry: RetryPolicy | Any | None = NOT_GIVEN
    max_decompressed_size: int | Any | None = NOT_GIVEN
    max_decompressed_read_size: int | Any | None = NOT_GIVEN
    version: HttpVersion | None = None


NO_ARGUMENTS = RequestArguments()
"""The arguments of a call that gives none (shared, so chains can tell such calls apart)."""


class RequestOptions(NamedTuple):
    """Everything one ``session.request()`` call runs with, resolved and immutable.

    Attributes:
        method: The method, upper-case.
        url: The absolute URL, query parameters added.
        traces: The request's traces (one per trace config).
        deadline: The loop time the total timeout runs out, or ``None``.
        timeout: The request's timeouts.
        session: The session.
        defaults: The session's defaults (proxy, auth, ``trust_env``).
        headers: The session's headers with the request's (not yet the automatic ones).
        data: The body argument (``json=`` already serialized).
        args: The arguments as given.
        ssl: The TLS setting (the deprecated spellings folded in).
        raise_for_status: The status check to run on the final response.
        limits: The response parser's limits.
        read_bufsize: The body stream's buffer size.
        auto_decompress: Whether bodies are decoded.
        max_decompressed_size: Cap on a decoded body however it is read.
        max_decompressed_read_size: Cap on a decoded body read whole.
        middlewares: The middlewares in force (the request's, else the session's).
        retry: The retry policy, if any.
        version: The HTTP version.
    """

    # What every call has of its own ...
    method: str
    url: URL
    traces: tuple[Trace, ...]
    deadline: float | None
    timeout: ClientTimeout
    # ... and what a call without arguments shares with every other (see _plain_tail).
    session: ClientSession
    defaults: SessionDefaults
    headers: CIMultiDict[str]
    data: Any
    args: RequestArguments
    ssl: Any
    raise_for_status: bool | Callable[[Any], Any]
    limits: HttpLimits
    read_bufsize: int
    auto_decompress: bool
    max_decompressed_size: int | None
    max_decompressed_read_size: int | None
    middlewares: tuple[ClientMiddlewareType, ...]
    retry: RetryPolicy | None
    version: HttpVersion


def request_options(
    session: ClientSession,
    method: str,
    url: URL,
    *,
    timeout: ClientTimeout,
    traces: tuple[Trace, ...],
    kwargs: dict[str, Any],
) -> RequestOptions:
    """Bind ``kwargs`` and resolve them against the session's defaults.

    Raises:
        TypeError: An argument ``session.request()`` does not take.
        ValueError: ``data`` and ``json`` together, or conflicting TLS arguments.
    """
    deadline = asyncio.get_running_loop().time() + timeout.total if timeout.total else None
    if kwargs:
        tuple_auth = legacy_request_arguments(kwargs)
        args = RequestArguments(**kwargs)
        if args.proxy_auth is not None or (args.auth is not None and not tuple_auth):
            # 3.14's warnings, pointing at the caller's ``async with session.get(...)``.
            warn_auth_arguments(None if tuple_auth else args.auth, args.proxy_auth, 4)
        if args.params:
            url = url.extend_query(args.params)
        own = (method.upper(), url, traces, deadline, timeout)
        return RequestOptions(*own, *_resolved(session, args))
    tail = session._plain_options_tail
    if tail is None:
        tail = session._plain_options_tail = _resolved(session, NO_ARGUMENTS)
    # A call without arguments: its own five fields, then the session's shared ones.
    return tuple.__new__(RequestOptions, (method.upper(), url, traces, deadline, timeout, *tail))


def _resolved(session: ClientSession, args: RequestArguments) -> tuple[Any, ...]:
    """The fields of :class:`RequestOptions` after its first five, for ``args``."""
    defaults = session._defaults
    return (
        session,
        defaults,
        _headers(defaults.headers, args),
        _data(session, args),
        args,
        _ssl(args),
        defaults.raise_for_status if args.raise_for_status is None else args.raise_for_status,
        _limits(defaults.limits, args),
        args.read_bufsize or defaults.read_bufsize,
        defaults.auto_decompress if args.auto_decompress is None else args.auto_decompress,
        _given(args.max_decompressed_size, defaults.max_decompressed_size),
        _given(args.max_decompressed_read_size, defaults.max_decompressed_read_size),
        defaults.middlewares if args.middlewares is None else tuple(args.middlewares),
        _given(args.retry, defaults.retry),
        defaults.version if args.version is None else http_version(args.version),
    )


def _given(value: Any, default: Any) -> Any:
    return default if value is NOT_GIVEN else value


def _headers(session_headers: CIMultiDict[str], args: RequestArguments) -> CIMultiDict[str]:
    headers = merge_headers(session_headers, args.headers) if args.headers else session_headers
    if args.json is not None and "Content-Type" not in headers:
        headers = CIMultiDict(headers)
        headers["Content-Type"] = "application/json"
    return headers


def _data(session: ClientSession, args: RequestArguments) -> Any:
    if args.json is None:
        return args.data
    if args.data is not None:
        raise ValueError("data and json parameters can not be used at the same time")
    to_bytes = session._json_serialize_bytes
    if to_bytes is not None:
        return to_bytes(args.json)
    return session.json_serialize(args.json).encode("utf-8")


def _ssl(args: RequestArguments) -> Any:
    if args.verify_ssl is None and args.ssl_context is None and args.fingerprint is None:
        check_setting(args.ssl)
        return args.ssl
    return merge_ssl_params(args.ssl, args.verify_ssl, args.ssl_context, args.fingerprint)


def _limits(limits: HttpLimits, args: RequestArguments) -> HttpLimits:
    if not (args.max_line_size or args.max_field_size or args.max_headers):
        return limits
    return dataclasses.replace(
        limits,
        max_status_line=args.max_line_size or limits.max_status_line,
        max_field_size=args.max_field_size or limits.max_field_size,
        max_fields=args.max_headers or limits.max_fields,
    )


def build_request(
    options: RequestOptions,
    *,
    method: str,
    url: URL,
    headers: CIMultiDict[str],
    data: Any,
    cookies: Any,
    auth: BasicAuth | None,
) -> ClientRequest:
    """The request of one hop: ``url`` with ``headers``, the body, and this hop's credentials.

    The proxy is chosen per hop: ``NO_PROXY`` and the environment's proxies depend on the host.
    """
    args = options.args
    session = options.session
    proxy, proxy_auth = proxy_for(url, args.proxy, args.proxy_auth, options.defaults)
    skip = options.defaults.skip_auto_headers
    if args.skip_auto_headers:
        skip = skip | {name.lower() for name in args.skip_auto_headers}
    req = session._request_class(
        method,
        url,
        headers=headers,
        skip_auto_headers=skip,
        data=data,
        cookies=request_cookies(session._cookie_jar, cookies, url),
        auth=auth,
        version=options.version,
        compress=args.compress,
        chunked=args.chunked,
        expect100=args.expect100,
        loop=session._loop,
        response_class=session._response_class,
        proxy=proxy,
        proxy_auth=proxy_auth,
        session=session,
        ssl=options.ssl,
        proxy_headers=args.proxy_headers,
        traces=list(options.traces),
        trust_env=options.defaults.trust_env,
        server_hostname=args.server_hostname,
    )
    req._options = options
    req._upload_tracker = args.upload_tracker
    return req
