"""aiohttp 3.x's connection retry and request body cleanup, as a user of 3.x sees them.

RFC 9112 §9.3.1: when a connection closes before the response, a client may open a new one
and send an idempotent request again. aiohttp 3.x does that once (``ClientSession``'s
``_retry_connection``, true by default, false in its ``TestClient``); the request's body
payload is closed however the request ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

import aiohttp
from aiohttp.client import ClientSession, ServerDisconnectedError
from aiohttp.payload import BytesPayload
from aiohttp.testing.faults import Fault, FaultServer, ReceivedRequest


def ok(req: ReceivedRequest) -> bytes:
    body = req.head.method.encode() + b" " + req.body
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


@pytest.fixture
async def session(loop):
    async with ClientSession() as s:
        yield s


async def test_retry_connection_is_on_by_default(session) -> None:
    assert session._retry_connection is True


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_an_idempotent_request_dropped_on_a_new_connection_is_sent_again(
    session, method
) -> None:
    async with FaultServer(ok) as srv:
        srv.inject(Fault.drop())
        async with session.request(method, srv.make_url("/"), data=b"body") as resp:
            assert await resp.read() == method.encode() + b" body"
        assert srv.connections == 2
        assert len(srv.requests) == 2


async def test_a_response_head_cut_short_is_a_disconnect_and_is_retried(session) -> None:
    async with FaultServer(ok) as srv:
        srv.inject(Fault.close_mid_head())
        async with session.get(srv.make_url("/")) as resp:
            assert resp.status == 200
        assert len(srv.requests) == 2


async def test_a_response_head_cut_short_fails_a_post_with_server_disconnected(session) -> None:
    async with FaultServer(ok) as srv:
        srv.inject(Fault.close_mid_head())
        with pytest.raises(ServerDisconnectedError):
            await session.post(srv.make_url("/"), data=b"once")
        assert len(srv.requests) == 1


async def test_the_retry_happens_once(session) -> None:
    async with FaultServer(ok) as srv:
        srv.inject(Fault.drop(), Fault.drop())
        with pytest.raises(ServerDisconnectedError):
            await session.get(srv.make_url("/"))
        assert len(srv.requests) == 2


async def test_retry_connection_false_sends_once(session) -> None:
    session._retry_connection = False
    async with FaultServer(ok) as srv:
        srv.inject(None, Fault.drop())
        async with session.get(srv.make_url("/")) as resp:
            await resp.read()
        with pytest.raises(ServerDisconnectedError):
            await session.get(srv.make_url("/"))  # on the pooled connection
        assert len(srv.requests) == 2


async def test_a_body_that_cannot_be_replayed_is_not_sent_again(session) -> None:
    async def pieces() -> AsyncIterator[bytes]:
        yield b"one"
        yield b"two"

    async with FaultServer(ok) as srv:
        srv.inject(Fault.drop())
        with pytest.raises(ServerDisconnectedError):
            await session.put(srv.make_url("/"), data=pieces())
        assert len(srv.requests) == 1


async def test_the_test_client_does_not_retry(aiohttp_client) -> None:
    calls = []

    async def handler(request: aiohttp.web.Request) -> aiohttp.web.Response:
        calls.append(request.method)
        assert request.transport is not None
        request.transport.close()
        return aiohttp.web.Response()

    app = aiohttp.web.Application()
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    assert client.session._retry_connection is False
    with pytest.raises(aiohttp.ClientConnectionError):
        await client.get("/")
    assert calls == ["GET"]


# -- the body payload is closed however the request ends ------------------------------------


class ClosingPayload(BytesPayload):
    closes = 0

    async def close(self) -> None:
        self.closes += 1
        await super().close()


def redirect_loop(req: ReceivedRequest) -> bytes:
    return b"HTTP/1.1 307 Temporary Redirect\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n"


async def test_the_body_is_closed_when_redirects_fail(session) -> None:
    payload = ClosingPayload(b"data")
    async with FaultServer(redirect_loop) as srv:
        with pytest.raises(aiohttp.TooManyRedirects):
            await session.post(srv.make_url("/"), data=payload, max_redirects=2)
    assert payload.closes >= 1


async def test_the_body_is_closed_when_the_request_is_cancelled(session) -> None:
    payload = ClosingPayload(b"data")
    arrived = asyncio.Event()

    async def hang(req: ReceivedRequest) -> bytes:
        arrived.set()
        await asyncio.sleep(5)
        return ok(req)

    async with FaultServer(hang) as srv:
        task = asyncio.ensure_future(session.post(srv.make_url("/"), data=payload))
        await asyncio.wait_for(arrived.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert payload.closes >= 1


async def test_the_body_is_closed_when_no_connection_opens(session) -> None:
    payload = ClosingPayload(b"data")
    async with FaultServer(ok) as srv:
        url = srv.make_url("/")
    with pytest.raises(aiohttp.ClientConnectorError):
        await session.post(url, data=payload)
    assert payload.closes >= 1
