"""The client's cookie jars, with the aiohttp 3.x API, on the RFC 6265 store of
:mod:`aiohttp._sansio.cookies`.

* :class:`CookieJar` keeps cookies per RFC 6265: domain and path matching, host-only cookies,
  Secure cookies sent over https/wss only (or to origins listed in ``treat_as_secure_origin``),
  HttpOnly and SameSite kept, Expires and Max-Age honoured against :func:`time.time`, no cookies
  from IP-address hosts unless ``unsafe=True``.
* :class:`DummyCookieJar` keeps nothing.

Cookies given without a response URL (``ClientSession(cookies=...)``) are shared: sent to every
host, as in aiohttp 3.x. :meth:`CookieJar.save` writes JSON (aiohttp 3.x wrote a pickle, which
runs code when loaded from an untrusted file).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from http.cookies import BaseCookie, Morsel, SimpleCookie
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from yarl import URL

from .._io.log import client_logger, internal_logger
from .._sansio.cookies import (
    CookieStore,
    SetCookie,
    StoredCookie,
    expiry_after,
    is_ip_address,
    parse_cookie_date,
    parse_set_cookie,
    sendable,
)
from .._sansio.dates import format_http_date
from .cookie_files import dump_cookies, load_cookies
from .deprecated import warn_loop_argument

if TYPE_CHECKING:
    from .middlewares import ClientHandlerType
    from .request import ClientRequest
    from .response import ClientResponse

__all__ = ("AbstractCookieJar", "CookieJar", "DummyCookieJar")

LooseCookies = (
    Mapping[str, "str | BaseCookie[str] | Morsel[Any]"]
    | Iterable[tuple[str, "str | BaseCookie[str] | Morsel[Any]"]]
)
ClearCookiePredicate = Callable[["Morsel[str]"], bool]
_SECURE_SCHEMES = ("https", "wss")
#: 3.x's per-request limits of the jar (see :attr:`CookieJar.max_cookies_per_request`).
_MAX_COOKIES_PER_REQUEST = 150
_MAX_COOKIE_HEADER_LENGTH = 8190
#: The most cookies one response sets (3.x's cap): later ``Set-Cookie`` fields are ignored.
_MAX_COOKIES_PER_RESPONSE = 50
_CODEC = SimpleCookie()


def _warn_loop(loop: Any) -> None:
    warn_loop_argument(loop, "the jar", stacklevel=3)


class AbstractCookieJar(Sized, Iterable["Morsel[str]"], ABC):
    """The interface of a cookie jar (aiohttp 3.x ``aiohttp.abc.AbstractCookieJar``): a sized
    iterable of the cookies it keeps, as :class:`http.cookies.Morsel` objects."""

    def __init__(self, *, loop: object = None) -> None:
        _warn_loop(loop)

    @property
    @abstractmethod
    def quote_cookie(self) -> bool:
        """Whether cookie values are quoted when they need to be."""

    @property
    def unsafe(self) -> bool:
        """Whether cookies are kept for hosts that are IP addresses."""
        return False

    @property
    def treat_as_secure_origin(self) -> frozenset[URL]:
        """Origins whose Secure cookies may be sent over plain http."""
        return frozenset()

    @property
    def cookies(self) -> MappingProxyType[tuple[str, str], SimpleCookie]:
        """The stored cookies by ``(domain, path)``."""
        return MappingProxyType({})

    @property
    def host_only_cookies(self) -> frozenset[tuple[str, str, str]]:
        """``(domain, path, name)`` of the cookies sent only to the host that set them."""
        return frozenset()

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def __iter__(self) -> Iterator[Morsel[str]]: ...

    @abstractmethod
    def clear(self, predicate: ClearCookiePredicate | None = None) -> None:
        """Remove all cookies, or those for which ``predicate`` is true."""

    @abstractmethod
    def clear_domain(self, domain: str) -> None:
        """Remove the cookies of ``domain`` and its subdomains."""

    @abstractmethod
    def update_cookies(self, cookies: LooseCookies, response_url: URL = URL()) -> None:  # noqa: B008
        """Store cookies, as received from ``response_url``."""

    def update_cookies_from_headers(self, headers: Sequence[str], response_url: URL) -> None:
        """Store the cookies of ``Set-Cookie`` header values received from ``response_url``."""
        morsels = parse_set_cookie_headers(headers)
        if morsels:
            self.update_cookies(morsels, response_url)

    @abstractmethod
    def filter_cookies(self, request_url: URL) -> BaseCookie[str]:
        """The cookies to send with a request to ``request_url``."""


def parse_set_cookie_headers(headers: Sequence[str]) -> list[tuple[str, Morsel[str]]]:
    """The cookies of ``Set-Cookie`` header values, one per value at most, as ``(name, morsel)``.

    Each value is read with the RFC 6265 §5.2 algorithm; values it says to ignore are skipped.
    """
    return [(cookie.name, _morsel_from_set_cookie(cookie)) for cookie in _set_cookies(headers)]


def _set_cookies(headers: Sequence[str]) -> Iterator[SetCookie]:
    """The cookies of ``Set-Cookie`` values whose names this client keeps, the first
    :data:`_MAX_COOKIES_PER_RESPONSE` of them."""
    kept = 0
    for position, header in enumerate(headers):
        if kept == _MAX_COOKIES_PER_RESPONSE:
            client_logger.debug(
                "Ignored %d Set-Cookie field(s) over the %d-cookie limit",
                len(headers) - position,
                _MAX_COOKIES_PER_RESPONSE,
            )
            return
        cookie = parse_set_cookie(header)
        if cookie is None:
            continue
        if _COOKIE_NAME.fullmatch(cookie.name) is None:
            # Refused by aiohttp 3.x too, which logs the same warning.
            client_logger.warning("Can not load cookies: Illegal cookie name %r", cookie.name)
            continue
        if cookie.domain and cookie.domain.endswith("."):
            cookie.domain = None  # ignored, as 3.x and browsers do: the cookie is host-only
        kept += 1
        yield cookie


#: The cookie names kept, as in aiohttp 3.x: printable ASCII but for the characters that
#: delimit a cookie header (``"``, ``,``, ``;``, ``\``, space). ``http.cookies`` is stricter
#: (an RFC 2616 token: no ``{}`` ...), so morsels are built without its name check.
_COOKIE_NAME = re.compile(r"[!#-+\--:<-\[\]-~]+")


def new_morsel(name: str, value: str, coded_value: str) -> Morsel[str]:
    """A :class:`~http.cookies.Morsel` for any name :data:`_COOKIE_NAME` keeps."""
    morsel: Morsel[str] = Morsel()
    # Morsel's pickling hook sets the three without set()'s RFC 2616 token check.
    cast(Any, morsel).__setstate__({"key": name, "value": value, "coded_value": coded_value})
    return morsel


def _morsel_from_set_cookie(cookie: SetCookie) -> Morsel[str]:
    morsel = new_morsel(cookie.name, _CODEC.value_decode(cookie.value)[0], cookie.value)
    if cookie.expires is not None:
        morsel["expires"] = format_http_date(max(cookie.expires, 0))
    if cookie.max_age is not None:
        morsel["max-age"] = str(cookie.max_age)
    morsel["domain"] = cookie.domain or ""
    morsel["path"] = cookie.path or ""
    morsel["secure"] = cookie.secure or ""  # 3.x's Morsels: True, or empty when unset
    morsel["httponly"] = cookie.httponly or ""
    morsel["samesite"] = cookie.samesite or ""
    return morsel


def _set_cookie_from_morsel(name: str, morsel: Morsel[Any], quote: bool) -> SetCookie:
    """What a Morsel says, in the terms of the RFC 6265 §5.2 parser's output."""
    max_age = str(morsel["max-age"]).strip()
    digits = max_age.lstrip("-")
    domain = str(morsel["domain"])
    return SetCookie(
        name=name,
        value=(morsel.coded_value if quote else morsel.value) or "",
        expires=parse_cookie_date(str(morsel["expires"])) if morsel["expires"] else None,
        max_age=int(max_age) if digits.isascii() and digits.isdigit() else None,
        # A Domain ending with a dot is ignored: the cookie is host-only (3.x, browsers).
        domain=None if domain.endswith(".") else domain.removeprefix(".").lower() or None,
        path=morsel["path"] if str(morsel["path"]).startswith("/") else None,
        secure=bool(morsel["secure"]),
        httponly=bool(morsel["httponly"]),
        samesite=morsel["samesite"] or None,
    )


