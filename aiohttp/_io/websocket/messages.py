"""The message API shared by ``web.WebSocketResponse`` and ``ClientWebSocketResponse``.

:class:`WebSocketMessages` holds ``send_str`` ... ``receive_json``, ``close`` and ``async for``
once, over a :class:`~aiohttp._io.websocket.channel.WebSocketChannel`, so neither side
implements frames, pings or closing itself. :class:`SendResult` is what the send methods return
(already written; awaiting it waits for drain), :class:`FragmentSender` streams one message as
fragments. :class:`WSMessageTypeError` is what a typed receive raises for a message of another kind.
"""

from __future__ import annotations

import asyncio
import json
import warnings
from collections.abc import AsyncIterable, Callable, Coroutine, Generator, Iterable
from types import TracebackType
from typing import Any

from ..._sansio.websocket import WSCloseCode, WSMessage, WSMsgType
from ..._sansio.websocket.frames import OP_BINARY, OP_TEXT
from .channel import WebSocketChannel

__all__ = ["FragmentSender", "SendResult", "WSMessageTypeError", "WebSocketMessages"]

JSONEncoder = Callable[[Any], str]
JSONBytesEncoder = Callable[[Any], bytes]
JSONDecoder = Callable[[str], Any]


class WSMessageTypeError(TypeError):
    """A message of another kind than asked for reached ``receive_str/bytes/json`` (aiohttp 3.x).

    A :class:`TypeError`, so code written to catch that keeps working.
    """


# The kinds that end ``async for`` (a tuple of enum members, so no Enum attribute is read there).
_ENDS = (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED)
_DONE: Generator[Any, None, None] = (_ for _ in ())  # an exhausted iterator, shared
next(_DONE, None)


class SendResult(Coroutine[Any, Any, None]):
    """What ``send_str`` and friends return: already written, await it to wait for drain.

    Awaiting it is the modern spelling; it is a coroutine, so ``asyncio.create_task()`` and
    ``gather()`` take it too. Dropping it without ``await`` (the old synchronous API) still
    sends, and warns with :class:`DeprecationWarning`.
    """

    __slots__ = ("_awaited", "_channel", "_inner", "_name")

    def __init__(self, channel: WebSocketChannel, name: str) -> None:
        self._channel = channel
        self._name = name
        self._awaited = False
        self._inner: Generator[Any, None, None] | None = None

    def __await__(self) -> Generator[Any, None, None]:
        self._awaited = True
        if self._channel.protocol.writing_paused:
            return self
        return _DONE  # nothing to wait for: the common case costs no extra step

    def __iter__(self) -> SendResult:
        return self

    def __next__(self) -> Any:
        return self.send(None)

    def send(self, value: Any) -> Any:
        """Advance the wait for drain (coroutine protocol)."""
        self._awaited = True
        if self._inner is None:
            if not self._channel.needs_drain:
                raise StopIteration
            self._inner = self._channel.drain().__await__()
        return self._inner.send(value)

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        """Raise inside the wait (coroutine protocol)."""
        self._awaited = True
        exc = typ if val is None else val
        if self._inner is None:
            raise exc
        return self._inner.throw(exc)

    def close(self) -> None:
        """Stop waiting (coroutine protocol)."""
        self._awaited = True
        if self._inner is not None:
            self._inner.close()

    def __del__(self) -> None:
        if not self._awaited:
            warnings.warn(
                f"calling {self._name}() without await is deprecated, use await ws.{self._name}()",
                DeprecationWarning,
                stacklevel=2,
            )


