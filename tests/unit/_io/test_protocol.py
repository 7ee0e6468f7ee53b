"""The asyncio protocol base: buffered reads, flow control both ways, protocol switch."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aiohttp._io.protocol import BaseProtocol


class FakeTransport(asyncio.Transport):
    """An in-memory transport: records writes, reading state and closing."""

    def __init__(self, protocol: asyncio.BaseProtocol | None = None) -> None:
        super().__init__()
        self.protocol = protocol
        self.written = bytearray()
        self.reading = True
        self.closing = False
        self.extra: dict[str, Any] = {
            "peername": ("127.0.0.1", 4000),
            "sockname": ("127.0.0.1", 80),
        }

    def write(self, data: bytes | bytearray | memoryview) -> None:
        assert not self.closing, "write after close"
        self.written += data

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True

    def is_reading(self) -> bool:
        return self.reading

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        if not self.closing:
            self.closing = True
            if self.protocol is not None:
                asyncio.get_running_loop().call_soon(self.protocol.connection_lost, None)

    def abort(self) -> None:
        self.close()

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        self.closing = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.extra.get(name, default)

    def take(self) -> bytes:
        data = bytes(self.written)
        self.written.clear()
        return data


def feed(protocol: BaseProtocol, data: bytes) -> None:
    """Deliver bytes the way asyncio's buffered read path does."""
    buf = protocol.get_buffer(-1)
    buf[: len(data)] = data
    protocol.buffer_updated(len(data))


class Recorder(BaseProtocol):
    def __init__(self, loop: asyncio.AbstractEventLoop, **kwargs: Any) -> None:
        super().__init__(loop, **kwargs)
        self.received: list[bytes] = []

    def data_received(self, data: bytes) -> None:
        self.received.append(data)


class Receiver:
    def __init__(self) -> None:
        self.events: list[object] = []

    def data_received(self, data: bytes) -> None:
        self.events.append(data)

    def eof_received(self) -> bool | None:
        self.events.append("eof")
        return True

    def connection_lost(self, exc: BaseException | None) -> None:
        self.events.append(("lost", exc))


def connected(**kwargs: Any) -> tuple[Recorder, FakeTransport]:
    proto = Recorder(asyncio.get_running_loop(), **kwargs)
    tr = FakeTransport(proto)
    proto.connection_made(tr)
    return proto, tr


async def test_buffered_reads_are_copied_out_as_bytes() -> None:
    proto, _ = connected()
    feed(proto, b"hello")
    feed(proto, b"world")
    assert proto.received == [b"hello", b"world"]
    assert all(type(d) is bytes for d in proto.received)


async def test_read_buffer_size_bounds_one_read() -> None:
    proto, _ = connected(read_buffer_size=1024)
    assert len(proto.get_buffer(-1)) == 1024


async def test_protocols_with_different_read_sizes_share_one_buffer() -> None:
    small, _ = connected(read_buffer_size=1024)
    big, _ = connected(read_buffer_size=4096)
    feed(small, b"a" * 1000)
    feed(big, b"b" * 4000)
    feed(small, b"c")
    assert small.received == [b"a" * 1000, b"c"]
    assert big.received == [b"b" * 4000]
    assert small.get_buffer(-1).obj is big.get_buffer(-1).obj


async def test_pause_and_resume_reading_are_idempotent() -> None:
    proto, tr = connected()
    proto.pause_reading()
    proto.pause_reading()
    assert proto.reading_paused
    assert not tr.reading
    proto.resume_reading()
    proto.resume_reading()
    assert not proto.reading_paused
    assert tr.reading


async def test_drain_returns_at_once_when_not_paused() -> None:
    proto, _ = connected()
    await asyncio.wait_for(proto.drain(), 1)


async def test_drain_waits_for_resume_writing() -> None:
    proto, _ = connected()
    proto.pause_writing()
    assert proto.writing_paused
    task = asyncio.create_task(proto.drain())
    await asyncio.sleep(0)
    assert not task.done()
    proto.resume_writing()
    await asyncio.wait_for(task, 1)
    assert not proto.writing_paused


async def test_two_drains_wait_on_one_pause() -> None:
    proto, _ = connected()
    proto.pause_writing()
    tasks = [asyncio.create_task(proto.drain()) for _ in range(2)]
    await asyncio.sleep(0)
    proto.resume_writing()
    await asyncio.wait_for(asyncio.gather(*tasks), 1)


async def test_connection_lost_wakes_drain_with_reset_error() -> None:
    proto, _ = connected()
    proto.pause_writing()
    task = asyncio.create_task(proto.drain())
    await asyncio.sleep(0)
    cause = OSError("boom")
    proto.connection_lost(cause)
    with pytest.raises(ConnectionResetError) as info:
        await asyncio.wait_for(task, 1)
    assert info.value.__cause__ is cause
    assert not proto.connected
    with pytest.raises(ConnectionResetError):
        await proto.drain()


async def test_switch_protocol_delivers_held_bytes_then_reads_then_eof_and_loss() -> None:
    proto, _ = connected()
    feed(proto, b"GET / HTTP/1.1\r\n\r\n")
    receiver = Receiver()
    proto.switch_protocol(receiver, b"held")
    feed(proto, b"frame")
    assert proto.eof_received() is True
    proto.connection_lost(None)
    assert proto.received == [b"GET / HTTP/1.1\r\n\r\n"]
    assert receiver.events == [b"held", b"frame", "eof", ("lost", None)]


async def test_switch_protocol_after_loss_reports_loss() -> None:
    proto, _ = connected()
    proto.connection_lost(None)
    receiver = Receiver()
    proto.switch_protocol(receiver)
    assert receiver.events == [("lost", None)]


async def test_eof_without_receiver_closes() -> None:
    proto, _ = connected()
    assert proto.eof_received() is None


async def test_flow_control_on_lost_transport_is_a_no_op() -> None:
    proto, _ = connected()
    proto.connection_lost(None)
    proto.pause_reading()
    assert not proto.reading_paused


async def test_real_socket_pair_reads_through_the_buffer() -> None:
    loop = asyncio.get_running_loop()
    got: asyncio.Future[bytes] = loop.create_future()

    class Echo(BaseProtocol):
        def data_received(self, data: bytes) -> None:
            assert self.transport is not None
            self.transport.write(data.upper())

    server = await loop.create_server(lambda: Echo(loop), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"ping")
        got.set_result(await asyncio.wait_for(reader.readexactly(4), 5))
        writer.close()
        await writer.wait_closed()
    finally:
        server.close()
        await server.wait_closed()
    assert got.result() == b"PING"
