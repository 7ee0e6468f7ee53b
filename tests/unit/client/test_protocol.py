"""ResponseHandler fed bytes through an in-memory transport."""

from __future__ import annotations

import asyncio
import gzip

import brotli
import pytest

from aiohttp._sansio.codings import decoder_for
from aiohttp._sansio.errors import HttpProcessingError
from aiohttp.client.exceptions import (
    ClientPayloadError,
    DecompressionLimitError,
    ServerDisconnectedError,
)
from aiohttp.client.protocol import ResponseHandler


class MemoryTransport(asyncio.Transport):
    """Records writes; closing reports the loss to the protocol."""

    def __init__(self, protocol: ResponseHandler) -> None:
        super().__init__()
        self.protocol = protocol
        self.written = bytearray()
        self.closing = False
        self.reading = True

    def write(self, data: bytes) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        if not self.closing:
            self.closing = True
            self.protocol.connection_lost(None)

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True


@pytest.fixture
async def handler(loop):
    proto = ResponseHandler(asyncio.get_running_loop())
    proto.connection_made(MemoryTransport(proto))
    return proto


def gzip_decoders(limit: int | None = None):
    return lambda coding: decoder_for(coding, max_size=limit)


async def test_head_and_body_in_one_piece(handler) -> None:
    done = []
    handler.on_message_complete = lambda: done.append(True)
    handler.expect_response("GET")
    handler.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
    head, payload = await handler.read_head()
    assert (head.status, await payload.read()) == (200, b"hello")
    assert done == [True]
    assert handler.message_complete
    assert not handler.should_close


async def test_body_split_across_reads(handler) -> None:
    handler.expect_response("GET")
    handler.data_received(b"HTTP/1.1 200 OK\r\nTransfer-")
    handler.data_received(b"Encoding: chunked\r\n\r\n3\r\nab")
    _head, payload = await handler.read_head()
    handler.data_received(b"c\r\n0\r\n\r\n")
    assert await payload.read() == b"abc"


async def test_interim_responses_are_skipped_and_wake_continue(handler) -> None:
    handler.expect_response("POST", expect_continue=True)
    handler.data_received(b"HTTP/1.1 100 Continue\r\n\r\n")
    await asyncio.wait_for(handler.wait_continue(), 1)
    assert not handler.has_final_head()
    handler.data_received(b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n")
    handler.data_received(b"HTTP/1.1 204 No Content\r\n\r\n")
    head, payload = await handler.read_head()
    assert head.status == 204
    assert await payload.read() == b""


async def test_head_response_has_no_body(handler) -> None:
    handler.expect_response("HEAD")
    handler.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n")
    head, payload = await handler.read_head()
    assert head.headers["Content-Length"] == "99"
    assert payload.at_eof()
    assert not handler.should_close


async def test_malformed_head_raises_parser_error(handler) -> None:
    handler.expect_response("GET")
    handler.data_received(b"HTTP/1.1 2x0 OK\r\n\r\n")
    with pytest.raises(HttpProcessingError):
        await handler.read_head()
    assert handler.should_close


async def test_eof_before_head_is_server_disconnected(handler) -> None:
    handler.expect_response("GET")
    handler.eof_received()
    handler.transport.close()
    with pytest.raises(ServerDisconnectedError):
        await handler.read_head()


async def test_read_until_close_body_ends_at_eof(handler) -> None:
    handler.expect_response("GET")
    handler.data_received(b"HTTP/1.1 200 OK\r\n\r\npart one ")
    _head, payload = await handler.read_head()
    handler.data_received(b"part two")
    handler.eof_received()
    assert await payload.read() == b"part one part two"
    assert handler.should_close  # read-until-close framing is never reused


async def test_transfer_coding_not_chunked_is_read_until_close(handler) -> None:
    # RFC 9112 §6.3 (4): a final transfer coding other than chunked: the body ends at the close.
    handler.expect_response("GET")
    handler.data_received(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: foo\r\n\r\nhel")
    head, payload = await handler.read_head()
    handler.data_received(b"lo")
    handler.eof_received()
    assert head.headers["Transfer-Encoding"] == "foo"
    assert await payload.read() == b"hello"
    assert handler.should_close


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"1000000000000000\r\n", id="RFC9112-7.1-chunk-past-max-chunk-size"),
        pytest.param(b"zz\r\n", id="RFC9112-7.1-chunk-size-not-hex"),
        pytest.param(b"3\r\nabcX", id="RFC9112-7.1-chunk-data-without-crlf"),
    ],
)
async def test_framing_error_behind_the_head_fails_at_once(handler, body: bytes) -> None:
    # The head and the broken chunk arrive in one read and the server then stays silent: the
    # body fails now, not when the next bytes (or a timeout) come.
    handler.expect_response("GET")
    handler.data_received(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    _head, payload = await handler.read_head()
    with pytest.raises(ClientPayloadError):
        await asyncio.wait_for(payload.read(), 1)
    assert handler.should_close


async def test_connection_lost_mid_body_is_payload_error(handler) -> None:
    handler.expect_response("GET")
    handler.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
    _, payload = await handler.read_head()
    handler.transport.close()
    with pytest.raises(ClientPayloadError):
        await payload.read()


async def test_unsolicited_bytes_close_the_connection(handler) -> None:
    handler.expect_response("GET")
    handler.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    await handler.read_head()
    handler.data_received(b"HTTP/1.1 200 OK\r\n\r\n")
    assert handler.transport is None  # closed: nobody asked for that response


async def test_stray_bytes_while_idle_make_the_pool_skip_the_connection(handler) -> None:
    # RFC 9112 §9.2: a response with no request outstanding is unsolicited; the connection is
    # marked broken so the pool opens a new one instead of reusing it.
    handler.expect_response("GET")
    handler.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    await handler.read_head()
    assert handler.is_connected()
    assert not handler.should_close
    handler.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nSMUGGLE")
    assert not handler.is_connected()
    assert handler.should_close


async def test_bytes_after_the_message_prevent_reuse(handler) -> None:
    handler.expect_response("HEAD")
    handler.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody")
    await handler.read_head()
    assert handler.should_close


async def test_gzip_body_is_decoded(handler) -> None:
    body = gzip.compress(b"x" * 1000)
    handler.expect_response("GET", decoder_factory=gzip_decoders())
    handler.data_received(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body)
        + body
    )
    _, payload = await handler.read_head()
    assert await payload.read() == b"x" * 1000