class FragmentSender:
    """Send one message as a stream of fragments (RFC 6455 §5.4).

    Use ``async with ws.send_fragments() as out: await out.send(chunk)``; leaving the block
    ends the message. ``await ws.send_fragments(chunks)`` sends an iterable or async iterable.
    """

    def __init__(
        self,
        channel: WebSocketChannel,
        chunks: Iterable[bytes | str] | AsyncIterable[bytes | str] | None,
        text: bool,
    ) -> None:
        self._channel = channel
        self._chunks = chunks
        self._text = text
        self._pending: bytes | None = None

    async def send(self, chunk: bytes | str) -> None:
        """Send one piece (``str`` pieces are UTF-8 encoded)."""
        data = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
        previous = self._pending
        self._pending = data
        if previous is not None:  # hold one back so the last goes with FIN
            await self._emit(previous, fin=False)

    async def _emit(self, data: bytes, *, fin: bool) -> None:
        channel = self._channel
        channel.send(lambda: channel.conn.send_fragment(data, text=self._text, fin=fin))
        await channel.drain()

    async def __aenter__(self) -> FragmentSender:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            await self._emit(self._pending or b"", fin=True)
            return
        # A message cannot be taken back: rather than let a truncated one look complete,
        # fail the connection with 1011 (RFC 6455 §7.4.1).
        self._channel.fail(1011, "message not completed")

    def __await__(self) -> Generator[Any, None, None]:
        return self._send_all().__await__()

    async def _send_all(self) -> None:
        async with self:
            chunks = self._chunks
            if isinstance(chunks, AsyncIterable):
                async for chunk in chunks:
                    await self.send(chunk)
            elif chunks is not None:
                for chunk in chunks:
                    await self.send(chunk)


