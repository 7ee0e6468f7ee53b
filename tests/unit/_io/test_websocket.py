"""The asyncio WebSocket adapter over an in-memory transport (RFC 6455 §5.5.2, §7)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aiohttp._io.protocol import BaseProtocol
from aiohttp._io.websocket import WebSocketChannel, WebSocketMessages
from aiohttp._sansio.websocket import WebSocketConnection, WSCloseCode, WSMessage, WSMsgType
from aiohttp._sansio.websocket.frames import OP_BINARY


class FakeTransport(asyncio.Transport):
    """Collects written bytes; closing reports connection_lost on the next loop turn."""

    def __init__(self, protocol: BaseProtocol) -> None:
        super().__init__()
        self.protocol = protocol
        self.out = bytearray()
        self.closing = False
        self.reading = True

    def write(self, data: Any) -> None:
        assert not self.closing
        self.out += data

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        if not self.closing:
            self.closing = True
            asyncio.get_running_loop().call_soon(self.protocol.connection_lost, None)

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True


class Peer:
    """The other end, as a sans-I/O endpoint reading what we wrote."""

    def __init__(
        self, transport: FakeTransport, channel: WebSocketChannel, *, is_client: bool
    ) -> None:
        self.transport = transport
        self.channel = channel
        self.conn = WebSocketConnection(is_client=is_client)

    def read(self) -> list[WSMessage]:
        self.channel.flush()  # what one loop turn would have written
        data = bytes(self.transport.out)
        self.transport.out.clear()
        return self.conn.receive_data(data)


class WS(WebSocketMessages):
    def __init__(self, channel: WebSocketChannel) -> None:
        self._channel = channel


def make(*, is_client: bool = False, **kw: Any) -> tuple[WS, WebSocketChannel, FakeTransport, Peer]:
    loop = asyncio.get_running_loop()
    protocol = BaseProtocol(loop)
    transport = FakeTransport(protocol)
    protocol.connection_made(transport)
    channel = WebSocketChannel(protocol, WebSocketConnection(is_client=is_client), **kw)
    protocol.switch_protocol(channel)
    return WS(channel), channel, transport, Peer(transport, channel, is_client=not is_client)


def count_writes(transport: FakeTransport) -> list[bytes]:
    """Record each ``transport.write`` call (the bytes still reach the transport)."""
    writes: list[bytes] = []
    original = transport.write

    def counting(data: Any) -> None:
        writes.append(bytes(data))
        original(data)

    transport.write = counting  # type: ignore[method-assign]
    return writes


async def test_echo_text_binary_json() -> None:
    ws, channel, _, peer = make()
    channel.data_received(peer.conn.send_text("hi") + peer.conn.send_binary(b"\x01"))
    channel.data_received(peer.conn.send_text('{"a": 1}'))
    assert await ws.receive_str() == "hi"
    assert await ws.receive_bytes() == b"\x01"
    assert await ws.receive_json() == {"a": 1}
    await ws.send_str("a")
    await ws.send_bytes(b"b")
    await ws.send_json([1])
    await ws.send_frame(b"c", WSMsgType.BINARY)
    assert [m.data for m in peer.read()] == ["a", b"b", "[1]", b"c"]


async def test_type_errors() -> None:
    ws, channel, _, peer = make()
    with pytest.raises(TypeError):
        ws.send_str(b"x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ws.send_bytes("x")  # type: ignore[arg-type]
    channel.data_received(peer.conn.send_binary(b"b") + peer.conn.send_text("t"))
    with pytest.raises(TypeError):
        await ws.receive_str()
    with pytest.raises(TypeError):
        await ws.receive_bytes()
    with pytest.raises(ValueError):
        ws.send_frame(b"", WSMsgType.CLOSE)


async def test_autoping_answers_and_hides_pings() -> None:
    # RFC 6455 §5.5.2: a Pong with the Ping's payload, as soon as practical.
    ws, channel, _, peer = make()
    channel.data_received(peer.conn.send_ping(b"p1") + peer.conn.send_pong(b"x"))
    channel.data_received(peer.conn.send_text("after"))
    assert await ws.receive() == WSMessage(WSMsgType.TEXT, "after", None)
    assert peer.read() == [WSMessage(WSMsgType.PONG, b"p1", None)]


async def test_without_autoping_pings_are_delivered() -> None:
    ws, channel, _, peer = make(autoping=False)
    channel.data_received(peer.conn.send_ping(b"p") + peer.conn.send_pong(b"q"))
    assert (await ws.receive()).type is WSMsgType.PING
    assert (await ws.receive()).type is WSMsgType.PONG
    await ws.pong(b"p")
    await ws.ping(b"z")
    assert [m.type for m in peer.read()] == [WSMsgType.PONG, WSMsgType.PING]


async def test_peer_close_is_answered_once_and_server_closes_tcp() -> None:
    # RFC 6455 §7.1.1: the server closes the TCP connection first.
    ws, channel, transport, peer = make()
    channel.data_received(peer.conn.send_close(1001, "bye"))
    msg = await ws.receive()
    assert msg == WSMessage(WSMsgType.CLOSE, 1001, "bye")
    assert ws.closed
    assert ws.close_code == 1001
    assert peer.read() == [WSMessage(WSMsgType.CLOSE, 1001, "")]
    assert transport.closing
    assert await ws.close() is False
    assert peer.read() == []
    await asyncio.sleep(0)
    assert (await ws.receive()).type is WSMsgType.CLOSED


async def test_empty_close_answered_with_empty_close() -> None:
    ws, channel, _, peer = make()
    channel.data_received(peer.conn.send_close(None))
    assert (await ws.receive()).data == 1005
    assert peer.read() == [WSMessage(WSMsgType.CLOSE, 1005, "")]


async def test_without_autoclose_the_application_answers() -> None:
    ws, channel, transport, peer = make(autoclose=False)
    channel.data_received(peer.conn.send_close(4000))
    assert (await ws.receive()).data == 4000
    assert not ws.closed
    assert await ws.close(code=4000) is True
    assert peer.read() == [WSMessage(WSMsgType.CLOSE, 4000, "")]
    assert transport.closing


async def test_local_close_waits_for_the_peer() -> None:
    ws, channel, transport, peer = make()
    task = asyncio.create_task(ws.close(code=1000, message="done"))
    await asyncio.sleep(0)
    assert peer.read() == [WSMessage(WSMsgType.CLOSE, 1000, "done")]
    assert (await ws.receive()).type is WSMsgType.CLOSING
    with pytest.raises(ConnectionResetError):
        ws.send_str("late")
    channel.data_received(peer.conn.send_close(1000))
    assert await task is True
    assert transport.closing
    assert ws.close_code == 1000


async def test_a_ping_crossing_our_close_goes_unanswered() -> None:
    # RFC 6455 §5.5.1: nothing is sent after our Close; the Ping is dropped, not a failed read.
    ws, channel, transport, peer = make()
    task = asyncio.create_task(ws.close())
    await asyncio.sleep(0)
    assert peer.read() == [WSMessage(WSMsgType.CLOSE, 1000, "")]
    channel.data_received(peer.conn.send_ping(b"late") + peer.conn.send_text("late"))
    assert peer.read() == []
    channel.data_received(peer.conn.send_close(1000))
    assert await task is True
    assert transport.closing


async def test_close_times_out_when_the_peer_never_answers() -> None:
    ws, _, transport, _ = make(close_timeout=0.05)
    assert await ws.close() is True
    assert ws.close_code is WSCloseCode.ABNORMAL_CLOSURE  # the member, as 3.x sets it
    assert transport.closing


async def test_close_validates_the_code() -> None:
    ws, _, _, _ = make()
    with pytest.raises(ValueError):
        await ws.close(code=1006)
    assert not ws.closed


async def test_close_on_a_lost_connection() -> None:
    ws, _, transport, _ = make()
    transport.closing = True
    assert await ws.close() is True
    assert ws.close_code is WSCloseCode.ABNORMAL_CLOSURE  # the member, as 3.x sets it


async def test_protocol_error_is_answered_with_its_code() -> None:
    ws, channel, transport, peer = make()
    channel.data_received(b"\x83\x80" + b"\x00" * 4)  # reserved opcode
    msg = await ws.receive()
    assert msg.type is WSMsgType.ERROR
    assert ws.close_code == 1002
    assert ws.exception() is msg.data
    assert peer.read()[0].data == 1002
    assert transport.closing


async def test_connection_lost_reports_1006_and_closed_repeats_then_raises() -> None:
    ws, channel, _, _ = make()
    channel.connection_lost(ConnectionResetError("gone"))
    channel.connection_lost(None)
    assert ws.closed
    assert ws.close_code is WSCloseCode.ABNORMAL_CLOSURE  # the member, as 3.x sets it
    assert isinstance(ws.exception(), ConnectionResetError)
    for _ in range(5):
        assert (await ws.receive()).type is WSMsgType.CLOSED
    with pytest.raises(RuntimeError):
        await ws.receive()


async def test_receive_timeout_on_the_client_sets_1006() -> None:
    ws, _, _, _ = make(is_client=True, receive_timeout=0.01)
    with pytest.raises(TimeoutError):
        await ws.receive()
    assert ws.close_code is WSCloseCode.ABNORMAL_CLOSURE  # the member, as 3.x sets it


async def test_cancelled_receive_on_the_client_sets_1006() -> None:
    ws, _, _, _ = make(is_client=True)
    task = asyncio.create_task(ws.receive())
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert ws.close_code is WSCloseCode.ABNORMAL_CLOSURE  # as 3.x's client


async def test_receive_timeout_on_the_server_leaves_the_connection_as_it_was() -> None:
    # aiohttp 3.x's server: a timed-out receive() is only the caller's deadline.
    ws, channel, _, peer = make(receive_timeout=0.01)
    with pytest.raises(TimeoutError):
        await ws.receive()
    assert ws.close_code is None
    assert not ws.closed
    channel.data_received(peer.conn.send_text("later"))
    assert (await ws.receive()).data == "later"


async def test_concurrent_receive_is_refused() -> None:
    ws, channel, _, peer = make()
    task = asyncio.create_task(ws.receive())
    await asyncio.sleep(0)
    with pytest.raises(RuntimeError, match="Concurrent"):
        await ws.receive()
    channel.data_received(peer.conn.send_text("x"))
    assert (await task).data == "x"


async def test_async_for_stops_at_close() -> None:
    ws, channel, _, peer = make()
    channel.data_received(peer.conn.send_text("1") + peer.conn.send_text("2"))
    channel.data_received(peer.conn.send_close(1000))
    assert [m.data async for m in ws] == ["1", "2"]


async def test_reading_pauses_when_messages_pile_up() -> None:
    ws, channel, transport, peer = make()
    channel.data_received(b"".join(peer.conn.send_text(str(i)) for i in range(70)))
    assert not transport.reading
    for _ in range(70 - 8):
        await ws.receive()
    assert transport.reading


@pytest.mark.parametrize(("size", "paused"), [(65536, False), (65537, True)], ids=["at", "past"])
async def test_reading_pauses_when_message_bytes_pile_up(size: int, paused: bool) -> None:
    # A few large messages are bounded by their bytes, not their count: 64 one-MiB messages
    # used to sit unread before reading paused.
    ws, channel, transport, peer = make()
    channel.data_received(peer.conn.send_binary(b"x" * (size - 1)) + peer.conn.send_binary(b"y"))
    assert transport.reading is not paused
    assert (await ws.receive()).data == b"x" * (size - 1)
    assert transport.reading  # back under the low mark
    assert (await ws.receive()).data == b"y"


async def test_heartbeat_pings_and_closes_without_pong() -> None:
    ws, _, transport, peer = make(heartbeat=0.05)
    await asyncio.sleep(0.07)
    assert [m.type for m in peer.read()] == [WSMsgType.PING]
    msg = await asyncio.wait_for(ws.receive(), 1)
    assert msg.type is WSMsgType.ERROR
    assert isinstance(msg.data, asyncio.TimeoutError)
    assert ws.close_code is WSCloseCode.ABNORMAL_CLOSURE  # the member, as 3.x sets it
    assert transport.closing


async def test_heartbeat_keeps_going_while_the_peer_answers() -> None:
    ws, channel, transport, peer = make(heartbeat=0.04)
    for _ in range(4):
        await asyncio.sleep(0.03)
        for msg in peer.read():
            if msg.type is WSMsgType.PING:
                channel.data_received(peer.conn.send_pong(msg.data))
        channel.data_received(peer.conn.send_text("alive"))
    assert not transport.closing
    assert not ws.closed


async def test_send_without_await_still_sends_and_warns() -> None:
    ws, _, _, peer = make()
    with pytest.warns(DeprecationWarning, match=r"await ws\.send_str\(\)"):
        ws.send_str("old style")  # dropped at once: CPython frees it here
    assert peer.read() == [WSMessage(WSMsgType.TEXT, "old style", None)]


async def test_send_waits_for_drain() -> None:
    ws, channel, _, peer = make()
    protocol = channel._protocol
    protocol.pause_writing()
    task = asyncio.create_task(ws.send_bytes(b"x"))
    await asyncio.sleep(0)
    assert not task.done()
    protocol.resume_writing()
    await task
    assert peer.read()[0].data == b"x"


async def test_send_fragments_context_manager_and_iterables() -> None:
    ws, _, _, peer = make()
    async with ws.send_fragments(text=True) as out:
        await out.send("frag")
        await out.send(b"ments")
    await ws.send_fragments([b"a", b"b"])

    async def gen() -> Any:
        yield b"c"
        yield b"d"

    await ws.send_fragments(gen())
    await ws.send_fragments()
    assert [m.data for m in peer.read()] == ["fragments", b"ab", b"cd", b""]


async def test_data_send_during_fragments_is_refused() -> None:
    ws, _, _, _ = make()
    async with ws.send_fragments() as out:
        await out.send(b"a")
        await out.send(b"b")
        with pytest.raises(RuntimeError):
            await ws.send_bytes(b"x")


async def test_failing_fragment_source_fails_the_connection() -> None:
    ws, _, transport, peer = make()

    async def broken() -> Any:
        yield b"a"
        raise KeyError("source broke")

    with pytest.raises(KeyError):
        await ws.send_fragments(broken())
    assert ws.close_code == 1011
    assert peer.read()[-1] == WSMessage(WSMsgType.CLOSE, 1011, "message not completed")
    assert transport.closing


async def test_client_waits_for_the_server_to_close_tcp() -> None:
    ws, channel, transport, peer = make(is_client=True, close_timeout=0.05)
    task = asyncio.create_task(ws.close())
    await asyncio.sleep(0)
    channel.data_received(peer.conn.send_close(1000))
    await asyncio.sleep(0)
    assert not transport.closing
    channel.connection_lost(None)
    assert await task is True


async def test_client_closes_tcp_itself_after_the_timeout() -> None:
    ws, channel, transport, peer = make(is_client=True, close_timeout=0.02)
    channel.data_received(peer.conn.send_close(1000))
    assert (await ws.receive()).type is WSMsgType.CLOSE
    assert not transport.closing
    await asyncio.sleep(0.05)
    assert transport.closing
    assert await ws.close() is False


async def test_before_prepare() -> None:
    ws = WS.__new__(WS)
    assert not ws.closed
    assert ws.close_code is None
    assert ws.exception() is None
    assert await ws.close() is False
    with pytest.raises(RuntimeError, match="prepare"):
        await ws.receive()


async def test_send_frame_binary_opcode_and_compress_flag() -> None:
    ws, _, _, peer = make()
    await ws.send_frame(b"z", WSMsgType(OP_BINARY), compress=0)
    assert peer.read() == [WSMessage(WSMsgType.BINARY, b"z", None)]


async def test_send_result_is_a_coroutine_for_gather_and_throw() -> None:
    ws, channel, _, peer = make()
    await asyncio.gather(ws.send_str("g"))
    result = ws.send_str("t")
    with pytest.raises(KeyError):
        result.throw(KeyError("k"))
    result.close()
    channel._protocol.pause_writing()
    paused = ws.send_str("p")
    paused.send(None)
    with pytest.raises(ValueError):
        paused.throw(ValueError, ValueError("v"))
    closing = ws.send_str("c")
    closing.send(None)
    closing.close()
    assert [m.data for m in peer.read()] == ["g", "t", "p", "c"]


async def test_going_away_closes_with_1001() -> None:
    ws, channel, transport, peer = make()
    waiting = asyncio.create_task(ws.receive())
    closing = asyncio.create_task(channel.going_away())
    await asyncio.sleep(0)
    assert peer.read() == [WSMessage(WSMsgType.CLOSE, 1001, "Server shutdown")]
    channel.data_received(peer.conn.send_close(1001))
    await closing
    assert (await waiting).type is WSMsgType.CLOSE
    assert transport.closing


async def test_frames_of_one_turn_leave_in_one_write() -> None:
    ws, _, transport, peer = make()
    writes = count_writes(transport)
    for i in range(5):
        await ws.send_str(str(i))
    assert writes == []
    await asyncio.sleep(0)
    assert len(writes) == 1
    big = b"z" * (70 * 1024)
    await ws.send_str("small")
    await ws.send_bytes(big)  # a large frame flushes what waits, then goes straight out
    assert len(writes) == 3
    await ws.send_bytes(b"y" * 40000)
    await ws.send_bytes(b"y" * 40000)  # the queue passes the threshold: flushed at once
    assert len(writes) == 4
    assert [m.data for m in peer.read()][-3:] == [big, b"y" * 40000, b"y" * 40000]


async def test_a_reply_to_the_last_message_waiting_leaves_at_once() -> None:
    ws, channel, transport, peer = make()
    writes = count_writes(transport)
    channel.data_received(peer.conn.send_text("a") + peer.conn.send_text("b"))
    await ws.send_str((await ws.receive()).data.upper())
    assert writes == []  # another message waits: its reply will join this one
    await ws.send_str((await ws.receive()).data.upper())
    assert writes == []  # the last reply of the burst joins the batch before it
    await asyncio.sleep(0)
    assert len(writes) == 1
    channel.data_received(peer.conn.send_text("c"))
    await ws.send_str((await ws.receive()).data.upper())
    assert len(writes) == 2  # nothing else waits: written before the handler's next await
    await ws.send_str("d")
    await ws.send_str("e")
    assert len(writes) == 2  # later sends of the turn are batched again
    await asyncio.sleep(0)
    assert len(writes) == 3
    assert [m.data for m in peer.read()] == ["A", "B", "C", "d", "e"]


async def test_a_pong_joins_the_batch_of_its_turn() -> None:
    ws, channel, transport, peer = make()
    writes = count_writes(transport)
    await ws.send_str("first")
    channel.data_received(peer.conn.send_ping(b"p"))  # RFC 6455 §5.5.3: answered at once
    await asyncio.sleep(0)
    assert len(writes) == 1
    assert peer.read() == [
        WSMessage(WSMsgType.TEXT, "first", None),
        WSMessage(WSMsgType.PONG, b"p", None),
    ]


@pytest.mark.parametrize("size", [10, 70 * 1024], ids=["small", "large"])
async def test_send_on_a_closing_transport_raises(size: int) -> None:
    ws, channel, transport, _ = make()
    transport.closing = True  # closed under the WebSocket, e.g. by the server's shutdown
    with pytest.raises(ConnectionResetError):
        await ws.send_bytes(b"x" * size)
    with pytest.raises(ConnectionResetError):
        channel.write(b"x" * size)
