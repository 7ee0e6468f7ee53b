"""CookieJar and DummyCookieJar (aiohttp 3.x API) on the RFC 6265 store."""

from __future__ import annotations

import json
import logging
import stat
import time
from collections.abc import Iterator, Sequence
from http.cookies import BaseCookie, Morsel, SimpleCookie
from pathlib import Path

import pytest
from yarl import URL

from aiohttp.client.cookiejar import AbstractCookieJar, CookieJar, DummyCookieJar


def _sent(jar: CookieJar, url: str) -> dict[str, str]:
    return {name: morsel.coded_value for name, morsel in jar.filter_cookies(URL(url)).items()}


def _response_cookies(*headers: str) -> SimpleCookie:
    cookies = SimpleCookie()
    for header in headers:
        cookies.load(header)
    return cookies


def test_shared_cookies_go_to_every_host() -> None:
    jar = CookieJar()
    jar.update_cookies({"shared": "1"})
    assert _sent(jar, "http://a.example/") == {"shared": "1"}
    assert _sent(jar, "http://127.0.0.1/") == {"shared": "1"}
    assert len(jar) == 1


def test_response_cookies_are_host_only_by_default() -> None:
    jar = CookieJar()
    jar.update_cookies(_response_cookies("a=1"), URL("http://www.example.com/dir/page"))
    assert _sent(jar, "http://www.example.com/dir/other") == {"a": "1"}
    assert _sent(jar, "http://www.example.com/") == {}  # rfc6265-5.1.4 default path /dir
    assert _sent(jar, "http://sub.www.example.com/dir/x") == {}
    [morsel] = list(jar)
    assert (morsel["domain"], morsel["path"]) == ("www.example.com", "/dir")


def test_rfc6265_5_3_domain_attribute() -> None:
    jar = CookieJar()
    jar.update_cookies(
        _response_cookies("a=1; Domain=.example.com; Path=/", "b=2; Domain=other.com"),
        URL("http://www.example.com/"),
    )
    assert _sent(jar, "http://example.com/") == {"a": "1"}
    assert _sent(jar, "http://deep.sub.example.com/x") == {"a": "1"}
    assert len(jar) == 1


def test_rfc6265_5_4_secure_cookies_need_a_secure_scheme() -> None:
    jar = CookieJar()
    jar.update_cookies(_response_cookies("s=1; Secure; HttpOnly"), URL("https://example.com/"))
    assert _sent(jar, "http://example.com/") == {}
    assert _sent(jar, "https://example.com/") == {"s": "1"}
    assert _sent(jar, "wss://example.com/") == {"s": "1"}
    [morsel] = list(jar)
    assert morsel["secure"] is True
    assert morsel["httponly"] is True


@pytest.mark.parametrize(
    "origins",
    ["http://example.com", URL("http://example.com:80"), ["http://other", "http://example.com"]],
)
def test_treat_as_secure_origin(origins: object) -> None:
    jar = CookieJar(treat_as_secure_origin=origins)  # type: ignore[arg-type]
    jar.update_cookies(_response_cookies("s=1; Secure"), URL("https://example.com/"))
    assert _sent(jar, "http://example.com/path") == {"s": "1"}
    assert _sent(jar, "http://example.com:8080/") == {}


def test_ip_hosts_need_unsafe() -> None:
    safe = CookieJar()
    safe.update_cookies(_response_cookies("a=1"), URL("http://127.0.0.1/"))
    assert len(safe) == 0
    unsafe = CookieJar(unsafe=True)
    unsafe.update_cookies(_response_cookies("a=1"), URL("http://127.0.0.1/"))
    assert _sent(unsafe, "http://127.0.0.1/") == {"a": "1"}


