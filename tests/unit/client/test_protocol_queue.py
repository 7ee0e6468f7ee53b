"""``ResponseHandler`` as aiohttp 3.x's queue of ``(response head, body stream)`` pairs: what
code that drives a connection by hand (``set_response_params``, ``data_received``, then
``await protocol.read()``) sees."""

from __future__ import annotations

import asyncio
import gzip

import pytest

import aiohttp
from aiohttp.client_proto import ResponseHandler
from aiohttp.streams import DataQueue, EmptyStreamReader, EofStream, StreamReader
from aiohttp.testing.fakes import FakeTransport


def connected() -> tuple[ResponseHandler, FakeTransport]:
    protocol = ResponseHandler(asyncio.get_running_loop())
    transport = FakeTransport({})
    protocol.connection_made(transport)
    return protocol, transport


async def test_the_protocol_is_a_data_queue() -> None:
    protocol, _ = connected()
    assert isinstance(protocol, DataQueue)
    assert len(protocol) == 0
    assert not protocol.is_eof()
    assert not protocol.at_eof()
    assert protocol.exception() is None


async def test_read_returns_the_head_and_the_body_stream() -> None:
    protocol, _ = connected()
    protocol.set_response_params()
    protocol.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello")
    assert len(protocol) == 1
    assert protocol.should_close  # a response nobody read yet
    head, payload = await protocol.read()
    assert (head.code, head.reason, head.headers["X-A"]) == (200, "OK", "b")
    assert isinstance(payload, StreamReader)
    assert await payload.read() == b"hello"
    assert len(protocol) == 0
    assert not protocol.should_close


async def test_a_waiting_reader_gets_the_pair_when_the_head_arrives() -> None:
    protocol, _ = connected()
    protocol.set_response_params()
    reader = asyncio.ensure_future(protocol.read())
    await asyncio.sleep(0)
    assert not reader.done()
    protocol.data_received(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    head, payload = await reader
    assert head.chunked
    protocol.data_received(b"3\r\nabc\r\n0\r\n\r\n")
    assert await payload.read() == b"abc"


async def test_pipelined_responses_fed_byte_by_byte_come_out_in_order() -> None:
    protocol, _ = connected()
    protocol.set_response_params()
    wire = b"".join(
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" + body for body in (b"ab", b"cd", b"ef")
    )
    for index in range(len(wire)):
        protocol.data_received(wire[index : index + 1])
    assert len(protocol) == 3
    bodies = []
    async for _head, payload in protocol:
        bodies.append(await payload.read())
        if len(protocol) == 0:
            break
    assert bodies == [b"ab", b"cd", b"ef"]


async def test_pipelined_responses_in_one_read() -> None:
    protocol, _ = connected()
    protocol.set_response_params()
    protocol.data_received(
        b"HTTP/1.1 204 No Content\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"
        b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\ny"
    )
    first, second, third = [await protocol.read() for _ in range(3)]
    assert first[0].code == 204
    assert isinstance(first[1], EmptyStreamReader)
    assert await second[1].read() == b"x"
    assert await third[1].read() == b"y"


async def test_interim_responses_are_queued_before_the_final_one() -> None:
    """3.x hands a ``100 Continue`` out as its own pair (RFC 9110 §15.2)."""
    protocol, _ = connected()
    protocol.set_response_params()
    protocol.data_received(
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    )
    interim, interim_payload = await protocol.read()
    assert interim.code == 100
    assert isinstance(interim_payload, EmptyStreamReader)
    final, payload = await protocol.read()
    assert final.code == 200
    assert await payload.read() == b"ok"


async def test_skip_payload_reads_a_head_response() -> None:
    """A response to HEAD has no body whatever its Content-Length (RFC 9110 §9.3.2)."""
    protocol, _ = connected()
    protocol.set_response_params(skip_payload=True)
    protocol.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
    head, payload = await protocol.read()
    assert head.code == 200
    assert isinstance(payload, EmptyStreamReader)
    assert not protocol.should_close


async def test_bodies_are_decoded_unless_auto_decompress_is_off() -> None:
    body = gzip.compress(b"decoded")
    wire = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body)
    protocol, _ = connected()
    protocol.set_response_params()
    protocol.data_received(wire + body)
    assert await (await protocol.read())[1].read() == b"decoded"
    protocol, _ = connected()
    protocol.set_response_params(auto_decompress=False)
    protocol.data_received(wire + body)
    assert await (await protocol.read())[1].read() == body


