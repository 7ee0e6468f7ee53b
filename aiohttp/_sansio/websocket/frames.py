"""Frames: the base framing protocol of RFC 6455 §5.2, read and written from whole buffers.

:class:`FrameReader` turns bytes into :class:`Frame` tuples and checks everything a single frame
can get wrong (§5.2 header fields, §5.3 masking direction, §5.5 control frame rules, RSV bits
only when an extension owns them, and the frame size limit). A data frame whose payload is still
arriving comes out piece by piece, each piece shaped like a fragment (§5.4), so its text can be
checked as it arrives (§8.1). :func:`build_frame` writes one frame.
:func:`apply_mask` XORs a whole buffer with a masking key (§5.3) using integer arithmetic over
large chunks instead of a per-byte loop.
"""

from __future__ import annotations

import os
import struct
from typing import Literal, NamedTuple

from .errors import MessageTooBigError, WebSocketProtocolError

__all__ = [
    "Frame",
    "FrameReader",
    "apply_mask",
    "build_frame",
    "mask_into",
    "new_mask",
    "websocket_mask",
]

OP_CONTINUATION = 0x0
OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8
OP_PING = 0x9
OP_PONG = 0xA
_KNOWN_OPCODES = frozenset({0x0, 0x1, 0x2, 0x8, 0x9, 0xA})

RSV1 = 0x4  # the bit permessage-deflate uses (RFC 7692 §6), as (byte0 >> 4) & 7
MAX_CONTROL_PAYLOAD = 125  # RFC 6455 §5.5
_LEN16 = struct.Struct("!H")
_LEN64 = struct.Struct("!Q")
# Frame heads with a 7-bit, 16-bit and 64-bit payload length (RFC 6455 §5.2).
_HEAD8 = struct.Struct("!BB")
_HEAD16 = struct.Struct("!BBH")
_HEAD64 = struct.Struct("!BBQ")

# apply_mask works on chunks of this many bytes: big enough that the per-chunk Python cost
# vanishes, small enough that the chunk, its integer and the result stay in the CPU cache
# (measured with CPython 3.11: 64 KiB chunks unmask about 1.5x faster than 256 KiB ones).
_MASK_CHUNK = 1 << 16
_ORDER: Literal["little"] = "little"  # byte i of a chunk is bits 8i..8i+7 of its integer


# For the small frames of FrameReader._scan, by payload length n (at most 125): the integer
# with a 1 at every 32nd bit over n bytes rounded up to 4 (a 4-byte mask times it is the mask
# repeated), and n bytes of ones (to cut the repeated mask to the payload's length).
_REPEAT = tuple(int.from_bytes(b"\x01\0\0\0" * ((n + 3) >> 2), _ORDER) for n in range(126))
_LOW = tuple((1 << (n << 3)) - 1 for n in range(126))


class Frame(NamedTuple):
    """One frame as read from the wire, already unmasked (RFC 6455 §5.2)."""

    fin: bool
    rsv: int
    opcode: int
    payload: bytes


# The key of the last mask as an integer over _MASK_CHUNK + 4 bytes at phase 0, from which any
# phase and shorter length is a shift and an AND away, and the keys derived from it so far by
# (length, phase): a large frame is unmasked in reads of a few sizes with one mask, and
# building a key costs about as much as unmasking. One tuple, replaced whole (threads never
# see a mixed state); the derived keys are dropped past _KEYS_KEPT.
_keys: tuple[bytes, int, dict[tuple[int, int], int]] = (b"", 0, {})
_KEYS_KEPT = 8


def _key(mask: bytes, n: int, phase: int) -> int:
    """``mask`` repeated over ``n`` bytes from ``phase``, as an integer (``n`` at most a chunk)."""
    global _keys
    last, long, derived = _keys
    if mask != last:
        if n < _MASK_CHUNK >> 2:  # a small payload with a new key: build just what it needs
            return int.from_bytes((mask * ((n + phase + 3) >> 2))[phase : phase + n], _ORDER)
        long = int.from_bytes(mask * ((_MASK_CHUNK >> 2) + 1), _ORDER)
        derived = {}
        _keys = (mask, long, derived)
    key = derived.get((n, phase))
    if key is None:
        if len(derived) >= _KEYS_KEPT:
            derived.clear()
        key = derived[n, phase] = (long >> (phase << 3)) & ((1 << (n << 3)) - 1)
    return key


