"""The harness's own WebSocket wire code: frames, masking, deflate, the handshake key.

Written from RFC 6455 §5.2/§5.3/§1.3 and RFC 7692 §7.2 with the standard library only, and
kept deliberately plain (a per-byte mask, no shortcuts): it is the oracle, not the code under
test, so it shares nothing with ``aiohttp._sansio``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import struct
import zlib
from dataclasses import dataclass

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 §1.3
#: The key the server-side runner sends; its accept value is computed independently below.
FIXED_KEY = "dGhlIHNhbXBsZSBub25jZQ=="
DEFLATE_TAIL = b"\x00\x00\xff\xff"


def accept_for(key: str) -> str:
    """``Sec-WebSocket-Accept`` for ``key`` (RFC 6455 §4.2.2 item 5.4)."""
    return base64.b64encode(hashlib.sha1(key.encode("ascii") + GUID).digest()).decode("ascii")


def mask_bytes(key: bytes, data: bytes) -> bytes:
    """XOR with the masking key, byte by byte (RFC 6455 §5.3)."""
    return (
        bytes(b ^ key[i % 4] for i, b in enumerate(data))
        if len(data) < 64
        else _mask_big(key, data)
    )


def _mask_big(key: bytes, data: bytes) -> bytes:
    # Same definition, evaluated as one integer XOR so long payloads stay quick.
    n = len(data)
    stream = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(n, "big")


def encode_frame(
    opcode: int,
    payload: bytes,
    *,
    fin: bool = True,
    rsv: int = 0,
    mask: bool = True,
    length: int | None = None,
    key: bytes | None = None,
) -> bytes:
    """One frame; ``length`` overrides the length field (for lying-length cases), ``key`` the
    random masking key."""
    n = len(payload) if length is None else length
    head = bytearray([(0x80 if fin else 0) | (rsv << 4) | opcode])
    bit = 0x80 if mask else 0
    if n < 126:
        head.append(bit | n)
    elif n < 65536:
        head.append(bit | 126)
        head += struct.pack("!H", n)
    else:
        head.append(bit | 127)
        head += struct.pack("!Q", n)
    if not mask:
        return bytes(head) + payload
    key = os.urandom(4) if key is None else key
    return bytes(head) + key + mask_bytes(key, payload)


@dataclass(slots=True)
class Frame:
    """A frame read from the peer."""

    fin: bool
    rsv: int
    opcode: int
    masked: bool
    payload: bytes
    key: bytes = b""


class FrameError(Exception):
    """The peer sent something the reader cannot take as a frame."""


async def read_frame(
    reader: asyncio.StreamReader, max_size: int = 64 * 1024 * 1024, sink: bytearray | None = None
) -> Frame:
    """Read one frame; its octets as received are appended to ``sink`` when given.

    Raises:
        asyncio.IncompleteReadError: the connection closed first.
        FrameError: a length over ``max_size`` or with the top bit set.
    """
    read = _Recorder(reader, sink)
    b0, b1 = await read(2)
    n = b1 & 0x7F
    if n == 126:
        (n,) = struct.unpack("!H", await read(2))
    elif n == 127:
        (n,) = struct.unpack("!Q", await read(8))
    if n > max_size:
        raise FrameError(f"frame length {n} over the reader's limit")
    masked = bool(b1 & 0x80)
    key = await read(4) if masked else b""
    payload = await read(n)
    if masked:
        payload = mask_bytes(key, payload)
    return Frame(bool(b0 & 0x80), (b0 >> 4) & 7, b0 & 0x0F, masked, payload, key)


class _Recorder:
    """``readexactly`` that keeps a copy of what it read (the observed bytes of a report)."""

    def __init__(self, reader: asyncio.StreamReader, sink: bytearray | None) -> None:
        self._reader = reader
        self._sink = sink

    async def __call__(self, count: int) -> bytes:
        try:
            data = await self._reader.readexactly(count)
        except asyncio.IncompleteReadError as exc:
            if self._sink is not None:
                self._sink += exc.partial
            raise
        if self._sink is not None:
            self._sink += data
        return data


class Deflater:
    """permessage-deflate for the harness's side (RFC 7692 §7.2.1)."""

    def __init__(self, wbits: int = 15, reset: bool = False) -> None:
        self._wbits = wbits
        self._reset = reset
        self._comp = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -wbits)

    def compress(self, data: bytes) -> bytes:
        """Compress one message and strip the ``00 00 ff ff`` tail."""
        out = self._comp.compress(data) + self._comp.flush(zlib.Z_SYNC_FLUSH)
        if self._reset:
            self._comp = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -self._wbits)
        assert out.endswith(DEFLATE_TAIL)
        return out[:-4]


class Inflater:
    """Inflate the peer's compressed messages (RFC 7692 §7.2.2)."""

    def __init__(self) -> None:
        self._dec = zlib.decompressobj(-15)

    def decompress(self, data: bytes, reset: bool = False) -> bytes:
        """Inflate one whole message."""
        out = self._dec.decompress(data + DEFLATE_TAIL)
        if reset:
            self._dec = zlib.decompressobj(-15)
        return out


def close_code_of(payload: bytes) -> int | None:
    """The status code in a Close payload, ``None`` for an empty one (RFC 6455 §5.5.1)."""
    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None


def parse_extension_header(value: str) -> list[tuple[str, dict[str, str | None]]]:
    """A ``Sec-WebSocket-Extensions`` value as [(name, {param: value})], lower-cased."""
    out = []
    for item in value.split(","):
        if not item.strip():
            continue
        name, *params = (p.strip() for p in item.split(";"))
        table: dict[str, str | None] = {}
        for param in params:
            key, eq, val = param.partition("=")
            table[key.strip().lower()] = val.strip().strip('"') if eq else None
        out.append((name.lower(), table))
    return out


async def read_head(
    reader: asyncio.StreamReader, limit: int = 65536, sink: bytearray | None = None
) -> tuple[str, dict[str, list[str]]]:
    """Read an HTTP/1.1 head: the start line and the fields (names lower-cased).

    Its octets are appended to ``sink`` when given.

    Raises:
        asyncio.IncompleteReadError: the connection closed first.
        ValueError: the head is malformed or too long.
    """
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if sink is not None:
            sink += exc.partial
        raise
    if sink is not None:
        sink += raw
    if len(raw) > limit:
        raise ValueError("head too long")
    lines = raw[:-4].decode("latin-1").split("\r\n")
    fields: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise ValueError(f"malformed field line {line!r}")
        fields.setdefault(name.lower(), []).append(value.strip())
    return lines[0], fields
