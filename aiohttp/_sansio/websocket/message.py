"""Message assembly: data frames in, whole messages out (RFC 6455 §5.4, §5.6, §8.1).

Fragments are joined across continuation frames (control frames may arrive between them; the
connection handles those). A continuation with no message open, or a new message while one is
open, is a protocol error (§5.4). Text is checked as UTF-8 with one incremental decoder per
message, fragment by fragment and, for a frame still arriving, piece by piece (the reader hands
those out like fragments): an invalid sequence fails with 1007 as soon as its first impossible
octet arrives, even when the frame or message around it is far from complete (§8.1). Sizes are
checked against the message limit after every fragment (1009), and compressed fragments inflate
no further than the room left under the limit.
"""

from __future__ import annotations

import codecs

from .deflate import PerMessageDeflate
from .errors import InvalidUTF8Error, MessageTooBigError, WebSocketProtocolError
from .frames import OP_CONTINUATION, OP_TEXT, RSV1, Frame
from .types import WSMessage, WSMsgType

__all__ = ["MessageAssembler"]

_TEXT = WSMsgType.TEXT
_BINARY = WSMsgType.BINARY
_utf8_decode = codecs.utf_8_decode  # (data, errors, final) -> (text, octets used)
_new = tuple.__new__  # builds a WSMessage without the Python-level NamedTuple constructor


class MessageAssembler:
    """Join data frames into messages.

    Args:
        max_msg_size: the largest message (after decompression), 0 for no limit.
        deflate: the permessage-deflate codec when negotiated.
    """

    __slots__ = ("_compressed", "_deflate", "_max", "_opcode", "_parts", "_pending", "_size")

    def __init__(self, *, max_msg_size: int, deflate: PerMessageDeflate | None = None) -> None:
        self._max = max_msg_size
        self._deflate = deflate
        self._opcode = 0  # the opcode of the message being assembled, 0 when none
        self._compressed = False
        self._parts: list[bytes] | list[str] = []
        self._size = 0
        # The octets of a character cut at the end of the last fragment, None for binary.
        self._pending: bytes | None = None

    def feed(self, frame: Frame) -> WSMessage | None:
        """Take one data frame; return the message it completes, if any.

        Raises:
            WebSocketProtocolError: bad fragment order (1002), bad UTF-8 (1007), too big (1009).
        """
        fin, rsv, opcode, payload = frame
        if opcode == OP_CONTINUATION:
            if not self._opcode:
                raise WebSocketProtocolError("continuation frame with no message (§5.4)")
            return self._continue(fin, payload)
        if self._opcode:
            raise WebSocketProtocolError("new message inside a fragmented message (§5.4)")
        compressed = bool(rsv & RSV1)
        if fin and not compressed:  # a whole message in one frame: the common case
            if self._max and len(payload) > self._max:
                raise MessageTooBigError(f"message of {len(payload)} bytes over the limit")
            if opcode == OP_TEXT:
                try:
                    return _new(WSMessage, (_TEXT, payload.decode("utf-8"), None))
                except UnicodeDecodeError:
                    raise InvalidUTF8Error() from None
            return _new(WSMessage, (_BINARY, payload, None))
        self._opcode = opcode
        self._compressed = compressed
        self._size = 0
        self._parts = []
        self._pending = b"" if opcode == OP_TEXT else None
        return self._continue(fin, payload)

    def _continue(self, fin: bool, payload: bytes) -> WSMessage | None:
        if self._compressed:
            assert self._deflate is not None  # the reader admits RSV1 only when negotiated
            room = self._max - self._size if self._max else None
            payload = self._deflate.decompress(payload, fin=fin, limit=room)
        self._size += len(payload)
        if self._max and self._size > self._max:
            raise MessageTooBigError(f"message of over {self._max} bytes")
        pending = self._pending
        if pending is not None:
            self._decode(pending + payload if pending else payload, fin)
        elif payload:
            self._parts.append(payload)  # type: ignore[arg-type]
        if not fin:
            return None
        parts = self._parts
        self._parts = []
        self._opcode = 0
        if pending is not None:
            return WSMessage(_TEXT, "".join(parts), None)  # type: ignore[arg-type]
        return WSMessage(_BINARY, b"".join(parts), None)  # type: ignore[arg-type]

    def _decode(self, data: bytes, fin: bool) -> None:
        """Decode what can be of a text fragment; keep the octets of a character cut short.

        The stdlib decoder refuses an impossible octet as soon as it sees it, except after ED
        A0-BF (a UTF-16 surrogate, RFC 3629 §4): it waits for a third octet before it says so
        (for its "surrogatepass" handler), but none can make UTF-8 of them, so they fail here.
        """
        try:
            text, used = _utf8_decode(data, "strict", fin)
        except UnicodeDecodeError:
            raise InvalidUTF8Error() from None
        rest = self._pending = data[used:]
        if len(rest) > 1 and rest[0] == 0xED and rest[1] >= 0xA0:
            raise InvalidUTF8Error()
        if text:
            self._parts.append(text)  # type: ignore[arg-type]