def test_max_age_and_expires() -> None:
    jar = CookieJar()
    url = URL("http://example.com/")
    jar.update_cookies(
        _response_cookies(
            "gone=1; Max-Age=0",
            "old=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            "later=1; Max-Age=3600",
            "until=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
            "bad=1; Max-Age=soon",
        ),
        url,
    )
    assert _sent(jar, str(url)) == {"later": "1", "until": "1", "bad": "1"}
    morsels = {m.key: m for m in jar}
    assert morsels["until"]["expires"] == "Fri, 01 Jan 2100 00:00:00 GMT"
    assert morsels["bad"]["expires"] == ""


def test_expiry_uses_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    jar = CookieJar()
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    jar.update_cookies({"a": "1"})
    jar.update_cookies(_response_cookies("b=1; Max-Age=10"), URL("http://example.com/"))
    assert len(jar) == 2
    monkeypatch.setattr(time, "time", lambda: now + 11)
    assert len(jar) == 1
    assert _sent(jar, "http://example.com/") == {"a": "1"}


def test_deleting_a_cookie() -> None:
    jar = CookieJar()
    url = URL("http://example.com/")
    jar.update_cookies(_response_cookies("a=1"), url)
    jar.update_cookies(_response_cookies("a=; Max-Age=0"), url)
    assert len(jar) == 0


@pytest.mark.parametrize(
    ("quote", "value", "wire"),
    [
        pytest.param(True, "plain", "plain", id="plain"),
        pytest.param(True, "a b", '"a b"', id="quoted"),
        pytest.param(False, "a b", "a b", id="unquoted"),
    ],
)
def test_quote_cookie(quote: bool, value: str, wire: str) -> None:
    jar = CookieJar(quote_cookie=quote)
    assert jar.quote_cookie is quote
    jar.update_cookies({"n": value})
    filtered = jar.filter_cookies(URL("http://x/"))
    assert filtered["n"].coded_value == wire
    assert filtered["n"].value == value
    assert isinstance(filtered, SimpleCookie) is quote


def test_update_with_morsels_and_pairs() -> None:
    jar = CookieJar()
    morsel: Morsel[str] = Morsel()
    morsel.set("m", "v", "v")
    morsel["path"] = "/p"
    jar.update_cookies([("m", morsel), ("n", 5)])  # type: ignore[list-item]
    assert _sent(jar, "http://h/p/x") == {"m": "v", "n": "5"}
    assert _sent(jar, "http://h/") == {"n": "5"}


def test_shared_cookie_with_domain_and_max_age() -> None:
    jar = CookieJar()
    cookies = _response_cookies("d=1; Domain=example.com; Max-Age=60", "z=1; Max-Age=0")
    jar.update_cookies(cookies)
    assert _sent(jar, "http://www.example.com/") == {"d": "1"}
    assert _sent(jar, "http://other.org/") == {}


def test_most_specific_path_wins_a_name_clash() -> None:
    jar = CookieJar()
    url = URL("http://example.com/a/b")
    jar.update_cookies(_response_cookies("n=root; Path=/"), url)
    jar.update_cookies(_response_cookies("n=deep; Path=/a"), url)
    assert _sent(jar, "http://example.com/a/b") == {"n": "deep"}


def test_update_cookies_from_headers() -> None:
    jar = CookieJar()
    jar.update_cookies_from_headers(
        ['a="quoted value"; Path=/', "broken", "b=2; SameSite=Lax"],
        URL("http://example.com/"),
    )
    assert _sent(jar, "http://example.com/") == {"a": '"quoted value"', "b": "2"}
    [_, morsel] = sorted(jar, key=lambda m: m.key)
    assert morsel["samesite"] == "Lax"
    jar.update_cookies_from_headers(["shared=1"], URL())
    assert _sent(jar, "http://else.org/") == {"shared": "1"}


def test_clear_and_clear_domain() -> None:
    jar = CookieJar()
    jar.update_cookies(_response_cookies("a=1; Domain=example.com"), URL("http://example.com/"))
    jar.update_cookies(_response_cookies("b=1"), URL("http://sub.example.com/"))
    jar.update_cookies(_response_cookies("c=1"), URL("http://example.org/"))
    jar.update_cookies(_response_cookies("d=1"), URL("http://example.org/"))
    jar.clear_domain("example.com")
    assert sorted(m.key for m in jar) == ["c", "d"]
    jar.clear(lambda morsel: morsel.key == "c")
    assert [m.key for m in jar] == ["d"]
    jar.clear()
    assert len(jar) == 0
    assert _sent(jar, "http://example.org/") == {}


