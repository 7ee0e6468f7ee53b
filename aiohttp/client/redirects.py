"""Following redirects (RFC 9110 §15.4): which method, which URL, which headers survive.

=========== ============================================ ===========================
status      method and body on the next request          section
=========== ============================================ ===========================
301, 302    POST becomes GET without a body; any other   RFC 9110 §15.4.2, §15.4.3
            method is kept, with its body
303         GET without a body (HEAD stays HEAD)         RFC 9110 §15.4.4
307, 308    same method, same body (if it can be resent) RFC 9110 §15.4.8, §15.4.9
=========== ============================================ ===========================

``Location`` may be relative (RFC 9110 §10.2.2); it is resolved against the response's URL.
A redirect to anything but http or https is refused (``file:``, ``ftp:``, ``data:``...).
When the origin changes, ``Authorization``, ``Cookie`` and ``Proxy-Authorization`` set by the
caller are dropped, so credentials never follow a redirect to another host (the cookie jar
still adds the cookies that belong to the new origin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from multidict import CIMultiDict
from yarl import URL

from .auth import split_userinfo
from .exceptions import (
    ClientError,
    ClientPayloadError,
    InvalidUrlRedirectClientError,
    NonHttpUrlRedirectClientError,
    TooManyRedirects,
)
from .options import build_request
from .tracing import TraceRequestRedirectParams, send_all

if TYPE_CHECKING:
    from .middlewares import ClientHandlerType
    from .request import ClientRequest
    from .response import ClientResponse

__all__ = (
    "REDIRECT_STATUSES",
    "Hop",
    "has_no_authority",
    "next_hop",
    "redirect_step",
    "same_origin",
)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CREDENTIAL_HEADERS = ("Authorization", "Cookie", "Proxy-Authorization")
_NO_ORIGIN = "Invalid redirect URL origin"  # 3.x's message for a location without a host


class Hop(NamedTuple):
    """The next request of a redirect chain.

    Attributes:
        method: The method to use.
        url: The absolute URL to request.
        keep_body: Whether the original body is sent again.
        same_origin: Whether the origin is unchanged (credentials kept).
    """

    method: str
    url: URL
    keep_body: bool
    same_origin: bool


def same_origin(a: URL, b: URL) -> bool:
    """Whether two URLs share scheme, host and port (RFC 6454 §4)."""
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def next_hop(status: int, method: str, url: URL, location: str) -> Hop:
    """Where a redirect response sends the client.

    Args:
        status: The redirect status (one of :data:`REDIRECT_STATUSES`).
        method: The method of the request that was redirected.
        url: The URL of the response.
        location: The ``Location`` header value.

    Raises:
        InvalidUrlRedirectClientError: ``Location`` is not a valid URL.
        NonHttpUrlRedirectClientError: ``Location`` points outside http and https.
    """
    try:
        target = URL(location, encoded=not _needs_quoting(location))
        target.port  # noqa: B018 - yarl reads (and checks) the port only when asked
    except ValueError as exc:
        raise InvalidUrlRedirectClientError(
            location, "Server attempted redirecting to a location that does not look like a URL"
        ) from exc
    if target.scheme and not (
        target.scheme == url.scheme and has_no_authority(location, target.scheme)
    ):
        if target.scheme not in ("http", "https"):
            raise NonHttpUrlRedirectClientError(location)
        if not target.raw_host:
            raise InvalidUrlRedirectClientError(location, _NO_ORIGIN)
    else:  # relative, or "http:/path" read as relative (RFC 3986 §5.2.2, non-strict)
        target = url.join(target)
    if not target.raw_host:
        raise InvalidUrlRedirectClientError(location, _NO_ORIGIN)
    if url.raw_fragment and not target.raw_fragment:
        target = target.with_fragment(url.raw_fragment)  # RFC 9110 §10.2.2
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        new_method, keep_body = "GET", False
    else:
        new_method, keep_body = method, status != 303
    return Hop(new_method, target, keep_body, same_origin(url, target))


_IGNORED_AROUND = "".join(map(chr, range(0x21)))  # C0 controls and space
_IGNORED_INSIDE = str.maketrans("", "", "\t\n\r")


def has_no_authority(location: str, scheme: str) -> bool:
    """Whether ``location``, which starts with ``scheme:``, lacks the ``//`` that opens an
    authority (RFC 3986 §3.2), read as browsers read it: leading and trailing C0 controls and
    spaces dropped, tabs and newlines dropped, a backslash taken for a slash."""
    cleaned = location.strip(_IGNORED_AROUND).translate(_IGNORED_INSIDE)
    after = cleaned[len(scheme) + 1 : len(scheme) + 3]
    return len(after) < 2 or any(char not in "/\\" for char in after)


def _needs_quoting(location: str) -> bool:
    return any(ord(ch) > 126 or ch in ' "<>\\^`{|}' for ch in location)


def redirect_headers(headers: CIMultiDict[str], hop: Hop) -> CIMultiDict[str]:
    """The caller's headers for the next hop: credentials go only to the same origin."""
    kept = CIMultiDict(headers)
    if not hop.same_origin:
        for name in _CREDENTIAL_HEADERS:
            kept.popall(name, None)
    if not hop.keep_body:
        for name in ("Content-Type", "Content-Length", "Content-Encoding", "Transfer-Encoding"):
            kept.popall(name, None)
    return kept