@pytest.mark.parametrize(("limit", "ok"), [(1000, True), (999, False)])
async def test_decompressed_limit(handler, limit, ok) -> None:
    body = gzip.compress(b"x" * 1000)
    handler.expect_response("GET", decoder_factory=gzip_decoders(limit))
    handler.data_received(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body)
        + body
    )
    _, payload = await handler.read_head()
    if ok:
        assert len(await payload.read()) == 1000
    else:
        with pytest.raises(DecompressionLimitError):
            await payload.read()


async def test_truncated_gzip_is_payload_error(handler) -> None:
    body = gzip.compress(b"x" * 1000)[:-8]
    handler.expect_response("GET", decoder_factory=gzip_decoders())
    handler.data_received(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body)
        + body
    )
    _, payload = await handler.read_head()
    with pytest.raises(ClientPayloadError):
        await payload.read()


async def test_upgrade_keeps_held_bytes_for_the_new_protocol(handler) -> None:
    handler.expect_response("GET")
    handler.data_received(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
        b"\x81\x02hi"
    )
    head, _ = await handler.read_head()
    assert head.status == 101
    assert handler.should_close  # never pooled
    handler.data_received(b"\x81\x01!")

    class Receiver:
        def __init__(self) -> None:
            self.data = b""

        def data_received(self, data: bytes) -> None:
            self.data += data

        def eof_received(self) -> None:
            return None

        def connection_lost(self, exc: BaseException | None) -> None:
            pass

    receiver = Receiver()
    handler.switch_protocol(receiver)
    assert receiver.data == b"\x81\x02hi\x81\x01!"


async def test_writer_failure_before_head_fails_the_response(handler) -> None:
    handler.expect_response("POST")
    handler.writer_failed(ConnectionResetError("reset"))
    with pytest.raises(ConnectionResetError):
        await handler.read_head()