def test_save_and_load(tmp_path: Path) -> None:
    jar = CookieJar()
    jar.update_cookies(
        _response_cookies("a=1; Max-Age=100; Secure", "b=2; Domain=example.com; Path=/x"),
        URL("https://www.example.com/"),
    )
    jar.update_cookies({"shared": "s"})
    path = tmp_path / "jar.json"
    jar.save(path)
    other = CookieJar()
    other.load(path)
    assert _sent(other, "https://www.example.com/x") == _sent(jar, "https://www.example.com/x")
    assert len(other) == 3
    assert _sent(other, "http://www.example.com/") == {"shared": "s"}


@pytest.mark.parametrize(
    "content",
    [
        '[{"unexpected": 1}]',
        '{"example.com|/": {"a": {"key": "a"}}}',  # no value
        '{"example.com|/": {"a": {"key": "a", "value": "1", "coded_value": "1",'
        ' "expires_timestamp": "soon"}}}',
        '{"no-separator": {"a": {"key": "a", "value": "1", "coded_value": "1"}}}',
        "42",
    ],
)
def test_load_refuses_other_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    jar = CookieJar()
    jar.update_cookies({"kept": "1"})
    with pytest.raises(ValueError, match="not a saved cookie jar"):
        jar.load(path)
    assert [m.key for m in jar] == ["kept"]  # a bad file leaves the jar as it was


def test_save_writes_3x_json_layout(tmp_path: Path) -> None:
    # aiohttp 3.13+ saves {"domain|path": {name: {key, value, coded_value, attributes...,
    # host_only, expires_timestamp}}}; a file written here loads there and back.
    before = time.time()
    jar = CookieJar()
    jar.update_cookies(
        _response_cookies("a=1; Max-Age=100; Secure; HttpOnly"), URL("https://www.example.com/")
    )
    jar.update_cookies(
        _response_cookies("b=2; Domain=example.com; Path=/x"), URL("https://www.example.com/")
    )
    path = tmp_path / "jar.json"
    jar.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(data) == ["example.com|/x", "www.example.com|"]  # 3.x keys: no last "/"
    a = data["www.example.com|"]["a"]
    assert 100 <= a.pop("expires_timestamp") - before <= 101
    assert a == {
        "key": "a",
        "value": "1",
        "coded_value": "1",
        "path": "/",
        "domain": "www.example.com",
        "secure": True,
        "httponly": True,
        "host_only": True,
    }
    assert data["example.com|/x"]["b"] == {
        "key": "b",
        "value": "2",
        "coded_value": "2",
        "path": "/x",
        "domain": "example.com",
    }


def test_load_reads_a_3x_file_and_replaces_the_jar(tmp_path: Path) -> None:
    record = {"key": "sid", "value": "abc", "coded_value": "abc", "domain": "example.com"}
    data = {
        "example.com|/": {"sid": {**record, "path": "/", "host_only": True}},
        "example.com|/api": {"dom": {**record, "key": "dom", "path": "/api", "secure": True}},
        "|/": {"shared": {**record, "key": "shared", "domain": "", "path": "/"}},
        "old.example|/": {
            "gone": {**record, "key": "gone", "domain": "old.example", "expires_timestamp": 1.0}
        },
    }
    path = tmp_path / "jar.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    jar = CookieJar()
    jar.update_cookies({"before": "1"})
    jar.load(path)
    assert _sent(jar, "https://example.com/api") == {"sid": "abc", "dom": "abc", "shared": "abc"}
    assert _sent(jar, "https://sub.example.com/api") == {"dom": "abc", "shared": "abc"}
    assert _sent(jar, "http://example.com/api") == {"sid": "abc", "shared": "abc"}  # Secure
    assert sorted(m.key for m in jar) == ["dom", "shared", "sid"]  # replaced; expired dropped


