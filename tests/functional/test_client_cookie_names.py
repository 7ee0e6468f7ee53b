"""Cookie names the client keeps, as aiohttp 3.x does: printable ASCII but for the characters
that delimit a cookie header. A name ``http.cookies`` calls illegal (``a{b}``) is kept and sent
back; a name with a comma or a space is dropped with a warning. Neither fails the request."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from aiohttp import CookieJar, web


async def test_unusual_set_cookie_names_never_fail_the_request(
    aiohttp_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    async def set_cookies(request: web.Request) -> web.Response:
        resp = web.Response(text="set")
        for value in ("good=1; Path=/", "we{ird}=2; Path=/", "com,ma=3", "sp ace=4", "after=5"):
            resp.headers.add("Set-Cookie", value)
        return resp

    async def echo(request: web.Request) -> web.Response:
        return web.Response(text=request.headers.get("Cookie", ""))

    app = web.Application()
    app.router.add_get("/set", set_cookies)
    app.router.add_get("/echo", echo)
    client = await aiohttp_client(app, cookie_jar=CookieJar(unsafe=True))

    with caplog.at_level(logging.WARNING, logger="aiohttp.client"):
        async with client.get("/set") as resp:
            assert resp.status == 200
            assert sorted(resp.cookies) == ["after", "good", "we{ird}"]
    assert sorted(cookie.key for cookie in client.session.cookie_jar) == [
        "after",
        "good",
        "we{ird}",
    ]
    assert "Can not load cookies: Illegal cookie name 'com,ma'" in caplog.text
    assert "Can not load cookies: Illegal cookie name 'sp ace'" in caplog.text

    async with client.get("/echo") as resp:
        sent = sorted((await resp.text()).split("; "))
    assert sent == ["after=5", "good=1", "we{ird}=2"]