def _on_the_wire(stored: str, quote: bool) -> tuple[str, str]:
    """A stored value as 3.x sends it, ``(value, coded value)``: with ``quote_cookie`` quoted
    when ``http.cookies`` would quote it (kept when already quoted), else unquoted."""
    value = _CODEC.value_decode(stored)[0]
    if not quote:
        return value, value
    if len(stored) > 1 and stored[0] == stored[-1] == '"':
        return value, stored
    return value, _CODEC.value_encode(stored)[1]


def _to_morsel(cookie: StoredCookie) -> Morsel[str]:
    morsel = new_morsel(cookie.name, _CODEC.value_decode(cookie.value)[0], cookie.value)
    morsel["domain"] = cookie.domain
    morsel["path"] = cookie.path
    if cookie.expiry is not None:
        morsel["expires"] = format_http_date(max(cookie.expiry, 0))
    morsel["secure"] = cookie.secure or ""
    morsel["httponly"] = cookie.http_only or ""
    morsel["samesite"] = cookie.same_site or ""
    return morsel


class CookieJar(AbstractCookieJar):
    """A cookie jar following RFC 6265.

    Args:
        unsafe: accept cookies from hosts that are IP addresses.
        quote_cookie: quote values that are not plain cookie-octets (RFC 6265 §4.1.1) when
            they are set from Python strings; with false, values are sent as given.
        treat_as_secure_origin: origins (``URL`` or ``str``) whose Secure cookies may be sent
            over plain http, such as ``http://localhost:8080`` in development.
        loop: deprecated and ignored.
    """

    def __init__(
        self,
        *,
        unsafe: bool = False,
        quote_cookie: bool = True,
        treat_as_secure_origin: URL | str | Iterable[URL | str] | None = None,
        loop: object = None,
    ) -> None:
        _warn_loop(loop)
        self._store = CookieStore(allow_ip_hosts=unsafe)
        self._unsafe = unsafe
        self._quote_cookie = quote_cookie
        if treat_as_secure_origin is None:
            origins: Iterable[URL | str] = ()
        elif isinstance(treat_as_secure_origin, URL | str):
            origins = (treat_as_secure_origin,)
        else:
            origins = treat_as_secure_origin
        self._secure_origins = {URL(str(origin)).origin() for origin in origins}

    #: The most cookies one request gets from the jar (the most specific paths first), as in
    #: 3.x; ``None`` for no limit. Cookies passed as ``cookies=`` to a request are not counted.
    max_cookies_per_request: int | None = _MAX_COOKIES_PER_REQUEST
    #: The longest ``Cookie`` field line the jar makes (its name, colon and space included):
    #: 8190, the field-size limit of aiohttp's server (3.x's); pairs past it are left out.
    max_cookie_header_size: int | None = _MAX_COOKIE_HEADER_LENGTH

    # The 3.x jar's date grammar and time bounds, for code that reads them: expiry dates are
    # parsed by aiohttp._sansio.cookies (RFC 6265 §5.1.1).
    DATE_TOKENS_RE = re.compile(
        r"[\x09\x20-\x2F\x3B-\x40\x5B-\x60\x7B-\x7E]*"
        r"(?P<token>[\x00-\x08\x0A-\x1F\d:a-zA-Z\x7F-\xFF]+)",
        re.ASCII,
    )
    DATE_HMS_TIME_RE = re.compile(r"(\d{1,2}):(\d{1,2}):(\d{1,2})", re.ASCII)
    DATE_DAY_OF_MONTH_RE = re.compile(r"(\d{1,2})", re.ASCII)
    DATE_MONTH_RE = re.compile(
        "(jan)|(feb)|(mar)|(apr)|(may)|(jun)|(jul)|(aug)|(sep)|(oct)|(nov)|(dec)",
        re.I | re.ASCII,
    )
    DATE_YEAR_RE = re.compile(r"(\d{2,4})", re.ASCII)
    MAX_TIME = 253402300799  # 9999-12-31 23:59:59 UTC, the latest expiry kept
    SUB_MAX_TIME = MAX_TIME - 1

    @property
    def quote_cookie(self) -> bool:
        """Whether values set from Python strings are quoted when needed."""
        return self._quote_cookie

    @property
    def unsafe(self) -> bool:
        """Whether cookies are kept for hosts that are IP addresses."""
        return self._unsafe

    @property
    def treat_as_secure_origin(self) -> frozenset[URL]:
        """Origins whose Secure cookies may be sent over plain http."""
        return frozenset(self._secure_origins)

    @property
    def cookies(self) -> MappingProxyType[tuple[str, str], SimpleCookie]:
        """The stored cookies by ``(domain, path)``, the path without its trailing ``/`` as in
        3.x (a read-only snapshot)."""
        self._store.expire(time.time())
        grouped: dict[tuple[str, str], SimpleCookie] = {}
        for cookie in self._store:
            key = (cookie.domain, cookie.path.rstrip("/"))
            grouped.setdefault(key, SimpleCookie())[cookie.name] = _to_morsel(cookie)
        return MappingProxyType(grouped)

    @property
    def host_only_cookies(self) -> frozenset[tuple[str, str, str]]:
        """``(domain, path, name)`` of the cookies sent only to the host that set them (the
        path without its trailing ``/``, as in 3.x)."""
        return frozenset(
            (cookie.domain, cookie.path.rstrip("/"), cookie.name)
            for cookie in self._store
            if cookie.host_only
        )

    def __len__(self) -> int:
        self._store.expire(time.time())
        return len(self._store)

    def __iter__(self) -> Iterator[Morsel[str]]:
        self._store.expire(time.time())
        return (_to_morsel(cookie) for cookie in self._store)

    def clear(self, predicate: ClearCookiePredicate | None = None) -> None:
        """Remove every cookie, or those for which ``predicate(morsel)`` is true."""
        if predicate is None:
            self._store.remove(lambda cookie: True)
            return
        now = time.time()
        self._store.remove(lambda cookie: cookie.expired(now) or predicate(_to_morsel(cookie)))

    def clear_domain(self, domain: str) -> None:
        """Remove the cookies of ``domain`` and of its subdomains."""
        self._store.clear_domain(domain)

    def update_cookies(self, cookies: LooseCookies, response_url: URL = URL()) -> None:  # noqa: B008
        """Store cookies, as received from ``response_url``.

        Args:
            cookies: a mapping or pairs of names to values, Morsels or a ``SimpleCookie``.
            response_url: where they came from; without a host they are shared by all hosts.
        """
        host = (response_url.raw_host or "").lower()
        items = cookies.items() if isinstance(cookies, Mapping) else cookies
        now = time.time()
        for name, given in items:
            if isinstance(given, Morsel):
                morsel: Morsel[Any] = given
                name = given.key or name  # noqa: PLW2901 - as in 3.x, a Morsel keeps its own name
            else:
                morsel = Morsel()
                value = given if isinstance(given, str) else str(given)
                morsel.set(name, value, _CODEC.value_encode(value)[1])
            cookie = _set_cookie_from_morsel(name, morsel, self._quote_cookie)
            if not sendable(cookie.name + cookie.value):
                internal_logger.debug("Dropped cookie %r for %s", cookie.name, host)
                continue
            if host:
                self._store.store(cookie, host, response_url.raw_path, now)
            else:
                self._store.add(self._shared(cookie, now), now)

    @staticmethod
    def _shared(cookie: SetCookie, now: float) -> StoredCookie:
        """A cookie given without a response URL: every host gets it (or its Domain)."""
        if cookie.max_age is not None:
            expiry: float | None = expiry_after(cookie.max_age, now)
        else:
            expiry = cookie.expires
        return StoredCookie(
            cookie.name,
            cookie.value,
            cookie.domain or "",
            cookie.path or "/",
            expiry,
            host_only=False,
            secure=cookie.secure,
            http_only=cookie.httponly,
            same_site=cookie.samesite,
            creation_time=now,
            last_access_time=now,
        )

    def update_cookies_from_headers(self, headers: Sequence[str], response_url: URL) -> None:
        """Store the cookies of ``Set-Cookie`` values, read with the RFC 6265 §5.2 algorithm."""
        host = (response_url.raw_host or "").lower()
        now = time.time()
        for cookie in _set_cookies(headers):
            if host:
                self._store.store(cookie, host, response_url.raw_path, now)
            else:
                self._store.add(self._shared(cookie, now), now)

    def filter_cookies(self, request_url: URL | str = URL()) -> BaseCookie[str]:  # noqa: B008
        """The cookies to send to ``request_url`` (RFC 6265 §5.4), most specific path first.

        A ``str`` is accepted with a :exc:`DeprecationWarning`, as in 3.x.
        """
        if not isinstance(request_url, URL):
            warnings.warn(
                "filter_cookies expects yarl.URL instances only,"
                f"and will stop working in 4.x, got {type(request_url)}",
                DeprecationWarning,
                stacklevel=2,
            )
            request_url = URL(request_url)
        filtered: BaseCookie[str] = SimpleCookie() if self._quote_cookie else BaseCookie()
        if not len(self._store):
            return filtered
        secure = request_url.scheme in _SECURE_SCHEMES or (
            request_url.absolute and request_url.origin() in self._secure_origins
        )
        host = request_url.raw_host or ""
        found = self._store.matching(host, request_url.path or "/", secure=secure, now=time.time())
        max_count, max_size = self.max_cookies_per_request, self.max_cookie_header_size
        size = len("Cookie: ") - len("; ")
        left_out = 0
        seen: set[str] = set()  # a name's most specific cookie stands for it, sent or not
        for cookie in found:
            if cookie.name in seen:
                continue
            seen.add(cookie.name)
            value, coded = _on_the_wire(cookie.value, self._quote_cookie)
            pair_size = len("; ") + len(cookie.name) + 1 + len(coded)
            if (max_count is not None and len(filtered) >= max_count) or (
                max_size is not None and size + pair_size > max_size
            ):
                left_out += 1
                continue
            size += pair_size
            # A name and a value, as a Cookie field carries them (3.x's bare morsels).
            filtered[cookie.name] = new_morsel(cookie.name, value, coded)
        if left_out:
            client_logger.debug(
                "Left %d cookie(s) for %s out of the Cookie field (limits: %s cookies, %s octets)",
                left_out,
                host,
                max_count,
                max_size,
            )
        return filtered

    def save(self, file_path: str | os.PathLike[str]) -> None:
        """Write the cookies to ``file_path`` as JSON, in aiohttp 3.x's layout (see
        :mod:`aiohttp.client.cookie_files`); a new file gets mode 0600."""
        self._store.expire(time.time())
        # Cookies are credentials: a new file is readable by its owner only (as in 3.x).
        descriptor = os.open(file_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "w", encoding="utf-8") as handle:
            json.dump(dump_cookies(self._store), handle)

    def load(self, file_path: str | os.PathLike[str]) -> None:
        """Replace the cookies with those of a file :meth:`save` (or 3.x's) wrote; expired
        ones are dropped. A pickle (aiohttp before 3.13) is refused: it runs code when read.

        Raises:
            ValueError: the file is not a saved cookie jar; the jar is left as it was.
        """
        try:
            with open(file_path, encoding="utf-8") as handle:
                data = json.load(handle)
            now = time.time()
            cookies = load_cookies(data, now)
        except (UnicodeDecodeError, ValueError) as exc:
            raise ValueError(f"{os.fspath(file_path)!r} is not a saved cookie jar") from exc
        self._store.remove(lambda cookie: True)
        for cookie in cookies:
            if cookie.domain and is_ip_address(cookie.domain) and not self._unsafe:
                continue  # as update_cookies() would refuse it
            self._store.add(cookie, now)


