"""HTTP-date (RFC 9110 §5.6.7): IMF-fixdate on output; IMF-fixdate, rfc850-date and asctime-date on
input. No clock here: whoever needs "now" passes it in as a POSIX timestamp.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

__all__ = ("format_http_date", "parse_http_date")

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBER = {name.lower(): number for number, name in enumerate(_MONTHS, 1)}

_DAY_NAME = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_DAY_NAME_L = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_TIME = r"(\d\d):(\d\d):(\d\d)"
# IMF-fixdate  = day-name "," SP date1 SP time-of-day SP GMT ; date1 = day SP month SP year
# (a one-digit day is taken too: RFC 9110 §5.6.7 encourages robust parsing, and mail-style
# dates such as "Mon, 1 Jan 1990 ..." occur)
_IMF_FIXDATE = re.compile(
    rf"{_DAY_NAME}, (\d\d?) {_MONTH} (\d{{4}}) {_TIME} GMT", re.IGNORECASE | re.ASCII
)
# rfc850-date  = day-name-l "," SP date2 SP time-of-day SP GMT ; date2 = day "-" month "-" 2DIGIT
_RFC850_DATE = re.compile(
    rf"{_DAY_NAME_L}, (\d\d)-{_MONTH}-(\d\d) {_TIME} GMT", re.IGNORECASE | re.ASCII
)
# asctime-date = day-name SP date3 SP time-of-day SP year
# date3 = month SP ( 2DIGIT / ( SP DIGIT ))
_ASCTIME_DATE = re.compile(
    rf"{_DAY_NAME} {_MONTH} ([ \d]\d) {_TIME} (\d{{4}})", re.IGNORECASE | re.ASCII
)


def format_http_date(timestamp: float) -> str:
    """Format a POSIX timestamp as an IMF-fixdate, e.g. ``Sun, 06 Nov 1994 08:49:37 GMT``."""
    moment = datetime.fromtimestamp(int(timestamp), UTC)
    return (
        f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} "
        f"{moment.year:04d} {moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} GMT"
    )


def _two_digit_year(year: int, now: float | None) -> int:
    """RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is in the past century.

    Without ``now`` the century is chosen as RFC 6265 §5.1.1 does: 70-99 are 19xx, 00-69 are 20xx.
    """
    if now is None:
        return year + (1900 if year >= 70 else 2000)
    current = datetime.fromtimestamp(now, UTC).year
    full = current - current % 100 + year
    if full > current + 50:
        full -= 100
    return full


def _build(year: int, month: str, day: str, hms: tuple[str, str, str]) -> datetime | None:
    hour, minute, second = (int(part) for part in hms)
    if second > 60:  # 60 is a leap second, more is no time
        return None
    try:
        # time-of-day allows second 60 for a leap second; datetime does not.
        return datetime(
            year, _MONTH_NUMBER[month.lower()], int(day), hour, minute, min(second, 59), tzinfo=UTC
        )
    except ValueError:
        return None


def parse_http_date(value: str | None, *, now: float | None = None) -> datetime | None:
    """Parse an HTTP-date into an aware UTC :class:`~datetime.datetime`.

    Accepts IMF-fixdate and, as RFC 9110 §5.6.7 asks of recipients, the obsolete rfc850-date and
    asctime-date forms. Names are matched case-insensitively and surrounding whitespace is ignored.

    Args:
        value: the header value.
        now: the current POSIX time, used only to place an rfc850-date two-digit year.

    Returns:
        The moment, or ``None`` when the value is absent or not a valid HTTP-date.
    """
    if not value:
        return None
    text = value.strip(" \t")
    match = _IMF_FIXDATE.fullmatch(text)
    if match is not None:
        day, month, year, *hms = match.groups()
        return _build(int(year), month, day, (hms[0], hms[1], hms[2]))
    match = _RFC850_DATE.fullmatch(text)
    if match is not None:
        day, month, year, *hms = match.groups()
        return _build(_two_digit_year(int(year), now), month, day, (hms[0], hms[1], hms[2]))
    match = _ASCTIME_DATE.fullmatch(text)
    if match is not None:
        month, day, *hms, year = match.groups()
        return _build(int(year), month, day.strip(" \t"), (hms[0], hms[1], hms[2]))
    return None
