"""One call of ``session.request(...)``: options, redirects, retries, tracing, status checks.

:class:`RequestFlow` takes the keyword arguments of :meth:`ClientSession.request`, builds a
:class:`~aiohttp.client.request.ClientRequest` for each hop of the redirect chain, and hands
each to :func:`~aiohttp.client.exchange.exchange`.
"""

from __future__ import annotations

import asyncio
import warnings
from http.cookies import BaseCookie, Morsel
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDict
from yarl import URL

from .auth import BasicAuth
from .body import encode_body
from .exceptions import ClientError, TooManyRedirects
from .exchange import exchange
from .legacy import legacy_request_arguments
from .redirects import REDIRECT_STATUSES, next_hop, redirect_headers
from .request import ClientRequest, merge_headers
from .retry import RetryPolicy, run_with_retries
from .timeouts import ClientTimeout
from .tls import Fingerprint
from .tracing import (
    Trace,
    TraceRequestEndParams,
    TraceRequestExceptionParams,
    TraceRequestRedirectParams,
    TraceRequestStartParams,
    send_all,
)

if TYPE_CHECKING:
    from .response import ClientResponse
    from .session import ClientSession

__all__ = ("RequestFlow",)

_EXCHANGE_KEYS = frozenset(
    {
        "read_until_eof",
        "read_bufsize",
        "auto_decompress",
        "max_line_size",
        "max_field_size",
        "max_headers",
        "max_decompressed_size",
        "max_decompressed_read_size",
    }
)
_REQUEST_KEYS = frozenset(
    {
        "params",
        "data",
        "json",
        "cookies",
        "headers",
        "skip_auto_headers",
        "auth",
        "allow_redirects",
        "max_redirects",
        "compress",
        "chunked",
        "expect100",
        "raise_for_status",
        "proxy",
        "proxy_auth",
        "ssl",
        "server_hostname",
        "proxy_headers",
        "retry",
        "verify_ssl",
        "fingerprint",
        "ssl_context",
        "encoding",
        "version",
    }
)
_KNOWN_KEYS = _EXCHANGE_KEYS | _REQUEST_KEYS
_DEPRECATED_SSL = frozenset({"verify_ssl", "fingerprint", "ssl_context"})


def _ssl_setting(kwargs: dict[str, Any]) -> Any:
    """The ``ssl=`` value, mapping the deprecated ``verify_ssl``/``fingerprint``/``ssl_context``."""
    ssl = kwargs.pop("ssl", True)
    if _DEPRECATED_SSL.isdisjoint(kwargs):
        return ssl
    replacements = {
        "verify_ssl": "ssl=False",
        "fingerprint": "ssl=aiohttp.Fingerprint(...)",
        "ssl_context": "ssl=<SSLContext>",
    }
    for name, modern in replacements.items():
        value = kwargs.pop(name, None)
        if value is None:
            continue
        warnings.warn(f"{name} is deprecated, use {modern}", DeprecationWarning, stacklevel=5)
        if name == "verify_ssl" and not value:
            ssl = False
        elif name == "fingerprint":
            ssl = Fingerprint(value)
        elif name == "ssl_context":
            ssl = value
    return ssl


def _cookie_header(jar_cookies: BaseCookie[str] | None, extra: Any) -> str | None:
    pairs: dict[str, str] = {}
    if jar_cookies:
        for name, morsel in jar_cookies.items():
            pairs[name] = morsel.coded_value
    if extra:
        items = extra.items() if hasattr(extra, "items") else extra
        for name, value in items:
            pairs[name] = value.coded_value if isinstance(value, Morsel) else str(value)
    if not pairs:
        return None
    return "; ".join(f"{name}={value}" for name, value in pairs.items())


