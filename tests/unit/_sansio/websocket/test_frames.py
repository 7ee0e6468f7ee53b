"""Frames (RFC 6455 §5.2, §5.3, §5.5): reader checks, writer encodings, masking."""

from __future__ import annotations

import os
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp._sansio.websocket import frames
from aiohttp._sansio.websocket.errors import MessageTooBigError, WebSocketProtocolError
from aiohttp._sansio.websocket.frames import (
    RSV1,
    Frame,
    FrameReader,
    apply_mask,
    build_frame,
    new_mask,
    websocket_mask,
)

from .feeding import join_pieces, read, read_split

MASK = b"\x37\xfa\x21\x3d"


def _naive_mask(mask: bytes, data: bytes) -> bytes:
    return bytes(b ^ mask[i % 4] for i, b in enumerate(data))


CHUNK = frames._MASK_CHUNK


@pytest.mark.parametrize(
    "size",
    [0, 1, 3, 4, 5, 125, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 7],
    ids=lambda n: f"6455-5.3-{n}",
)
def test_apply_mask_matches_the_definition(size: int) -> None:
    data = os.urandom(size)
    assert apply_mask(MASK, data) == _naive_mask(MASK, data)
    assert apply_mask(MASK, apply_mask(MASK, data)) == data


@settings(max_examples=40, deadline=None)
@given(
    st.one_of(st.integers(0, 300), st.integers(0, 3 * CHUNK + 5)),
    st.integers(0, 7),
    st.sampled_from([MASK, b"\x01\x02\x03\x04", b"\xff\x00\xff\x00"]),
)
def test_mask_into_keeps_the_key_phase(size: int, offset: int, mask: bytes) -> None:
    # RFC 6455 §5.3: octet i of the payload is XORed with octet i % 4 of the key (keys change
    # between examples, so both a new key and the kept one are exercised).
    data = os.urandom(size)
    parts: list[bytes] = []
    frames.mask_into(parts, mask, data, offset)
    assert all(len(part) <= CHUNK for part in parts)
    assert b"".join(parts) == _naive_mask(mask, bytes(offset) + data)[offset:]


def test_rfc_example_single_frame_masked_text() -> None:
    # RFC 6455 §5.7: a single-frame masked text message "Hello".
    wire = bytes.fromhex("818537fa213d7f9f4d5158")
    assert build_frame(0x1, b"Hello", mask=MASK) == wire
    assert read(FrameReader(expect_masked=True), wire) == [Frame(True, 0, 1, b"Hello")]


@pytest.mark.parametrize(
    ("length", "head"),
    [
        (0, b"\x82\x00"),
        (125, b"\x82\x7d"),
        (126, b"\x82\x7e\x00\x7e"),
        (65535, b"\x82\x7e\xff\xff"),
        (65536, b"\x82\x7f" + struct.pack("!Q", 65536)),
    ],
    ids=[
        "6455-5.2-len0",
        "6455-5.2-len125",
        "6455-5.2-len126",
        "6455-5.2-len65535",
        "6455-5.2-len65536",
    ],
)
def test_length_encodings(length: int, head: bytes) -> None:
    payload = b"x" * length
    wire = build_frame(0x2, payload)
    assert wire == head + payload
    assert read(FrameReader(expect_masked=False), wire) == [Frame(True, 0, 2, payload)]


# (id, first byte, length byte without the mask bit, extended length, whether masked)
BAD_FRAMES = [
    ("6455-5.2-reserved-opcode-3", 0x83, 0, b"", True),
    ("6455-5.2-reserved-opcode-b", 0x8B, 0, b"", True),
    ("6455-5.2-rsv1-no-extension", 0xC1, 0, b"", True),
    ("6455-5.2-rsv2", 0xA1, 0, b"", True),
    ("6455-5.2-rsv3", 0x91, 0, b"", True),
    ("6455-5.5-fragmented-ping", 0x09, 0, b"", True),
    ("6455-5.5-ping-126", 0x89, 126, b"\x00\x7e", True),
    ("6455-5.1-unmasked-from-client", 0x81, 0, b"", False),
    ("6455-5.2-len64-top-bit", 0x82, 127, b"\x80" + b"\x00" * 7, True),
]


@pytest.mark.parametrize(
    ("b0", "b1", "ext", "masked"), [c[1:] for c in BAD_FRAMES], ids=[c[0] for c in BAD_FRAMES]
)
def test_server_rejects_with_1002(b0: int, b1: int, ext: bytes, masked: bool) -> None:
    wire = bytes([b0, b1 | (0x80 if masked else 0)]) + ext + (MASK if masked else b"")
    with pytest.raises(WebSocketProtocolError) as info:
        read(FrameReader(expect_masked=True), wire)
    assert info.value.code == 1002


def test_client_rejects_masked_frame_from_server() -> None:
    # RFC 6455 §5.1: a client MUST close on a masked frame.
    with pytest.raises(WebSocketProtocolError, match="masked frame from a server"):
        read(FrameReader(expect_masked=False), b"\x81\x80" + MASK)


