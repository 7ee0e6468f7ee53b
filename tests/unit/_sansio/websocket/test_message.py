"""Message assembly (RFC 6455 §5.4, §8.1): text is checked as UTF-8 as its octets arrive.

The oracle is independent of Python's codec: RFC 3629 §4's ABNF for UTF-8, written as a
regular expression that also takes a trailing prefix of a character. A payload "can still
become valid" while it matches; the endpoint must fail (1007) with the first octet after which
it cannot, and must not fail before.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp._sansio.websocket import WebSocketConnection, WSMessage, WSMsgType
from aiohttp._sansio.websocket.frames import build_frame

MASK = b"\x37\xfa\x21\x3d"
TAIL = b"[\x80-\xbf]"
# RFC 3629 §4: UTF8-char = UTF8-1 / UTF8-2 / UTF8-3 / UTF8-4
CHAR = (
    b"(?:[\x00-\x7f]|[\xc2-\xdf]" + TAIL
    + b"|\xe0[\xa0-\xbf]" + TAIL + b"|[\xe1-\xec\xee\xef]" + TAIL + TAIL
    + b"|\xed[\x80-\x9f]" + TAIL
    + b"|\xf0[\x90-\xbf]" + TAIL + TAIL + b"|[\xf1-\xf3]" + TAIL + TAIL + TAIL
    + b"|\xf4[\x80-\x8f]" + TAIL + TAIL + b")"
)  # fmt: skip
# A proper prefix of one UTF8-char of two octets or more.
PARTIAL = (
    b"(?:[\xc2-\xdf]|\xe0(?:[\xa0-\xbf])?|[\xe1-\xec\xee\xef]" + TAIL + b"?"
    + b"|\xed(?:[\x80-\x9f])?"
    + b"|\xf0(?:[\x90-\xbf]" + TAIL + b"?)?|[\xf1-\xf3](?:" + TAIL + TAIL + b"?)?"
    + b"|\xf4(?:[\x80-\x8f]" + TAIL + b"?)?)"
)  # fmt: skip
VALID = re.compile(CHAR + b"*", re.DOTALL)
VIABLE = re.compile(CHAR + b"*" + PARTIAL + b"?", re.DOTALL)


def first_failing_octet(payload: bytes) -> int | None:
    """The index of the octet with which the text stops being UTF-8, ``None`` if it is."""
    if VALID.fullmatch(payload):
        return None
    for end in range(1, len(payload) + 1):
        if not VIABLE.fullmatch(payload[:end]):
            return end - 1
    return len(payload) - 1  # a prefix to the end: the missing octets fail it at FIN


def test_the_oracle_agrees_with_rfc_3629_examples() -> None:
    assert first_failing_octet("κόσμε".encode()) is None
    assert first_failing_octet(b"ok\xed\xa0\x80") == 3  # a surrogate (RFC 3629 §3)
    assert first_failing_octet(b"\xc0\xaf") == 0  # an overlong "/" (RFC 3629 §10)
    assert first_failing_octet(b"ab\xf4\x90") == 3  # past U+10FFFF
    assert first_failing_octet(b"ab\xe2\x82") == 3  # cut short


PIECES = st.one_of(
    st.text(max_size=4).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=3),
    st.sampled_from(
        [b"\xed\xa0", b"\xed\x9f", b"\xf4\x90", b"\xf4\x8f", b"\xe0\x9f", b"\xf0\x8f", b"\xc1"]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=8).map(b"".join))
def test_text_fails_at_the_first_octet_that_cannot_become_utf8(payload: bytes) -> None:
    # RFC 6455 §8.1: one text frame, read one octet at a time, fails with 1007 as soon as the
    # octets so far are no longer a prefix of UTF-8, and not before.
    wire = build_frame(1, payload, mask=MASK)
    head = len(wire) - len(payload)
    conn = WebSocketConnection(is_client=False)
    events = [conn.receive_data(wire[i : i + 1]) for i in range(len(wire))]
    bad = first_failing_octet(payload)
    if bad is None:
        assert events[-1] == [WSMessage(WSMsgType.TEXT, payload.decode(), None)]
        assert not any(events[:-1])
        return
    failed_at = next(i for i, got in enumerate(events) if got)
    assert failed_at == head + bad
    assert events[failed_at][0].type is WSMsgType.ERROR
    assert events[failed_at][0].data.code == 1007


@pytest.mark.parametrize(
    ("first", "second"),
    [(b"ok\xed", b"\xa0"), (b"ok\xed\xa0", b""), (b"ok\xf4", b"\x90"), (b"ok", b"\xed\xbf")],
    ids=["6455-8.1-surrogate-lead-split", "surrogate-at-end", "past-10ffff-split", "surrogate"],
)
def test_a_surrogate_fails_with_its_second_octet(first: bytes, second: bytes) -> None:
    # Python's incremental decoder waits for a third octet after ED A0-BF (for its
    # "surrogatepass" handler); no third octet can make it UTF-8, so it fails now.
    conn = WebSocketConnection(is_client=False)
    wire = build_frame(1, first, mask=MASK, fin=False)
    wire += build_frame(0, second, mask=MASK, fin=False)
    events = conn.receive_data(wire)
    assert [(e.type, e.data.code) for e in events] == [(WSMsgType.ERROR, 1007)]


def test_a_text_frame_split_mid_character_is_valid_so_far() -> None:
    conn = WebSocketConnection(is_client=False)
    wire = build_frame(1, "aκ€𝄞".encode(), mask=MASK)
    assert conn.receive_data(wire[:7]) == []  # the header and "a"
    for i in range(7, len(wire) - 1):  # then one octet at a time, mid-character
        assert conn.receive_data(wire[i : i + 1]) == []
    assert conn.receive_data(wire[-1:]) == [WSMessage(WSMsgType.TEXT, "aκ€𝄞", None)]


def test_invalid_utf8_in_the_second_of_three_reads_of_one_frame() -> None:
    # The strict reading of RFC 6455 §8.1: the 1007 comes with the second read, not the third.
    conn = WebSocketConnection(is_client=False)
    payload = "κόσμε".encode() + b"\xf4\x90\x80\x80" + b"edited"
    wire = build_frame(1, payload, mask=MASK)
    assert conn.receive_data(wire[:10]) == []
    [event] = conn.receive_data(wire[10:18])
    assert (event.type, event.data.code) == (WSMsgType.ERROR, 1007)
    assert conn.receive_data(wire[18:]) == []


def test_binary_frames_split_anywhere_are_not_checked_as_text() -> None:
    conn = WebSocketConnection(is_client=True)
    wire = build_frame(2, b"\xff\xfe" * 50)
    assert conn.receive_data(wire[:50]) == []
    assert conn.receive_data(wire[50:]) == [WSMessage(WSMsgType.BINARY, b"\xff\xfe" * 50, None)]