async def test_flow_control_pauses_reading(handler) -> None:
    handler.expect_response("GET")
    handler.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
    _, payload = await handler.read_head()
    for _ in range(4):
        handler.data_received(b"x" * 65536)
    assert not handler.reading_paused  # one socket read's worth never pauses
    for _ in range(5):
        handler.data_received(b"x" * 65536)
    assert handler.reading_paused
    assert handler.transport.reading is False
    assert len(await payload.readany()) > 0
    payload.read_nowait()
    assert not handler.reading_paused
    assert handler.transport.reading is True


RESPONSE = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
    b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
)


@pytest.mark.parametrize("size", [1, 2, 7, 64, len(RESPONSE)])
async def test_every_split_gives_the_same_response(handler, size) -> None:
    handler.expect_response("GET")
    for start in range(0, len(RESPONSE), size):
        handler.data_received(RESPONSE[start : start + size])
    head, payload = await handler.read_head()
    assert head.headers["Content-Type"] == "text/plain"
    assert await payload.read() == b"hello world"
    assert handler.message_complete
    assert not handler.should_close


# -- a small compressed body that expands enormously (a decompression bomb) ------------------

BOMB_SIZE = 8 * 2**20  # 8 MiB of zeros: 14 bytes of brotli, 8 KiB of gzip
# The decoder's pieces: codings.DEFAULT_DECOMPRESS_CHUNK_SIZE (64 KiB), which brotli may round
# up to its internal output blocks.
PIECE = 2**17
# What the payload may hold before it pauses: its high-water mark (2 * 256 KiB) plus one piece.
HELD_AT_MOST = 2 * 2**18 + PIECE


def compressed(coding: str, size: int) -> bytes:
    data = bytes(size)
    return brotli.compress(data) if coding == "br" else gzip.compress(data)


def coded_response(coding: str, body: bytes) -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Encoding: %s\r\nContent-Length: %d\r\n\r\n"
        % (coding.encode(), len(body))
    ) + body


