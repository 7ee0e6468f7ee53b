"""Families of framing, pings, reserved bits, opcodes and fragmentation (Autobahn 1-5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.websocket.families.common import (
    BINARY,
    CLEAN,
    CLOSE,
    CONT,
    PING,
    PONG,
    TEXT,
    Builder,
    echo,
    fr,
    note,
    rep,
)

# -- framing (Autobahn 1.x) -----------------------------------------------------------------

LENGTHS = [0, 1, 125, 126, 127, 128, 65535, 65536, 1 << 20]


def family_framing(b: Builder) -> None:
    for op, name, unit in ((TEXT, "text", "*"), (BINARY, "binary", "{xFE}")):
        for n in LENGTHS:
            b.add(
                f"{name}-len-{n}",
                ["6455 §5.2", "6455 §5.6"],
                "MUST",
                f"a {name} message of {n} octets is echoed (7/16/64-bit length encodings)",
                [fr(op, rep(unit, n))],
                {"echo": [echo(op, rep(unit, n))], "close": CLEAN},
            )
        for n in (1, 125, 126):
            b.add(
                f"{name}-len-{n}-octet-writes",
                ["6455 §5.2"],
                "MUST",
                f"a {name} message of {n} octets written one octet at a time",
                [fr(op, rep(unit, n))],
                {"echo": [echo(op, rep(unit, n))], "close": CLEAN},
                chunk=1,
            )
    b.add(
        "two-messages-back-to-back",
        ["6455 §5.2"],
        "MUST",
        "two frames sent back to back are both echoed in order",
        [fr(TEXT, "first"), fr(BINARY, "second")],
        {"echo": [echo(TEXT, "first"), echo(BINARY, "second")], "close": CLEAN},
    )
    head = (
        "{x81}{xFE}{x00}{x05}{x00}{x00}{x00}{x00}" if b.side == "server" else "{x81}{x7E}{x00}{x05}"
    )
    b.add(
        "16-bit-length-for-short-payload",
        ["6455 §5.2"],
        "MAY",
        "a 5-octet payload with a non-minimal 16-bit length encoding",
        [{"raw": head + "Hello"}],
        {"echo": [echo(TEXT, "Hello")], "close": CLEAN},
    )


# -- pings and pongs (Autobahn 2.x) ---------------------------------------------------------


def family_pings(b: Builder) -> None:
    s = ["6455 §5.5.2", "6455 §5.5.3"]
    b.add(
        "ping-empty",
        s,
        "MUST",
        "an empty Ping gets an empty Pong",
        [fr(PING)],
        {"echo": [echo(PONG)], "close": CLEAN},
    )
    b.add(
        "ping-text",
        s,
        "MUST",
        "a Ping's payload comes back in the Pong",
        [fr(PING, "Hello, world!")],
        {"echo": [echo(PONG, "Hello, world!")], "close": CLEAN},
    )
    binary = note(bytes([0x00, 0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0x00, 0xFF]))
    b.add(
        "ping-binary",
        s,
        "MUST",
        "a binary Ping payload comes back unchanged",
        [fr(PING, binary)],
        {"echo": [echo(PONG, binary)], "close": CLEAN},
    )
    b.add(
        "ping-125",
        s,
        "MUST",
        "a Ping with the largest allowed payload (125)",
        [fr(PING, rep("*", 125))],
        {"echo": [echo(PONG, rep("*", 125))], "close": CLEAN},
    )
    b.add(
        "ping-126",
        ["6455 §5.5"],
        "MUST",
        "a Ping of 126 octets is a protocol error",
        [fr(PING, rep("*", 126))],
        {"close": [1002]},
    )
    b.add(
        "pong-unsolicited",
        s,
        "MUST",
        "an unsolicited Pong is ignored",
        [fr(PONG, "unsolicited"), fr(TEXT, "after")],
        {"echo": [echo(TEXT, "after")], "close": CLEAN},
    )
    _family_pongs_and_bursts(b)


def _family_pongs_and_bursts(b: Builder) -> None:
    s = ["6455 §5.5.2", "6455 §5.5.3"]
    b.add(
        "pong-unsolicited-then-ping",
        s,
        "MUST",
        "an unsolicited Pong, then a Ping",
        [fr(PONG, "unsolicited"), fr(PING, "solicited")],
        {"echo": [echo(PONG, "solicited")], "close": CLEAN},
    )
    b.add(
        "ten-pings",
        s,
        "SHOULD",
        "ten Pings in a row: a Pong for each, or for the last only",
        [fr(PING, f"ping-{i}") for i in range(10)],
        {"echo": [echo(PONG, f"ping-{i}") for i in range(10)], "close": CLEAN},
    )
    b.add(
        "ping-octet-writes",
        s,
        "MUST",
        "a Ping written one octet at a time",
        [fr(PING, "split")],
        {"echo": [echo(PONG, "split")], "close": CLEAN},
        chunk=1,
    )
    b.add(
        "ping-fragmented",
        ["6455 §5.5"],
        "MUST",
        "a Ping without FIN is a protocol error",
        [fr(PING, "x", fin=False)],
        {"close": [1002]},
    )
    b.add(
        "pong-fragmented",
        ["6455 §5.5"],
        "MUST",
        "a Pong without FIN is a protocol error",
        [fr(PONG, "x", fin=False)],
        {"close": [1002]},
    )
    b.add(
        "pong-126",
        ["6455 §5.5"],
        "MUST",
        "a Pong of 126 octets is a protocol error",
        [fr(PONG, rep("*", 126))],
        {"close": [1002]},
    )


# -- reserved bits (Autobahn 3.x) ------------------------------------------------------------

RSV_FRAMES: list[tuple[str, list[dict[str, Any]], Callable[[int], dict[str, Any]]]] = [
    ("text", [], lambda r: fr(TEXT, "Hello", rsv=r)),
    ("binary", [], lambda r: fr(BINARY, "{x00}{xFF}", rsv=r)),
    ("ping", [], lambda r: fr(PING, "Hello", rsv=r)),
    ("close", [], lambda r: fr(CLOSE, "{x03}{xE8}", rsv=r)),
    ("continuation", [fr(TEXT, "Hel", fin=False)], lambda r: fr(CONT, "lo", rsv=r)),
]


def family_reserved_bits(b: Builder) -> None:
    for name, before, make in RSV_FRAMES:
        for rsv in range(1, 8):
            b.add(
                f"rsv{rsv}-{name}",
                ["6455 §5.2"],
                "MUST",
                f"RSV bits {rsv:03b} on a {name} frame with no extension negotiated",
                [fr(TEXT, "ok"), *before, make(rsv)],
                {"echo": [echo(TEXT, "ok")], "close": [1002]},
            )


# -- opcodes (Autobahn 4.x) ------------------------------------------------------------------


def family_opcodes(b: Builder) -> None:
    for op in (3, 4, 5, 6, 7, 11, 12, 13, 14, 15):
        kind = "non-control" if op < 8 else "control"
        b.add(
            f"opcode-{op}",
            ["6455 §5.2"],
            "MUST",
            f"reserved {kind} opcode {op} alone",
            [fr(op)],
            {"close": [1002]},
        )
        b.add(
            f"opcode-{op}-after-message",
            ["6455 §5.2"],
            "MUST",
            f"reserved {kind} opcode {op} with a payload, after a valid message",
            [fr(TEXT, "valid"), fr(op, "reserved"), fr(PING)],
            {"echo": [echo(TEXT, "valid")], "close": [1002]},
        )


# -- fragmentation (Autobahn 5.x) ------------------------------------------------------------


def fragments(op: int, pieces: list[str]) -> list[dict[str, Any]]:
    last = len(pieces) - 1
    return [fr(op if i == 0 else CONT, p, fin=i == last) for i, p in enumerate(pieces)]


def family_fragmentation(b: Builder) -> None:
    s = ["6455 §5.4"]
    for op, name in ((TEXT, "text"), (BINARY, "binary")):
        for count in (2, 3, 10, 100):
            pieces = [f"f{i}" for i in range(count)]
            b.add(
                f"{name}-{count}-fragments",
                s,
                "MUST",
                f"a {name} message in {count} fragments",
                fragments(op, pieces),
                {"echo": [echo(op, "".join(pieces))], "close": CLEAN},
            )
        b.add(
            f"{name}-fragments-octet-writes",
            s,
            "MUST",
            f"a fragmented {name} message, one octet per write",
            fragments(op, ["frag", "ment", "ed"]),
            {"echo": [echo(op, "fragmented")], "close": CLEAN},
            chunk=1,
        )
        b.add(
            f"{name}-empty-fragments",
            s,
            "MUST",
            f"a {name} message whose fragments are all empty",
            fragments(op, ["", "", ""]),
            {"echo": [echo(op, "")], "close": CLEAN},
        )
        b.add(
            f"{name}-empty-first-and-last",
            s,
            "MUST",
            f"a {name} message with empty first and last fragments",
            fragments(op, ["", "middle", ""]),
            {"echo": [echo(op, "middle")], "close": CLEAN},
        )
        b.add(
            f"{name}-ping-between",
            s,
            "MUST",
            f"a Ping between the fragments of a {name} message",
            [fr(op, "frag", fin=False), fr(PING, "between"), fr(CONT, "ment")],
            {"echo": [echo(PONG, "between"), echo(op, "fragment")], "close": CLEAN},
        )
        b.add(
            f"{name}-pong-between",
            s,
            "MUST",
            f"a Pong between the fragments of a {name} message",
            [fr(op, "frag", fin=False), fr(PONG, "unsolicited"), fr(CONT, "ment")],
            {"echo": [echo(op, "fragment")], "close": CLEAN},
        )
    _family_fragmentation_interleaved(b)


def _family_fragmentation_interleaved(b: Builder) -> None:
    s = ["6455 §5.4"]
    for op, name in ((TEXT, "text"), (BINARY, "binary")):
        b.add(
            f"{name}-pings-between-each",
            s,
            "MUST",
            f"Pings between every fragment of a {name} message",
            [
                fr(op, "a", fin=False),
                fr(PING, "1"),
                fr(CONT, "b", fin=False),
                fr(PING, "2"),
                fr(CONT, "c"),
            ],
            {"echo": [echo(PONG, "1"), echo(PONG, "2"), echo(op, "abc")], "close": CLEAN},
        )
        b.add(
            f"{name}-ping-between-octet-writes",
            s,
            "MUST",
            "a Ping between fragments, one octet per write",
            [fr(op, "frag", fin=False), fr(PING, "between"), fr(CONT, "ment")],
            {"echo": [echo(PONG, "between"), echo(op, "fragment")], "close": CLEAN},
            chunk=1,
        )
        b.add(
            f"{name}-new-message-inside",
            s,
            "MUST",
            f"a new {name} message while one is open",
            [fr(op, "open", fin=False), fr(op, "again")],
            {"close": [1002]},
        )
        b.add(
            f"{name}-other-type-inside",
            s,
            "MUST",
            f"a message of the other type inside a {name} message",
            [fr(op, "open", fin=False), fr(BINARY if op == TEXT else TEXT, "again")],
            {"close": [1002]},
        )
        b.add(
            f"{name}-continuation-after-end",
            s,
            "MUST",
            f"a continuation after a complete {name} message",
            [fr(op, "done"), fr(CONT, "extra")],
            {"echo": [echo(op, "done")], "close": [1002]},
        )
        b.add(
            f"{name}-close-inside",
            ["6455 §5.4", "6455 §5.5.1"],
            "SHOULD",
            f"a Close between the fragments of a {name} message is answered with a Close",
            [fr(op, "open", fin=False), fr(CLOSE, "{x03}{xE8}")],
            {"close": [1000, 1002]},
        )
    _family_orphans(b)


def _family_orphans(b: Builder) -> None:
    s = ["6455 §5.4"]
    b.add(
        "continuation-first",
        s,
        "MUST",
        "a continuation frame with no message open",
        [fr(CONT, "orphan")],
        {"close": [1002]},
    )
    b.add(
        "continuation-first-fin-0",
        s,
        "MUST",
        "a non-final continuation with no message open",
        [fr(CONT, "orphan", fin=False), fr(CONT, "more")],
        {"close": [1002]},
    )
    b.add(
        "continuation-after-ping",
        s,
        "MUST",
        "a Ping, then a continuation with no message open",
        [fr(PING, "p"), fr(CONT, "orphan")],
        {"echo": [echo(PONG, "p")], "close": [1002]},
    )
    b.add(
        "close-fragmented",
        ["6455 §5.5"],
        "MUST",
        "a Close without FIN is a protocol error",
        [fr(CLOSE, "{x03}{xE8}", fin=False)],
        {"close": [1002]},
    )
