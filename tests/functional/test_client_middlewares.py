"""Client middlewares over loopback, as aiohttp 3.x documents them.

A middleware is ``async (request, handler) -> response``. The first in the list is the
outermost; it may call ``handler`` again (retry), not at all (short-circuit), or change the
request first (rewrite). A request's ``middlewares=`` replaces the session's.
"""

from __future__ import annotations

from typing import Any

import pytest
from yarl import URL

import aiohttp
from aiohttp import ClientHandlerType, ClientRequest, ClientResponse
from aiohttp.testing.faults import FaultServer, ReceivedRequest


def answer(status: int = 200, body: bytes = b"ok", **headers: str) -> bytes:
    head = f"HTTP/1.1 {status} X\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{name.replace('_', '-')}: {value}\r\n" for name, value in headers.items())
    return head.encode() + b"\r\n" + body


def echo_target(req: ReceivedRequest) -> bytes:
    return answer(body=f"{req.head.method} {req.head.target}".encode())


async def test_the_first_middleware_is_the_outermost() -> None:
    events: list[str] = []

    def named(name: str) -> Any:
        async def middleware(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
            events.append(f"{name} before")
            resp = await handler(req)
            events.append(f"{name} after {resp.status}")
            return resp

        return middleware

    async with (
        FaultServer(echo_target) as server,
        aiohttp.ClientSession(middlewares=(named("m1"), named("m2"))) as session,
        session.get(server.url) as resp,
    ):
        assert await resp.text() == "GET /"
    assert events == ["m1 before", "m2 before", "m2 after 200", "m1 after 200"]


async def test_a_middleware_that_retries() -> None:
    """The cookbook's retry middleware: the handler is called until the answer is ok."""
    statuses = iter([503, 503, 200])

    def flaky(req: ReceivedRequest) -> bytes:
        return answer(next(statuses), req.body)

    async def retry(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        for _ in range(3):
            resp = await handler(req)
            if resp.ok:
                return resp
            resp.release()
        return resp

    async with (
        FaultServer(flaky) as server,
        aiohttp.ClientSession(middlewares=(retry,)) as session,
        session.post(server.url, data=b"payload") as resp,
    ):
        assert resp.status == 200
        assert await resp.read() == b"payload"
    # The body went out with each attempt.
    assert [r.body for r in server.requests] == [b"payload"] * 3


async def test_a_middleware_that_short_circuits_with_a_kept_response() -> None:
    cache: dict[URL, ClientResponse] = {}

    async def cached(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        if req.url in cache:
            return cache[req.url]  # the server is not asked again
        resp = await handler(req)
        await resp.read()
        cache[req.url] = resp
        return resp

    async with FaultServer(echo_target) as server:
        async with aiohttp.ClientSession(middlewares=(cached,)) as session:
            for _ in range(3):
                async with session.get(server.make_url("/page")) as resp:
                    assert await resp.text() == "GET /page"
        assert len(server.requests) == 1


async def test_a_middleware_that_refuses_a_request() -> None:
    class Blocked(aiohttp.ClientError):
        pass

    async def guard(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        if req.url.path.startswith("/admin"):
            raise Blocked(str(req.url))
        return await handler(req)

    async with (
        FaultServer(echo_target) as server,
        aiohttp.ClientSession(middlewares=(guard,)) as session,
    ):
        with pytest.raises(Blocked):
            await session.get(server.make_url("/admin/users"))
        async with session.get(server.make_url("/public")) as resp:
            assert resp.status == 200
        assert [r.head.target for r in server.requests] == ["/public"]


async def test_a_middleware_that_rewrites_the_request() -> None:
    async def rewrite(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        req.headers["X-Signed"] = "yes"
        req.url = req.url.with_path("/v2" + req.url.path)
        return await handler(req)

    async with (
        FaultServer(echo_target) as server,
        aiohttp.ClientSession(middlewares=(rewrite,)) as session,
        session.get(server.make_url("/items")) as resp,
    ):
        assert await resp.text() == "GET /v2/items"
    assert server.requests[0].head.headers["X-Signed"] == "yes"


async def test_a_middleware_sees_the_session_and_the_request_it_builds() -> None:
    seen: list[Any] = []

    async def look(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        seen.append((req.session, req.method, req.url, req.headers.get("Authorization")))
        return await handler(req)

    async with FaultServer(echo_target) as server:
        with pytest.warns(DeprecationWarning, match="deprecated") as record:
            session = aiohttp.ClientSession(middlewares=(look,), auth=aiohttp.BasicAuth("u", "p"))
        assert [str(w.message).split(";")[0] for w in record] == [
            "BasicAuth is deprecated and will be removed in aiohttp 4.0",
            "The 'auth' parameter is deprecated and will be removed in v4",
        ]
        async with session, session.put(server.make_url("/x"), data=b"1") as resp:
            assert resp.status == 200
        assert seen == [(session, "PUT", URL(server.make_url("/x")), "Basic dTpw")]


async def test_request_middlewares_replace_the_sessions() -> None:
    calls: list[str] = []

    def named(name: str) -> Any:
        async def middleware(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
            calls.append(name)
            return await handler(req)

        return middleware

    async with (
        FaultServer(echo_target) as server,
        aiohttp.ClientSession(middlewares=(named("session"),)) as session,
    ):
        async with session.get(server.url):
            pass
        async with session.get(server.url, middlewares=(named("request"),)):
            pass
        async with session.get(server.url, middlewares=()):
            pass
    assert calls == ["session", "request"]


async def test_a_middleware_sees_each_hop_of_a_redirect() -> None:
    def redirecting(req: ReceivedRequest) -> bytes:
        if req.head.target == "/start":
            return answer(302, b"", Location="/landing")
        return echo_target(req)

    hops: list[str] = []

    async def record(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        hops.append(req.url.path)
        return await handler(req)

    async with (
        FaultServer(redirecting) as server,
        aiohttp.ClientSession(middlewares=(record,)) as session,
        session.get(server.make_url("/start")) as resp,
    ):
        assert await resp.text() == "GET /landing"
        assert [r.status for r in resp.history] == [302]
    assert hops == ["/start", "/landing"]


async def test_a_middleware_may_send_requests_of_its_own() -> None:
    """The cookbook's logging middleware: requests with ``middlewares=()`` skip it."""

    async def log_first(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        assert req.session is not None
        async with req.session.post(req.url.with_path("/log"), data=b"x", middlewares=()):
            pass
        return await handler(req)

    async with (
        FaultServer(echo_target) as server,
        aiohttp.ClientSession(middlewares=(log_first,)) as session,
        session.get(server.make_url("/work")) as resp,
    ):
        assert await resp.text() == "GET /work"
    assert [r.head.target for r in server.requests] == ["/log", "/work"]


async def test_middlewares_see_the_jar_cookies_and_a_retry_resends_them_as_in_3x() -> None:
    """What aiohttp 3.14.5 does (observed by running it): the jar's cookies and the request's
    own are in the ``Cookie`` field, sorted by name, when the middleware gets the request; its
    second attempt after a 401 sends that same field (the 401's cookie is not added), and the
    jar keeps the cookies of the response the middleware returns, not those of the 401."""

    def login_then_ok(req: ReceivedRequest) -> bytes:
        if "Authorization" not in req.head.headers:
            return answer(401, b"", Set_Cookie="from401=x")
        return answer(Set_Cookie="from200=y")

    seen: list[str | None] = []

    async def again_on_401(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        seen.append(req.headers.get("Cookie"))
        resp = await handler(req)
        if resp.status == 401:
            resp.release()
            req.headers["Authorization"] = "Bearer t"
            resp = await handler(req)
        return resp

    jar = aiohttp.CookieJar(unsafe=True)
    async with (
        FaultServer(login_then_ok) as server,
        aiohttp.ClientSession(
            middlewares=(again_on_401,), cookie_jar=jar, cookies={"start": "s"}
        ) as session,
    ):
        async with session.get(server.url, cookies={"own": "o"}) as resp:
            assert resp.status == 200
        assert sorted(morsel.key for morsel in jar) == ["from200", "start"]
        async with session.get(server.url) as resp:
            assert resp.status == 200
    sent = [r.head.headers.get("Cookie") for r in server.requests]
    assert seen == ["own=o; start=s", "from200=y; start=s"]
    assert sent == ["own=o; start=s"] * 2 + ["from200=y; start=s"] * 2