def test_filter_cookies_gives_bare_morsels_as_3x() -> None:
    # What goes in a Cookie field is a name and a value (RFC 6265 §5.4 step 4): 3.x's
    # filter_cookies() gives morsels without attributes, so output() makes a Cookie value.
    jar = CookieJar()
    jar.update_cookies(_response_cookies("a=1; Path=/; Secure; HttpOnly"), URL("https://e.org/"))
    morsel = jar.filter_cookies(URL("https://e.org/"))["a"]
    assert (morsel.key, morsel.value, morsel.coded_value) == ("a", "1", "1")
    assert all(not morsel[attr] for attr in ("path", "domain", "secure", "httponly", "expires"))


def test_loop_argument_is_deprecated() -> None:
    with pytest.warns(DeprecationWarning, match="loop"):
        CookieJar(loop=object())
    with pytest.warns(DeprecationWarning, match="loop"):
        DummyCookieJar(loop=object())


def test_dummy_cookie_jar() -> None:
    jar = DummyCookieJar()
    jar.update_cookies({"a": "1"})
    jar.update_cookies_from_headers(["a=1"], URL("http://x/"))
    jar.clear()
    jar.clear_domain("x")
    assert len(jar) == 0
    assert list(jar) == []
    assert jar.quote_cookie
    assert not jar.filter_cookies(URL("http://x/"))


