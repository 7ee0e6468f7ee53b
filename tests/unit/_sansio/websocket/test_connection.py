"""The endpoint (RFC 6455 §5.4-§5.6, §7, §8.1): assembly, UTF-8, closing, sending."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp._sansio.websocket import (
    ConnectionState,
    DeflateParams,
    InvalidStateError,
    WebSocketConnection,
    WSCloseCode,
    WSMessage,
    WSMsgType,
)
from aiohttp._sansio.websocket.connection import close_payload
from aiohttp._sansio.websocket.frames import Frame, FrameReader, build_frame, new_mask

from .feeding import read

T, B = WSMsgType.TEXT, WSMsgType.BINARY


def client_frame(opcode: int, payload: bytes, fin: bool = True, rsv: int = 0) -> bytes:
    return build_frame(opcode, payload, fin=fin, rsv=rsv, mask=new_mask())


def server() -> WebSocketConnection:
    return WebSocketConnection(is_client=False, max_msg_size=1000)


def error_code(events: list[WSMessage]) -> int:
    assert events[-1].type is WSMsgType.ERROR
    return int(events[-1].data.code)


def test_fragments_with_interleaved_control_frames() -> None:
    # RFC 6455 §5.4: control frames MAY be injected in the middle of a fragmented message.
    conn = server()
    wire = (
        client_frame(1, b"Hel", fin=False)
        + client_frame(9, b"ping")
        + client_frame(0, b"lo", fin=False)
        + client_frame(10, b"pong")
        + client_frame(0, b"!")
    )
    assert conn.receive_data(wire) == [
        WSMessage(WSMsgType.PING, b"ping", None),
        WSMessage(WSMsgType.PONG, b"pong", None),
        WSMessage(T, "Hello!", None),
    ]


def test_binary_fragments_and_empty_fragments() -> None:
    conn = server()
    wire = (
        client_frame(2, b"", fin=False) + client_frame(0, b"ab", fin=False) + client_frame(0, b"")
    )
    assert conn.receive_data(wire) == [WSMessage(B, b"ab", None)]


FRAGMENT_ERRORS = [
    ("6455-5.4-continuation-without-start", client_frame(0, b"x"), 1002),
    (
        "6455-5.4-new-message-inside-fragmented",
        client_frame(1, b"a", fin=False) + client_frame(1, b"b"),
        1002,
    ),
    ("6455-8.1-invalid-utf8-single", client_frame(1, b"\xff"), 1007),
    (
        "6455-8.1-invalid-utf8-mid-message",
        client_frame(1, b"ok", fin=False) + client_frame(0, b"\xed\xa0\x80", fin=False),
        1007,
    ),
    (
        "6455-8.1-invalid-utf8-split-across-frames",
        client_frame(1, b"\xf4", fin=False) + client_frame(0, b"\x90", fin=False),
        1007,
    ),
    (
        "6455-8.1-truncated-utf8-at-end",
        client_frame(1, b"\xce", fin=False) + client_frame(0, b""),
        1007,
    ),
    ("6455-7.4.1-too-big-single", client_frame(2, b"x" * 1001), 1009),
    (
        "6455-7.4.1-too-big-fragmented",
        client_frame(2, b"x" * 600, fin=False) + client_frame(0, b"x" * 401),
        1009,
    ),
    ("6455-5.5.1-close-one-byte", client_frame(8, b"\x03"), 1002),
    ("6455-7.4-close-code-1005", client_frame(8, b"\x03\xed"), 1002),
    ("6455-7.4-close-code-999", client_frame(8, b"\x03\xe7"), 1002),
    ("6455-7.4-close-code-5000", client_frame(8, b"\x13\x88"), 1002),
    ("6455-5.5.1-close-reason-not-utf8", client_frame(8, b"\x03\xe8\xff"), 1007),
]


@pytest.mark.parametrize(
    ("wire", "code"), [c[1:] for c in FRAGMENT_ERRORS], ids=[c[0] for c in FRAGMENT_ERRORS]
)
def test_protocol_errors_end_with_their_close_code(wire: bytes, code: int) -> None:
    conn = server()
    events = conn.receive_data(wire)
    assert error_code(events) == code
    assert conn.state is ConnectionState.CLOSE_RECEIVED
    assert conn.receive_data(client_frame(1, b"more")) == []
    reply = conn.send_close(code)
    assert read(FrameReader(expect_masked=False), reply)[0].payload[:2] == code.to_bytes(2, "big")
    assert conn.state is ConnectionState.CLOSED


def test_invalid_utf8_fails_before_the_message_ends() -> None:
    # RFC 6455 §8.1 fail fast: the error comes with the bad fragment, FIN not yet seen.
    conn = server()
    assert conn.receive_data(client_frame(1, "κόσμε".encode(), fin=False)) == []
    assert error_code(conn.receive_data(client_frame(0, b"\xc0\xaf", fin=False))) == 1007


@pytest.mark.parametrize(
    ("size", "ok"), [(1000, True), (1001, False)], ids=["6455-10.4-at-limit", "6455-10.4-past"]
)
def test_max_msg_size_at_and_past_the_limit(size: int, ok: bool) -> None:
    conn = server()
    events = conn.receive_data(
        client_frame(2, b"z" * (size - 1), fin=False) + client_frame(0, b"z")
    )
    assert (events == [WSMessage(B, b"z" * size, None)]) is ok


def test_unlimited_message_size() -> None:
    conn = WebSocketConnection(is_client=False, max_msg_size=0)
    assert conn.receive_data(client_frame(2, b"q" * 70000)) == [WSMessage(B, b"q" * 70000, None)]


CLOSE_CODES = [(c, True) for c in (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011)] + [
    (c, True) for c in (1012, 1013, 1014, 3000, 3999, 4000, 4999)
]
CLOSE_CODES += [(c, False) for c in (0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000)]


@pytest.mark.parametrize(
    ("code", "valid"), CLOSE_CODES, ids=[f"6455-7.4-{c}" for c, _ in CLOSE_CODES]
)
def test_received_close_codes(code: int, valid: bool) -> None:
    conn = server()
    events = conn.receive_data(client_frame(8, code.to_bytes(2, "big") + b"bye"))
    if valid:
        assert events == [WSMessage(WSMsgType.CLOSE, code, "bye")]
        assert conn.close_code == code
    else:
        assert error_code(events) == 1002


def test_close_handshake_peer_initiated_answered_once() -> None:
    conn = server()
    events = conn.receive_data(client_frame(8, b"") + client_frame(1, b"ignored"))
    assert events == [WSMessage(WSMsgType.CLOSE, 1005, "")]
    assert conn.state is ConnectionState.CLOSE_RECEIVED
    reply = conn.send_close(1000)
    assert reply == b"\x88\x02\x03\xe8"
    assert conn.state is ConnectionState.CLOSED
    assert conn.send_close(1000) == b""
    assert conn.close_code == 1005


def test_close_handshake_locally_initiated() -> None:
    conn = server()
    assert conn.send_close(4001, "done") == b"\x88\x06\x0f\xa1done"
    assert conn.state is ConnectionState.CLOSING
    assert conn.send_close() == b""
    for late in (
        lambda: conn.send_text("late"),
        lambda: conn.send_message_parts(2, b"late"),
        lambda: conn.send_fragment(b"late"),
        conn.send_ping,
    ):
        with pytest.raises(InvalidStateError):
            late()
    assert conn.receive_data(client_frame(2, b"still ok")) == [WSMessage(B, b"still ok", None)]
    assert conn.receive_data(client_frame(8, b"\x03\xe8")) == [WSMessage(WSMsgType.CLOSE, 1000, "")]
    assert conn.state is ConnectionState.CLOSED
    assert conn.close_code == 4001


def test_error_while_closing_ends_closed() -> None:
    conn = server()
    conn.send_close()
    assert error_code(conn.receive_data(client_frame(3, b""))) == 1002
    assert conn.state is ConnectionState.CLOSED


def test_eof_without_close_is_1006() -> None:
    conn = server()
    conn.receive_eof()
    assert (conn.state, conn.close_code) == (ConnectionState.CLOSED, 1006)
    conn.receive_eof()
    assert conn.close_code is WSCloseCode.ABNORMAL_CLOSURE


def test_eof_after_close_keeps_the_code() -> None:
    conn = server()
    conn.receive_data(client_frame(8, b"\x03\xe9"))
    conn.receive_eof()
    assert conn.close_code == 1001


@pytest.mark.parametrize(
    ("code", "reason", "expected"),
    [(None, b"", b""), (1005, "", b""), (1000, "ok", b"\x03\xe8ok"), (3000, b"x" * 123, None)],
    ids=["6455-5.5.1-empty", "6455-7.4-1005-empty", "6455-5.5.1-code-reason", "6455-5.5-123"],
)
def test_close_payload(code: int | None, reason: str | bytes, expected: bytes | None) -> None:
    got = close_payload(code, reason)
    assert got == (expected if expected is not None else b"\x0b\xb8" + b"x" * 123)


@pytest.mark.parametrize(
    ("code", "reason"),
    [(1006, ""), (1015, ""), (2999, ""), (1000, "x" * 124), (None, "why")],
    ids=["6455-7.4.1-1006", "6455-7.4.1-1015", "6455-7.4.2-2999", "6455-5.5-124", "no-code"],
)
def test_close_payload_rejects(code: int | None, reason: str) -> None:
    with pytest.raises(ValueError):
        close_payload(code, reason)


def test_client_masks_and_server_does_not() -> None:
    client = WebSocketConnection(is_client=True)
    srv = WebSocketConnection(is_client=False)
    wire = client.send_text("hi") + client.send_binary(b"\x00") + client.send_ping(b"p")
    assert wire[1] & 0x80
    assert srv.receive_data(wire) == [
        WSMessage(T, "hi", None),
        WSMessage(B, b"\x00", None),
        WSMessage(WSMsgType.PING, b"p", None),
    ]
    out = srv.send_pong(b"p") + srv.send_text("yo")
    assert not out[1] & 0x80
    assert client.receive_data(out) == [
        WSMessage(WSMsgType.PONG, b"p", None),
        WSMessage(T, "yo", None),
    ]


@pytest.mark.parametrize("opcode", [0x0, 0x1, 0x2, 0x9, 0xA])
@pytest.mark.parametrize("size", [0, 1, 125])
def test_send_message_frames_any_opcode_as_build_frame_does(opcode: int, size: int) -> None:
    # 3.x's WebSocketWriter.send_frame hands any opcode to send_message (RFC 6455 §5.2).
    payload = os.urandom(size)
    assert WebSocketConnection(is_client=False).send_message(opcode, payload) == build_frame(
        opcode, payload
    )
    frames: list[Frame] = []
    FrameReader(expect_masked=True).feed(
        WebSocketConnection(is_client=True).send_message(opcode, payload), frames
    )
    assert frames == [(True, 0, opcode, payload)]


@pytest.mark.parametrize("size", [0, 1, 5, 125, 126, 65536], ids=lambda n: f"6455-5.3-client-{n}")
def test_client_frames_unmask_by_the_definition(size: int) -> None:
    payload = os.urandom(size)
    wire = WebSocketConnection(is_client=True).send_binary(payload)
    head = 2 if size < 126 else 4 if size < 65536 else 10
    mask = wire[head : head + 4]
    assert wire[1] & 0x80
    assert bytes(b ^ mask[i % 4] for i, b in enumerate(wire[head + 4 :])) == payload


def test_control_payload_limit_on_send() -> None:
    conn = server()
    assert conn.send_ping(b"x" * 125)[1] == 125
    with pytest.raises(ValueError):
        conn.send_ping(b"x" * 126)


def test_send_fragments_with_a_ping_between() -> None:
    client = WebSocketConnection(is_client=True)
    srv = WebSocketConnection(is_client=False)
    wire = client.send_fragment("καλη".encode(), text=True)
    with pytest.raises(InvalidStateError):
        client.send_text("not now")
    wire += client.send_ping() + client.send_fragment(" μέρα".encode(), fin=True)
    assert srv.receive_data(wire) == [
        WSMessage(WSMsgType.PING, b"", None),
        WSMessage(T, "καλη μέρα", None),
    ]
    assert srv.receive_data(client.send_fragment(b"b", fin=True)) == [WSMessage(B, b"b", None)]


def test_compressed_roundtrip_both_ways() -> None:
    params = DeflateParams(client_no_context_takeover=True)
    client = WebSocketConnection(is_client=True, deflate=params)
    srv = WebSocketConnection(is_client=False, deflate=params)
    assert client.compressing
    text = "compress me " * 50
    wire = client.send_text(text)
    assert wire[0] & 0x40
    assert len(wire) < 200
    wire += client.send_fragment(b"ab" * 100) + client.send_fragment(b"cd", fin=True)
    wire += client.send_binary(b"raw", compress=False)
    assert srv.receive_data(wire) == [
        WSMessage(T, text, None),
        WSMessage(B, b"ab" * 100 + b"cd", None),
        WSMessage(B, b"raw", None),
    ]
    assert client.receive_data(srv.send_text(text) + srv.send_text(text)) == [
        WSMessage(T, text, None),
        WSMessage(T, text, None),
    ]


def test_compressed_bomb_is_capped() -> None:
    # RFC 7692 §8 (security): a small frame must not inflate without bound.
    params = DeflateParams()
    client = WebSocketConnection(is_client=True, deflate=params)
    srv = WebSocketConnection(is_client=False, deflate=params, max_msg_size=1 << 20)
    wire = client.send_binary(b"\x00" * (10 << 20))
    assert len(wire) < 20000
    assert error_code(srv.receive_data(wire)) == 1009


def test_compressed_fragments_cap_uses_the_room_left() -> None:
    params = DeflateParams()
    client = WebSocketConnection(is_client=True, deflate=params)
    srv = WebSocketConnection(is_client=False, deflate=params, max_msg_size=1000)
    wire = client.send_fragment(b"a" * 1000) + client.send_fragment(b"a", fin=True)
    assert error_code(srv.receive_data(wire)) == 1009


def test_eight_bit_window_sends_uncompressed() -> None:
    client = WebSocketConnection(is_client=True, deflate=DeflateParams(client_max_window_bits=8))
    assert not client.compressing
    wire = client.send_text("x" * 100) + client.send_fragment(b"y", fin=True)
    assert not wire[0] & 0x40


def test_uncompressed_message_on_a_deflate_connection() -> None:
    srv = WebSocketConnection(is_client=False, deflate=DeflateParams())
    assert srv.receive_data(client_frame(1, b"plain")) == [WSMessage(T, "plain", None)]


def test_bad_deflate_data_is_1007() -> None:
    srv = WebSocketConnection(is_client=False, deflate=DeflateParams())
    assert error_code(srv.receive_data(client_frame(2, b"\xff\xff\xff", rsv=4))) == 1007


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(max_size=40), min_size=1, max_size=5),
    st.lists(st.integers(1, 50), max_size=30),
    st.booleans(),
)
def test_split_feeding_gives_the_same_messages(
    pieces: list[str], cuts: list[int], compress: bool
) -> None:
    params = DeflateParams() if compress else None
    client = WebSocketConnection(is_client=True, deflate=params)
    srv = WebSocketConnection(is_client=False, deflate=params)
    wire = b"".join(
        client.send_fragment(p.encode(), text=True, fin=i == len(pieces) - 1)
        for i, p in enumerate(pieces)
    )
    wire += client.send_text("".join(pieces))
    got: list[WSMessage] = []
    pos = 0
    for cut in cuts:
        got += srv.receive_data(wire[pos : pos + cut])
        pos += cut
    got += srv.receive_data(wire[pos:])
    assert got == [WSMessage(T, "".join(pieces), None)] * 2


def test_frame_limit_above_message_limit_still_checks_the_message() -> None:
    conn = WebSocketConnection(is_client=False, max_msg_size=10, max_frame_size=100)
    assert conn.receive_data(client_frame(2, b"x" * 10)) == [WSMessage(B, b"x" * 10, None)]
    assert error_code(conn.receive_data(client_frame(2, b"x" * 11))) == 1009


@pytest.mark.parametrize(
    "size", [0, 200, 70000, 200_003], ids=["6455-5.2-len0", "len16", "len64", "len64-chunks"]
)
def test_message_parts_leave_the_payload_uncopied(size: int) -> None:
    srv = WebSocketConnection(is_client=False)
    payload = os.urandom(size)
    head, rest = srv.send_message_parts(2, payload)
    assert rest is payload
    assert head + rest == srv.send_message(2, payload)
    client = WebSocketConnection(is_client=True)
    parts = client.send_message_parts(2, payload)
    assert parts[0][1] & 0x80
    assert max(len(part) for part in parts[1:]) <= 64 * 1024  # masked chunk by chunk, not joined
    assert srv.receive_data(b"".join(parts)) == [WSMessage(B, payload, None)]


def test_message_parts_follow_the_rules() -> None:
    srv = WebSocketConnection(is_client=False, deflate=DeflateParams())
    [frame] = srv.send_message_parts(1, b"squeeze " * 100)
    assert frame[0] & 0x40  # compressed in one piece
    assert srv.send_message_parts(1, b"plain", compress=False)[1] == b"plain"
    srv.send_fragment(b"open")
    with pytest.raises(InvalidStateError):
        srv.send_message_parts(1, b"x", compress=False)


# -- wire order: what came before a protocol error is delivered first ---------------------------

BEFORE = (
    client_frame(1, b"ok")
    + client_frame(9, b"p")
    + client_frame(2, b"\x00", fin=False)
    + client_frame(0, b"\x01")
)
BEFORE_EVENTS = [
    WSMessage(T, "ok", None),
    WSMessage(WSMsgType.PING, b"p", None),
    WSMessage(B, b"\x00\x01", None),
]
BAD_AFTER = [
    ("6455-5.2-rsv1", client_frame(1, b"Hello", rsv=4), 1002),
    ("6455-5.2-rsv2", client_frame(1, b"Hello", rsv=2), 1002),
    ("6455-5.2-rsv3", client_frame(1, b"Hello", rsv=1), 1002),
    ("6455-5.2-opcode-3", client_frame(3, b""), 1002),
    ("6455-5.2-opcode-f", client_frame(15, b"x"), 1002),
    ("6455-5.5-fragmented-ping", client_frame(9, b"", fin=False), 1002),
    ("6455-5.1-unmasked", build_frame(1, b"x"), 1002),
    ("6455-5.4-continuation-alone", client_frame(0, b"x"), 1002),
    ("6455-8.1-invalid-utf8", client_frame(1, b"\xc0\xaf"), 1007),
    ("6455-7.4.1-too-big", client_frame(2, b"x" * 1001), 1009),
]


@pytest.mark.parametrize(("bad", "code"), [c[1:] for c in BAD_AFTER], ids=[c[0] for c in BAD_AFTER])
@pytest.mark.parametrize("writes", [1, 2], ids=["one-read", "two-reads"])
def test_messages_before_a_protocol_error_are_delivered_first(
    bad: bytes, code: int, writes: int
) -> None:
    # RFC 6455 §5.2 and §7.1.7 condemn the bad frame, not the messages completed before it:
    # they are delivered in wire order, then the error with the close code to answer with.
    conn = server()
    if writes == 1:
        events = conn.receive_data(BEFORE + bad)
    else:
        events = conn.receive_data(BEFORE) + conn.receive_data(bad)
    assert events[:-1] == BEFORE_EVENTS
    assert error_code(events) == code
    assert conn.state is ConnectionState.CLOSE_RECEIVED


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 40), max_size=10), st.sampled_from(BAD_AFTER))
def test_wire_order_holds_at_any_split(cuts: list[int], bad: tuple[str, bytes, int]) -> None:
    conn = server()
    wire = BEFORE + bad[1]
    events: list[WSMessage] = []
    pos = 0
    for cut in [*cuts, len(wire)]:
        events += conn.receive_data(wire[pos : pos + cut])
        pos += cut
    assert events[:-1] == BEFORE_EVENTS
    assert error_code(events) == bad[2]


def test_the_client_delivers_messages_before_a_reserved_bit_frame() -> None:
    conn = WebSocketConnection(is_client=True)
    events = conn.receive_data(build_frame(1, b"ok") + build_frame(1, b"Hello", rsv=4))
    assert events[0] == WSMessage(T, "ok", None)
    assert error_code(events) == 1002
    assert len(events) == 2


def test_the_first_error_on_the_wire_is_the_one_reported() -> None:
    # Bad UTF-8 in an earlier message wins over a reserved bit in a later frame of the same read.
    conn = server()
    events = conn.receive_data(client_frame(1, b"\xff") + client_frame(1, b"x", rsv=4))
    assert len(events) == 1
    assert error_code(events) == 1007


def test_a_close_before_a_bad_frame_ends_the_reading() -> None:
    # RFC 6455 §5.5.1: nothing after the peer's Close is data, not even a malformed frame.
    conn = server()
    events = conn.receive_data(client_frame(8, b"\x03\xe8") + client_frame(1, b"x", rsv=4))
    assert events == [WSMessage(WSMsgType.CLOSE, 1000, "")]
    assert conn.error is None
    assert conn.close_code == 1000
