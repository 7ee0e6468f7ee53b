"""HTTP cookies (RFC 6265): headers both ways and the user agent's cookie store, without a clock.

* Server side: :func:`parse_cookie_header` reads a ``Cookie`` request header (§5.4, leniently, as
  browsers write it); :func:`format_set_cookie` writes a ``Set-Cookie`` value (§4.1), refusing
  anything that could inject another attribute or header line.
* User agent side: :func:`parse_set_cookie` follows the §5.2 algorithm (with the §5.1.1 date
  algorithm in :func:`parse_cookie_date`); :class:`CookieStore` follows the §5.3 storage model and
  the §5.4 retrieval rules: domain matching (§5.1.3), path matching (§5.1.4), host-only cookies,
  Secure, HttpOnly, SameSite kept, Expires and Max-Age against a ``now`` passed in by the caller.
  There is no public suffix list; a Domain attribute the request host does not domain-match is
  refused, and hosts that are IP addresses get cookies only when the store allows it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie

__all__ = (
    "DEFAULT_COOKIE_QUOTA_PER_DOMAIN",
    "DEFAULT_COOKIE_QUOTA_TOTAL",
    "DEFAULT_MAX_ATTRIBUTE_VALUE_SIZE",
    "DEFAULT_MAX_COOKIES_PER_DOMAIN",
    "DEFAULT_MAX_COOKIES_TOTAL",
    "DEFAULT_MAX_NAME_VALUE_SIZE",
    "LATEST_EXPIRY",
    "CookieStore",
    "SetCookie",
    "StoredCookie",
    "default_path",
    "domain_match",
    "expiry_after",
    "format_cookie_header",
    "format_set_cookie",
    "is_ip_address",
    "parse_cookie_date",
    "parse_cookie_header",
    "parse_set_cookie",
    "path_match",
    "sendable",
)

#: RFC 6265bis-14 §5.6 step 4: a name plus value longer than this is ignored (browsers agree).
DEFAULT_MAX_NAME_VALUE_SIZE = 4096
#: RFC 6265bis-14 §5.6: an attribute value longer than this is ignored.
DEFAULT_MAX_ATTRIBUTE_VALUE_SIZE = 1024
#: RFC 6265 §6.1 asks for at least 50 per domain; Chromium keeps 180, Firefox 180.
DEFAULT_MAX_COOKIES_PER_DOMAIN = 180
#: A domain past its limit is purged down to this many (Chromium and aiohttp 3.x: 150).
DEFAULT_COOKIE_QUOTA_PER_DOMAIN = 150
#: RFC 6265 §6.1 asks for at least 3000 in all; Chromium and aiohttp 3.x keep 3300.
DEFAULT_MAX_COOKIES_TOTAL = 3300
#: A store past its limit is purged down to this many (Chromium and aiohttp 3.x: 3000).
DEFAULT_COOKIE_QUOTA_TOTAL = 3000

# cookie-name = token (RFC 6265 §4.1.1 by way of RFC 2616 §2.2)
_TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E  (RFC 6265 §4.1.1)
_OCTETS = r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*"
_COOKIE_OCTETS_RE = re.compile(rf'{_OCTETS}|"{_OCTETS}"')
# What no Set-Cookie part may hold: the controls (CR, LF, NUL ...) and ";" (RFC 6265 §4.1.1).
_UNSAFE_RE = re.compile(r"[\x00-\x1f\x7f;]")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# The rest of a quoted-string after its opening quote, through the closing one: each
# character is either plain or a backslash pair, so the match is linear.
_QUOTED_REST = re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)
_SAMESITE = {"strict": "Strict", "lax": "Lax", "none": "None"}
# RFC 6265 §5.1.1: delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
_DATE_TOKEN_RE = re.compile(r"[^\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+")
_TIME_RE = re.compile(r"(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?", re.DOTALL | re.ASCII)
_DAY_RE = re.compile(r"(\d{1,2})(?:\D.*)?", re.DOTALL | re.ASCII)
_YEAR_RE = re.compile(r"(\d{2,4})(?:\D.*)?", re.DOTALL | re.ASCII)
# Max-Age: an optional "-" then DIGITs, ASCII only (RFC 6265 §5.2.2)
_MAX_AGE_RE = re.compile(r"-?[0-9]+")
_FLAGS = frozenset({"secure", "httponly", "partitioned"})
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_CODEC = SimpleCookie()
# The §5.2.2 "earliest representable date" for a Max-Age of zero or less.
_EARLIEST = float("-inf")
#: The §5.2.1/§5.2.2 "latest representable date": 9999-12-31 23:59:59 UTC, the last moment a
#: four-digit year can name (aiohttp 3.x clamps to it too). Later expiry times become it.
LATEST_EXPIRY = 253402300799.0


def expiry_after(max_age: int, now: float) -> float:
    """The expiry time of a Max-Age received at ``now`` (RFC 6265 §5.2.2), kept between the
    earliest and the latest representable dates: a huge Max-Age must not overflow a float."""
    if max_age <= 0:
        return _EARLIEST
    return min(now + min(max_age, LATEST_EXPIRY), LATEST_EXPIRY)


def parse_cookie_header(header: str) -> list[tuple[str, str]]:
    """Read a ``Cookie`` request header into ``(name, value)`` pairs, in order.

    Lenient as browsers (and aiohttp 3.x) are: pairs end at ``;``, except inside a quoted
    value, which ends at its closing quote; whitespace around names and values is dropped;
    a quoted value loses its quotes and has the escapes :mod:`http.cookies` writes (``\\054``
    for a comma, ``\\"``) decoded; a name without ``=`` is a cookie with an empty value; an
    empty name, or one with a control character, is skipped. Linear in the header's length,
    and never raises.
    """
    pairs: list[tuple[str, str]] = []
    pos, end = 0, len(header)
    while pos < end:
        semi = header.find(";", pos)
        stop = end if semi < 0 else semi
        eq = header.find("=", pos, stop)
        if eq < 0:
            _add_cookie(pairs, header[pos:stop], "")
            pos = stop + 1
            continue
        start = eq + 1
        while start < stop and header[start] in " \t":
            start += 1
        quoted = _QUOTED_REST.match(header, start + 1) if header.startswith('"', start) else None
        if quoted is not None:  # up to the closing quote, whatever ";" it holds
            _add_cookie(pairs, header[pos:eq], _CODEC.value_decode(header[start : quoted.end()])[0])
            pos = quoted.end()
            continue
        _add_cookie(pairs, header[pos:eq], header[start:stop].strip(" \t"))
        pos = stop + 1
    return pairs


def _add_cookie(pairs: list[tuple[str, str]], name: str, value: str) -> None:
    name = name.strip(" \t")
    if name and not _CONTROL_RE.search(name):
        pairs.append((name, value))


def sendable(text: str) -> bool:
    """Whether a cookie's name and value can go in a ``Cookie`` field: no control character
    (it would end the field, RFC 9110 §5.5) and bytes to send it as."""
    if _CONTROL_RE.search(text):
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def format_cookie_header(pairs: Iterable[tuple[str, str]]) -> str:
    """Write a ``Cookie`` request header from ``(name, value)`` pairs (RFC 6265 §5.4 step 4)."""
    return "; ".join(f"{name}={value}" for name, value in pairs)


def _check_attr(kind: str, value: str) -> str:
    if _UNSAFE_RE.search(value):
        raise ValueError(f"invalid character in cookie {kind} {value!r}")
    return value


def format_set_cookie(
    name: str,
    value: str,
    *,
    expires: str | None = None,
    domain: str | None = None,
    max_age: int | str | None = None,
    path: str | None = "/",
    secure: bool | None = None,
    httponly: bool | None = None,
    samesite: str | None = None,
    partitioned: bool | None = None,
) -> str:
    """Write a ``Set-Cookie`` header value (RFC 6265 §4.1).

    A value made of cookie-octets is written as is; any other value without controls or ``;`` is
    written as a quoted-string, as aiohttp 3.x does.

    Raises:
        ValueError: the name is not a token, or the value or an attribute holds a control
            character (CR, LF, NUL ...) or ``;``, or ``samesite`` is not Strict, Lax or None.
    """
    if not _TOKEN_RE.fullmatch(name):
        raise ValueError(f"invalid cookie name {name!r}")
    _check_attr("value", value)
    if not _COOKIE_OCTETS_RE.fullmatch(value):
        value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    parts = [f"{name}={value}"]
    if expires is not None:
        parts.append(f"expires={_check_attr('expires', expires)}")
    if domain is not None:
        parts.append(f"Domain={_check_attr('domain', domain)}")
    if max_age is not None:
        parts.append(f"Max-Age={_check_attr('max-age', str(max_age))}")
    if path is not None:
        parts.append(f"Path={_check_attr('path', path)}")
    if samesite is not None:
        if samesite.lower() not in _SAMESITE:
            raise ValueError(f"invalid SameSite value {samesite!r}")
        parts.append(f"SameSite={_SAMESITE[samesite.lower()]}")
    flags = (("Secure", secure), ("HttpOnly", httponly), ("Partitioned", partitioned))
    parts.extend(flag for flag, on in flags if on)
    return "; ".join(parts)


def parse_cookie_date(value: str) -> float | None:
    """The RFC 6265 §5.1.1 cookie-date algorithm; a POSIX timestamp, or ``None`` on failure."""
    hms: tuple[int, int, int] | None = None
    day = month = year = None
    for token in _DATE_TOKEN_RE.findall(value):
        if hms is None and (m := _TIME_RE.fullmatch(token)):
            hms = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif day is None and (m := _DAY_RE.fullmatch(token)):
            day = int(m.group(1))
        elif month is None and token[:3].lower() in _MONTHS:
            month = _MONTHS.index(token[:3].lower()) + 1
        elif year is None and (m := _YEAR_RE.fullmatch(token)):
            year = int(m.group(1))
    if hms is None or day is None or month is None or year is None:
        return None
    if year < 100:
        year += 1900 if year >= 70 else 2000
    if year < 1601 or hms[0] > 23 or hms[1] > 59 or hms[2] > 59:
        return None
    try:
        return datetime(year, month, day, *hms, tzinfo=UTC).timestamp()
    except ValueError:
        return None


@dataclass(slots=True)
class SetCookie:
    """One ``Set-Cookie`` header as the RFC 6265 §5.2 algorithm reads it.

    Attributes:
        name: the cookie name.
        value: the cookie value, verbatim (quotes included, as §5.2 keeps them).
        expires: the Expires attribute as a POSIX timestamp, if valid.
        max_age: the Max-Age attribute in seconds, if valid.
        domain: the Domain attribute, lower-cased, without a leading dot.
        path: the Path attribute, if it starts with ``/``.
        secure: whether the Secure attribute is present.
        httponly: whether the HttpOnly attribute is present.
        samesite: ``"Strict"``, ``"Lax"`` or ``"None"`` when given.
        partitioned: whether the Partitioned attribute is present.
    """

    name: str
    value: str
    expires: float | None = None
    max_age: int | None = None
    domain: str | None = None
    path: str | None = None
    secure: bool = False
    httponly: bool = False
    samesite: str | None = None
    partitioned: bool = False


def _apply_attribute(cookie: SetCookie, name: str, value: str) -> None:
    """RFC 6265 §5.2.1-§5.2.6; a later attribute of the same name replaces an earlier one."""
    if name == "expires":
        expires = parse_cookie_date(value)
        if expires is not None:
            cookie.expires = expires
    elif name == "max-age":
        if _MAX_AGE_RE.fullmatch(value):
            cookie.max_age = int(value)
    elif name == "domain":
        if value:
            cookie.domain = value.removeprefix(".").lower()
    elif name == "path":
        cookie.path = value if value.startswith("/") else None
    elif name in _FLAGS:
        setattr(cookie, name, True)
    elif name == "samesite":
        cookie.samesite = _SAMESITE.get(value.lower(), cookie.samesite)


def parse_set_cookie(
    header: str,
    *,
    max_name_value_size: int = DEFAULT_MAX_NAME_VALUE_SIZE,
    max_attribute_value_size: int = DEFAULT_MAX_ATTRIBUTE_VALUE_SIZE,
) -> SetCookie | None:
    """Read a ``Set-Cookie`` header value with the RFC 6265 §5.2 algorithm.

    Returns:
        The cookie, or ``None`` when §5.2 says to ignore the header (no ``=`` in the first part,
        an empty name, a name and value longer than ``max_name_value_size``, or a control
        character in the name or value). Attributes that are malformed, unknown or longer than
        ``max_attribute_value_size`` are skipped.
    """
    pair, _, attributes = header.partition(";")
    name, sep, value = pair.partition("=")
    name, value = name.strip(" \t"), value.strip(" \t")
    if not sep or not name or len(name) + len(value) > max_name_value_size:
        return None
    if _UNSAFE_RE.search(name + value):
        return None
    cookie = SetCookie(name, value)
    for attribute in attributes.split(";"):
        attr_name, _, attr_value = attribute.partition("=")
        attr_name, attr_value = attr_name.strip(" \t").lower(), attr_value.strip(" \t")
        # Secure and HttpOnly take no value (RFC 6265 §5.2.5, §5.2.6): an overlong one must
        # not drop them, or a cookie meant for https only would go out over plain http.
        if attr_name in _FLAGS or len(attr_value) <= max_attribute_value_size:
            _apply_attribute(cookie, attr_name, attr_value)
    return cookie


def is_ip_address(host: str) -> bool:
    """Whether ``host`` is an IPv4 or IPv6 address literal (brackets allowed)."""
    try:
        ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def domain_match(host: str, domain: str) -> bool:
    """RFC 6265 §5.1.3: whether ``host`` (canonicalized, lower-case) domain-matches ``domain``."""
    if host == domain:
        return True
    return host.endswith("." + domain) and not is_ip_address(host)


def default_path(request_path: str) -> str:
    """RFC 6265 §5.1.4: the default cookie path for a request path."""
    if not request_path.startswith("/") or request_path.count("/") == 1:
        return "/"
    return request_path[: request_path.rindex("/")]


def path_match(request_path: str, cookie_path: str) -> bool:
    """RFC 6265 §5.1.4: whether ``request_path`` path-matches ``cookie_path``."""
    if request_path == cookie_path:
        return True
    if not request_path.startswith(cookie_path):
        return False
    return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"


@dataclass(slots=True)
class StoredCookie:
    """A cookie in the store, with the RFC 6265 §5.3 fields.

    ``domain`` is empty for a cookie shared with every host (set without a response URL).
    ``expiry`` is ``None`` for a session cookie.
    """

    name: str
    value: str
    domain: str
    path: str = "/"
    expiry: float | None = None
    host_only: bool = True
    secure: bool = False
    http_only: bool = False
    same_site: str | None = None
    partitioned: bool = False
    creation_time: float = 0.0
    last_access_time: float = field(default=0.0, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """The identity of a cookie in the store: ``(domain, path, name)`` (§5.3 step 11)."""
        return (self.domain, self.path, self.name)

    def expired(self, now: float) -> bool:
        """Whether the cookie's expiry time is at or before ``now``."""
        return self.expiry is not None and self.expiry <= now

    def matches(self, host: str, path: str, *, secure: bool) -> bool:
        """RFC 6265 §5.4 step 1: whether the cookie goes with a request to ``host`` and ``path``."""
        if self.secure and not secure:
            return False
        if self.domain and not (
            host == self.domain if self.host_only else domain_match(host, self.domain)
        ):
            return False
        return path_match(path, self.path)


class CookieStore:
    """The RFC 6265 §5.3 cookie store, with every moment passed in as ``now``.

    Args:
        allow_ip_hosts: accept cookies from hosts that are IP addresses.
        max_per_domain: cookies kept per domain; one more and the expired ones, then the least
            recently used, go until ``quota_per_domain`` are left.
        max_total: cookies kept in all; one more and the store is purged the same way down
            to ``quota_total``.
        quota_per_domain: what a purged domain keeps (at most ``max_per_domain``).
        quota_total: what a purged store keeps (at most ``max_total``).
    """

    def __init__(
        self,
        *,
        allow_ip_hosts: bool = False,
        max_per_domain: int = DEFAULT_MAX_COOKIES_PER_DOMAIN,
        max_total: int = DEFAULT_MAX_COOKIES_TOTAL,
        quota_per_domain: int = DEFAULT_COOKIE_QUOTA_PER_DOMAIN,
        quota_total: int = DEFAULT_COOKIE_QUOTA_TOTAL,
    ) -> None:
        self.allow_ip_hosts = allow_ip_hosts
        self._max_per_domain = max_per_domain
        self._max_total = max_total
        self._quota_per_domain = min(quota_per_domain, max_per_domain)
        self._quota_total = min(quota_total, max_total)
        self._cookies: dict[tuple[str, str, str], StoredCookie] = {}

    def __len__(self) -> int:
        return len(self._cookies)

    def __iter__(self) -> Iterator[StoredCookie]:
        return iter(list(self._cookies.values()))

    def store(
        self, cookie: SetCookie, host: str, request_path: str, now: float
    ) -> StoredCookie | None:
        """Apply the §5.3 storage model to a cookie received from ``host``.

        Returns:
            The stored cookie, or ``None`` when it was refused or arrived already expired
            (which removes an existing cookie of the same name, domain and path).
        """
        host = host.lower().rstrip(".")
        if not host or (is_ip_address(host) and not self.allow_ip_hosts):
            return None
        if cookie.max_age is not None:  # step 3: Max-Age wins over Expires
            expiry: float | None = expiry_after(cookie.max_age, now)
        else:
            expiry = cookie.expires
        if cookie.domain:  # step 6
            if not domain_match(host, cookie.domain):
                return None
            domain, host_only = cookie.domain, False
        else:
            domain, host_only = host, True
        stored = StoredCookie(
            cookie.name,
            cookie.value,
            domain,
            cookie.path or default_path(request_path),
            expiry,
            host_only,
            cookie.secure,
            cookie.httponly,
            cookie.samesite,
            cookie.partitioned,
            now,
            now,
        )
        return self.add(stored, now)

    def add(self, stored: StoredCookie, now: float) -> StoredCookie | None:
        """Insert a cookie as is (§5.3 steps 11-12), replacing one with the same key.

        Returns:
            The cookie, or ``None`` if it had already expired (an old one is still removed).
        """
        old = self._cookies.pop(stored.key, None)
        if stored.expired(now):
            return None
        if old is not None:
            stored.creation_time = old.creation_time
        self._cookies[stored.key] = stored
        self._evict(stored.domain, now)
        return stored

    def _evict(self, domain: str, now: float) -> None:
        """RFC 6265 §5.3 last paragraph: drop expired cookies, then the least recently used."""
        same = sum(1 for c in self._cookies.values() if c.domain == domain)
        if same <= self._max_per_domain and len(self._cookies) <= self._max_total:
            return
        self.expire(now)
        group = [c for c in self._cookies.values() if c.domain == domain]
        if len(group) > self._max_per_domain:
            self._drop_oldest(group, self._quota_per_domain)
        if len(self._cookies) > self._max_total:
            self._drop_oldest(list(self._cookies.values()), self._quota_total)

    def _drop_oldest(self, group: list[StoredCookie], limit: int) -> None:
        group.sort(key=lambda c: c.last_access_time)
        for victim in group[: max(0, len(group) - limit)]:
            del self._cookies[victim.key]

    def expire(self, now: float) -> None:
        """Remove every cookie whose expiry time has passed."""
        self.remove(lambda cookie: cookie.expired(now))

    def remove(self, predicate: Callable[[StoredCookie], bool]) -> None:
        """Remove the cookies for which ``predicate`` is true."""
        for key in [k for k, c in self._cookies.items() if predicate(c)]:
            del self._cookies[key]

    def clear_domain(self, domain: str) -> None:
        """Remove the cookies of ``domain`` and of its subdomains."""
        domain = domain.lower().removeprefix(".")
        self.remove(lambda cookie: domain_match(cookie.domain, domain))

    def matching(self, host: str, path: str, *, secure: bool, now: float) -> list[StoredCookie]:
        """The cookies to send to ``host`` and ``path`` (§5.4), most specific path first.

        Expired cookies are removed first; the last-access time of those returned is updated.
        """
        self.expire(now)
        host = host.lower().rstrip(".")
        found = [c for c in self._cookies.values() if c.matches(host, path, secure=secure)]
        found.sort(key=lambda c: (-len(c.path), c.creation_time))
        for cookie in found:
            cookie.last_access_time = now
        return found
