"""The response-head limits a session or one request sets (3.x ``max_headers`` and friends)."""

from __future__ import annotations

import pytest

from aiohttp._io.faults import FaultServer, ReceivedRequest
from aiohttp.client import ClientResponseError, ClientSession


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