def mask_into(
    parts: list[bytes], mask: bytes, data: bytes | bytearray | memoryview, offset: int = 0
) -> None:
    """Append ``data`` XORed with ``mask`` to ``parts``, one piece per :data:`_MASK_CHUNK`.

    The whole-buffer technique: each chunk becomes one integer, is XORed with the key repeated
    to the same length, and is turned back into bytes: three C loops and no per-byte Python.

    Args:
        parts: where the masked pieces go.
        mask: the 4-byte masking key.
        data: the bytes to mask.
        offset: the position of ``data[0]`` in the payload (the key's phase, RFC 6455 §5.3).
    """
    n = len(data)
    order = _ORDER
    from_bytes = int.from_bytes
    phase = offset & 3
    if n <= _MASK_CHUNK:
        parts.append((from_bytes(data, order) ^ _key(mask, n, phase)).to_bytes(n, order))
        return
    view = memoryview(data)
    chunk = _MASK_CHUNK
    key = _key(mask, chunk, phase)  # chunks are a multiple of 4 long: one phase for all
    full = n - n % chunk
    for start in range(0, full, chunk):
        parts.append((from_bytes(view[start : start + chunk], order) ^ key).to_bytes(chunk, order))
    if full < n:
        rest = n - full
        key = _key(mask, rest, phase)
        parts.append((from_bytes(view[full:], order) ^ key).to_bytes(rest, order))


def apply_mask(mask: bytes, data: bytes | bytearray | memoryview) -> bytes:
    """XOR ``data`` with the 4-byte ``mask`` repeated (RFC 6455 §5.3); masking is its own inverse.

    Args:
        mask: the 4-byte masking key.
        data: the payload.

    Returns:
        The masked (or unmasked) payload.
    """
    parts: list[bytes] = []
    mask_into(parts, mask, data)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def websocket_mask(mask: bytes, data: bytearray) -> None:
    """Mask (or unmask) ``data`` in place with the 4-byte ``mask`` (aiohttp 3.x's helper)."""
    data[:] = apply_mask(mask, data)


_KEY_POOL_SIZE = 4096
_key_pool = b""
_key_pos = 0


def new_mask() -> bytes:
    """A fresh masking key from the OS entropy source (RFC 6455 §5.3, §10.3)."""
    global _key_pool, _key_pos
    if _key_pos >= len(_key_pool):
        _key_pool = os.urandom(_KEY_POOL_SIZE)
        _key_pos = 0
    key = _key_pool[_key_pos : _key_pos + 4]
    _key_pos += 4
    return key


def build_frame(
    opcode: int,
    payload: bytes,
    *,
    fin: bool = True,
    rsv: int = 0,
    mask: bytes | None = None,
    length: int | None = None,
) -> bytes:
    """Serialize one frame (RFC 6455 §5.2) with the shortest length encoding.

    Args:
        opcode: the frame opcode.
        payload: the unmasked payload.
        fin: the FIN bit.
        rsv: the RSV1-3 bits as a 3-bit number (``RSV1`` is 4).
        mask: a 4-byte masking key (clients must mask, §5.3), or ``None``.
        length: the payload length to announce when ``payload`` is empty because the caller
            writes it separately (already masked with ``mask``); by default ``len(payload)``.

    Returns:
        The frame bytes.
    """
    b0 = (0x80 if fin else 0) | (rsv << 4) | opcode
    n = len(payload) if length is None else length
    maskbit = 0x80 if mask is not None else 0
    if n < 126:
        head = _HEAD8.pack(b0, maskbit | n)
    elif n < 0x10000:
        head = _HEAD16.pack(b0, maskbit | 126, n)
    else:
        head = _HEAD64.pack(b0, maskbit | 127, n)
    if mask is None:
        return head + payload
    return head + mask + apply_mask(mask, payload)


_new_frame = tuple.__new__  # builds a Frame without the Python-level NamedTuple constructor