async def test_a_malformed_head_fails_the_waiting_reader() -> None:
    protocol, transport = connected()
    protocol.set_response_params()
    reader = asyncio.ensure_future(protocol.read())
    await asyncio.sleep(0)
    protocol.data_received(b"HTTP\r\n\r\n")
    with pytest.raises(aiohttp.http_exceptions.HttpProcessingError):
        await reader
    assert isinstance(protocol.exception(), aiohttp.http_exceptions.HttpProcessingError)
    assert protocol.should_close
    assert protocol.is_eof()
    assert transport.is_closing()


async def test_set_exception_fails_the_reader() -> None:
    protocol, _ = connected()
    reader = asyncio.ensure_future(protocol.read())
    await asyncio.sleep(0)
    protocol.set_exception(ValueError("stop"))
    with pytest.raises(ValueError, match="stop"):
        await reader
    assert protocol.should_close


async def test_a_lost_idle_connection_fails_reads_with_server_disconnected() -> None:
    protocol, _ = connected()
    protocol.connection_lost(None)
    assert protocol.is_eof()
    assert isinstance(protocol.exception(), aiohttp.ServerDisconnectedError)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await protocol.read()


async def test_a_connection_lost_to_an_os_error_gives_client_os_error() -> None:
    protocol, _ = connected()
    protocol.connection_lost(OSError(104, "reset"))
    assert protocol.should_close
    error = protocol.exception()
    assert isinstance(error, aiohttp.ClientOSError)
    assert error.errno == 104


async def test_a_body_cut_short_still_gives_its_pair_first() -> None:
    protocol, _ = connected()
    protocol.set_response_params()
    protocol.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab")
    protocol.connection_lost(None)
    head, payload = await protocol.read()
    assert head.code == 200
    with pytest.raises(aiohttp.ClientPayloadError):
        await payload.read()


async def test_feed_eof_ends_the_queue() -> None:
    protocol, _ = connected()
    protocol.feed_eof()
    assert protocol.is_eof()
    assert protocol.at_eof()
    assert not protocol.should_close
    with pytest.raises(EofStream):
        await protocol.read()


async def test_closed_resolves_on_a_clean_close_and_fails_on_a_lost_connection() -> None:
    protocol, _ = connected()
    closed = protocol.closed
    assert closed is not None
    assert not closed.done()
    protocol.connection_lost(None)
    assert closed.result() is None

    protocol, _ = connected()
    closed = protocol.closed
    assert closed is not None
    cause = TimeoutError("TLS shutdown timed out")
    protocol.connection_lost(cause)
    error = closed.exception()
    assert isinstance(error, aiohttp.ClientConnectionError)
    assert str(error) == "Connection lost: TLS shutdown timed out"
    assert error.__cause__ is cause


async def test_closed_is_none_after_the_loss_when_never_asked_for() -> None:
    protocol, _ = connected()
    protocol.connection_lost(None)
    assert protocol.closed is None


async def test_the_session_path_still_reads_heads_after_queue_use() -> None:
    """``expect_response``/``read_head`` (the session's path) on a protocol that was first
    driven by hand."""
    protocol, _ = connected()
    protocol.set_response_params()
    protocol.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na")
    _, payload = await protocol.read()
    assert await payload.read() == b"a"
    protocol.expect_response("HEAD")
    protocol.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n")
    head, payload = await protocol.read_head()
    assert head.code == 200
    assert await payload.read() == b""
    assert len(protocol) == 0
    assert not protocol.should_close