class WebSocketMessages:
    """The message API shared by ``web.WebSocketResponse`` and ``ClientWebSocketResponse``.

    Subclasses set ``_channel`` once the handshake is done.
    """

    _channel: WebSocketChannel | None = None
    _starting: asyncio.Future[Any] | None = None  # a handshake still running (old ``start()``)
    #: Whether TEXT messages carry ``str`` (else the UTF-8 ``bytes``, validated all the same).
    _decode_text = True

    def _open(self) -> WebSocketChannel:
        channel = self._channel
        if channel is None:
            raise RuntimeError("Call .prepare() first")
        return channel

    # -- state ---------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether the closing handshake started or the connection ended."""
        channel = self._channel
        return channel is not None and channel.closed

    @property
    def close_code(self) -> int | None:
        """The close code: the peer's when it sent one, 1006 when the connection was lost."""
        channel = self._channel
        return None if channel is None else channel.close_code

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        """Transport information (``peername``, ``sslcontext`` ...), ``default`` once closed."""
        channel = self._channel
        transport = None if channel is None else channel.transport
        return default if transport is None else transport.get_extra_info(name, default)

    def exception(self) -> BaseException | None:
        """The error that ended the connection, if any."""
        channel = self._channel
        return None if channel is None else channel.exception

    # -- sending -------------------------------------------------------------------------

    def _send_ws(self, name: str, opcode: int, payload: bytes, compress: int | None) -> SendResult:
        channel = self._channel
        if channel is None:
            raise RuntimeError("Call .prepare() first")
        channel.send_message(opcode, payload, None if compress is None else bool(compress))
        return SendResult(channel, name)

    def send_str(self, data: str, compress: int | None = None) -> SendResult:
        """Send a text message; ``await`` it to wait until the transport takes more.

        Args:
            data: the text.
            compress: 0 to send this message uncompressed.

        Raises:
            TypeError: ``data`` is not ``str``.
            ConnectionResetError: the WebSocket is closing.
        """
        if not isinstance(data, str):
            raise TypeError(f"data argument must be str ({type(data)!r})")
        channel = self._channel
        if channel is None:
            raise RuntimeError("Call .prepare() first")
        channel.send_message(
            OP_TEXT, data.encode("utf-8"), None if compress is None else bool(compress)
        )
        return SendResult(channel, "send_str")

    def send_bytes(
        self, data: bytes | bytearray | memoryview, compress: int | None = None
    ) -> SendResult:
        """Send a binary message (see :meth:`send_str`)."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data argument must be byte-ish ({type(data)!r})")
        return self._send_ws("send_bytes", OP_BINARY, bytes(data), compress)

    def send_json(
        self, data: Any, compress: int | None = None, *, dumps: JSONEncoder = json.dumps
    ) -> SendResult:
        """Send ``dumps(data)`` as a text message."""
        return self._send_ws("send_json", OP_TEXT, dumps(data).encode("utf-8"), compress)

    async def send_json_bytes(
        self, data: Any, compress: int | None = None, *, dumps: JSONBytesEncoder
    ) -> None:
        """Send ``dumps(data)``, an encoder returning bytes (``orjson.dumps``, say), as a
        binary message, so the JSON is never decoded and encoded again."""
        await self.send_bytes(dumps(data), compress)

    def send_frame(
        self, message: bytes, opcode: WSMsgType, compress: int | None = None
    ) -> SendResult:
        """Send one whole message or control frame with the given opcode."""
        if opcode in (WSMsgType.TEXT, WSMsgType.BINARY):
            return self._send_ws("send_frame", opcode, bytes(message), compress)
        channel = self._open()
        conn = channel.conn
        if opcode is WSMsgType.PING:
            channel.send(lambda: conn.send_ping(message))
        elif opcode is WSMsgType.PONG:
            channel.send(lambda: conn.send_pong(message))
        else:
            raise ValueError(f"cannot send a frame with opcode {opcode!r}")
        return SendResult(channel, "send_frame")

    def ping(self, message: bytes = b"") -> SendResult:
        """Send a Ping (at most 125 bytes)."""
        return self.send_frame(message, WSMsgType.PING)

    def pong(self, message: bytes = b"") -> SendResult:
        """Send an unsolicited Pong (at most 125 bytes)."""
        return self.send_frame(message, WSMsgType.PONG)

    def send_fragments(
        self,
        chunks: Iterable[bytes | str] | AsyncIterable[bytes | str] | None = None,
        *,
        text: bool = False,
    ) -> FragmentSender:
        """Send one message in fragments: ``async with`` it, or ``await`` it with ``chunks``."""
        return FragmentSender(self._open(), chunks, text)

    # -- receiving -----------------------------------------------------------------------

    async def receive(self, timeout: float | None = None) -> WSMessage:  # noqa: ASYNC109 (aiohttp 3.x API)
        """The next message (see :class:`~aiohttp.WSMsgType` for the kinds)."""
        if self._starting is not None:
            starting, self._starting = self._starting, None
            await starting
        msg = await self._open().receive(timeout)
        if not self._decode_text and msg.type is WSMsgType.TEXT:
            return msg._replace(data=msg.data.encode("utf-8"))
        return msg

    async def receive_str(self, *, timeout: float | None = None) -> Any:  # noqa: ASYNC109 (aiohttp 3.x API)
        """The next message, which must be text: a ``str`` (``bytes`` with ``decode_text=False``).

        Raises:
            WSMessageTypeError: it was not a text message.
        """
        msg = await self.receive(timeout)
        if msg.type is not WSMsgType.TEXT:
            raise WSMessageTypeError(
                f"Received message {msg.type}:{msg.data!r} is not WSMsgType.TEXT"
            )
        return msg.data

    async def receive_bytes(self, *, timeout: float | None = None) -> bytes:  # noqa: ASYNC109 (aiohttp 3.x API)
        """The next message, which must be binary.

        Raises:
            WSMessageTypeError: it was not a binary message.
        """
        msg = await self.receive(timeout)
        if msg.type is not WSMsgType.BINARY:
            raise WSMessageTypeError(
                f"Received message {msg.type}:{msg.data!r} is not WSMsgType.BINARY"
            )
        return bytes(msg.data)

    async def receive_json(
        self,
        *,
        loads: JSONDecoder = json.loads,
        timeout: float | None = None,  # noqa: ASYNC109 (aiohttp 3.x API)
    ) -> Any:
        """The next text message decoded with ``loads``.

        Raises:
            WSMessageTypeError: it was not a text message.
        """
        return loads(await self.receive_str(timeout=timeout))

    def __aiter__(self) -> WebSocketMessages:
        return self

    async def __anext__(self) -> WSMessage:
        channel = self._channel
        if channel is not None and self._starting is None and self._decode_text:
            msg = channel.receive_nowait() or await channel.receive()
        else:
            msg = await self.receive()
        if msg[0] in _ENDS:
            raise StopAsyncIteration
        return msg

    async def close(self, *, code: int = WSCloseCode.OK, message: bytes | str = b"") -> bool:
        """Start (or finish) the closing handshake; ``False`` if it was already closed."""
        channel = self._channel
        if channel is None:
            return False
        return await channel.close(code, message)
