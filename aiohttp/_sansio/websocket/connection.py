"""One endpoint of a WebSocket connection, with no I/O (RFC 6455 §5-§7).

Bytes in, :class:`~.types.WSMessage` events out; calls in, bytes to write out. The same class
serves both roles: ``is_client`` decides the masking direction (§5.1, §5.3) and nothing else.

Closing (§7) as a small state machine::

    OPEN --send_close()--> CLOSING --peer Close--> CLOSED
    OPEN --peer Close----> CLOSE_RECEIVED --send_close()--> CLOSED

A Close is sent at most once (a second ``send_close`` returns no bytes), data received after the
peer's Close is discarded (§5.5.1), and a protocol error turns into an ``ERROR`` event carrying a
:class:`~.errors.WebSocketError` whose ``code`` is the close code to answer with; after it the
connection reads nothing more.
"""

from __future__ import annotations

import enum
import struct

from .deflate import DeflateParams, PerMessageDeflate
from .errors import (
    InvalidStateError,
    InvalidUTF8Error,
    WebSocketError,
    WebSocketProtocolError,
)
from .frames import (
    OP_BINARY,
    OP_CLOSE,
    OP_CONTINUATION,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    RSV1,
    Frame,
    FrameReader,
    build_frame,
    mask_into,
    new_mask,
)
from .message import MessageAssembler
from .types import WSCloseCode, WSMessage, WSMsgType, is_valid_close_code

__all__ = ["DEFAULT_MAX_MSG_SIZE", "ConnectionState", "WebSocketConnection"]

# aiohttp 3.x's default; websockets uses 1 MiB, Autobahn's defaults are 16 MiB.
DEFAULT_MAX_MSG_SIZE = 4 * 1024 * 1024
_CLOSE_CODE = struct.Struct("!H")
_PING = WSMsgType.PING
_PONG = WSMsgType.PONG
_CLOSE = WSMsgType.CLOSE
_ERROR = WSMsgType.ERROR


# The 2-byte heads of unmasked final data frames of up to 125 bytes, by opcode (continuation,
# text, binary) and payload length (§5.2): a server's small message is a head and its payload.
_SMALL_HEADS = tuple(tuple(bytes((0x80 | op, n)) for n in range(126)) for op in range(3))


class ConnectionState(enum.Enum):
    """Where the closing handshake stands (RFC 6455 §7.1)."""

    OPEN = "open"
    CLOSING = "closing"  # we sent a Close and wait for the peer's
    CLOSE_RECEIVED = "close-received"  # the peer sent a Close we have not answered
    CLOSED = "closed"  # both Close frames went, or the connection failed


# The states as module names: reading an attribute of an Enum class goes through the enum
# metaclass's __getattr__ hook, several times the cost of a global on a per-message path.
_OPEN = ConnectionState.OPEN
_CLOSING = ConnectionState.CLOSING
_CLOSE_RECEIVED = ConnectionState.CLOSE_RECEIVED
_CLOSED = ConnectionState.CLOSED


def close_payload(code: int | None, reason: str | bytes = b"") -> bytes:
    """The payload of a Close frame (RFC 6455 §5.5.1).

    Args:
        code: the status code, or ``None`` (or 1005) for an empty Close.
        reason: the reason, at most 123 bytes of UTF-8.

    Raises:
        ValueError: the code may not be sent (§7.4) or the reason is too long.
    """
    if isinstance(reason, str):
        reason = reason.encode("utf-8")
    if code is None or code == 1005:
        if reason:
            raise ValueError("a close reason needs a close code")
        return b""
    if not is_valid_close_code(code):
        raise ValueError(f"close code {code} may not be sent (RFC 6455 §7.4)")
    if len(reason) > 123:
        raise ValueError("close reason longer than 123 bytes (RFC 6455 §5.5)")
    return _CLOSE_CODE.pack(code) + reason


def parse_close(payload: bytes) -> tuple[int, str]:
    """Read a received Close payload (RFC 6455 §5.5.1, §7.1.5, §7.4).

    Returns:
        ``(code, reason)``; an empty payload reads as 1005, "no status received".

    Raises:
        WebSocketProtocolError: a 1-byte payload or a code that may not be sent (1002).
        InvalidUTF8Error: the reason is not UTF-8 (1007).
    """
    if not payload:
        return 1005, ""
    if len(payload) == 1:
        raise WebSocketProtocolError("close payload of one byte (§5.5.1)")
    code = _CLOSE_CODE.unpack_from(payload)[0]
    if not is_valid_close_code(code):
        raise WebSocketProtocolError(f"invalid close code {code} (§7.4)")
    try:
        return code, payload[2:].decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidUTF8Error("close reason is not UTF-8") from None