@pytest.mark.parametrize(
    "wire",
    [b"\xc0\x00", b"\xc9\x00"],
    ids=["7692-6.1-rsv1-on-continuation", "7692-6.1-rsv1-on-ping"],
)
def test_rsv1_only_on_first_data_frame(wire: bytes) -> None:
    reader = FrameReader(expect_masked=False, rsv_allowed=RSV1)
    with pytest.raises(WebSocketProtocolError):
        read(reader, wire)


def test_rsv1_allowed_when_negotiated() -> None:
    reader = FrameReader(expect_masked=False, rsv_allowed=RSV1)
    assert read(reader, b"\xc1\x01a") == [Frame(True, RSV1, 1, b"a")]


def test_top_bit_of_64_bit_length_fails_before_the_payload() -> None:
    # RFC 6455 §5.2: "the most significant bit MUST be 0"; a 2^63 length is refused at once.
    with pytest.raises(WebSocketProtocolError, match="top bit"):
        read(FrameReader(expect_masked=False), b"\x82\x7f" + struct.pack("!Q", 1 << 63))


@pytest.mark.parametrize(
    ("size", "fails"), [(100, False), (101, True)], ids=["at-limit", "past-limit"]
)
def test_max_frame_size(size: int, fails: bool) -> None:
    reader = FrameReader(expect_masked=False, max_frame_size=100)
    head = build_frame(2, b"x" * size)[:2]
    if fails:
        with pytest.raises(MessageTooBigError) as info:
            read(reader, head)
        assert info.value.code == 1009
    else:
        assert read(reader, head) == []


def test_max_frame_size_checked_on_64_bit_lengths_before_payload() -> None:
    reader = FrameReader(expect_masked=False, max_frame_size=1 << 20)
    with pytest.raises(MessageTooBigError):
        read(reader, b"\x82\x7f" + struct.pack("!Q", 1 << 40))


