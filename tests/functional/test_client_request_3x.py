"""``ClientRequest`` and ``ClientResponse`` used as aiohttp 3.x code uses them: subclasses given
to the session as ``request_class``/``response_class``, and middlewares calling the request's
``update_*`` methods before sending it."""

from __future__ import annotations

import hashlib

import pytest

import aiohttp
from aiohttp import ClientHandlerType, ClientRequest, ClientResponse
from aiohttp.client.connection import Connection
from aiohttp.testing.faults import FaultServer, ReceivedRequest


def echo(req: ReceivedRequest) -> bytes:
    body = req.body
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


class TaggingRequest(ClientRequest):
    """Adds a header in ``update_headers``, which the constructor calls."""

    def update_headers(self, headers: object) -> None:
        super().update_headers(headers)  # type: ignore[arg-type]
        self.headers["X-Tag"] = "tagged"


class SigningRequest(ClientRequest):
    """Signs method, target and body in ``send``, as request-signing libraries do."""

    async def send(self, conn: Connection) -> ClientResponse:
        body = self.body.data or b""
        digest = hashlib.sha256(f"{self.method} {self.url.raw_path}".encode() + body)
        self.headers["X-Signature"] = digest.hexdigest()
        return await super().send(conn)


class StartedResponse(ClientResponse):
    """Looks at the head in ``start``, which the session awaits after ``send``."""

    seen_status: int | None = None

    async def start(self, connection: Connection) -> ClientResponse:
        resp = await super().start(connection)
        self.seen_status = self.status
        return resp


async def test_a_request_class_overriding_an_update_step() -> None:
    async with (
        FaultServer(echo) as server,
        aiohttp.ClientSession(request_class=TaggingRequest) as session,
        session.get(server.url) as resp,
    ):
        assert resp.status == 200
    assert server.requests[0].head.headers["X-Tag"] == "tagged"


async def test_a_request_class_overriding_send_and_a_response_class_overriding_start() -> None:
    async with (
        FaultServer(echo) as server,
        aiohttp.ClientSession(
            request_class=SigningRequest, response_class=StartedResponse
        ) as session,
        session.post(server.make_url("/sign"), data=b"payload") as resp,
    ):
        assert isinstance(resp, StartedResponse)
        assert resp.seen_status == 200
        assert await resp.read() == b"payload"
    expected = hashlib.sha256(b"POST /sign" + b"payload").hexdigest()
    assert server.requests[0].head.headers["X-Signature"] == expected


async def test_a_middleware_replaces_the_body_with_update_body() -> None:
    async def rewrite(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        await req.update_body(b"a longer body than before")
        return await handler(req)

    async with (
        FaultServer(echo) as server,
        aiohttp.ClientSession(middlewares=(rewrite,)) as session,
        session.post(server.url, data=b"short") as resp,
    ):
        assert await resp.read() == b"a longer body than before"
    assert server.requests[0].head.headers["Content-Length"] == "25"


async def test_a_middleware_adds_cookies_and_credentials_with_update_steps() -> None:
    async def login(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        req.update_cookies({"session": "s1"})
        with pytest.warns(DeprecationWarning, match="BasicAuth is deprecated"):
            credentials = aiohttp.BasicAuth("user", "pw")
        req.update_auth(credentials)
        return await handler(req)

    async with (
        FaultServer(echo) as server,
        aiohttp.ClientSession(middlewares=(login,)) as session,
        session.get(server.url, cookies={"theme": "dark"}) as resp,
    ):
        assert resp.status == 200
    headers = server.requests[0].head.headers
    assert headers["Cookie"] == "session=s1; theme=dark"
    assert headers["Authorization"] == aiohttp.encode_basic_auth("user", "pw", "latin1")
