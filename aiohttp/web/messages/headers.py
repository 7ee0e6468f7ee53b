"""Header fields that requests and responses read the same way.

- :class:`ConditionalHeadersMixin`: a request's ``If-*`` and ``Range`` fields, parsed;
- :class:`ETag` with :func:`parse_etag`, :func:`parse_etag_list` and :func:`format_etag`
  (RFC 9110 §8.8.3, §13.1.1);
- :func:`parse_last_modified` for HTTP-dates (RFC 9110 §5.6.7);
- :func:`parse_range` for ``Range: bytes=...`` (RFC 9110 §14.1.2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ..._sansio.dates import parse_http_date

__all__ = [
    "ETAG_ANY",
    "ConditionalHeadersMixin",
    "ETag",
    "format_etag",
    "parse_etag",
    "parse_etag_list",
    "parse_last_modified",
    "parse_range",
]


ETAG_ANY = "*"
# entity-tag = [ weak ] opaque-tag; opaque-tag = DQUOTE *etagc DQUOTE (RFC 9110 §8.8.3)
_ETAGC = r"[!#-}\x80-\xff]+"
_QUOTED_ETAG_RE = re.compile(rf'(W/)?"({_ETAGC})"')
_LIST_ITEM_RE = re.compile(rf'[ \t]*(?:(W/)?"({_ETAGC})"|(\*))[ \t]*(?:,|$)', re.ASCII)
_ETAG_VALUE_RE = re.compile(_ETAGC)
# Range: bytes=first-last / bytes=-suffix (one range; RFC 9110 §14.1.2)
_RANGE_RE = re.compile(r"bytes=([0-9]*)-([0-9]*)", re.IGNORECASE | re.ASCII)  # RFC 9110 §14.1


@dataclass(frozen=True)
class ETag:
    """An entity tag.

    Attributes:
        value: The opaque tag without quotes (``*`` for "any").
        is_weak: Whether it is a weak validator (``W/`` prefix).
    """

    value: str
    is_weak: bool = False


def format_etag(value: ETag | str) -> str:
    """Format an entity tag for the ``ETag`` field (a ``str`` is a strong tag).

    Raises:
        ValueError: The value holds characters an entity tag cannot carry.
    """
    if isinstance(value, ETag) and isinstance(value.value, str):
        weak, tag = value.is_weak, value.value
    elif isinstance(value, str):
        weak, tag = False, value
    else:
        raise ValueError(f"Unsupported etag type: {type(value)}. etag must be str, ETag or None")
    if tag == ETAG_ANY:
        return tag
    if _ETAG_VALUE_RE.fullmatch(tag) is None:
        raise ValueError(f"Value {tag!r} is not a valid etag. Maybe it contains '\"'?")
    return f'{"W/" if weak else ""}"{tag}"'


def parse_etag(value: str | None) -> ETag | None:
    """Parse one ``ETag`` field value; ``None`` when absent or malformed."""
    if value is None:
        return None
    if value == ETAG_ANY:  # what 3.x lets a response set
        return ETag(ETAG_ANY)
    match = _QUOTED_ETAG_RE.fullmatch(value.strip(" \t"))
    if match is None:
        return None
    return ETag(value=match.group(2), is_weak=bool(match.group(1)))


def parse_etag_list(value: str | None) -> tuple[ETag, ...] | None:
    """Parse ``If-Match``/``If-None-Match``: ``None`` when absent, ``()`` when malformed."""
    if value is None:
        return None
    tags: list[ETag] = []
    pos = 0
    while pos < len(value):
        match = _LIST_ITEM_RE.match(value, pos)
        if match is None or match.end() == pos:
            return tuple(tags)
        if match.group(3):
            tags.append(ETag(value=ETAG_ANY))
        else:
            tags.append(ETag(value=match.group(2), is_weak=bool(match.group(1))))
        pos = match.end()
    return tuple(tags)


def parse_last_modified(value: str | None) -> datetime | None:
    """Parse an HTTP-date field value; ``None`` when absent or malformed."""
    return parse_http_date(value)


def parse_range(value: str | None) -> slice:
    """Parse a single byte range into a :class:`slice` of step 1, as 3.x (``slice(None, None,
    1)``: no range).

    ``bytes=0-99`` gives ``slice(0, 100, 1)``, ``bytes=100-`` ``slice(100, None, 1)``, and the
    suffix form ``bytes=-100`` ``slice(-100, None, 1)``.

    Raises:
        ValueError: The field is malformed, or last < first.
    """
    if value is None:
        return slice(None, None, 1)
    match = _RANGE_RE.fullmatch(value.strip(" \t"))
    if match is None:
        raise ValueError("range not in acceptable format")
    first, last = match.groups()
    if not first and not last:
        raise ValueError("No start or end of range specified")
    if not first:
        return slice(-int(last), None, 1)
    start = int(first)
    if not last:
        return slice(start, None, 1)
    end = int(last) + 1
    if start >= end:
        raise ValueError("start cannot be after end")
    return slice(start, end, 1)


class ConditionalHeadersMixin:
    """A request's ``If-*`` preconditions and ``Range`` (RFC 9110 §13.1, §14.2), parsed."""

    _headers: Mapping[str, str]

    @property
    def if_modified_since(self) -> datetime | None:
        """``If-Modified-Since`` as an aware datetime (``None`` when absent or invalid)."""
        return parse_last_modified(self._headers.get("If-Modified-Since"))

    @property
    def if_unmodified_since(self) -> datetime | None:
        """``If-Unmodified-Since`` as an aware datetime."""
        return parse_last_modified(self._headers.get("If-Unmodified-Since"))

    @property
    def if_range(self) -> datetime | None:
        """``If-Range`` as an aware datetime (``None`` for an entity tag or when absent)."""
        return parse_last_modified(self._headers.get("If-Range"))

    @property
    def if_match(self) -> tuple[ETag, ...] | None:
        """The entity tags of ``If-Match`` (``ETag("*")`` for the wildcard)."""
        return parse_etag_list(self._headers.get("If-Match"))

    @property
    def if_none_match(self) -> tuple[ETag, ...] | None:
        """The entity tags of ``If-None-Match``."""
        return parse_etag_list(self._headers.get("If-None-Match"))

    @property
    def http_range(self) -> slice:
        """The single byte range of ``Range`` as a slice.

        Raises:
            ValueError: The field is malformed.
        """
        return parse_range(self._headers.get("Range"))