class _SplitFrame:
    """A data frame whose payload is still arriving, handed out piece by piece.

    The pieces are what the frame would be if the peer had fragmented it there (RFC 6455 §5.4
    makes the two the same message): the first carries the frame's opcode and RSV bits, the
    others are continuations, and only the last may carry FIN.
    """

    __slots__ = ("fin", "mask", "offset", "opcode", "remaining", "rsv")

    def __init__(self, fin: bool, rsv: int, opcode: int, mask: bytes | None, length: int) -> None:
        self.fin = fin
        self.rsv = rsv
        self.opcode = opcode
        self.mask = mask
        self.remaining = length
        self.offset = 0

    def take(self, piece: bytes | memoryview, frames: list[Frame]) -> None:
        """Unmask (when masked) one piece of the payload and hand it out (in chunks)."""
        n = len(piece)
        self.remaining -= n
        mask = self.mask
        if mask is None:
            payload = bytes(piece)
        elif n <= _MASK_CHUNK:
            key = _key(mask, n, self.offset & 3)
            payload = (int.from_bytes(piece, _ORDER) ^ key).to_bytes(n, _ORDER)
            self.offset += n
        else:
            parts: list[bytes] = []
            mask_into(parts, mask, piece, self.offset)
            self.offset += n
            payload = parts.pop()
            for part in parts:  # the chunks of a large read, none of them the frame's end
                frames.append(_new_frame(Frame, (False, self.rsv, self.opcode, part)))
                self.rsv = self.opcode = 0
        end = self.fin and not self.remaining
        frames.append(_new_frame(Frame, (end, self.rsv, self.opcode, payload)))
        self.rsv = self.opcode = 0