async def redirect_step(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    """The chain's redirect step: follow the redirect chain; the final response carries the
    responses before it in ``history``.

    Each hop is a new request built from the options, with the caller's headers less what must
    not follow the redirect (see :func:`redirect_headers`); the explicit ``cookies`` and
    ``auth`` of the request go to its origin only.

    Raises:
        TooManyRedirects: More than ``max_redirects`` redirects.
        NonHttpUrlRedirectClientError: A redirect outside http and https.
        InvalidUrlRedirectClientError: A redirect to something that is not a URL.
        ClientPayloadError: A redirect that keeps the body, when the body cannot be sent again
            (a generator or other one-shot stream).
    """
    resp = await handler(req)
    if resp.status not in REDIRECT_STATUSES:
        return resp
    return await _follow(req, handler, resp)


async def _follow(
    req: ClientRequest, handler: ClientHandlerType, resp: ClientResponse
) -> ClientResponse:
    options = req._options
    args = options.args
    headers, data, cookies, auth = options.headers, options.data, args.cookies, args.auth
    history: list[ClientResponse] = []
    while resp.status in REDIRECT_STATUSES:
        location = resp.headers.get("Location") or resp.headers.get("URI")
        if location is None:
            break
        if options.traces:
            params = TraceRequestRedirectParams(req.method, req.url, req.headers, resp)
            await send_all(options.traces, "request_redirect", params)
        history.append(resp)
        _check_chain_length(history, args.max_redirects)
        try:
            hop = next_hop(resp.status, req.method, resp.url, location)
        except ClientError:
            resp.close()
            raise
        if hop.keep_body and not req.body.rewind():
            resp.close()
            raise ClientPayloadError("Cannot follow redirect with a consumed request body")
        _discard(resp)
        headers = redirect_headers(headers, hop)
        if not hop.same_origin:
            cookies, auth = None, None
        url, url_auth = split_userinfo(hop.url)
        if url_auth is not None:  # the redirect's own credentials win (3.x)
            auth = url_auth
        # The same payload goes again (it rewinds itself): a new one made from a file
        # object would start where the first send left the file, at its end.
        data = (req.body.payload or data) if hop.keep_body else None
        req = build_request(
            options,
            method=hop.method,
            url=url,
            headers=headers,
            data=data,
            cookies=cookies,
            auth=auth,
        )
        resp = await handler(req)
    resp._history = tuple(history)
    return resp


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
