"""Session settings of 3.x: response-head limits (``max_headers`` and friends), charset fallback."""

from __future__ import annotations

import pytest

from aiohttp.client import ClientResponse, ClientResponseError, ClientSession, TCPConnector
from aiohttp.testing.faults import FaultServer, ReceivedRequest


def three_fields(req: ReceivedRequest) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: 1\r\nX-B: 2\r\n\r\nok"


@pytest.mark.parametrize("where", ["session", "request"])
async def test_max_headers_at_the_limit_and_one_past(where: str) -> None:
    async with FaultServer(three_fields) as server:
        for limit, fits in ((3, True), (2, False)):
            session_kw = {"max_headers": limit} if where == "session" else {}
            request_kw = {"max_headers": limit} if where == "request" else {}
            async with ClientSession(**session_kw) as session:
                if fits:
                    async with session.get(server.make_url("/"), **request_kw) as resp:
                        assert await resp.text() == "ok"
                else:
                    with pytest.raises(ClientResponseError):
                        await session.get(server.make_url("/"), **request_kw)


@pytest.mark.parametrize("where", ["session", "request"])
async def test_max_field_size_at_the_limit_and_one_past(where: str) -> None:
    # the longest field line, "Content-Length: 2", is 17 bytes
    async with FaultServer(three_fields) as server:
        for limit, fits in ((17, True), (16, False)):
            session_kw = {"max_field_size": limit} if where == "session" else {}
            request_kw = {"max_field_size": limit} if where == "request" else {}
            async with ClientSession(**session_kw) as session:
                if fits:
                    async with session.get(server.make_url("/"), **request_kw) as resp:
                        assert await resp.text() == "ok"
                else:
                    with pytest.raises(ClientResponseError):
                        await session.get(server.make_url("/"), **request_kw)


async def test_request_limits_on_a_reused_connection_hold_for_that_request_only() -> None:
    async with FaultServer(three_fields) as server:
        url = server.make_url("/")
        async with ClientSession(connector=TCPConnector(limit=1)) as session:
            for kw, fits in (({}, True), ({}, True), ({"max_headers": 2}, False), ({}, True)):
                if fits:
                    async with session.get(url, **kw) as resp:
                        assert await resp.text() == "ok"
                else:
                    with pytest.raises(ClientResponseError):
                        await session.get(url, **kw)


def no_charset(req: ReceivedRequest) -> bytes:
    body = "café".encode("latin-1")
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\n" + body


async def test_fallback_charset_resolver_decides_a_body_without_charset() -> None:
    seen: list[tuple[int, bytes]] = []

    def resolver(resp: ClientResponse, body: bytes) -> str:
        seen.append((resp.status, body))
        return "latin-1"

    async with (
        FaultServer(no_charset) as server,
        ClientSession(fallback_charset_resolver=resolver) as session,
        session.get(server.make_url("/")) as resp,
    ):
        assert await resp.text() == "café"
    assert seen == [(200, "café".encode("latin-1"))]
