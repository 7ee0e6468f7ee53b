"""Reading a response after it was released fails, as in aiohttp 3.x: the body belongs to the
``async with`` block (or the code before ``release()``/``close()``)."""

from __future__ import annotations

import pytest

import aiohttp
from aiohttp.testing.faults import FaultServer, ReceivedRequest


def page(req: ReceivedRequest) -> bytes:
    status = "404 Not Found" if req.head.target == "/missing" else "200 OK"
    return f"HTTP/1.1 {status}\r\nContent-Length: 4\r\n\r\ndata".encode()


@pytest.fixture
async def server(loop):
    async with FaultServer(page) as srv:
        yield srv


@pytest.mark.parametrize("reader", ["read", "text", "json", "content.read", "content.readline"])
async def test_an_unread_body_cannot_be_read_after_the_block(server, reader: str) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(server.make_url("/")) as resp:
            assert resp.status == 200
        target = resp
        for part in reader.split("."):
            target = getattr(target, part)
        with pytest.raises(aiohttp.ClientConnectionError, match=r"^Connection closed$"):
            await target()


@pytest.mark.parametrize("end", ["release", "close"])
async def test_a_read_body_cannot_be_read_again_after_release(server, end: str) -> None:
    async with aiohttp.ClientSession() as session:
        resp = await session.get(server.make_url("/"))
        assert await resp.read() == b"data"
        assert await resp.read() == b"data"  # cached while the response is held
        getattr(resp, end)()
        with pytest.raises(aiohttp.ClientConnectionError, match=r"^Connection closed$"):
            await resp.read()


async def test_raise_for_status_inside_the_block_keeps_the_body(server) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(server.make_url("/missing")) as resp,
    ):
        with pytest.raises(aiohttp.ClientResponseError):
            resp.raise_for_status()
        assert await resp.read() == b"data"


async def test_raise_for_status_outside_a_block_releases(server) -> None:
    async with aiohttp.ClientSession() as session:
        resp = await session.get(server.make_url("/missing"))
        with pytest.raises(aiohttp.ClientResponseError):
            resp.raise_for_status()
        with pytest.raises(aiohttp.ClientConnectionError, match=r"^Connection closed$"):
            await resp.read()


async def test_text_and_json_of_a_read_body_still_work_after_release(server) -> None:
    # 3.x keeps the decoded forms of a body read before the release (a caching middleware
    # hands the same response out again).
    async with aiohttp.ClientSession() as session:
        async with session.get(server.make_url("/")) as resp:
            await resp.read()
        assert await resp.text() == "data"
        with pytest.raises(aiohttp.ContentTypeError):
            await resp.json()


async def test_a_response_is_closed_once_its_whole_body_arrived_and_stays_readable(
    server,
) -> None:
    # 3.x: the end of the message gives the connection back and marks the response closed;
    # the body that arrived can still be read.
    async with aiohttp.ClientSession() as session:
        async with session.get(server.make_url("/")) as resp:
            await resp.content.wait_eof()
            assert resp.closed
            assert resp.connection is None
            assert await resp.read() == b"data"
        async with session.head(server.make_url("/")) as resp:
            assert resp.closed
