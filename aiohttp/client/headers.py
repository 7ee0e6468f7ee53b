"""The header values of a request: automatic fields, Host, Cookie, merged header sources,
and the serialized head (remembered, since most heads are sent again unchanged)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from http.cookies import BaseCookie, Morsel
from typing import Any

from multidict import CIMultiDict, MultiDict
from yarl import URL

from .._sansio.http1 import serialize_request_head
from .._sansio.http1.events import HttpVersion

__all__ = (
    "ACCEPT_ENCODING",
    "AUTO_HEADERS",
    "USER_AGENT",
    "cookie_header",
    "host_header",
    "merge_headers",
    "serialized_head",
)

USER_AGENT = f"Python/{sys.version_info[0]}.{sys.version_info[1]} aiohttp/3.99.0"


def _accept_encoding() -> str:
    codings = ["gzip", "deflate"]
    for module, name in (("brotli", "br"), ("zstandard", "zstd")):
        try:
            __import__(module)
        except ImportError:
            continue
        codings.append(name)
    return ", ".join(codings)


ACCEPT_ENCODING = _accept_encoding()


AUTO_HEADERS = (
    ("Accept", "accept", "*/*"),
    ("Accept-Encoding", "accept-encoding", ACCEPT_ENCODING),
    ("User-Agent", "user-agent", USER_AGENT),
)
_HOST_CACHE: dict[tuple[str | None, int | None, str], str] = {}


def host_header(url: URL) -> str:
    """The Host field value for ``url`` (RFC 9110 §7.2), remembered per host and port."""
    key = (url.raw_host, url.port, url.scheme)
    value = _HOST_CACHE.get(key)
    if value is None:
        host = url.raw_host or ""
        if ":" in host:
            host = f"[{host}]"  # an IPv6 literal
        if not url.is_default_port():
            host = f"{host}:{url.port}"
        if len(_HOST_CACHE) > 1024:
            _HOST_CACHE.clear()
        value = _HOST_CACHE[key] = host
    return value


_HEAD_CACHE: dict[tuple[Any, ...], bytes] = {}
_HEAD_CACHE_SIZE = 512


def serialized_head(
    method: str, target: str, headers: CIMultiDict[str], version: HttpVersion
) -> bytes:
    """The serialized head, remembered for heads sent again unchanged (most of them).

    The serializer validates every field; a head that was valid once is valid again, so a
    repeat costs one dictionary lookup.

    Raises:
        ValueError: A field contains CR, LF or NUL (from the serializer).
    """
    key = (method, target, version, *headers.items())
    head = _HEAD_CACHE.get(key)
    if head is None:
        head = serialize_request_head(method, target, headers, version)
        if len(_HEAD_CACHE) >= _HEAD_CACHE_SIZE:
            _HEAD_CACHE.clear()
        _HEAD_CACHE[key] = head
    return head


def cookie_header(jar_cookies: BaseCookie[str] | None, extra: Any) -> str:
    """A ``Cookie`` value: the jar's cookies, then ``extra`` (a mapping, pairs or a
    ``BaseCookie``) replacing any of the same name."""
    pairs: dict[str, str] = {}
    if jar_cookies:
        for name, morsel in jar_cookies.items():
            pairs[name] = morsel.coded_value
    if extra:
        items = extra.items() if hasattr(extra, "items") else extra
        for name, value in items:
            pairs[name] = value.coded_value if isinstance(value, Morsel) else str(value)
    return "; ".join(f"{name}={value}" for name, value in pairs.items())


def merge_headers(
    *sources: Mapping[str, str] | Iterable[tuple[str, str]] | None,
) -> CIMultiDict[str]:
    """Merge header sources; a later source replaces every value of a name it sets."""
    merged: CIMultiDict[str] = CIMultiDict()
    for source in sources:
        if not source:
            continue
        items = MultiDict(source) if not isinstance(source, Mapping) else source
        fresh: CIMultiDict[str] = CIMultiDict()
        for name, value in items.items():
            fresh.add(name, value)
        for name in fresh:
            merged.popall(name, None)
        merged.extend(fresh)
    return merged