class RequestFlow:
    """The life of one ``session.request(...)`` call.

    Args:
        session: The session.
        method: The method (upper-case).
        url: The absolute URL.
        kwargs: The request's keyword arguments.
        timeout: The request's timeouts.
        when: The loop time the total budget runs out, or ``None``.
        traces: The request's traces.

    Raises:
        TypeError: For an unknown keyword argument.
    """

    def __init__(
        self,
        session: ClientSession,
        *,
        method: str,
        url: URL,
        kwargs: dict[str, Any],
        timeout: ClientTimeout,
        when: float | None,
        traces: list[Trace],
    ) -> None:
        if kwargs:
            legacy_request_arguments(kwargs)
        if kwargs and not _KNOWN_KEYS.issuperset(kwargs):
            unknown = sorted(set(kwargs) - _KNOWN_KEYS)
            raise TypeError(f"request() got unexpected keyword arguments: {unknown}")
        self.session = session
        self.method = method
        params = kwargs.get("params")
        self.url = url.extend_query(params) if params else url
        self.traces = traces
        self.timeout = timeout
        self.when = when
        self.ssl = _ssl_setting(kwargs) if kwargs else True
        kwargs.pop("encoding", None)
        self.kw = kwargs
        if kwargs.get("json") is not None:
            if kwargs.get("data") is not None:
                raise ValueError("data and json parameters can not be used at the same time")
            text = session.json_serialize(kwargs.pop("json"))
            kwargs["data"] = text.encode("utf-8")
            self._json = True
        else:
            kwargs.pop("json", None)
            self._json = False
        extra = kwargs.get("headers")
        self.headers = merge_headers(session.headers, extra) if extra else session.headers
        if self._json and "Content-Type" not in self.headers:
            self.headers = CIMultiDict(self.headers)
            self.headers["Content-Type"] = "application/json"
        exchange_kw = {k: kwargs[k] for k in _EXCHANGE_KEYS if k in kwargs} if kwargs else {}
        self.options = session._exchange_options(timeout, **exchange_kw)
        self._expect100: bool = kwargs.get("expect100", False)
        retry = kwargs.get("retry", session._defaults.retry)
        self.retry: RetryPolicy | None = retry

    async def run(self) -> ClientResponse:
        """Send the request, following redirects and retrying as configured."""
        traces = self.traces
        if traces:
            await send_all(
                traces,
                "request_start",
                TraceRequestStartParams(self.method, self.url, self.headers),
            )
        if not traces and self.retry is None:
            resp = await self._follow()
            if self.kw.get("raise_for_status", self.session._defaults.raise_for_status):
                await self._check_status(resp)
            return resp
        try:
            resp = await self._attempts()
            await self._check_status(resp)
        except ClientError as exc:
            if traces:
                await send_all(
                    traces,
                    "request_exception",
                    TraceRequestExceptionParams(self.method, self.url, self.headers, exc),
                )
            raise
        if traces:
            await send_all(
                traces,
                "request_end",
                TraceRequestEndParams(self.method, self.url, self.headers, resp),
            )
        return resp

    async def _attempts(self) -> ClientResponse:
        policy = self.retry
        if policy is None:
            return await self._follow()
        return await run_with_retries(
            policy,
            self._follow,
            method=self.method,
            url=self.url,
            can_resend=self._can_resend,
            remaining=self._remaining,
            traces=self.traces,
        )

    def _can_resend(self) -> bool:
        data = self.kw.get("data")
        return data is None or encode_body(data).resendable

    def _remaining(self) -> float | None:
        if self.when is None:
            return None
        return self.when - asyncio.get_running_loop().time()

    async def _check_status(self, resp: ClientResponse) -> None:
        check = self.kw.get("raise_for_status")
        if check is None:
            check = self.session.raise_for_status
        if check is True:
            resp.raise_for_status()
        elif callable(check):
            await check(resp)

    def _build(
        self,
        *,
        method: str,
        url: URL,
        data: Any,
        headers: CIMultiDict[str],
        auth: BasicAuth | None,
        cookies: Any,
    ) -> ClientRequest:
        session = self.session
        kw = self.kw
        proxy, proxy_auth = session._proxy_for(url, kw.get("proxy"), kw.get("proxy_auth"))
        jar = session.cookie_jar
        cookie_value = _cookie_header(jar.filter_cookies(url), cookies)
        if auth is None and "Authorization" not in headers:
            auth = session.auth or BasicAuth.from_url(url) or session._env_auth(url)
        req_headers = headers
        extra_skip = kw.get("skip_auto_headers")
        skip = session.skip_auto_headers
        if extra_skip:
            skip = skip | {name.lower() for name in extra_skip}
        return session._request_class(
            method,
            url,
            headers=req_headers,
            skip_auto_headers=skip,
            data=data,
            cookies=cookie_value,
            auth=auth,
            version=kw.get("version", session.version),
            compress=kw.get("compress"),
            chunked=kw.get("chunked"),
            expect100=self._expect100,
            proxy=proxy,
            proxy_auth=proxy_auth,
            proxy_headers=kw.get("proxy_headers"),
            ssl=self.ssl,
            server_hostname=kw.get("server_hostname"),
        )

    async def _follow(self) -> ClientResponse:
        """Send the request and follow redirects; the response carries the chain in ``history``."""
        kw = self.kw
        method, url, data = self.method, self.url, kw.get("data")
        headers, auth, cookies = self.headers, kw.get("auth"), kw.get("cookies")
        if auth is not None and not isinstance(auth, BasicAuth):
            raise TypeError("auth must be a BasicAuth instance")
        allow = kw.get("allow_redirects", True)
        max_redirects = kw.get("max_redirects", 10)
        history: list[ClientResponse] = []
        connector = self.session.connector
        if connector is None:
            raise RuntimeError("Session is closed")
        while True:
            req = self._build(
                method=method, url=url, data=data, headers=headers, auth=auth, cookies=cookies
            )
            resp = await exchange(connector, req, self.traces, self.options, self.when)
            if resp.status == 417 and req.expect100 and not req.continued and req.body.rewind():
                # RFC 9110 §10.1.1: repeat the request without the expectation.
                _discard(resp)
                self._expect100 = False
                headers = CIMultiDict(headers)
                headers.popall("Expect", None)
                continue
            self._store_cookies(resp)
            location = resp.headers.get("Location") or resp.headers.get("URI")
            if not allow or resp.status not in REDIRECT_STATUSES or location is None:
                break
            if self.traces:
                await send_all(
                    self.traces,
                    "request_redirect",
                    TraceRequestRedirectParams(method, url, req.headers, resp),
                )
            history.append(resp)
            _check_chain_length(history, max_redirects)
            try:
                hop = next_hop(resp.status, method, resp.url, location)
            except ClientError:
                resp.close()
                raise
            if hop.keep_body and not req.body.rewind():
                history.pop()
                break  # the body cannot be sent again: hand the redirect to the caller
            _discard(resp)
            headers = redirect_headers(headers, hop)
            if not hop.same_origin:
                auth, cookies = None, None
            method, url = hop.method, hop.url
            data = data if hop.keep_body else None
        resp._history = tuple(history)
        return resp

    def _store_cookies(self, resp: ClientResponse) -> None:
        if "Set-Cookie" not in resp.headers:
            return
        jar = self.session.cookie_jar
        from_headers = getattr(jar, "update_cookies_from_headers", None)
        if from_headers is not None:
            from_headers(resp.headers.getall("Set-Cookie"), resp.url)
        else:
            jar.update_cookies(resp.cookies, resp.url)


def _check_chain_length(history: list[ClientResponse], max_redirects: int) -> None:
    """Raise :class:`TooManyRedirects` once the chain is ``max_redirects`` long (0: no cap)."""
    if max_redirects and len(history) >= max_redirects:
        resp = history[-1]
        resp.close()
        raise TooManyRedirects(
            history[0].request_info,
            tuple(history),
            status=resp.status,
            message="Too many redirects",
            headers=resp.headers,
        )


def _discard(resp: ClientResponse) -> None:
    """Let go of a redirect response: its connection is pooled if the body already ended."""
    if resp.content is not None and resp.content.is_eof():
        resp.release()
    else:
        resp.close()
