"""HTTP-date formatting and parsing (RFC 9110 §5.6.7)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp._sansio.dates import format_http_date, parse_http_date

EXAMPLE = datetime(1994, 11, 6, 8, 49, 37, tzinfo=UTC)
NOW_2026 = datetime(2026, 1, 1, tzinfo=UTC).timestamp()


def test_format_rfc9110_5_6_7_imf_fixdate() -> None:
    assert format_http_date(EXAMPLE.timestamp()) == "Sun, 06 Nov 1994 08:49:37 GMT"


def test_format_drops_fractions() -> None:
    assert format_http_date(0.75) == "Thu, 01 Jan 1970 00:00:00 GMT"


@pytest.mark.parametrize(
    ("value", "now", "expected"),
    [
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT", None, EXAMPLE, id="rfc9110-5.6.7-imf"),
        pytest.param("  sun, 06 nov 1994 08:49:37 gmt ", None, EXAMPLE, id="case-and-space"),
        pytest.param("Sunday, 06-Nov-94 08:49:37 GMT", None, EXAMPLE, id="rfc9110-5.6.7-rfc850"),
        pytest.param(
            "Sunday, 06-Nov-94 08:49:37 GMT", NOW_2026, EXAMPLE, id="rfc9110-5.6.7-rfc850-past"
        ),
        pytest.param(
            "Thursday, 01-Jan-30 00:00:00 GMT",
            NOW_2026,
            datetime(2030, 1, 1, tzinfo=UTC),
            id="rfc9110-5.6.7-rfc850-near-future",
        ),
        pytest.param(
            "Friday, 01-Jan-10 00:00:00 GMT",
            None,
            datetime(2010, 1, 1, tzinfo=UTC),
            id="rfc850-no-now-20xx",
        ),
        pytest.param("Sun Nov  6 08:49:37 1994", None, EXAMPLE, id="rfc9110-5.6.7-asctime"),
        pytest.param(
            "Sat Nov 26 08:49:37 1994",
            None,
            datetime(1994, 11, 26, 8, 49, 37, tzinfo=UTC),
            id="asctime-two-digit-day",
        ),
        pytest.param(
            "Wed, 31 Dec 2025 23:59:60 GMT",
            None,
            datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC),
            id="rfc9110-5.6.7-leap-second",
        ),
        pytest.param(None, None, None, id="absent"),
        pytest.param("", None, None, id="empty"),
        pytest.param("yesterday", None, None, id="garbage"),
        pytest.param("Sun, 31 Feb 1994 08:49:37 GMT", None, None, id="no-such-day"),
        pytest.param("Sun, 06 Nov 1994 25:49:37 GMT", None, None, id="bad-hour"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 UTC", None, None, id="not-gmt"),
        pytest.param("Sun, 06 Nov 1994 08:49:61 GMT", None, None, id="second-past-leap"),
        pytest.param("Tue, 08 Oct 2000 00:56:80 GMT", None, None, id="second-80"),
        pytest.param(
            "Mon, 1 Jan 1990 01:01:01 GMT",
            None,
            datetime(1990, 1, 1, 1, 1, 1, tzinfo=UTC),
            id="rfc9110-5.6.7-robust-one-digit-day",
        ),
    ],
)
def test_parse_http_date(value: str | None, now: float | None, expected: datetime | None) -> None:
    assert parse_http_date(value, now=now) == expected


@settings(max_examples=80)
@given(st.integers(min_value=0, max_value=253402300799))
def test_round_trip(timestamp: int) -> None:
    parsed = parse_http_date(format_http_date(timestamp))
    assert parsed is not None
    assert parsed.timestamp() == timestamp


@settings(max_examples=50)
@given(st.integers(min_value=0, max_value=253402300799))
def test_cross_check_stdlib_email_utils(timestamp: int) -> None:
    from email.utils import formatdate, parsedate_to_datetime

    assert format_http_date(timestamp) == formatdate(timestamp, usegmt=True)
    assert parse_http_date(formatdate(timestamp, usegmt=True)) == parsedate_to_datetime(
        format_http_date(timestamp)
    )
