"""Following redirects (RFC 9110 §15.4): which method, which URL, which headers survive.

=========== ============================================ ===========================
status      method and body on the next request          section
=========== ============================================ ===========================
301, 302    GET without a body (HEAD stays HEAD)         RFC 9110 §15.4.2, §15.4.3
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

from typing import NamedTuple

from multidict import CIMultiDict
from yarl import URL

from .exceptions import InvalidUrlRedirectClientError, NonHttpUrlRedirectClientError

__all__ = ("REDIRECT_STATUSES", "Hop", "next_hop", "same_origin")

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CREDENTIAL_HEADERS = ("Authorization", "Cookie", "Proxy-Authorization")


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
    except ValueError as exc:
        raise InvalidUrlRedirectClientError(
            location, "Server attempted redirecting to an invalid location"
        ) from exc
    if target.scheme:
        if target.scheme not in ("http", "https"):
            raise NonHttpUrlRedirectClientError(location)
        if not target.raw_host:
            raise InvalidUrlRedirectClientError(location, "Redirect location has no host")
    else:
        target = url.join(target)
    if not target.raw_host:
        raise InvalidUrlRedirectClientError(location, "Redirect location has no host")
    if url.raw_fragment and not target.raw_fragment:
        target = target.with_fragment(url.raw_fragment)  # RFC 9110 §10.2.2
    if status in (307, 308) or method == "HEAD":
        new_method, keep_body = method, status in (307, 308)
    else:
        new_method, keep_body = "GET", False
    return Hop(new_method, target, keep_body, same_origin(url, target))


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
