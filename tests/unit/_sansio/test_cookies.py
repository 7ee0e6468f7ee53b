"""Cookies (RFC 6265): headers both ways, the §5.2 parser, the §5.3 store and §5.4 retrieval."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp._sansio.cookies import (
    DEFAULT_COOKIE_QUOTA_PER_DOMAIN,
    DEFAULT_COOKIE_QUOTA_TOTAL,
    DEFAULT_MAX_ATTRIBUTE_VALUE_SIZE,
    DEFAULT_MAX_COOKIES_PER_DOMAIN,
    DEFAULT_MAX_COOKIES_TOTAL,
    DEFAULT_MAX_NAME_VALUE_SIZE,
    LATEST_EXPIRY,
    CookieStore,
    SetCookie,
    StoredCookie,
    default_path,
    domain_match,
    format_cookie_header,
    format_set_cookie,
    is_ip_address,
    parse_cookie_date,
    parse_cookie_header,
    parse_set_cookie,
    path_match,
)

NOW = 1_700_000_000.0


def _ts(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()  # type: ignore[misc]


# -- Cookie request header (server side) --------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param("", [], id="empty"),
        pytest.param("a=1", [("a", "1")], id="rfc6265-5.4-one"),
        pytest.param("a=1; b=2", [("a", "1"), ("b", "2")], id="rfc6265-5.4-two"),
        pytest.param(" a = 1 ;b=2;", [("a", "1"), ("b", "2")], id="lenient-spaces"),
        pytest.param('a="quoted value"', [("a", "quoted value")], id="quotes-removed"),
        pytest.param("a=x=y", [("a", "x=y")], id="equals-in-value"),
        pytest.param(
            "novalue; =empty; b=2", [("novalue", ""), ("b", "2")], id="bare-name-kept-empty-skipped"
        ),
        pytest.param(
            'data="value;with;semicolons"; x=1',
            [("data", "value;with;semicolons"), ("x", "1")],
            id="rfc6265-4.2.1-quoted-value-holds-semicolons",
        ),
        pytest.param(
            'token="abc"; Path=/; Secure',
            [("token", "abc"), ("Path", "/"), ("Secure", "")],
            id="rfc6265-5.4-attribute-names-are-just-cookies",
        ),
        pytest.param(
            'a="q" trailing; b=1', [("a", "q"), ("trailing", ""), ("b", "1")], id="after-quote"
        ),
        pytest.param(
            'a="open; b=1', [("a", '"open'), ("b", "1")], id="unterminated-quote-ends-at-semicolon"
        ),
        pytest.param("bad\x01name=1; ok=2", [("ok", "2")], id="control-character-in-name"),
        pytest.param("a=1; a=2", [("a", "1"), ("a", "2")], id="duplicates-kept-in-order"),
        pytest.param('a="', [("a", '"')], id="lone-quote-kept"),
        pytest.param('a="x\\054y\\"z"', [("a", 'x,y"z')], id="http-cookies-escapes"),
    ],
)
def test_parse_cookie_header(header: str, expected: list[tuple[str, str]]) -> None:
    assert parse_cookie_header(header) == expected


@settings(max_examples=100)
@given(st.text())
def test_parse_cookie_header_never_raises(header: str) -> None:
    for name, _ in parse_cookie_header(header):
        assert name


def test_format_cookie_header() -> None:
    assert format_cookie_header([("a", "1"), ("b", "2")]) == "a=1; b=2"
    assert format_cookie_header([]) == ""


# -- Set-Cookie formatting (server side) -------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({}, "sid=abc; Path=/", id="rfc6265-4.1-default-path"),
        pytest.param({"path": None}, "sid=abc", id="no-path"),
        pytest.param(
            {
                "expires": "Thu, 01 Jan 1970 00:00:00 GMT",
                "domain": "example.com",
                "max_age": 0,
                "path": "/app",
                "secure": True,
                "httponly": True,
                "samesite": "lax",
                "partitioned": True,
            },
            "sid=abc; expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; Max-Age=0; "
            "Path=/app; SameSite=Lax; Secure; HttpOnly; Partitioned",
            id="rfc6265-4.1-all-attributes",
        ),
        pytest.param({"secure": False, "httponly": None}, "sid=abc; Path=/", id="false-flags"),
    ],
)
def test_format_set_cookie(kwargs: dict[str, object], expected: str) -> None:
    assert format_set_cookie("sid", "abc", **kwargs) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param("", "n=", id="empty"),
        pytest.param('"already"', 'n="already"', id="rfc6265-4.1.1-dquoted"),
        pytest.param("a b", 'n="a b"', id="space-quoted"),
        pytest.param('a"b\\c', 'n="a\\"b\\\\c"', id="escapes"),
        pytest.param("a,b", 'n="a,b"', id="comma-quoted"),
    ],
)
def test_format_set_cookie_values(value: str, written: str) -> None:
    assert format_set_cookie("n", value, path=None) == written


@pytest.mark.parametrize(
    ("name", "value", "kwargs"),
    [
        pytest.param("a b", "v", {}, id="name-not-token"),
        pytest.param("", "v", {}, id="empty-name"),
        pytest.param("n", "v\r\nSet-Cookie: evil=1", {}, id="crlf-in-value"),
        pytest.param("n", "v\x00", {}, id="nul-in-value"),
        pytest.param("n", "v; Domain=evil.com", {}, id="semicolon-in-value"),
        pytest.param("n", "v", {"path": "/; Domain=evil"}, id="semicolon-in-path"),
        pytest.param("n", "v", {"domain": "a.com\n"}, id="lf-in-domain"),
        pytest.param("n", "v", {"expires": "x\r"}, id="cr-in-expires"),
        pytest.param("n", "v", {"max_age": "1;x"}, id="semicolon-in-max-age"),
        pytest.param("n", "v", {"samesite": "sometimes"}, id="bad-samesite"),
    ],
)
def test_format_set_cookie_refuses_injection(
    name: str, value: str, kwargs: dict[str, object]
) -> None:
    with pytest.raises(ValueError, match=r"cookie|SameSite"):
        format_set_cookie(name, value, **kwargs)  # type: ignore[arg-type]


# -- cookie-date (RFC 6265 §5.1.1) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT", _ts(1994, 11, 6, 8, 49, 37), id="imf"),
        pytest.param("Sunday, 06-Nov-94 08:49:37 GMT", _ts(1994, 11, 6, 8, 49, 37), id="rfc850"),
        pytest.param("Sun Nov  6 08:49:37 1994", _ts(1994, 11, 6, 8, 49, 37), id="asctime"),
        pytest.param("Wed, 01-Jan-2025 1:2:3 GMT", _ts(2025, 1, 1, 1, 2, 3), id="short-time"),
        pytest.param("01 january 30 00:00:00", _ts(2030, 1, 1), id="rfc6265-5.1.1-year-00-69"),
        pytest.param("01 jan 70 00:00:00", _ts(1970, 1, 1), id="rfc6265-5.1.1-year-70-99"),
        pytest.param("1st Feb 2000 00:00:00xyz", _ts(2000, 2, 1), id="trailing-non-digits"),
        pytest.param("Feb 2000 00:00:00", None, id="no-day"),
        pytest.param("01 Feb 00:00:00", None, id="no-year"),
        pytest.param("01 2000 00:00:00", None, id="no-month"),
        pytest.param("01 Feb 2000", None, id="no-time"),
        pytest.param("01 Feb 1600 00:00:00", None, id="rfc6265-5.1.1-before-1601"),
        pytest.param("01 Feb 2000 24:00:00", None, id="bad-hour"),
        pytest.param("01 Feb 2000 23:60:00", None, id="bad-minute"),
        pytest.param("01 Feb 2000 23:59:60", None, id="bad-second"),
        pytest.param("31 Feb 2000 00:00:00", None, id="no-such-day"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_cookie_date(value: str, expected: float | None) -> None:
    assert parse_cookie_date(value) == expected


# -- Set-Cookie parsing (RFC 6265 §5.2) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param("a=b", SetCookie("a", "b"), id="rfc6265-5.2-bare"),
        pytest.param(' a = "b c" ', SetCookie("a", '"b c"'), id="rfc6265-5.2-quotes-kept"),
        pytest.param(
            "a=b; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=60; Domain=.Example.COM; "
            "Path=/docs; Secure; HttpOnly; SameSite=strict; Partitioned",
            SetCookie(
                "a",
                "b",
                _ts(2015, 10, 21, 7, 28),
                60,
                "example.com",
                "/docs",
                True,
                True,
                "Strict",
                True,
            ),
            id="rfc6265-5.2-all",
        ),
        pytest.param("a=b; expires=never", SetCookie("a", "b"), id="rfc6265-5.2.1-bad-date"),
        pytest.param("a=b; max-age=1x", SetCookie("a", "b"), id="rfc6265-5.2.2-bad-max-age"),
        pytest.param("a=b; max-age=-5", SetCookie("a", "b", max_age=-5), id="negative-max-age"),
        pytest.param("a=b; domain=", SetCookie("a", "b"), id="rfc6265-5.2.3-empty-domain"),
        pytest.param("a=b; path=docs", SetCookie("a", "b"), id="rfc6265-5.2.4-relative-path"),
        pytest.param(
            "a=b; path=/x; path=rel", SetCookie("a", "b"), id="rfc6265-5.3-last-path-wins"
        ),
        pytest.param("a=b; samesite=bogus", SetCookie("a", "b"), id="rfc6265bis-unknown-samesite"),
        pytest.param("a=b; unknown=1; ;", SetCookie("a", "b"), id="rfc6265-5.2-unknown-attr"),
        pytest.param(
            "a=b; path=/" + "x" * DEFAULT_MAX_ATTRIBUTE_VALUE_SIZE,
            SetCookie("a", "b"),
            id="rfc6265bis-attribute-too-long",
        ),
        pytest.param(
            "a=b; path=/" + "x" * (DEFAULT_MAX_ATTRIBUTE_VALUE_SIZE - 1),
            SetCookie("a", "b", path="/" + "x" * (DEFAULT_MAX_ATTRIBUTE_VALUE_SIZE - 1)),
            id="rfc6265bis-attribute-at-limit",
        ),
        pytest.param(
            "a=b; Secure="
            + "x" * (DEFAULT_MAX_ATTRIBUTE_VALUE_SIZE + 1)
            + "; HttpOnly="
            + "y" * 2000,
            SetCookie("a", "b", secure=True, httponly=True),
            id="rfc6265-5.2.5-secure-whatever-its-value",  # never dropped: it only restricts
        ),
        pytest.param("novalue", None, id="rfc6265-5.2-no-equals"),
        pytest.param("=b", None, id="rfc6265-5.2-empty-name"),
        pytest.param("a=b\x00c", None, id="nul-in-value"),
    ],
)
def test_parse_set_cookie(header: str, expected: SetCookie | None) -> None:
    assert parse_set_cookie(header) == expected


def test_parse_set_cookie_size_limit() -> None:
    at_limit = "n=" + "v" * (DEFAULT_MAX_NAME_VALUE_SIZE - 1)
    assert parse_set_cookie(at_limit) is not None
    assert parse_set_cookie(at_limit + "v") is None
    assert parse_set_cookie("n=vvv", max_name_value_size=3) is None


@settings(max_examples=100)
@given(st.text())
def test_parse_set_cookie_never_raises(header: str) -> None:
    cookie = parse_set_cookie(header)
    if cookie is not None:
        assert cookie.name


# -- matching helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "domain", "expected"),
    [
        pytest.param("example.com", "example.com", True, id="rfc6265-5.1.3-identical"),
        pytest.param("www.example.com", "example.com", True, id="rfc6265-5.1.3-suffix"),
        pytest.param("wwwexample.com", "example.com", False, id="rfc6265-5.1.3-needs-dot"),
        pytest.param("example.com", "www.example.com", False, id="parent-not-child"),
        pytest.param("1.2.3.4", "2.3.4", False, id="rfc6265-5.1.3-ip-no-suffix"),
        pytest.param("1.2.3.4", "1.2.3.4", True, id="ip-identical"),
    ],
)
def test_domain_match(host: str, domain: str, expected: bool) -> None:
    assert domain_match(host, domain) is expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("", "/", id="rfc6265-5.1.4-empty"),
        pytest.param("relative", "/", id="rfc6265-5.1.4-not-absolute"),
        pytest.param("/file", "/", id="rfc6265-5.1.4-one-slash"),
        pytest.param("/dir/file", "/dir", id="rfc6265-5.1.4-directory"),
        pytest.param("/a/b/", "/a/b", id="trailing-slash"),
    ],
)
def test_default_path(path: str, expected: str) -> None:
    assert default_path(path) == expected


@pytest.mark.parametrize(
    ("request_path", "cookie_path", "expected"),
    [
        pytest.param("/docs", "/docs", True, id="rfc6265-5.1.4-identical"),
        pytest.param("/docs/x", "/docs/", True, id="rfc6265-5.1.4-cookie-path-slash"),
        pytest.param("/docs/x", "/docs", True, id="rfc6265-5.1.4-next-char-slash"),
        pytest.param("/docsx", "/docs", False, id="rfc6265-5.1.4-not-a-segment"),
        pytest.param("/other", "/docs", False, id="no-prefix"),
    ],
)
def test_path_match(request_path: str, cookie_path: str, expected: bool) -> None:
    assert path_match(request_path, cookie_path) is expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", True), ("[::1]", True), ("::1", True), ("example.com", False), ("", False)],
)
def test_is_ip_address(host: str, expected: bool) -> None:
    assert is_ip_address(host) is expected


# -- the store (RFC 6265 §5.3, §5.4) ------------------------------------------------------------


def _store(
    store: CookieStore, header: str, host: str = "www.example.com", path: str = "/"
) -> StoredCookie | None:
    cookie = parse_set_cookie(header)
    assert cookie is not None
    return store.store(cookie, host, path, NOW)


def _names(
    store: CookieStore, host: str, path: str = "/", *, secure: bool = False, now: float = NOW
) -> list[str]:
    return [c.name for c in store.matching(host, path, secure=secure, now=now)]


def test_rfc6265_5_3_host_only_by_default() -> None:
    store = CookieStore()
    stored = _store(store, "a=1")
    assert stored is not None
    assert (stored.domain, stored.host_only, stored.path) == ("www.example.com", True, "/")
    assert _names(store, "www.example.com") == ["a"]
    assert _names(store, "sub.www.example.com") == []
    assert _names(store, "WWW.EXAMPLE.COM.") == ["a"]


def test_rfc6265_5_3_domain_attribute_covers_subdomains() -> None:
    store = CookieStore()
    stored = _store(store, "a=1; Domain=example.com")
    assert stored is not None
    assert not stored.host_only
    assert _names(store, "example.com") == ["a"]
    assert _names(store, "deep.www.example.com") == ["a"]
    assert _names(store, "other.com") == []


def test_rfc6265_5_3_domain_equal_to_host_is_not_host_only() -> None:
    store = CookieStore()
    stored = _store(store, "a=1; Domain=www.example.com")
    assert stored is not None
    assert not stored.host_only


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("a=1; Domain=other.com", id="rfc6265-5.3-step6-foreign-domain"),
        pytest.param("a=1; Domain=sub.www.example.com", id="rfc6265-5.3-step6-child-domain"),
    ],
)
def test_rfc6265_5_3_domain_must_match_host(header: str) -> None:
    store = CookieStore()
    assert _store(store, header) is None
    assert len(store) == 0


def test_ip_hosts_refused_unless_allowed() -> None:
    assert _store(CookieStore(), "a=1", host="127.0.0.1") is None
    assert _store(CookieStore(), "a=1", host="") is None
    unsafe = CookieStore(allow_ip_hosts=True)
    assert unsafe.allow_ip_hosts
    assert _store(unsafe, "a=1", host="127.0.0.1") is not None
    assert _names(unsafe, "127.0.0.1") == ["a"]
    assert _store(unsafe, "b=1; Domain=0.0.1", host="127.0.0.1") is None


def test_rfc6265_5_3_default_path_from_request() -> None:
    store = CookieStore()
    stored = _store(store, "a=1", path="/app/page")
    assert stored is not None
    assert stored.path == "/app"
    assert _names(store, "www.example.com", "/app/x") == ["a"]
    assert _names(store, "www.example.com", "/") == []


def test_rfc6265_5_4_secure_only_over_secure_channels() -> None:
    store = CookieStore()
    _store(store, "a=1; Secure; HttpOnly; SameSite=Lax")
    assert _names(store, "www.example.com") == []
    [cookie] = store.matching("www.example.com", "/", secure=True, now=NOW)
    assert (cookie.secure, cookie.http_only, cookie.same_site) == (True, True, "Lax")


def test_rfc6265_5_4_order_longest_path_then_oldest() -> None:
    store = CookieStore()
    _store(store, "short=1; Path=/")
    _store(store, "long=1; Path=/a/b")
    cookie = parse_set_cookie("older=1; Path=/a/b")
    assert cookie is not None
    store.store(cookie, "www.example.com", "/", NOW - 10)
    assert _names(store, "www.example.com", "/a/b/c") == ["older", "long", "short"]


def test_rfc6265_5_3_replacement_keeps_creation_time() -> None:
    store = CookieStore()
    first = parse_set_cookie("a=1")
    second = parse_set_cookie("a=2")
    assert first is not None
    assert second is not None
    store.store(first, "www.example.com", "/", NOW - 100)
    replaced = store.store(second, "www.example.com", "/", NOW)
    assert replaced is not None
    assert (replaced.value, replaced.creation_time) == ("2", NOW - 100)
    assert len(store) == 1


@pytest.mark.parametrize(
    ("header", "alive_at", "dead_at"),
    [
        pytest.param("a=1; Max-Age=60", NOW + 59, NOW + 60, id="rfc6265-5.2.2-max-age"),
        pytest.param(
            "a=1; Expires=Wed, 15 Nov 2023 00:00:00 GMT",
            _ts(2023, 11, 14),
            _ts(2023, 11, 15),
            id="rfc6265-5.2.1-expires",
        ),
        pytest.param(
            "a=1; Expires=Wed, 15 Nov 2000 00:00:00 GMT; Max-Age=60",
            NOW + 1,
            NOW + 61,
            id="rfc6265-5.3-max-age-wins",
        ),
    ],
)
def test_expiry(header: str, alive_at: float, dead_at: float) -> None:
    store = CookieStore()
    cookie = parse_set_cookie(header)
    assert cookie is not None
    store.store(cookie, "example.com", "/", min(NOW, alive_at))
    assert _names(store, "example.com", now=alive_at) == ["a"]
    assert _names(store, "example.com", now=dead_at) == []
    assert len(store) == 0


def test_session_cookie_never_expires() -> None:
    store = CookieStore()
    stored = _store(store, "a=1")
    assert stored is not None
    assert stored.expiry is None
    assert not stored.expired(NOW + 10**9)


@pytest.mark.parametrize(
    "deletion",
    [
        pytest.param("a=; Max-Age=0", id="rfc6265-5.2.2-max-age-zero"),
        pytest.param("a=; Max-Age=-1", id="negative"),
        pytest.param("a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", id="past-expires"),
    ],
)
def test_expired_cookie_deletes_existing(deletion: str) -> None:
    store = CookieStore()
    _store(store, "a=1")
    assert _store(store, deletion) is None
    assert len(store) == 0


def test_per_domain_limit_at_and_past() -> None:
    store = CookieStore(max_per_domain=3)
    for index in range(3):
        cookie = parse_set_cookie(f"c{index}=1")
        assert cookie is not None
        store.store(cookie, "a.com", "/", NOW + index)
    assert len(store) == 3
    cookie = parse_set_cookie("c3=1")
    assert cookie is not None
    store.store(cookie, "a.com", "/", NOW + 3)
    assert sorted(c.name for c in store) == ["c1", "c2", "c3"]


def test_total_limit_prefers_expired_then_least_recent() -> None:
    store = CookieStore(max_total=2)
    for index, header in enumerate(["old=1; Max-Age=1", "keep=1", "new=1"]):
        cookie = parse_set_cookie(header)
        assert cookie is not None
        store.store(cookie, f"h{index}.com", "/", NOW + 5 * index)
    assert sorted(c.name for c in store) == ["keep", "new"]
    cookie = parse_set_cookie("newest=1")
    assert cookie is not None
    store.store(cookie, "h9.com", "/", NOW + 20)
    assert sorted(c.name for c in store) == ["new", "newest"]


def test_named_store_defaults() -> None:
    # Chromium's (and aiohttp 3.x's) numbers: past 180 a domain is purged to 150, past 3300
    # the store to 3000, so eviction runs once per 30 (300) cookies, not on every new one.
    assert (DEFAULT_MAX_COOKIES_PER_DOMAIN, DEFAULT_COOKIE_QUOTA_PER_DOMAIN) == (180, 150)
    assert (DEFAULT_MAX_COOKIES_TOTAL, DEFAULT_COOKIE_QUOTA_TOTAL) == (3300, 3000)
    store = CookieStore()
    for index in range(DEFAULT_MAX_COOKIES_PER_DOMAIN):
        store.add(StoredCookie(f"c{index}", "v", "a.com", creation_time=index), NOW + index)
    assert len(store) == DEFAULT_MAX_COOKIES_PER_DOMAIN  # at the limit: all kept
    store.add(StoredCookie("last", "v", "a.com", creation_time=999), NOW + 999)
    assert len(store) == DEFAULT_COOKIE_QUOTA_PER_DOMAIN  # one past: purged to the quota
    names = {c.name for c in store}
    assert "last" in names
    assert "c30" not in names  # the least recently used went
    assert "c31" in names


def test_total_purge_goes_down_to_the_quota() -> None:
    store = CookieStore(max_total=4, quota_total=2)
    for index in range(5):
        store.add(StoredCookie(f"c{index}", "v", f"h{index}.com"), NOW + index)
    assert sorted(c.name for c in store) == ["c3", "c4"]


def test_shared_cookie_goes_everywhere() -> None:
    store = CookieStore()
    store.add(StoredCookie("shared", "1", "", host_only=False), NOW)
    assert _names(store, "anything.org") == ["shared"]
    assert _names(store, "127.0.0.1") == ["shared"]


def test_clear_domain_and_remove() -> None:
    store = CookieStore()
    _store(store, "a=1; Domain=example.com")
    _store(store, "b=1", host="sub.example.com")
    _store(store, "c=1", host="example.org")
    store.clear_domain(".Example.com")
    assert [c.name for c in store] == ["c"]
    store.remove(lambda cookie: cookie.name == "c")
    assert len(store) == 0


def test_add_expired_is_dropped() -> None:
    store = CookieStore()
    assert store.add(StoredCookie("a", "1", "x.com", expiry=NOW - 1), NOW) is None
    assert len(store) == 0


def test_stored_cookie_key() -> None:
    assert StoredCookie("n", "v", "d.com", "/p").key == ("d.com", "/p", "n")


@settings(max_examples=60)
@given(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E, blacklist_characters=';"\\')),
)
def test_cross_check_stdlib_http_cookies_reads_what_we_write(value: str) -> None:
    from http.cookies import SimpleCookie

    header = format_set_cookie("name", value, path="/p", max_age=5, httponly=True)
    jar = SimpleCookie()
    jar.load(header)
    assert jar["name"].value == value
    assert (jar["name"]["path"], jar["name"]["max-age"]) == ("/p", "5")
    assert jar["name"]["httponly"] is True
    parsed = parse_set_cookie(header)
    assert parsed is not None
    assert parse_cookie_header(f"name={parsed.value}") == [("name", value)]


@pytest.mark.parametrize(
    ("max_age", "stored"),
    [("9" * 309, True), ("-" + "9" * 309, False), (str(2**64), True)],
)
def test_a_max_age_past_any_date_is_clamped_not_a_crash(max_age: str, stored: bool) -> None:
    # RFC 6265 §5.2.2: an expiry past the latest representable date becomes that date; a
    # hostile server's 309-digit Max-Age must not overflow the float of the expiry time.
    store = CookieStore()
    kept = _store(store, f"sid=x; Max-Age={max_age}")
    assert (kept is not None) is stored
    if kept is not None:
        assert kept.expiry == LATEST_EXPIRY
        assert _names(store, "www.example.com") == ["sid"]
