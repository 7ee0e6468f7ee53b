"""The body stream after the response: ``BodyReader`` closes it with ``PayloadAccessError``.

The loopback tests are in ``tests/functional/test_web_payload_access.py``; here the stream meets
a connection lost while the server drains the rest of a body after the response.
"""

from __future__ import annotations

import asyncio

import pytest

from aiohttp._io.protocol import BaseProtocol
from aiohttp.web import PayloadAccessError
from aiohttp.web.messages.request_body import BodyReader


def body_reader() -> BodyReader:
    loop = asyncio.get_running_loop()
    return BodyReader(BaseProtocol(loop), 2**16, loop=loop)


async def test_a_lost_connection_while_draining_reaches_the_drain_then_closes() -> None:
    reader = body_reader()
    reader.feed_data(b"part")
    reader._response_sent()  # the body is still arriving: the server drains it
    assert await reader.readany() == b"part"
    drain = asyncio.ensure_future(reader.readany())
    await asyncio.sleep(0)
    reader.set_exception(ConnectionResetError("Connection lost"))
    with pytest.raises(ConnectionResetError):  # the server's own read sees what happened
        await drain
    with pytest.raises(PayloadAccessError):  # the application, afterwards, is refused
        await reader.read()


async def test_an_ended_body_is_closed_at_once() -> None:
    reader = body_reader()
    reader.feed_data(b"unread")
    reader.feed_eof()
    reader._response_sent()
    with pytest.raises(PayloadAccessError):
        await reader.read()


async def test_before_the_response_the_body_reads_normally() -> None:
    reader = body_reader()
    reader.feed_data(b"abc")
    reader.feed_eof()
    assert await reader.read() == b"abc"
    assert await reader.read() == b""