class RecordingJar(AbstractCookieJar):
    """A third-party jar relying on the default update_cookies_from_headers."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[tuple[str, Morsel[str]]] = []

    @property
    def quote_cookie(self) -> bool:
        return True

    def __len__(self) -> int:
        return len(self.received)

    def __iter__(self) -> Iterator[Morsel[str]]:
        return iter(m for _, m in self.received)

    def clear(self, predicate: object = None) -> None:
        self.received.clear()

    def clear_domain(self, domain: str) -> None:
        self.received.clear()

    def update_cookies(self, cookies: object, response_url: URL = URL()) -> None:  # noqa: B008
        self.received.extend(cookies)  # type: ignore[call-overload]

    def filter_cookies(self, request_url: URL) -> BaseCookie[str]:
        return SimpleCookie()


def test_abstract_jar_default_header_parsing() -> None:
    jar = RecordingJar()
    headers: Sequence[str] = [
        "a=1; Domain=.Example.com; Path=/p; Max-Age=5; Secure; HttpOnly; SameSite=Strict",
        "b=2; Expires=Thu, 01 Jan 2099 00:00:00 GMT",
        "=broken",
    ]
    jar.update_cookies_from_headers(headers, URL("http://example.com/"))
    assert [name for name, _ in jar.received] == ["a", "b"]
    first, second = (m for _, m in jar.received)
    assert (first["domain"], first["path"], first["max-age"], first["samesite"]) == (
        "example.com",
        "/p",
        "5",
        "Strict",
    )
    assert second["expires"] == "Thu, 01 Jan 2099 00:00:00 GMT"
    jar.update_cookies_from_headers(["=only broken"], URL("http://example.com/"))
    assert len(jar) == 2


def test_aiohttp_3x_import_paths() -> None:
    import aiohttp
    import aiohttp.cookiejar

    assert aiohttp.cookiejar.CookieJar is aiohttp.CookieJar is CookieJar
    assert aiohttp.cookiejar.DummyCookieJar is DummyCookieJar


def test_a_request_gets_at_most_150_cookies_the_most_specific_first() -> None:
    # RFC 6265 §5.4 step 2 orders by path length; a server answers 431 or drops a Cookie field
    # past its limits, so the jar sends at most cookiejar._MAX_COOKIES_PER_REQUEST (150, 3.x's).
    from aiohttp import cookiejar

    assert cookiejar._MAX_COOKIES_PER_REQUEST == CookieJar.max_cookies_per_request == 150
    jar = CookieJar()
    url = URL("http://example.com/a/b")
    jar.update_cookies({"deep": "1"}, URL("http://example.com/a/b"))  # path /a
    for i in range(150):
        jar.update_cookies({f"c{i:03}": "v"}, URL("http://example.com/"))  # path /
    sent = _sent(jar, str(url))
    assert len(sent) == 150
    assert "deep" in sent  # the most specific one is kept
    assert "c149" not in sent  # the newest of the least specific is left out
    jar.clear(lambda morsel: morsel.key == "deep")
    assert len(_sent(jar, str(url))) == 150  # exactly at the limit: all sent


def test_limits_are_settable_on_a_jar_class() -> None:
    class Roomy(CookieJar):
        max_cookies_per_request = None
        max_cookie_header_size = None

    jar = Roomy()
    for i in range(151):
        jar.update_cookies({f"c{i:03}": "v" * 100}, URL("http://example.com/"))
    assert len(_sent(jar, "http://example.com/")) == 151


def _header_size(sent: dict[str, str]) -> int:
    return len("Cookie: ") + len("; ".join(f"{k}={v}" for k, v in sent.items()))


def test_the_cookie_field_fits_in_8190_octets() -> None:
    # 8190 is the field-size limit of aiohttp's server and of nginx's default buffer.
    from aiohttp import cookiejar

    assert cookiejar._MAX_COOKIE_HEADER_LENGTH == CookieJar.max_cookie_header_size == 8190
    jar = CookieJar()
    base = URL("http://example.com/")
    # "Cookie: " + 2 pairs of 4000 + "; " = 8 + 8000 + 2 = 8010; the third pair (len 178) fits
    # exactly with its separator: 8010 + 2 + 178 = 8190.
    jar.update_cookies({"a": "x" * 3998}, base)
    jar.update_cookies({"b": "x" * 3998}, base)
    jar.update_cookies({"c": "x" * 176}, base)
    sent = _sent(jar, "http://example.com/")
    assert list(sent) == ["a", "b", "c"]
    assert _header_size(sent) == 8190
    # One octet more and that pair is left out; a smaller later one still goes.
    jar.update_cookies({"c": "x" * 177}, base)
    jar.update_cookies({"d": "1"}, base)
    sent = _sent(jar, "http://example.com/")
    assert sorted(sent) == ["a", "b", "d"]


def test_a_name_left_out_for_size_is_not_replaced_by_a_less_specific_one() -> None:
    class Small(CookieJar):
        max_cookie_header_size = 100

    jar = Small()
    jar.update_cookies({"a": "x" * 100}, URL("http://example.com/p/q"))  # path /p
    assert len(jar) == 1
    jar.update_cookies({"a": "short"}, URL("http://example.com/"))  # path /
    assert _sent(jar, "http://example.com/p/x") == {}
    assert _sent(jar, "http://example.com/") == {"a": "short"}


def test_a_response_sets_at_most_50_cookies() -> None:
    # 3.x's cap (aiohttp._cookie_helpers._MAX_COOKIES_PER_RESPONSE): a response flooding the
    # jar with Set-Cookie fields gets its first 50 kept, the rest ignored.
    from aiohttp import _cookie_helpers

    assert _cookie_helpers._MAX_COOKIES_PER_RESPONSE == 50
    headers = [f"c{i:02}=v" for i in range(51)]
    jar = CookieJar()
    jar.update_cookies_from_headers(headers, URL("http://example.com/"))
    assert len(jar) == 50
    assert "c50" not in _sent(jar, "http://example.com/")
    morsels = _cookie_helpers.parse_set_cookie_headers(headers[:50])
    assert [name for name, _ in morsels] == [f"c{i:02}" for i in range(50)]  # at the limit
    # Fields the parser ignores do not count against the cap.
    assert len(_cookie_helpers.parse_set_cookie_headers(["bad\x00=1", *headers])) == 50


def test_attribute_value_limit_has_its_3x_name() -> None:
    from aiohttp import _cookie_helpers

    assert _cookie_helpers._MAX_COOKIE_ATTRIBUTE_VALUE_LENGTH == 1024
    jar = CookieJar()
    long_path = "/" + "p" * 1023  # 1024 octets: kept
    jar.update_cookies_from_headers([f"a=1; Path={long_path}"], URL("http://example.com/"))
    jar.update_cookies_from_headers([f"b=1; Path={long_path}p"], URL("http://example.com/"))
    assert _sent(jar, f"http://example.com{long_path}/x") == {"a": "1", "b": "1"}
    assert _sent(jar, "http://example.com/") == {"b": "1"}  # its Path was ignored: default /


def test_a_domain_past_180_cookies_is_purged_to_150() -> None:
    # 3.x's (and Chromium's) storage limits, under 3.x's names in aiohttp.cookiejar.
    from aiohttp import cookiejar

    assert (cookiejar._MAX_COOKIES_PER_DOMAIN, cookiejar._COOKIE_QUOTA_PER_DOMAIN) == (180, 150)
    assert (cookiejar._MAX_COOKIES_TOTAL, cookiejar._COOKIE_QUOTA_TOTAL) == (3300, 3000)
    jar = CookieJar()
    for i in range(181):
        jar.update_cookies({f"c{i:03}": "v"}, URL("http://example.com/"))
    assert len(jar) == 150
    assert "c180" in {m.key for m in jar}


@pytest.mark.parametrize("max_age", ["9" * 309, "-" + "9" * 309])
def test_a_hostile_max_age_neither_crashes_the_jar_nor_the_request(max_age: str) -> None:
    jar = CookieJar()
    jar.update_cookies_from_headers([f"sid=x; Max-Age={max_age}"], URL("https://example.com/"))
    jar.update_cookies(_response_cookies(f"shared=x; Max-Age={max_age}"))  # no response URL
    expected = {"sid": "x", "shared": "x"} if not max_age.startswith("-") else {}
    assert _sent(jar, "https://example.com/") == expected


def test_saved_cookies_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    # Cookies are credentials: the file is made 0600, as 3.x makes it.
    jar = CookieJar()
    jar.update_cookies_from_headers(["token=abc123; Path=/"], URL("https://example.com/"))
    path = tmp_path / "cookies.json"
    jar.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_load_refuses_an_expiry_past_any_float(tmp_path: Path) -> None:
    record = {"key": "a", "value": "1", "coded_value": "1", "expires_timestamp": 10**400}
    path = tmp_path / "cookies.json"
    path.write_text(json.dumps({"example.com|": {"a": record}}), encoding="utf-8")
    with pytest.raises(ValueError, match="not a saved cookie jar"):
        CookieJar().load(path)


@pytest.mark.parametrize("value", ["a\x07b", "a\r\nX-Injected: 1", "\udcff"])
def test_a_cookie_that_cannot_be_sent_is_dropped(
    caplog: pytest.LogCaptureFixture, value: str
) -> None:
    """A control character (a header injection) or a lone surrogate (no bytes to send it as)
    is never stored, so it can't break, or slip into, later requests (3.x drops it too)."""
    jar = CookieJar()
    url = URL("https://example.com/")
    morsel: Morsel[str] = Morsel()
    morsel.__setstate__({"key": "bad", "value": value, "coded_value": value})
    with caplog.at_level(logging.DEBUG, logger="aiohttp.internal"):
        jar.update_cookies({"bad": morsel}, url)
    jar.update_cookies({"ok": "value"}, url)
    assert [cookie.key for cookie in jar] == ["ok"]
    assert set(jar.filter_cookies(url)) == {"ok"}
    assert "Dropped cookie 'bad' for example.com" in caplog.text


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        (True, 'a="value/one"; b="x/y"; c=plain; d="sp ace"; e="v/w"; f="q"; i="x/z"'),
        (False, "a=value/one; b=x/y; c=plain; d=sp ace; e=v/w; f=q; i=x/z"),
    ],
)
def test_quote_cookie_decides_how_values_are_sent(quote: bool, expected: str) -> None:
    """As in 3.x: with ``quote_cookie`` (the default) a value with characters ``http.cookies``
    quotes is sent quoted, and one already quoted is kept; without it, values go unquoted."""
    jar = CookieJar(unsafe=True, quote_cookie=quote)
    url = URL("http://127.0.0.1/")
    jar.update_cookies_from_headers(["a=value/one", 'b="x/y"', "c=plain", "d=sp ace"], url)
    jar.update_cookies(SimpleCookie('e=v/w; f="q"'), url)
    jar.update_cookies({"i": "x/z"}, url)
    sent = jar.filter_cookies(url)
    assert "; ".join(f"{k}={m.coded_value}" for k, m in sorted(sent.items())) == expected


