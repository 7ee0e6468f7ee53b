"""The header values of a request: automatic fields, Host, Cookie, merged header sources,
and the serialized head (remembered, since most heads are sent again unchanged)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from http.cookies import Morsel, SimpleCookie
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
    """The Host field value for ``url`` (RFC 9110 §7.2), remembered per host and port; the
    trailing dot of an absolute domain name is left out."""
    key = (url.raw_host, url.port, url.scheme)
    value = _HOST_CACHE.get(key)
    if value is None:
        host = url.raw_host or ""
        # An IPv6 literal goes in brackets; "example.com." names the same host as
        # "example.com", and virtual hosts are set up without the dot (3.x sends none).
        host = f"[{host}]" if ":" in host else host.rstrip(".")
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


def cookie_header(existing: str | None, cookies: Any) -> str:
    """A ``Cookie`` value, as aiohttp 3.x writes it: the pairs of the ``existing`` value, with
    ``cookies`` (a mapping, pairs, a ``BaseCookie`` or a ``Cookie`` value) replacing those of the
    same name, sorted by name.

    Values are sent as coded: a ``Morsel`` keeps its ``coded_value``, a ``str`` is quoted when it
    is not plain cookie-octets (RFC 6265 §4.1.1), as :class:`http.cookies.SimpleCookie` does.
    """
    pairs: dict[str, str] = dict(_raw_pairs(existing)) if existing else {}
    if isinstance(cookies, str):
        pairs.update(_raw_pairs(cookies))
    else:
        items = cookies.items() if hasattr(cookies, "items") else cookies
        for name, value in items:
            if isinstance(value, Morsel):
                pairs[name] = value.coded_value
            else:
                pairs[name] = _CODEC.value_encode(value)[1]
    return "; ".join(f"{name}={pairs[name]}" for name in sorted(pairs))


_CODEC = SimpleCookie()


def _raw_pairs(header: str) -> list[tuple[str, str]]:
    """The ``name=value`` pairs of a ``Cookie`` value, values as written (still coded)."""
    pairs = []
    for piece in header.split(";"):
        name, sep, value = piece.partition("=")
        name = name.strip(" \t")
        if sep and name:
            pairs.append((name, value.strip(" \t")))
    return pairs


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