class WebSocketConnection:
    """The sans-I/O WebSocket endpoint.

    Args:
        is_client: ``True`` for the client role (masks what it sends, §5.3).
        max_msg_size: the largest message accepted, 0 for no limit (1009 past it).
        max_frame_size: the largest frame payload accepted, 0 for ``max_msg_size``.
        deflate: the negotiated permessage-deflate parameters, ``None`` without compression.
    """

    def __init__(
        self,
        *,
        is_client: bool,
        max_msg_size: int = DEFAULT_MAX_MSG_SIZE,
        max_frame_size: int = 0,
        deflate: DeflateParams | None = None,
    ) -> None:
        self.is_client = is_client
        self.state = _OPEN
        self.close_code: int | None = None
        self.close_reason = ""
        self.error: WebSocketError | None = None
        self._deflate = PerMessageDeflate(deflate, is_client=is_client) if deflate else None
        self._reader = FrameReader(
            expect_masked=not is_client,
            max_frame_size=max_frame_size or max_msg_size,
            rsv_allowed=RSV1 if deflate else 0,
        )
        self._assembler = MessageAssembler(max_msg_size=max_msg_size, deflate=self._deflate)
        self._fragment_opcode = 0  # opcode of the message we are sending in fragments

    @property
    def compressing(self) -> bool:
        """Whether outgoing messages are compressed by default."""
        return self._deflate is not None and self._deflate.can_compress

    # -- receiving ---------------------------------------------------------------------------

    def receive_data(self, data: bytes) -> list[WSMessage]:
        """Feed received bytes; return the messages and control frames they complete.

        Events come in wire order. A protocol error becomes a final ``WSMessage(ERROR, exc,
        None)`` after everything completed before the bad octets; send a Close with
        ``exc.code`` next (RFC 6455 §7.1.7).
        """
        state = self.state
        if state is _CLOSE_RECEIVED or state is _CLOSED:
            return []
        events: list[WSMessage] = []
        frames: list[Frame] = []
        bad_frame: WebSocketError | None = None
        try:
            self._reader.feed(data, frames)
        except WebSocketError as exc:  # the frames before the bad one still count (§5.2)
            bad_frame = exc
        assemble = self._assembler.feed
        try:
            for frame in frames:
                if frame[2] <= OP_BINARY:  # the opcode
                    msg = assemble(frame)
                    if msg is not None:
                        events.append(msg)
                elif self._control(frame, events):
                    break  # nothing after the peer's Close is read (§5.5.1)
            else:
                if bad_frame is not None:
                    raise bad_frame
        except WebSocketError as exc:
            self.error = exc
            self.close_code = exc.code
            if self.state is _CLOSING:
                self.state = _CLOSED
            else:
                self.state = _CLOSE_RECEIVED
            events.append(WSMessage(_ERROR, exc, None))
        return events

    def _control(self, frame: Frame, events: list[WSMessage]) -> bool:
        opcode = frame.opcode
        if opcode == OP_PING:
            events.append(WSMessage(_PING, frame.payload, None))
            return False
        if opcode == OP_PONG:
            events.append(WSMessage(_PONG, frame.payload, None))
            return False
        code, reason = parse_close(frame.payload)
        if self.close_code is None:
            self.close_code = code
            self.close_reason = reason
        if self.state is _CLOSING:
            self.state = _CLOSED
        else:
            self.state = _CLOSE_RECEIVED
        events.append(WSMessage(_CLOSE, code, reason))
        return True

    def receive_eof(self) -> None:
        """The transport closed: without a Close frame that is an abnormal closure (1006)."""
        if self.state is not _CLOSED:
            if self.close_code is None or self.state is _OPEN:
                self.close_code = WSCloseCode.ABNORMAL_CLOSURE
            self.state = _CLOSED

    # -- sending -----------------------------------------------------------------------------

    def _frame(self, opcode: int, payload: bytes, fin: bool = True, rsv: int = 0) -> bytes:
        return build_frame(
            opcode, payload, fin=fin, rsv=rsv, mask=new_mask() if self.is_client else None
        )

    def _check_open(self) -> None:
        state = self.state
        if state is _CLOSING or state is _CLOSED:
            raise InvalidStateError("cannot send after the connection is closing")

    def send_message(self, opcode: int, payload: bytes, *, compress: bool | None = None) -> bytes:
        """Bytes for one whole message.

        Args:
            opcode: ``OP_TEXT`` (payload already UTF-8) or ``OP_BINARY``.
            payload: the message.
            compress: ``False`` to send this one uncompressed; by default compressed when
                permessage-deflate is in force.

        Raises:
            InvalidStateError: after our Close, or inside a fragmented send.
        """
        state = self.state
        if state is _CLOSING or state is _CLOSED:
            raise InvalidStateError("cannot send after the connection is closing")
        if self._fragment_opcode:
            raise InvalidStateError("a fragmented message is being sent")
        deflate = self._deflate
        if compress is not False and deflate is not None and deflate.can_compress:
            return self._frame(opcode, deflate.compress(payload), rsv=RSV1)
        n = len(payload)
        if n < 126 and opcode <= OP_BINARY:  # the common small frame, built here in one step
            if not self.is_client:
                return _SMALL_HEADS[opcode][n] + payload
            mask = new_mask()
            key = int.from_bytes((mask * ((n >> 2) + 1))[:n], "little")
            masked = (int.from_bytes(payload, "little") ^ key).to_bytes(n, "little")
            return bytes((0x80 | opcode, 0x80 | n)) + mask + masked
        return self._frame(opcode, payload)

    def send_message_parts(
        self, opcode: int, payload: bytes, *, compress: bool | None = None
    ) -> list[bytes]:
        """:meth:`send_message` as a list of pieces to write in order: a large uncompressed
        payload comes back as it is on a server, and as its masked chunks on a client, so it is
        written without being copied behind its header (or joined)."""
        if compress is not False and self.compressing:
            return [self.send_message(opcode, payload, compress=compress)]
        self._check_open()
        if self._fragment_opcode:
            raise InvalidStateError("a fragmented message is being sent")
        if self.is_client:
            mask = new_mask()
            parts = [build_frame(opcode, b"", mask=mask, length=len(payload))]
            mask_into(parts, mask, payload)
            return parts
        return [build_frame(opcode, b"", length=len(payload)), payload]

    def send_text(self, text: str, *, compress: bool | None = None) -> bytes:
        """Bytes for a text message."""
        return self.send_message(OP_TEXT, text.encode("utf-8"), compress=compress)

    def send_binary(self, data: bytes, *, compress: bool | None = None) -> bytes:
        """Bytes for a binary message."""
        return self.send_message(OP_BINARY, data, compress=compress)

    def send_fragment(self, payload: bytes, *, text: bool = False, fin: bool = False) -> bytes:
        """Bytes for one fragment of a message sent piece by piece (RFC 6455 §5.4).

        The first call opens the message (``text`` picks its type), the call with ``fin`` ends it;
        pings, pongs and a Close may be sent in between.
        """
        self._check_open()
        opcode = OP_CONTINUATION
        rsv = 0
        deflate = self._deflate
        compress = deflate is not None and deflate.can_compress
        if not self._fragment_opcode:
            opcode = OP_TEXT if text else OP_BINARY
            self._fragment_opcode = opcode
            rsv = RSV1 if compress else 0
        if fin:
            self._fragment_opcode = 0
        if compress:
            assert deflate is not None
            payload = deflate.compress(payload, fin=fin)
        return self._frame(opcode, payload, fin=fin, rsv=rsv)

    def send_ping(self, payload: bytes = b"") -> bytes:
        """Bytes for a Ping (payload at most 125 bytes, §5.5)."""
        return self._control_frame(OP_PING, payload)

    def send_pong(self, payload: bytes = b"") -> bytes:
        """Bytes for a Pong (§5.5.3)."""
        return self._control_frame(OP_PONG, payload)

    def _control_frame(self, opcode: int, payload: bytes) -> bytes:
        self._check_open()
        if len(payload) > 125:
            raise ValueError("control frame payload over 125 bytes (RFC 6455 §5.5)")
        return self._frame(opcode, payload)

    def send_close(self, code: int | None = 1000, reason: str | bytes = b"") -> bytes:
        """Bytes for our Close frame, or ``b""`` if one was already sent (§5.5.1, §7.1.2).

        Raises:
            ValueError: the code or reason may not be sent (§7.4, §5.5).
        """
        payload = close_payload(code, reason)
        if self.state is _CLOSING or self.state is _CLOSED:
            return b""
        if self.state is _OPEN:
            self.state = _CLOSING
            self.close_code = code if code is not None else 1005
        else:
            self.state = _CLOSED
        return self._frame(OP_CLOSE, payload)
