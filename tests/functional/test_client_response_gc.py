"""A response dropped without being released gives its connection back (aiohttp 3.x), and in
the loop's debug mode says so with a ResourceWarning."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

import aiohttp
from aiohttp.testing.faults import FaultServer, ReceivedRequest


def endless(req: ReceivedRequest) -> bytes:
    # A body far longer than is read: the response cannot end by itself.
    return b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + b"x" * 1000


async def _drop_a_response(session: aiohttp.ClientSession, url: Any) -> None:
    resp = await session.get(url)
    assert resp.status == 200
    del resp
    gc.collect()


async def test_a_dropped_response_frees_its_pool_slot() -> None:
    async with FaultServer(endless) as srv:
        connector = aiohttp.TCPConnector(limit=1)
        async with aiohttp.ClientSession(connector=connector) as session:
            await _drop_a_response(session, srv.make_url("/"))
            # With the only slot still taken this would wait for ever.
            resp = await asyncio.wait_for(session.get(srv.make_url("/")), 5)
            resp.close()


async def test_a_dropped_response_warns_in_debug_mode() -> None:
    loop = asyncio.get_running_loop()
    seen: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda loop, ctx: seen.append(ctx))
    async with FaultServer(endless) as srv, aiohttp.ClientSession() as session:
        loop.set_debug(True)
        try:
            with pytest.warns(ResourceWarning, match="^Unclosed response <ClientResponse"):
                await _drop_a_response(session, srv.make_url("/"))
        finally:
            loop.set_debug(False)
    assert [ctx["message"] for ctx in seen] == ["Unclosed response"]