class FrameReader:
    """Parse frames from a byte stream, one role's view (RFC 6455 §5.2).

    Args:
        expect_masked: ``True`` on a server (client frames must be masked, §5.1), ``False`` on a
            client (server frames must not be).
        max_frame_size: the largest payload accepted, 0 for no limit; past it
            :class:`MessageTooBigError` (1009) is raised as soon as the header is read.
        rsv_allowed: the RSV bits an extension negotiated (``RSV1`` for permessage-deflate).
    """

    __slots__ = (
        "_buf",
        "_expect_masked",
        "_max_frame_size",
        "_need",
        "_small",
        "_split",
        "rsv_allowed",
    )

    def __init__(
        self, *, expect_masked: bool, max_frame_size: int = 0, rsv_allowed: int = 0
    ) -> None:
        self._buf = bytearray()
        self._need = 2
        self._split: _SplitFrame | None = None
        self._expect_masked = expect_masked
        self._max_frame_size = max_frame_size
        # The largest payload the fast path of _scan takes: a 7-bit length within the limit.
        self._small = min(max_frame_size, MAX_CONTROL_PAYLOAD) if max_frame_size else 125
        self.rsv_allowed = rsv_allowed

    def feed(self, data: bytes | bytearray | memoryview, frames: list[Frame]) -> None:
        """Add bytes; append to ``frames`` each frame they complete, in wire order.

        A control frame comes out whole. A data frame whose payload is not all in yet comes out
        in pieces as it arrives (see :class:`_SplitFrame`), none of them empty.

        Raises:
            WebSocketProtocolError: a malformed frame (1002) or one past the size limit (1009).
                The frames before it are already in ``frames``; the reader is spent.
        """
        if type(data) is not bytes:  # a bytearray or memoryview from the caller
            data = bytes(data)
        if self._split is not None and data:
            data = self._stream(data, frames)
            if not data:
                return
        buf = self._buf
        if buf:  # a partial frame is waiting: complete it in the buffer
            buf += data
            src: bytes | bytearray = buf
        else:  # parse straight from what was read; only a trailing partial frame is kept
            src = data
        end = len(src)
        if end < self._need:
            if src is data:
                buf += data
            return
        pos = self._scan(src, end, frames)
        if src is buf:
            if pos:
                del buf[:pos]
        elif pos < end:
            buf += memoryview(data)[pos:]

    def _scan(self, src: bytes | bytearray, end: int, frames: list[Frame]) -> int:
        """Parse the frames in ``src[:end]``; return where the first incomplete one starts."""
        pos = 0
        mask_bit = 0x80 if self._expect_masked else 0
        small = self._small
        order = _ORDER
        from_bytes = int.from_bytes
        while end - pos >= 2:
            b0 = src[pos]
            n = src[pos + 1] ^ mask_bit  # the length when the mask bit is as expected
            if n <= small and b0 in {0x81, 0x82}:
                # The common frame: a whole text or binary message of at most 125 bytes,
                # masked as the role requires, so every check of _parse_header holds.
                start = pos + 6 if mask_bit else pos + 2
                stop = start + n
                if stop <= end:  # all of it is here (else the general path splits it)
                    if mask_bit:
                        # The key over n bytes: the 4-byte mask times 1 every 32 bits, cut.
                        key = (from_bytes(src[pos + 2 : start], order) * _REPEAT[n]) & _LOW[n]
                        payload = (from_bytes(src[start:stop], order) ^ key).to_bytes(n, order)
                    else:
                        payload = bytes(src[start:stop])  # the slice itself when src is bytes
                    frames.append(_new_frame(Frame, (True, 0, b0 & 0x0F, payload)))
                    pos = stop
                    continue
            parsed = self._parse_header(src, pos, end)
            if parsed is None:
                return pos
            fin, rsv, opcode, start, length, mask = parsed
            stop = start + length
            if stop > end:
                if opcode >= 8:  # a control frame is short (§5.5): wait for all of it
                    self._need = stop - pos
                    return pos
                return self._split_at(src, start, end, (fin, rsv, opcode, mask, length), frames)
            with memoryview(src) as view:
                if mask is None:
                    payload = bytes(view[start:stop])
                else:
                    payload = apply_mask(mask, view[start:stop])
            frames.append(_new_frame(Frame, (fin, rsv, opcode, payload)))
            pos = stop
        self._need = 2
        return pos

    def _split_at(
        self,
        src: bytes | bytearray,
        start: int,
        end: int,
        head: tuple[bool, int, int, bytes | None, int],
        frames: list[Frame],
    ) -> int:
        """Start handing out a data frame whose payload runs past ``end``; return ``end``.

        It goes out as it arrives: its text is checked early (§8.1), and a large frame is not
        first gathered in a buffer growing to its size.
        """
        split = self._split = _SplitFrame(*head)
        if start < end:
            with memoryview(src) as view:
                split.take(view[start:end], frames)
        self._need = 2
        return end

    def _stream(self, data: bytes, frames: list[Frame]) -> bytes:
        """Feed the split frame in progress; return the bytes past its end."""
        split = self._split
        assert split is not None
        need = split.remaining
        if len(data) < need:
            split.take(data, frames)
            return b""
        split.take(memoryview(data)[:need] if len(data) > need else data, frames)
        self._split = None
        return data[need:]

    def _parse_header(
        self, buf: bytes | bytearray, pos: int, end: int
    ) -> tuple[bool, int, int, int, int, bytes | None] | None:
        b0 = buf[pos]
        b1 = buf[pos + 1]
        fin = bool(b0 & 0x80)
        rsv = (b0 >> 4) & 7
        opcode = b0 & 0x0F
        masked = bool(b1 & 0x80)
        length = b1 & 0x7F
        if opcode not in _KNOWN_OPCODES:
            raise WebSocketProtocolError(f"reserved opcode {opcode:#x} (RFC 6455 §5.2)")
        if rsv & ~self.rsv_allowed:
            raise WebSocketProtocolError("reserved bits set without an extension (§5.2)")
        if opcode >= 8:
            if not fin:
                raise WebSocketProtocolError("fragmented control frame (§5.5)")
            if length > MAX_CONTROL_PAYLOAD:
                raise WebSocketProtocolError("control frame payload over 125 bytes (§5.5)")
            if rsv:
                raise WebSocketProtocolError("RSV1 on a control frame (RFC 7692 §6.1)")
        elif rsv and opcode == OP_CONTINUATION:
            raise WebSocketProtocolError("RSV1 on a continuation frame (RFC 7692 §6.1)")
        if masked != self._expect_masked:
            if masked:
                raise WebSocketProtocolError("masked frame from a server (§5.1)")
            raise WebSocketProtocolError("unmasked frame from a client (§5.1)")
        head = 2
        if length == 126:
            head = 4
            if end - pos < head:
                self._need = head
                return None
            length = _LEN16.unpack_from(buf, pos + 2)[0]
        elif length == 127:
            head = 10
            if end - pos < head:
                self._need = head
                return None
            length = _LEN64.unpack_from(buf, pos + 2)[0]
            if length >> 63:
                raise WebSocketProtocolError("64-bit length with its top bit set (§5.2)")
        if self._max_frame_size and length > self._max_frame_size:
            raise MessageTooBigError(f"frame of {length} bytes over the limit")
        mask = None
        if masked:
            if end - pos < head + 4:
                self._need = head + 4
                return None
            mask = bytes(buf[pos + head : pos + head + 4])
            head += 4
        return fin, rsv, opcode, pos + head, length, mask