class _UnlimitedCookieJar(CookieJar):
    """The jar that reads the ``cookies=`` of one request (see :func:`request_cookies`): the
    per-request limits are the jar's, not the caller's, so it has none."""

    max_cookies_per_request = None
    max_cookie_header_size = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Nor the storage limits: every cookie the caller gives is kept.
        self._store = CookieStore(
            allow_ip_hosts=self._unsafe, max_per_domain=sys.maxsize, max_total=sys.maxsize
        )


def request_cookies(jar: AbstractCookieJar, cookies: Any, url: URL) -> Any:
    """The ``cookies=`` of one request that go to ``url``, read as 3.x reads them: through a
    jar with the session jar's settings, then the RFC 6265 §5.4 rules (a Secure cookie only
    over https or to an origin the jar treats as secure, Domain, Path and expiry honoured).
    A ``Cookie`` field value given as a string is sent as it is."""
    if not cookies or isinstance(cookies, str):
        return cookies
    reader = _UnlimitedCookieJar(
        unsafe=jar.unsafe,
        quote_cookie=jar.quote_cookie,
        treat_as_secure_origin=jar.treat_as_secure_origin,
    )
    reader.update_cookies(cookies)
    return reader.filter_cookies(url)


class DummyCookieJar(AbstractCookieJar):
    """A jar that keeps no cookies (to turn cookie handling off)."""

    @property
    def quote_cookie(self) -> bool:
        """Always true."""
        return True

    def __len__(self) -> int:
        return 0

    def __iter__(self) -> Iterator[Morsel[str]]:
        return iter(())

    def clear(self, predicate: ClearCookiePredicate | None = None) -> None:
        """Nothing to remove."""

    def clear_domain(self, domain: str) -> None:
        """Nothing to remove."""

    def update_cookies(self, cookies: LooseCookies, response_url: URL = URL()) -> None:  # noqa: B008
        """Drop the cookies."""

    def filter_cookies(self, request_url: URL = URL()) -> BaseCookie[str]:  # noqa: B008
        """No cookies."""
        return SimpleCookie()


async def cookie_step(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    """The chain's cookie step, outside the user's middlewares as in aiohttp 3.x: the jar's
    cookies for the URL join the ``Cookie`` field before the middlewares see the request (the
    request's own ``cookies=`` win a name they share), and the ``Set-Cookie`` fields of the
    response the middlewares return go into the jar."""
    jar = req._options.session._cookie_jar
    if type(jar) is not CookieJar or len(jar._store):  # an empty jar has nothing to send
        found = jar.filter_cookies(req.url)
        if found:
            req.update_cookies(found)
            own = req._cookies
            if own:
                req.update_cookies(own)
    resp = await handler(req)
    fields: Sequence[str] | None = resp._cookie_fields  # what a middleware set as resp.cookies
    if fields is None and "Set-Cookie" in resp.headers:
        fields = resp.headers.getall("Set-Cookie")
    if fields:
        from_headers = getattr(jar, "update_cookies_from_headers", None)
        if from_headers is not None:
            from_headers(fields, resp.url)
        else:  # a jar written for aiohttp before 3.12
            jar.update_cookies(resp.cookies, resp.url)
    return resp
