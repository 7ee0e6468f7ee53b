"""Advisories about the web framework's own answers: redirects and status lines."""

from __future__ import annotations

from typing import Any

import pytest

from aiohttp import web

from .wire import exchange, statuses


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "///evil.example/",
        "//evil.example//",
        "/%2F%2Fevil.example/",
        "/\\evil.example/",
        "//evil.example/path?x=1",
    ],
)
async def test_ghsa_v6wp_4m6f_gcjg_normalize_path_never_redirects_off_site(
    aiohttp_server: Any, target: str
) -> None:
    """CVE-2021-21330: normalize_path_middleware answered ``//evil.example/`` with a
    redirect to ``//evil.example``, a URL browsers read as another host. Checks: every
    Location it sends is a path on this server (one leading slash, then not a slash or a
    backslash)."""

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="page")

    app = web.Application(middlewares=[web.normalize_path_middleware()])
    app.router.add_get("/evil.example/", page)
    app.router.add_get("/evil.example/path", page)
    server = await aiohttp_server(app)
    head = f"GET {target} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".encode()
    answer = await exchange(server.port, [head])
    locations = [
        line.split(b":", 1)[1].strip()
        for line in answer.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        if line.lower().startswith(b"location:")
    ]
    for location in locations:
        assert location.startswith(b"/"), location
        assert location[1:2] not in (b"/", b"\\"), location
    if target in ("//evil.example/", "///evil.example/"):
        assert locations == [b"/evil.example/"]  # the merged path, on this server


@pytest.mark.parametrize("reason", ["OK\r\nX-Injected: 1", "OK\rX", "OK\nX"])
async def test_ghsa_mwh4_6h8g_pg8w_a_reason_phrase_cannot_split_the_response(
    aiohttp_raw_server: Any, reason: str
) -> None:
    """CVE-2026-34519: a CR in a reason phrase was written into the status line. Checks:
    Response refuses it at once (ValueError, as 3.x), and a handler that tries gets a bare
    500 on the wire, never the injected line."""
    with pytest.raises(ValueError, match="Reason"):
        web.Response(reason=reason)
    response = web.Response()
    with pytest.raises(ValueError, match="Reason"):
        response.set_status(200, reason)

    async def injects(request: web.BaseRequest) -> web.Response:
        return web.Response(reason=reason)

    server = await aiohttp_raw_server(injects)
    answer = await exchange(server.port, [b"GET / HTTP/1.1\r\nHost: h\r\n\r\n"])
    assert statuses(answer) == [500]
    assert b"X-Injected" not in answer
