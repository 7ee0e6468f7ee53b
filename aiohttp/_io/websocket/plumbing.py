"""aiohttp 3.x's low-level WebSocket pieces, on the sans-I/O endpoint.

:class:`WebSocketDataQueue` is a queue of messages with flow control (reading pauses while more
than ``limit`` bytes of messages wait); :class:`WebSocketReader` turns received bytes into
messages on such a queue; :class:`WebSocketWriter` writes frames on a transport. They have 3.x's
names and signatures for code written against them; frames, masking, fragmentation and
permessage-deflate are :class:`aiohttp._sansio.websocket.WebSocketConnection`'s work, as for
:class:`~aiohttp._io.websocket.channel.WebSocketChannel`, which the WebSocket responses use.
"""

from __future__ import annotations

import asyncio
import random as _random

from ..._sansio.websocket import WebSocketConnection, WSMessage, WSMsgType
from ..._sansio.websocket.deflate import DeflateParams
from ..._sansio.websocket.frames import OP_BINARY, OP_TEXT
from ..protocol import BaseProtocol
from ..queues import FlowControlDataQueue

__all__ = ["WebSocketDataQueue", "WebSocketReader", "WebSocketWriter"]

DEFAULT_LIMIT = 2**18


class WebSocketDataQueue(FlowControlDataQueue[WSMessage]):
    """Messages waiting to be read, with flow control on the connection: reading pauses while
    more than ``limit`` bytes of messages wait (a :class:`FlowControlDataQueue` of
    :class:`~aiohttp.WSMessage`).

    Args:
        protocol: the connection to pause and resume.
        limit: the flow-control mark in bytes.
        loop: the event loop.
    """


class WebSocketReader:
    """Received bytes in, messages out onto ``queue`` (frames sent by a server: unmasked).

    Args:
        queue: where complete messages and control frames go.
        max_msg_size: the largest message accepted, 0 for no limit (close code 1009 past it).
        compress: accept permessage-deflate compressed messages (RFC 7692).
        decode_text: give text messages as ``str``; ``False`` keeps their UTF-8 bytes.
    """

    def __init__(
        self, queue: WebSocketDataQueue, max_msg_size: int, compress: bool, decode_text: bool
    ) -> None:
        self.queue = queue
        self._decode_text = decode_text
        self._conn = WebSocketConnection(
            is_client=True, max_msg_size=max_msg_size, deflate=DeflateParams() if compress else None
        )

    def feed_data(self, data: bytes | bytearray | memoryview) -> tuple[bool, bytes]:
        """Read ``data``; complete messages go to the queue.

        Returns:
            ``(True, b"")`` once the connection can read nothing more (a protocol error, set
            on the queue as a :class:`~aiohttp.WebSocketError`), else ``(False, b"")``.
        """
        queue = self.queue
        for event in self._conn.receive_data(bytes(data)):
            if event.type is WSMsgType.ERROR:
                queue.set_exception(event.data)
                return True, b""
            msg = event
            if event.type is WSMsgType.TEXT and not self._decode_text:
                msg = event._replace(data=event.data.encode("utf-8"))
            size = len(msg.data) if isinstance(msg.data, bytes | str) else 0
            queue.feed_data(msg, size)
        return False, b""

    def feed_eof(self) -> None:
        """The connection ended: so does the queue."""
        self.queue.feed_eof()


class WebSocketWriter:
    """Frames out on ``transport``.

    Args:
        protocol: the connection (its flow control is honoured).
        transport: where frames are written.
        use_mask: mask frames (a client must, RFC 6455 §5.3).
        limit: accepted for compatibility (writes wait for drain whenever the transport asks).
        random: accepted for compatibility: masking keys come from :func:`os.urandom`.
        compress: the permessage-deflate window bits, 0 not to compress (RFC 7692).
        notakeover: reset the compressor after each message.
    """

    def __init__(
        self,
        protocol: BaseProtocol,
        transport: asyncio.Transport,
        *,
        use_mask: bool = False,
        limit: int = DEFAULT_LIMIT,
        random: _random.Random = _random.Random(),  # noqa: B008 - 3.x's default
        compress: int = 0,
        notakeover: bool = False,
    ) -> None:
        self.protocol = protocol
        self.transport = transport
        self.use_mask = use_mask
        self.get_random_bits = random.getrandbits
        self.compress = compress
        self.notakeover = notakeover
        self._limit = limit
        self._conns: dict[int, WebSocketConnection] = {}

    def _conn(self, compress: int) -> WebSocketConnection:
        """The sans-I/O endpoint that frames with ``compress`` window bits (0: none)."""
        conn = self._conns.get(compress)
        if conn is None:
            params = None
            if compress:
                takeover = self.notakeover
                params = (
                    DeflateParams(
                        client_max_window_bits=compress, client_no_context_takeover=takeover
                    )
                    if self.use_mask
                    else DeflateParams(
                        server_max_window_bits=compress, server_no_context_takeover=takeover
                    )
                )
            conn = self._conns[compress] = WebSocketConnection(
                is_client=self.use_mask, deflate=params
            )
        return conn

    async def send_frame(self, message: bytes, opcode: int, compress: int | None = None) -> None:
        """Write one frame (a whole message for text and binary); wait while the transport's
        buffer is full.

        Raises:
            ConnectionResetError: the transport is closing.
        """
        level = self.compress if compress is None else compress
        conn = self._conn(level if opcode in (OP_TEXT, OP_BINARY) else 0)
        if opcode == WSMsgType.PING:
            frame = conn.send_ping(bytes(message))
        elif opcode == WSMsgType.PONG:
            frame = conn.send_pong(bytes(message))
        elif opcode == WSMsgType.CLOSE:
            frame = conn._control_frame(opcode, bytes(message))
        else:
            frame = conn.send_message(opcode, bytes(message), compress=bool(level))
        await self._write(frame)

    async def close(self, code: int = 1000, message: bytes | str = b"") -> None:
        """Write a Close frame with ``code`` and ``message`` (RFC 6455 §5.5.1)."""
        conn = WebSocketConnection(is_client=self.use_mask)
        await self._write(conn.send_close(code, message))

    async def _write(self, frame: bytes) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            raise ConnectionResetError("Cannot write to closing transport")
        transport.write(frame)
        if self.protocol.writing_paused:
            await self.protocol.drain()