# -- 3.x's Morsels, string URLs, trailing-dot domains ----------------------------------------


@pytest.mark.parametrize(
    ("header", "secure", "httponly"),
    [("a=1", "", ""), ("a=1; Secure", True, ""), ("a=1; HttpOnly", "", True)],
)
def test_the_jar_morsels_flags_are_true_or_empty_as_in_3x(
    header: str, secure: object, httponly: object
) -> None:
    jar = CookieJar()
    jar.update_cookies_from_headers([header], URL("https://example.com/"))
    (morsel,) = jar
    assert (morsel["secure"], morsel["httponly"]) == (secure, httponly)
    assert (morsel["expires"], morsel["max-age"], morsel["samesite"]) == ("", "", "")


def test_filter_cookies_with_a_string_warns_as_in_3x() -> None:
    jar = CookieJar()
    jar.update_cookies({"a": "1"})
    expected = (
        "filter_cookies expects yarl.URL instances only,and will stop working in 4.x, "
        "got <class 'str'>"
    )
    with pytest.warns(DeprecationWarning, match="^filter_cookies expects") as caught:
        sent = jar.filter_cookies("http://example.com/")
    assert [str(w.message) for w in caught] == [expected]
    assert sent["a"].value == "1"


@pytest.mark.parametrize("domain", ["example.com.", ".example.com.", "other.org."])
def test_a_domain_attribute_ending_with_a_dot_is_ignored(domain: str) -> None:
    # As 3.x (and browsers): the cookie stays with the host that set it (host-only).
    jar = CookieJar()
    jar.update_cookies_from_headers([f"c=v; Domain={domain}"], URL("http://www.example.com/"))
    jar.update_cookies(_response_cookies(f"d=w; Domain={domain}"), URL("http://www.example.com/"))
    assert _sent(jar, "http://www.example.com/") == {"c": "v", "d": "w"}
    assert _sent(jar, "http://a.example.com/") == {}
    assert {morsel["domain"] for morsel in jar} == {"www.example.com"}


