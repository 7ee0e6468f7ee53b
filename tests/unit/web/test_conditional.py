"""Ranges and preconditions (RFC 9110 §13, §14)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aiohttp import web
from aiohttp.web.messages.conditional import (
    MAX_RANGES,
    ETag,
    RangeNotSatisfiable,
    etag_matches,
    evaluate_preconditions,
    if_range_allows,
    parse_etags,
    parse_range,
)

RANGE_CASES = [
    ("rfc9110-14.1.2-first-500", "bytes=0-499", 10000, [(0, 500)]),
    ("rfc9110-14.1.2-second-500", "bytes=500-999", 10000, [(500, 1000)]),
    ("rfc9110-14.1.2-suffix", "bytes=-500", 10000, [(9500, 10000)]),
    ("rfc9110-14.1.2-open-end", "bytes=9500-", 10000, [(9500, 10000)]),
    ("rfc9110-14.1.2-first-and-last", "bytes=0-0,-1", 10000, [(0, 1), (9999, 10000)]),
    ("rfc9110-14.1.2-last-clipped", "bytes=9000-20000", 10000, [(9000, 10000)]),
    ("rfc9110-14.1.2-suffix-longer", "bytes=-20000", 100, [(0, 100)]),
    ("rfc9110-14.1.2-overlap-merged", "bytes=0-10,5-20,30-40", 100, [(0, 21), (30, 41)]),
    ("rfc9110-14.1.2-adjacent-merged", "bytes=0-9,10-19", 100, [(0, 20)]),
    ("rfc9110-14.1.2-unsorted", "bytes=50-59, 0-9", 100, [(0, 10), (50, 60)]),
    ("rfc9110-14.1.1-unit-case", "Bytes=0-1", 100, [(0, 2)]),
    ("rfc9110-14.1.1-spaces", "bytes= 0 - 1 ,", 100, [(0, 2)]),
    ("rfc9110-14.1.2-some-unsatisfiable", "bytes=0-1,500-600", 100, [(0, 2)]),
    ("rfc9110-14.2-absent", None, 100, None),
    ("rfc9110-14.1.1-other-unit", "items=0-1", 100, None),
    ("rfc9110-14.1.1-no-equals", "bytes 0-1", 100, None),
    ("rfc9110-14.1.1-garbage", "bytes=abc", 100, None),
    ("rfc9110-14.1.1-reversed", "bytes=5-1", 100, None),
    ("rfc9110-14.1.1-negative", "bytes=--1", 100, None),
    ("rfc9110-14.1.1-hex", "bytes=0x1-2", 100, None),
    # RFC 5234 B.1: DIGIT is ASCII; Python's int() and \\d also take other scripts' digits.
    ("rfc5234-b.1-arabic-indic-digits", "bytes=\u0660-\u0661", 100, None),
    ("rfc5234-b.1-arabic-indic-suffix", "bytes=-\u0665", 100, None),
    ("rfc5234-b.1-fullwidth-digits", "bytes=\uff10-\uff11", 100, None),
    ("rfc9110-14.1.1-unit-upper-case", "BYTES=0-1", 100, [(0, 2)]),
]


@pytest.mark.parametrize(
    ("value", "size", "expected"), [c[1:] for c in RANGE_CASES], ids=[c[0] for c in RANGE_CASES]
)
def test_parse_range(value: str | None, size: int, expected: list[tuple[int, int]] | None) -> None:
    assert parse_range(value, size) == expected


@pytest.mark.parametrize(
    ("value", "size"),
    [("bytes=100-", 100), ("bytes=200-300", 100), ("bytes=-0", 100), ("bytes=0-", 0)],
    ids=["rfc9110-14.1.2-at-end", "past-end", "empty-suffix", "empty-file"],
)
def test_unsatisfiable_range_rfc9110_15_5_17(value: str, size: int) -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range(value, size)


def test_range_count_limit_at_and_past() -> None:
    at_limit = "bytes=" + ",".join(f"{i * 2}-{i * 2}" for i in range(MAX_RANGES))
    assert parse_range(at_limit, 10_000) is not None
    past = "bytes=" + ",".join(f"{i * 2}-{i * 2}" for i in range(MAX_RANGES + 1))
    assert parse_range(past, 10_000) is None
    assert parse_range("bytes=0-0,2-2", 10, max_ranges=2) == [(0, 1), (2, 3)]
    assert parse_range("bytes=0-0,2-2,4-4", 10, max_ranges=2) is None


ETAG_CASES = [
    ('"abc"', (ETag("abc"),)),
    ('W/"abc"', (ETag("abc", True),)),
    ('"a", W/"b" ,"c"', (ETag("a"), ETag("b", True), ETag("c"))),
    ("*", "*"),
    ("abc", ()),
    ('"a,b"', ()),
    ('"a" junk', ()),
]


def test_one_etag_class_the_3x_one() -> None:
    assert ETag is web.ETag
    tag = ETag("v1", is_weak=True)
    assert (tag.value, tag.is_weak) == ("v1", True)


@pytest.mark.parametrize(("value", "expected"), ETAG_CASES)
def test_parse_etags_rfc9110_8_8_3(value: str, expected: object) -> None:
    assert parse_etags(value) == expected


@pytest.mark.parametrize(
    ("current", "tag", "weak", "matches"),
    [
        (ETag("1"), ETag("1"), False, True),
        (ETag("1"), ETag("1", True), False, False),
        (ETag("1"), ETag("1", True), True, True),
        (ETag("1", True), ETag("1", True), False, False),
        (ETag("1"), ETag("2"), True, False),
    ],
    ids=["strong-strong", "strong-vs-weak", "weak-compare", "weak-weak-strong", "differ"],
)
def test_etag_comparison_rfc9110_8_8_3_2(
    current: ETag, tag: ETag, weak: bool, matches: bool
) -> None:
    assert etag_matches(current, (tag,), weak=weak) is matches


NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
EARLIER = datetime(2025, 1, 1, tzinfo=UTC)
LATER = datetime(2027, 1, 1, tzinfo=UTC)
TAG = ETag("v1")

PRECONDITION_CASES = [
    ("rfc9110-13.1.1-if-match-hit", "GET", {"if_match": '"v1"'}, None),
    ("rfc9110-13.1.1-if-match-miss", "GET", {"if_match": '"v0"'}, 412),
    ("rfc9110-13.1.1-if-match-star", "PUT", {"if_match": "*"}, None),
    ("rfc9110-13.1.1-if-match-weak", "GET", {"if_match": 'W/"v1"'}, 412),
    ("rfc9110-13.1.4-unmodified-since-ok", "GET", {"if_unmodified_since": LATER}, None),
    ("rfc9110-13.1.4-unmodified-since-fail", "GET", {"if_unmodified_since": EARLIER}, 412),
    (
        "rfc9110-13.1.4-ignored-with-if-match",
        "GET",
        {"if_match": '"v1"', "if_unmodified_since": EARLIER},
        None,
    ),
    ("rfc9110-13.1.2-none-match-hit", "GET", {"if_none_match": 'W/"v1"'}, 304),
    ("rfc9110-13.1.2-none-match-head", "HEAD", {"if_none_match": '"v1"'}, 304),
    ("rfc9110-13.1.2-none-match-post", "POST", {"if_none_match": '"v1"'}, 412),
    ("rfc9110-13.1.2-none-match-miss", "GET", {"if_none_match": '"v0"'}, None),
    ("rfc9110-13.1.3-modified-since-same", "GET", {"if_modified_since": NOW}, 304),
    ("rfc9110-13.1.3-modified-since-older", "GET", {"if_modified_since": EARLIER}, None),
    ("rfc9110-13.1.3-ignored-for-post", "POST", {"if_modified_since": LATER}, None),
    (
        "rfc9110-13.1.3-ignored-with-if-none-match",
        "GET",
        {"if_none_match": '"v0"', "if_modified_since": LATER},
        None,
    ),
]


@pytest.mark.parametrize(
    ("method", "fields", "expected"),
    [c[1:] for c in PRECONDITION_CASES],
    ids=[c[0] for c in PRECONDITION_CASES],
)
def test_preconditions(method: str, fields: dict[str, object], expected: int | None) -> None:
    args: dict[str, object] = {
        "if_match": None,
        "if_none_match": None,
        "if_modified_since": None,
        "if_unmodified_since": None,
    }
    args.update(fields)
    result = evaluate_preconditions(
        method=method,
        etag=TAG,
        last_modified=NOW.replace(microsecond=250),
        **args,  # type: ignore[arg-type]
    )
    assert result == expected


@pytest.mark.parametrize(
    ("if_range", "date", "allowed"),
    [
        (None, None, True),
        ('"v1"', None, True),
        ('"v0"', None, False),
        ('W/"v1"', None, False),
        ("Fri, 02 Jan 2026 03:04:05 GMT", NOW, True),
        ("Thu, 01 Jan 2026 03:04:05 GMT", EARLIER, False),
        ("garbage", None, False),
    ],
    ids=["absent", "etag-match", "etag-miss", "weak-never", "date-equal", "date-differs", "junk"],
)
def test_if_range_rfc9110_13_1_5(
    if_range: str | None, date: datetime | None, allowed: bool
) -> None:
    assert if_range_allows(if_range, TAG, NOW, date) is allowed
