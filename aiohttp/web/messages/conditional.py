"""Range requests and preconditions for static representations (RFC 9110 §13 and §14).

Pure functions over header values, used by :class:`~aiohttp.web.FileResponse`:

* :func:`parse_range` reads ``Range: bytes=...`` into satisfiable ``(start, end)`` pairs (end
  exclusive), merging overlaps (§14.1.2 lets a server coalesce them) and ignoring a header with
  more than :data:`MAX_RANGES` ranges (as Apache's ``MaxRanges`` does);
* :func:`parse_etags` and :func:`etag_matches` read ``If-Match``/``If-None-Match`` lists with the
  strong and weak comparisons of §8.8.3.2;
* :func:`evaluate_preconditions` applies §13.2.2's order and says what to answer.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..._sansio.abnf import lower_token
from .headers import ETag

__all__ = [
    "MAX_RANGES",
    "ETag",
    "RangeNotSatisfiable",
    "etag_matches",
    "evaluate_preconditions",
    "if_range_allows",
    "parse_etags",
    "parse_range",
]

#: The most ranges one request may ask for; beyond it the Range field is ignored (a 200 is sent).
#: Apache's MaxRanges defaults to 200; nginx's max_ranges is unlimited unless set.
MAX_RANGES = 100

# RFC 9110 §14.1.1: ranges-specifier = range-unit "=" range-set; one range-spec of the set:
# int-range = first-pos "-" [ last-pos ], suffix-range = "-" suffix-length, with OWS around.
# The OWS after "-" is possessive: shared with the OWS at the end when last-pos is absent, a
# run of whitespace was split every way (quadratic) before a byte that fails.
_RANGE_SPEC = re.compile(r"[ \t]*(?:([0-9]+)[ \t]*-[ \t]*+([0-9]*)|-[ \t]*([0-9]+))[ \t]*")
# RFC 9110 §8.8.3: entity-tag = [ weak ] opaque-tag; opaque-tag = DQUOTE *etagc DQUOTE
_ETAG = re.compile(r'[ \t]*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*')


class RangeNotSatisfiable(Exception):
    """Every range in a valid ``Range`` field starts at or after the end (answer 416)."""


def parse_range(
    value: str | None, size: int, *, max_ranges: int = MAX_RANGES
) -> list[tuple[int, int]] | None:
    """The byte ranges asked for, clipped to ``size``, as ``(start, end)`` with ``end`` exclusive.

    Args:
        value: The ``Range`` field.
        size: The representation's length.
        max_ranges: The most ranges honoured (:data:`MAX_RANGES` by default).

    Returns:
        ``None`` when the whole representation should be sent: no field, another unit, a
        malformed field or more than ``max_ranges`` ranges. Otherwise the satisfiable
        ranges, sorted and with overlapping or adjacent ones merged.

    Raises:
        RangeNotSatisfiable: The field is valid but no range is satisfiable (§14.1.2).
    """
    if not value:
        return None
    unit, sep, spec = value.partition("=")
    if not sep or lower_token(unit.strip(" \t")) != "bytes":
        return None
    items = spec.split(",", max_ranges)
    if len(items) > max_ranges:
        return None
    ranges: list[tuple[int, int]] = []
    for item in items:
        if not item.strip(" \t"):
            continue  # §5.6.1: empty list elements are ignored
        match = _RANGE_SPEC.fullmatch(item)
        if match is None:
            return None
        first, last, suffix = match.groups()
        if suffix is not None:
            length = int(suffix)
            if length == 0:
                continue
            ranges.append((max(size - length, 0), size))
            continue
        start = int(first)
        if last and int(last) < start:
            return None
        end = min(int(last) + 1, size) if last else size
        if start < size:
            ranges.append((start, end))
    if not ranges:
        raise RangeNotSatisfiable(value)
    return _merge(ranges)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    ranges.sort()
    merged = [ranges[0]]
    for start, end in ranges[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    return merged


def parse_etags(value: str | None) -> tuple[ETag, ...] | str | None:
    """Read an ``If-Match``/``If-None-Match`` value.

    Returns:
        ``None`` when absent, ``"*"`` for the wildcard, else the entity tags (malformed members
        are skipped, so a garbled field matches nothing).
    """
    if value is None:
        return None
    if value.strip(" \t") == "*":
        return "*"
    tags = []
    for item in value.split(","):
        match = _ETAG.fullmatch(item)
        if match is not None:
            tags.append(ETag(match.group(2), bool(match.group(1))))
    return tuple(tags)


def etag_matches(current: ETag, tags: tuple[ETag, ...] | str, *, weak: bool) -> bool:
    """Whether ``current`` matches ``tags`` with the weak or strong comparison (§8.8.3.2)."""
    if isinstance(tags, str):
        return tags == "*"
    for tag in tags:
        if tag.value != current.value:
            continue
        if weak or not (tag.is_weak or current.is_weak):
            return True
    return False


def evaluate_preconditions(
    *,
    method: str,
    etag: ETag,
    last_modified: datetime,
    if_match: str | None,
    if_none_match: str | None,
    if_modified_since: datetime | None,
    if_unmodified_since: datetime | None,
) -> int | None:
    """Apply RFC 9110 §13.2.2 in its order.

    Returns:
        ``412`` (Precondition Failed), ``304`` (Not Modified), or ``None`` to go on.
    """
    modified = last_modified.replace(microsecond=0)
    if if_match is not None:
        tags = parse_etags(if_match)
        if not etag_matches(etag, tags or (), weak=False):
            return 412
    elif if_unmodified_since is not None and modified > if_unmodified_since:
        return 412
    if if_none_match is not None:
        tags = parse_etags(if_none_match)
        if etag_matches(etag, tags or (), weak=True):
            return 304 if method in ("GET", "HEAD") else 412
    elif (
        if_modified_since is not None
        and method in ("GET", "HEAD")
        and modified <= if_modified_since
    ):
        return 304
    return None


def if_range_allows(
    if_range: str | None, etag: ETag, last_modified: datetime, parsed_date: datetime | None
) -> bool:
    """Whether a ``Range`` may be honoured given ``If-Range`` (§13.1.5).

    An entity tag must match strongly; a date must equal ``Last-Modified`` exactly.
    """
    if if_range is None:
        return True
    text = if_range.strip(" \t")
    if text.startswith(('"', "W/")):
        tags = parse_etags(text)
        return bool(tags) and etag_matches(etag, tags or (), weak=False)
    return parsed_date is not None and last_modified.replace(microsecond=0) == parsed_date
