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


def test_cookie_jars_are_sized_iterables_of_morsels_as_in_3x() -> None:
    """3.x code types a jar as ``Sized`` / ``Iterable[Morsel]`` and calls ``len()`` on it."""
    import collections.abc

    import aiohttp

    assert issubclass(abc.AbstractCookieJar, collections.abc.Sized)
    assert issubclass(abc.AbstractCookieJar, collections.abc.Iterable)
    jar = aiohttp.CookieJar(unsafe=True)
    jar.update_cookies({"a": "1", "b": "2"})
    assert isinstance(jar, collections.abc.Sized)
    assert len(jar) == 2
    assert sorted(m.key for m in jar) == ["a", "b"]
    dummy = aiohttp.DummyCookieJar()
    dummy.update_cookies({"a": "1"})
    assert isinstance(dummy, collections.abc.Iterable)
    assert (len(dummy), list(dummy)) == (0, [])


def test_a_jar_without_len_or_iter_cannot_be_made() -> None:
    import pytest

    class Incomplete(abc.AbstractCookieJar):
        quote_cookie = True

        def clear(self, predicate: object = None) -> None: ...
        def clear_domain(self, domain: str) -> None: ...
        def update_cookies(self, cookies: object, response_url: object = None) -> None: ...
        def filter_cookies(self, request_url: object) -> object: ...

    with pytest.raises(TypeError, match="abstract"):
        Incomplete()  # type: ignore[abstract]
