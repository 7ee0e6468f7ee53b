"""The seed documents' client examples, run unchanged (old spellings warn)."""

from __future__ import annotations

import asyncio
import warnings

import pytest

import aiohttp
from aiohttp._io.faults import FaultServer, ReceivedRequest
from aiohttp.client import ClientSession

BODY = b"<html>seed</html>"


def page(req: ReceivedRequest) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY)


def test_readme_0_18_client_example() -> None:
    """The 0.18.4 README example: a session made outside the loop, closed without await."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = FaultServer(page)
    loop.run_until_complete(server.start())
    try:

        async def get_body(client, url):
            async with client.get(url) as response:
                return await response.read()

        with pytest.warns(DeprecationWarning, match="loop argument is deprecated"):
            client = aiohttp.client.ClientSession(loop=loop)
        raw_html = loop.run_until_complete(get_body(client, server.make_url("/")))
        assert raw_html == BODY
        with pytest.warns(DeprecationWarning, match="await session.close"):
            client.close()
        assert client.closed
    finally:
        loop.run_until_complete(server.close())
        asyncio.set_event_loop(None)
        loop.close()


async def test_early_readme_await_request_and_read_and_close() -> None:
    async with FaultServer(page) as server:
        with pytest.warns(DeprecationWarning, match="async with aiohttp.request"):
            response = await aiohttp.client.request("GET", server.make_url("/"))
        with pytest.warns(DeprecationWarning, match="read_and_close"):
            body = await response.read_and_close()
        assert body == BODY
        assert response.closed


async def test_close_not_awaited_inside_the_loop_warns_and_closes() -> None:
    session = ClientSession()
    pending = session.close()
    assert session.closed
    with pytest.warns(DeprecationWarning, match="was not awaited"):
        del pending


async def test_unclosed_session_warns_naming_where_it_was_made() -> None:
    session = ClientSession()
    with pytest.warns(ResourceWarning, match=r"created at .*test_client_seeds\.py:\d+"):
        del session


async def test_numeric_timeout_is_deprecated() -> None:
    async with FaultServer(page) as server, ClientSession() as s:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            async with s.get(server.make_url("/"), timeout=5) as resp:
                assert await resp.read() == BODY
        assert any("ClientTimeout" in str(w.message) for w in caught)
