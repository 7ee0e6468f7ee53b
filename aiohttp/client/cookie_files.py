"""The file a :class:`~aiohttp.CookieJar` saves and loads: aiohttp 3.x's JSON layout.

::

    {"<domain>|<path less its last />": {"<name>": {"key": ..., "value": ..., "coded_value": ...,
                                    "path": ..., "domain": ..., "secure": true, ...,
                                    "host_only": true, "expires_timestamp": 1767225600.0}}}

Attributes are written only when set; ``expires_timestamp`` is the absolute expiry (seconds
since the epoch), ``host_only`` marks a cookie sent only to the host that set it. A domain of
``""`` holds the cookies shared by every host. Files in the earlier layout of this package (a
JSON list of cookies) load too. Pickles (what aiohttp before 3.13 wrote) are never loaded: a
pickle runs code when read.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import fields
from http.cookies import SimpleCookie
from typing import Any

from .._sansio.cookies import StoredCookie

__all__ = ("dump_cookies", "load_cookies")

_CODEC = SimpleCookie()
_STORED_FIELDS = frozenset(f.name for f in fields(StoredCookie)) - {"last_access_time"}


def dump_cookies(cookies: Iterable[StoredCookie]) -> dict[str, dict[str, dict[str, Any]]]:
    """The cookies in 3.x's layout, ready for :func:`json.dump`."""
    data: dict[str, dict[str, dict[str, Any]]] = {}
    for cookie in cookies:
        record: dict[str, Any] = {
            "key": cookie.name,
            "value": _CODEC.value_decode(cookie.value)[0],
            "coded_value": cookie.value,
            "path": cookie.path,
            "domain": cookie.domain,
        }
        flags = (
            ("secure", cookie.secure),
            ("httponly", cookie.http_only),
            ("samesite", cookie.same_site),
            ("partitioned", cookie.partitioned),
        )
        record.update((name, value) for name, value in flags if value)
        if cookie.host_only and cookie.domain:
            record["host_only"] = True
        if cookie.expiry is not None and math.isfinite(cookie.expiry):
            record["expires_timestamp"] = cookie.expiry
        group = f"{cookie.domain}|{cookie.path.rstrip('/')}"  # 3.x's key: "/x/" is "/x"
        data.setdefault(group, {})[cookie.name] = record
    return data


def load_cookies(data: Any, now: float) -> list[StoredCookie]:
    """The cookies of a saved file's JSON, as 3.x or the earlier layout wrote them.

    Raises:
        ValueError: ``data`` is in neither layout.
    """
    try:
        if isinstance(data, list):  # the earlier layout: the store's own fields
            return [_from_fields(item, now) for item in data]
        return [
            _from_record(group, name, record, now)
            for group, records in data.items()
            for name, record in records.items()
        ]
    except (AttributeError, KeyError, OverflowError, TypeError, ValueError) as exc:
        raise ValueError("not a saved cookie jar") from exc


def _from_fields(item: dict[str, Any], now: float) -> StoredCookie:
    if not _STORED_FIELDS.issuperset(item):
        raise ValueError(f"unknown fields {sorted(set(item) - _STORED_FIELDS)}")
    return StoredCookie(**item, last_access_time=now)


def _from_record(group: str, name: str, record: dict[str, Any], now: float) -> StoredCookie:
    domain, separator, path = group.partition("|")
    if not separator:
        raise ValueError(f"{group!r} is not 'domain|path'")
    expiry = record.get("expires_timestamp")
    if expiry is not None:
        expiry = float(expiry)
        if not math.isfinite(expiry):
            raise ValueError("the expiry must be a finite number")
    return StoredCookie(
        str(name),
        str(record["coded_value"]),
        domain,
        str(record.get("path") or path or "/"),
        expiry,
        host_only=bool(record.get("host_only")) and bool(domain),
        secure=bool(record.get("secure")),
        http_only=bool(record.get("httponly")),
        same_site=str(record["samesite"]) if record.get("samesite") else None,
        partitioned=bool(record.get("partitioned")),
        creation_time=now,
        last_access_time=now,
    )
