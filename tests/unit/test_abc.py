"""aiohttp.abc as 3.x extensions import from it: the helper names beside the base classes."""

from __future__ import annotations

from http.cookies import Morsel

from aiohttp import abc, typedefs


def test_parse_set_cookie_headers_gives_name_and_morsel_pairs() -> None:
    parsed = abc.parse_set_cookie_headers(
        ["sid=abc; Path=/; HttpOnly", "=nameless", "theme=dark; Max-Age=60"]
    )
    assert [name for name, _ in parsed] == ["sid", "theme"]
    sid = parsed[0][1]
    assert isinstance(sid, Morsel)
    assert (sid.value, sid["path"], sid["httponly"]) == ("abc", "/", True)
    assert parsed[1][1]["max-age"] == "60"


def test_names_used_in_3x_signatures_import_from_abc() -> None:
    from multidict import CIMultiDict
    from yarl import URL

    assert abc.CIMultiDict is CIMultiDict
    assert abc.URL is URL
    assert abc.LooseCookies is typedefs.LooseCookies
    morsel: Morsel[str] = Morsel()
    morsel.set("a", "1", "1")
    predicate: abc.ClearCookiePredicate = lambda m: m.key == "a"  # noqa: E731
    assert predicate(morsel)
    assert issubclass(abc.AbstractCookieJar, abc.IterableBase)
