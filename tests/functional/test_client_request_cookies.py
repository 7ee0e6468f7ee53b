"""Cookies given to one request (``cookies=``): read as a cookie jar reads them, then sent
with the RFC 6265 §5.4 rules, as aiohttp 3.x does."""

from __future__ import annotations

from http.cookies import Morsel, SimpleCookie

import pytest
from yarl import URL

import aiohttp
from aiohttp.testing.faults import FaultServer, ReceivedRequest


def ok(req: ReceivedRequest) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"


def _morsel(key: str, value: str, **attrs: object) -> Morsel[str]:
    morsel: Morsel[str] = Morsel()
    morsel.set(key, value, value)
    for name, attr in attrs.items():
        morsel[name.replace("_", "-")] = attr
    return morsel


async def _sent_cookie(jar: aiohttp.CookieJar | None = None, **kwargs: object) -> str | None:
    async with FaultServer(ok) as srv:
        async with (
            aiohttp.ClientSession(cookie_jar=jar) as session,
            session.get(srv.make_url("/"), **kwargs) as resp,
        ):
            assert resp.status == 200
        return srv.requests[0].head.headers.get("Cookie")


async def test_a_secure_cookie_is_not_sent_over_plain_http() -> None:
    # RFC 6265 §5.4 step 1: a cookie with the secure-only flag goes over secure channels only.
    cookies = {"auth": _morsel("auth", "token", secure=True), "plain": "ok"}
    assert await _sent_cookie(cookies=cookies) == "plain=ok"


async def test_a_secure_cookie_goes_to_an_origin_the_jar_treats_as_secure() -> None:
    cookies = {"auth": _morsel("auth", "token", secure=True)}
    async with FaultServer(ok) as srv:
        jar = aiohttp.CookieJar(treat_as_secure_origin=[srv.make_url("/")])
        async with (
            aiohttp.ClientSession(cookie_jar=jar) as session,
            session.get(srv.make_url("/"), cookies=cookies) as resp,
        ):
            assert resp.status == 200
        assert srv.requests[0].head.headers["Cookie"] == "auth=token"


async def test_a_morsel_is_sent_under_its_own_name() -> None:
    cookies = {"other": _morsel("mine", "1", httponly=True, max_age=1000)}
    assert await _sent_cookie(cookies=cookies) == "mine=1"


@pytest.mark.parametrize(
    ("attrs", "sent"),
    [
        ({"max_age": 0}, None),  # RFC 6265 §5.2.2: expired at once
        ({"domain": "example.com"}, None),  # §5.4 step 1: the host does not domain-match
        ({"path": "/elsewhere"}, None),  # §5.4 step 1: the path does not path-match
        ({"path": "/"}, "c=1"),
    ],
)
async def test_request_cookies_follow_the_retrieval_rules(
    attrs: dict[str, object], sent: str | None
) -> None:
    assert await _sent_cookie(cookies={"c": _morsel("c", "1", **attrs)}) == sent


async def test_request_cookies_are_not_held_to_the_jar_limits() -> None:
    count = aiohttp.CookieJar.max_cookies_per_request + 1  # type: ignore[operator]
    cookies = {f"c{i:03}": "v" for i in range(count)}
    header = await _sent_cookie(cookies=cookies)
    assert header is not None
    assert len(header.split("; ")) == count


def test_the_unlimited_jar_has_no_per_request_limits() -> None:
    from aiohttp.cookiejar import _UnlimitedCookieJar

    jar = _UnlimitedCookieJar()
    jar.update_cookies({f"c{i:03}": "v" * 100 for i in range(200)})
    assert len(jar.filter_cookies(URL("http://example.com/"))) == 200


async def test_cookies_a_middleware_assigns_to_the_response_are_what_the_jar_stores() -> None:
    # 3.x: ``resp.cookies = ...`` replaces the response's Set-Cookie fields for the jar.
    def sets_a(req: ReceivedRequest) -> bytes:
        return b"HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nContent-Length: 0\r\n\r\n"

    async def replace_cookies(
        req: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        resp = await handler(req)
        assert set(resp.cookies) == {"a"}
        replaced: SimpleCookie = SimpleCookie()
        replaced["b"] = "2"
        replaced["b"]["httponly"] = True
        resp.cookies = replaced
        assert resp.cookies is replaced
        return resp

    async with FaultServer(sets_a) as srv:
        jar = aiohttp.CookieJar(unsafe=True)  # the server is an IP address
        async with aiohttp.ClientSession(middlewares=(replace_cookies,), cookie_jar=jar) as session:
            async with session.get(srv.make_url("/")):
                pass
            stored = {morsel.key: morsel for morsel in session.cookie_jar}
    assert set(stored) == {"b"}
    assert stored["b"].value == "2"
    assert stored["b"]["httponly"] is True