def test_header_fields_accumulate_across_feeds() -> None:
    reader = FrameReader(expect_masked=True)
    wire = build_frame(2, b"y" * 70000, mask=MASK) + build_frame(9, b"p", mask=MASK)
    expected = [Frame(True, 0, 2, b"y" * 70000), Frame(True, 0, 9, b"p")]
    assert join_pieces(read_split(reader, wire, [3] * (len(wire) // 3)), expected) == expected


def test_new_mask_refills_its_pool() -> None:
    keys = {new_mask() for _ in range(frames._KEY_POOL_SIZE // 4 + 3)}
    assert all(len(k) == 4 for k in keys)
    assert len(keys) > 1000


frame_st = st.tuples(
    st.booleans(),
    st.sampled_from([0, 1, 2, 8, 9, 10]),
    st.binary(max_size=300),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(frame_st, max_size=6), st.lists(st.integers(1, 400), max_size=20), st.booleans())
def test_any_split_yields_the_same_frames(
    specs: list[tuple[bool, int, bytes]], cuts: list[int], client: bool
) -> None:
    expected = []
    wire = b""
    for more, opcode, data in specs:
        fin = more or opcode >= 8
        payload = data[:125] if opcode >= 8 else data
        expected.append(Frame(fin, 0, opcode, payload))
        wire += build_frame(opcode, payload, fin=fin, mask=None if client else new_mask())
    got = read_split(FrameReader(expect_masked=not client), wire, cuts)
    assert join_pieces(got, expected) == expected


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 70_000), min_size=1, max_size=6))
def test_large_masked_frame_in_reads_of_any_size(cuts: list[int]) -> None:
    payload = os.urandom(150_001)
    wire = build_frame(2, payload, mask=new_mask())
    got = read_split(FrameReader(expect_masked=True), wire, cuts)
    assert join_pieces(got, [Frame(True, 0, 2, payload)]) == [Frame(True, 0, 2, payload)]


@pytest.mark.parametrize("kind", [bytearray, memoryview], ids=["bytearray", "memoryview"])
def test_any_bytes_like_input(kind: type) -> None:
    wire = build_frame(1, b"hi", mask=MASK) + build_frame(2, b"x" * 300, mask=MASK)
    reader = FrameReader(expect_masked=True)
    got = read(reader, kind(wire[:3])) + read(reader, kind(wire[3:]))
    assert got == [Frame(True, 0, 1, b"hi"), Frame(True, 0, 2, b"x" * 300)]
    assert all(type(frame.payload) is bytes for frame in got)


def test_masked_header_waits_for_the_whole_key() -> None:
    reader = FrameReader(expect_masked=True)
    wire = build_frame(1, b"abc", mask=MASK)
    assert read(reader, wire[:4]) == []
    assert read(reader, wire[4:]) == [Frame(True, 0, 1, b"abc")]


@pytest.mark.parametrize("size", [200, 70000], ids=["6455-5.2-len16-split", "6455-5.2-len64-split"])
def test_extended_length_split_after_the_first_two_bytes(size: int) -> None:
    reader = FrameReader(expect_masked=False)
    wire = build_frame(2, b"e" * size)
    assert read(reader, wire[:3]) == []
    assert read(reader, wire[3:]) == [Frame(True, 0, 2, b"e" * size)]


@pytest.mark.parametrize("masked", [True, False], ids=["from-client", "from-server"])
@pytest.mark.parametrize("step", [1000, 65536, 262147], ids=lambda n: f"reads-of-{n}")
def test_large_frames_arrive_in_pieces(masked: bool, step: int) -> None:
    # RFC 6455 §5.3: unmasking piece by piece keeps the key's phase across reads.
    payload = os.urandom(300_001)
    wire = build_frame(2, payload, mask=MASK if masked else None, fin=False)
    wire += build_frame(0, b"tail", mask=MASK if masked else None)  # in the same read as the end
    got = read_split(FrameReader(expect_masked=masked), wire, [step] * (len(wire) // step))
    if masked:
        assert all(len(piece.payload) <= CHUNK for piece in got)  # unmasked chunk by chunk
    expected = [Frame(False, 0, 2, payload), Frame(True, 0, 0, b"tail")]
    assert join_pieces(got, expected) == expected


@pytest.mark.parametrize("masked", [True, False], ids=["from-client", "from-server"])
def test_a_split_data_frame_comes_out_as_it_arrives(masked: bool) -> None:
    # A text frame in three reads comes out in three pieces shaped like fragments (RFC 6455
    # §5.4), so its text can be checked before the rest arrives (§8.1).
    wire = build_frame(1, b"Hello, world", mask=MASK if masked else None)
    head = len(wire) - 12
    reader = FrameReader(expect_masked=masked)
    assert read(reader, wire[: head + 3]) == [Frame(False, 0, 1, b"Hel")]
    assert read(reader, wire[head + 3 : head + 7]) == [Frame(False, 0, 0, b"lo, ")]
    assert read(reader, wire[head + 7 :]) == [Frame(True, 0, 0, b"world")]


def test_a_header_without_its_payload_yet_gives_nothing() -> None:
    reader = FrameReader(expect_masked=True)
    wire = build_frame(2, b"abc", mask=MASK, fin=False) + build_frame(0, b"", mask=MASK)
    assert read(reader, wire[:6]) == []
    assert read(reader, wire[6:]) == [Frame(False, 0, 2, b"abc"), Frame(True, 0, 0, b"")]


def test_only_the_first_piece_of_a_compressed_frame_has_rsv1() -> None:
    # RFC 7692 §6.1: RSV1 is on the first frame of a message; the pieces after it continue it.
    reader = FrameReader(expect_masked=False, rsv_allowed=RSV1)
    wire = build_frame(1, b"squeezed", rsv=RSV1)
    assert read(reader, wire[:4]) + read(reader, wire[4:]) == [
        Frame(False, RSV1, 1, b"sq"),
        Frame(True, 0, 0, b"ueezed"),
    ]


def test_a_split_control_frame_comes_out_whole() -> None:
    # RFC 6455 §5.5: control frames are never fragmented, so they are not handed out in pieces.
    reader = FrameReader(expect_masked=True)
    wire = build_frame(9, b"ping payload", mask=MASK)
    assert read(reader, wire[:9]) == []
    assert read(reader, wire[9:]) == [Frame(True, 0, 9, b"ping payload")]


@pytest.mark.parametrize(
    ("b0", "b1", "ext", "masked"), [c[1:] for c in BAD_FRAMES], ids=[c[0] for c in BAD_FRAMES]
)
def test_frames_before_a_bad_one_are_kept(b0: int, b1: int, ext: bytes, masked: bool) -> None:
    # RFC 6455 §5.2 condemns the bad frame, not those before it: they are handed out first.
    good = build_frame(1, b"ok", mask=MASK) + build_frame(9, b"", mask=MASK)
    bad = bytes([b0, b1 | (0x80 if masked else 0)]) + ext + (MASK if masked else b"")
    out: list[Frame] = []
    with pytest.raises(WebSocketProtocolError):
        FrameReader(expect_masked=True).feed(good + bad, out)
    assert out == [Frame(True, 0, 1, b"ok"), Frame(True, 0, 9, b"")]


def test_pieces_before_a_bad_frame_are_kept() -> None:
    reader = FrameReader(expect_masked=True)
    wire = build_frame(2, b"x" * 300, mask=MASK) + b"\xc1\x80" + MASK
    assert read(reader, wire[:100]) == [Frame(False, 0, 2, b"x" * 92)]
    out: list[Frame] = []
    with pytest.raises(WebSocketProtocolError, match="reserved bits"):
        reader.feed(wire[100:], out)
    assert out == [Frame(True, 0, 0, b"x" * 208)]


def test_websocket_mask_masks_in_place_and_is_its_own_inverse() -> None:
    # RFC 6455 §5.3: octet i of the payload is XORed with octet i mod 4 of the key.
    data = bytearray(b"abcdef")
    websocket_mask(b"1234", data)
    assert data == bytearray(b"PPPPTT")
    websocket_mask(b"1234", data)
    assert data == bytearray(b"abcdef")
