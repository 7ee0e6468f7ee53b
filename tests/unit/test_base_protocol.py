"""aiohttp.base_protocol and aiohttp.tcp_helpers as aiohttp 3.x extensions use them."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from aiohttp import base_protocol, tcp_helpers
from aiohttp.client_exceptions import ClientConnectionResetError


class Transport(asyncio.Transport):
    """A transport whose socket is ``sock`` and whose flow control may be missing."""

    def __init__(self, sock: socket.socket | None = None, *, flow_control: bool = True) -> None:
        super().__init__()
        self.sock = sock
        self.flow_control = flow_control
        self.reading = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.sock if name == "socket" else default

    def pause_reading(self) -> None:
        if not self.flow_control:
            raise NotImplementedError
        self.reading = False

    def resume_reading(self) -> None:
        if not self.flow_control:
            raise NotImplementedError
        self.reading = True


class ParsingProtocol(base_protocol.BaseProtocol):
    """A 3.x-style subclass that hands its parser to the base."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop, parser="the parser")


async def test_subclass_passes_its_parser_to_the_base() -> None:
    proto = ParsingProtocol(asyncio.get_running_loop())
    assert proto._parser == "the parser"
    assert base_protocol.BaseProtocol(asyncio.get_running_loop())._parser is None


async def test_resume_reading_accepts_resume_parser() -> None:
    proto = base_protocol.BaseProtocol(asyncio.get_running_loop())
    transport = Transport()
    proto.connection_made(transport)
    proto.pause_reading()
    assert not transport.reading
    proto.resume_reading(resume_parser=False)
    assert transport.reading


async def test_a_transport_without_flow_control_is_not_an_error() -> None:
    proto = base_protocol.BaseProtocol(asyncio.get_running_loop())
    proto.connection_made(Transport(flow_control=False))
    proto.pause_reading()
    proto.resume_reading()
    assert NotImplementedError in base_protocol.PAUSE_RESUME_READING_ERRORS


async def test_set_exception_sets_the_cause_and_skips_done_futures() -> None:
    loop = asyncio.get_running_loop()
    fut: asyncio.Future[None] = loop.create_future()
    cause = OSError("reset")
    base_protocol.set_exception(fut, ValueError("lost"), cause)
    with pytest.raises(ValueError, match="lost") as info:
        await fut
    assert info.value.__cause__ is cause
    base_protocol.set_exception(fut, KeyError("late"))  # already done: ignored
    assert isinstance(fut.exception(), ValueError)


def test_connection_reset_error_is_the_client_one() -> None:
    assert base_protocol.ClientConnectionResetError is ClientConnectionResetError
    assert issubclass(ClientConnectionResetError, ConnectionResetError)


def test_tcp_nodelay_and_keepalive_on_a_tcp_socket() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        transport = Transport(sock)
        tcp_helpers.tcp_nodelay(transport, True)
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        base_protocol.tcp_nodelay(transport, False)
        assert not sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        tcp_helpers.tcp_keepalive(transport)
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE)


def test_tcp_nodelay_leaves_other_sockets_alone() -> None:
    tcp_helpers.tcp_nodelay(Transport(None), True)  # no socket at all
    left, right = socket.socketpair()  # AF_UNIX: no TCP options
    with left, right:
        tcp_helpers.tcp_nodelay(Transport(left), True)
    closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    closed.close()
    tcp_helpers.tcp_nodelay(Transport(closed), True)  # a closed socket: nothing to set
    tcp_helpers.tcp_keepalive(Transport(None))