def test_a_morsel_without_a_value_is_stored_with_an_empty_one() -> None:
    jar = CookieJar()
    jar.update_cookies([("name", Morsel())], URL("http://example.com/"))
    jar.update_cookies({"other": Morsel()}, URL("http://example.com/"))
    sent = jar.filter_cookies(URL("http://example.com/"))
    assert {name: morsel.value for name, morsel in sent.items()} == {"name": "", "other": ""}


def test_the_jar_views_key_paths_without_their_trailing_slash_as_in_3x() -> None:
    jar = CookieJar()
    url = URL("http://example.com/a/b")
    jar.update_cookies_from_headers(["y=1; Path=/a/", "z=1; Path=/a"], url)
    jar.update_cookies({"x": "1"}, URL("http://example.com/"))
    assert jar.host_only_cookies == {
        ("example.com", "", "x"),
        ("example.com", "/a", "y"),
        ("example.com", "/a", "z"),
    }
    assert {key: sorted(group) for key, group in jar.cookies.items()} == {
        ("example.com", ""): ["x"],
        ("example.com", "/a"): ["y", "z"],
    }
    # The Morsels keep the path as stored.
    assert sorted((m.key, m["path"]) for m in jar) == [("x", "/"), ("y", "/a/"), ("z", "/a")]