async def read_pieces(payload, most: int = BOMB_SIZE // 1024) -> list[bytes]:
    """The body as the decoder's pieces (``readchunk`` returns one piece at a time)."""
    pieces = []
    for _ in range(most):
        piece, _end = await payload.readchunk()
        if not piece:
            return pieces
        pieces.append(piece)
    raise AssertionError("the body did not end")


async def read_until_error(payload, most: int = BOMB_SIZE // 1024) -> tuple[int, Exception]:
    """Read until the body fails; return how many bytes came first and the error."""
    received = 0
    for _ in range(most):
        try:
            received += len(await payload.readany())
        except Exception as exc:
            return received, exc
    raise AssertionError("the body did not fail")


@pytest.mark.parametrize("coding", ["br", "gzip"])
async def test_bomb_is_decoded_as_the_reader_drains(handler, coding) -> None:
    body = compressed(coding, BOMB_SIZE)
    assert len(body) < BOMB_SIZE // 1000
    done = []
    handler.on_message_complete = lambda: done.append(True)
    handler.expect_response("GET", decoder_factory=gzip_decoders())
    handler.data_received(coded_response(coding, body))
    _, payload = await handler.read_head()
    # The whole body arrived, but only a high-water mark's worth of it was decoded.
    assert payload.total_bytes <= HELD_AT_MOST
    assert handler.reading_paused
    assert handler.transport.reading is False
    assert not handler.message_complete
    assert done == []
    pieces = await read_pieces(payload)
    assert max(map(len, pieces)) <= PIECE
    assert sum(map(len, pieces)) == BOMB_SIZE
    assert not any(b"".join(pieces))
    assert handler.message_complete
    assert done == [True]
    assert handler.transport.reading is True
    assert not handler.should_close


async def test_a_read_of_everything_buffered_takes_a_bounded_part(handler) -> None:
    handler.expect_response("GET", decoder_factory=gzip_decoders())
    handler.data_received(coded_response("br", compressed("br", BOMB_SIZE)))
    _, payload = await handler.read_head()
    sizes = []
    for _ in range(BOMB_SIZE // 2**16):
        data = await payload.readany()
        if not data:
            break
        sizes.append(len(data))
    assert max(sizes) <= HELD_AT_MOST
    assert sum(sizes) == BOMB_SIZE


@pytest.mark.parametrize(
    ("coding", "extra", "ok"),
    [
        ("br", 0, True),
        ("br", 1, False),
        ("gzip", 0, True),
        ("gzip", 1, False),
    ],
    ids=["br-at-limit", "br-limit+1", "gzip-at-limit", "gzip-limit+1"],
)
async def test_bomb_limit(handler, coding, extra, ok) -> None:
    limit = 3 * 2**20 + 5
    handler.expect_response("GET", decoder_factory=gzip_decoders(limit))
    handler.data_received(coded_response(coding, compressed(coding, limit + extra)))
    _, payload = await handler.read_head()
    assert payload.total_bytes <= HELD_AT_MOST
    if ok:
        assert sum(map(len, await read_pieces(payload))) == limit
        assert handler.message_complete
        return
    received, exc = await read_until_error(payload)
    assert isinstance(exc, DecompressionLimitError)
    assert limit - PIECE < received <= limit  # everything up to the limit, nothing past it
    assert handler.should_close
    assert handler.transport is None


async def test_events_behind_a_waiting_body_keep_their_order(handler) -> None:
    body = compressed("gzip", BOMB_SIZE)
    half = len(body) // 2
    handler.expect_response("GET", decoder_factory=gzip_decoders())
    handler.data_received(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"%x\r\n%s\r\n" % (half, body[:half])
    )
    _, payload = await handler.read_head()
    assert handler.reading_paused
    # More bytes (the rest of the body, then its end) arrive while decoding waits.
    handler.data_received(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body) - half, body[half:]))
    assert payload.total_bytes <= HELD_AT_MOST
    assert sum(map(len, await read_pieces(payload))) == BOMB_SIZE
    assert handler.message_complete
    assert not handler.should_close


async def test_connection_closed_behind_a_complete_waiting_body(handler) -> None:
    handler.expect_response("GET", decoder_factory=gzip_decoders())
    handler.data_received(coded_response("br", compressed("br", BOMB_SIZE)))
    _, payload = await handler.read_head()
    closed = handler.closed
    handler.transport.close()
    assert closed is not None
    assert closed.done()
    assert sum(map(len, await read_pieces(payload))) == BOMB_SIZE  # no error: it all arrived


async def test_connection_lost_behind_a_waiting_body_fails_after_it(handler) -> None:
    body = compressed("gzip", BOMB_SIZE)
    handler.expect_response("GET", decoder_factory=gzip_decoders())
    handler.data_received(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s"
        % (len(body) + 10, body)
    )
    _, payload = await handler.read_head()
    handler.transport.close()
    received, exc = await read_until_error(payload)
    assert isinstance(exc, ClientPayloadError)
    assert "not completed" in str(exc)
    assert received > HELD_AT_MOST  # what was decoded came first


async def test_broken_framing_behind_a_waiting_body_fails_after_it(handler) -> None:
    # A chunk of gzip that expands past the high-water mark, then a broken chunk-size line in
    # the same read: what was decoded is read first, then the body fails.
    body = compressed("gzip", BOMB_SIZE)
    handler.expect_response("GET", decoder_factory=gzip_decoders())
    handler.data_received(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"%x\r\n%s\r\nzz\r\n" % (len(body), body)
    )
    _, payload = await handler.read_head()
    assert handler.reading_paused
    received, exc = await read_until_error(payload)
    assert isinstance(exc, ClientPayloadError)
    assert received > HELD_AT_MOST  # what was decoded came first


async def test_eof_behind_a_waiting_read_until_close_body(handler) -> None:
    handler.expect_response("GET", decoder_factory=gzip_decoders())
    handler.data_received(
        b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n" + compressed("br", BOMB_SIZE)
    )
    _, payload = await handler.read_head()
    handler.eof_received()
    assert not handler.message_complete
    assert sum(map(len, await read_pieces(payload))) == BOMB_SIZE
    assert handler.message_complete


async def test_a_complete_body_left_unread_does_not_keep_reading_paused(handler) -> None:
    body = b"x" * (HELD_AT_MOST + 1)  # past the high-water mark in one read
    handler.expect_response("GET")
    handler.data_received(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    _, payload = await handler.read_head()
    assert handler.message_complete
    assert handler.transport.reading is True  # the pooled connection can read the next response
    assert not handler.reading_paused
    assert len(await payload.read()) == len(body)
