"""Compact tables the WebSocket corpus is generated from, one family per Autobahn category.

Each ``family_*`` function returns plain case objects for one side; ``generate.py`` writes them
to ``conformance/cases/websocket/<side>-<topic>.json``. The tables are the readable source; the
JSON files are the corpus other stacks reuse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Case = dict[str, Any]
CLEAN = "clean"
TEXT, BINARY, CLOSE, PING, PONG, CONT = 1, 2, 8, 9, 10, 0


def note(data: bytes) -> str:
    """Bytes in the corpus notation: printable ASCII as is, everything else as ``{xHH}``."""
    out = []
    for byte in data:
        if byte in (0x7B, 0x7D):
            out.append(chr(byte) * 2)
        elif 0x20 <= byte <= 0x7E:
            out.append(chr(byte))
        else:
            out.append(f"{{x{byte:02X}}}")
    return "".join(out)


def rep(unit: str, count: int) -> dict[str, Any]:
    """A repeated payload."""
    return {"repeat": unit, "count": count}


def fr(op: int, data: Any = "", **kw: Any) -> dict[str, Any]:
    """A frame step."""
    return {"frame": {"op": op, "data": data, **kw}}


def echo(op: int, data: Any = "") -> dict[str, Any]:
    """An expected message back."""
    return {"op": op, "data": data}


class Builder:
    """Collects the cases of one side with a common id prefix."""

    def __init__(self, side: str) -> None:
        self.side = side
        self.prefix = "ws-srv" if side == "server" else "ws-cli"
        self.cases: list[Case] = []

    def add(  # noqa: PLR0917 - one table row reads best positionally
        self,
        slug: str,
        sections: list[str],
        level: str,
        description: str,
        send: list[dict[str, Any]],
        expect: dict[str, Any],
        **extra: Any,
    ) -> None:
        """Add one case; ``sections`` like ``["6455 §5.2"]``, the first is the main one."""
        main = sections[0].split("§")[1]
        rfc = sections[0].split(" ")[0]
        self.cases.append(
            {
                "id": f"{self.prefix}-{rfc}-{main}-{slug}",
                "side": self.side,
                "rfc": sections,
                "section": main,
                "level": level,
                "description": description,
                "send": send,
                "expect": expect,
                **extra,
            }
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
        "ten Pings in a row each get a Pong",
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


def _fragments(op: int, pieces: list[str]) -> list[dict[str, Any]]:
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
                _fragments(op, pieces),
                {"echo": [echo(op, "".join(pieces))], "close": CLEAN},
            )
        b.add(
            f"{name}-fragments-octet-writes",
            s,
            "MUST",
            f"a fragmented {name} message, one octet per write",
            _fragments(op, ["frag", "ment", "ed"]),
            {"echo": [echo(op, "fragmented")], "close": CLEAN},
            chunk=1,
        )
        b.add(
            f"{name}-empty-fragments",
            s,
            "MUST",
            f"a {name} message whose fragments are all empty",
            _fragments(op, ["", "", ""]),
            {"echo": [echo(op, "")], "close": CLEAN},
        )
        b.add(
            f"{name}-empty-first-and-last",
            s,
            "MUST",
            f"a {name} message with empty first and last fragments",
            _fragments(op, ["", "middle", ""]),
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
            f"a Close between the fragments of a {name} message is answered",
            [fr(op, "open", fin=False), fr(CLOSE, "{x03}{xE8}")],
            {"close": [1000]},
        )
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


# -- UTF-8 (Autobahn 6.x) --------------------------------------------------------------------

VALID_UTF8: list[tuple[str, str]] = [
    ("empty", ""),
    ("ascii", "Hello, World!"),
    ("latin", "Hello-µ@ßöäüàá-UTF-8!!"),
    ("greek", "κόσμε"),
    ("u0080", "\u0080"),
    ("u07ff", "\u07ff"),
    ("u0800", "\u0800"),
    ("ud7ff", "\ud7ff"),
    ("ue000", "\ue000"),
    ("ufeff-bom", "\ufeff"),
    ("ufffd", "\ufffd"),
    ("uffff", "\uffff"),
    ("u10000", "\U00010000"),
    ("u10ffff", "\U0010ffff"),
    ("euro", "€ 100"),
    ("cjk", "中文字符"),
    ("emoji", "🙂👍🏽"),
    ("mixed", "aä€𝄞"),
    ("nul", "\x00"),
    ("long", "κόσμε" * 100),
]

INVALID_UTF8: list[tuple[str, bytes]] = [
    ("lone-80", b"\x80"),
    ("lone-bf", b"\xbf"),
    ("two-continuations", b"\x80\xbf"),
    ("three-continuations", b"\x80\xbf\x80"),
    ("c0-space", b"\xc0 "),
    ("e0-space", b"\xe0 "),
    ("f0-space", b"\xf0 "),
    ("f8-space", b"\xf8 "),
    ("fc-space", b"\xfc "),
    ("truncated-2", b"\xc2"),
    ("truncated-3", b"\xe0\xa0"),
    ("truncated-4", b"\xf0\x90\x80"),
    ("fe", b"\xfe"),
    ("ff", b"\xff"),
    ("fefeffff", b"\xfe\xfe\xff\xff"),
    ("overlong-slash-2", b"\xc0\xaf"),
    ("overlong-slash-3", b"\xe0\x80\xaf"),
    ("overlong-slash-4", b"\xf0\x80\x80\xaf"),
    ("overlong-slash-5", b"\xf8\x80\x80\x80\xaf"),
    ("overlong-slash-6", b"\xfc\x80\x80\x80\x80\xaf"),
    ("overlong-max-2", b"\xc1\xbf"),
    ("overlong-max-3", b"\xe0\x9f\xbf"),
    ("overlong-max-4", b"\xf0\x8f\xbf\xbf"),
    ("overlong-nul-2", b"\xc0\x80"),
    ("overlong-nul-3", b"\xe0\x80\x80"),
    ("overlong-nul-4", b"\xf0\x80\x80\x80"),
    ("surrogate-d800", b"\xed\xa0\x80"),
    ("surrogate-db7f", b"\xed\xad\xbf"),
    ("surrogate-db80", b"\xed\xae\x80"),
    ("surrogate-dbff", b"\xed\xaf\xbf"),
    ("surrogate-dc00", b"\xed\xb0\x80"),
    ("surrogate-df80", b"\xed\xbe\x80"),
    ("surrogate-dfff", b"\xed\xbf\xbf"),
    ("surrogate-pair", b"\xed\xa0\x80\xed\xb0\x80"),
    ("above-10ffff", b"\xf4\x90\x80\x80"),
    ("f5", b"\xf5\x80\x80\x80"),
    ("f7", b"\xf7\xbf\xbf\xbf"),
    ("five-octets", b"\xf8\x88\x80\x80\x80"),
    ("six-octets", b"\xfc\x84\x80\x80\x80\x80"),
    ("greek-then-surrogate", "κόσμε".encode() + b"\xed\xa0\x80edited"),
    ("ascii-then-c0", b"Hello\xc0"),
    ("ascii-then-fe", b"Hello\xfeWorld"),
    ("euro-truncated", b"\xe2\x82"),
    ("continuation-after-ascii", b"a\x80b"),
    ("two-byte-lead-ascii", b"\xc3a"),
]


def family_utf8(b: Builder) -> None:
    for slug, text in VALID_UTF8:
        data = note(text.encode("utf-8"))
        b.add(
            f"valid-{slug}",
            ["6455 §8.1", "6455 §5.6"],
            "MUST",
            f"valid UTF-8 text ({slug}) is echoed",
            [fr(TEXT, data)],
            {"echo": [echo(TEXT, data)], "close": CLEAN},
        )
        octets = text.encode("utf-8")
        if octets:
            pieces = [note(octets[i : i + 1]) for i in range(len(octets))][:64]
            rest = note(octets[63:]) if len(octets) > 64 else None
            if rest is not None:
                pieces[-1] = rest
            b.add(
                f"valid-{slug}-octet-fragments",
                ["6455 §8.1", "6455 §5.4"],
                "MUST",
                f"valid UTF-8 ({slug}) fragmented between code-point octets",
                _fragments(TEXT, pieces),
                {"echo": [echo(TEXT, data)], "close": CLEAN},
            )
    for slug, octets in INVALID_UTF8:
        data = note(octets)
        b.add(
            f"invalid-{slug}",
            ["6455 §8.1"],
            "MUST",
            f"invalid UTF-8 ({slug}) in a text message",
            [fr(TEXT, data)],
            {"close": [1007]},
        )
        pieces = [note(octets[i : i + 1]) for i in range(len(octets))]
        b.add(
            f"invalid-{slug}-octet-fragments",
            ["6455 §8.1", "6455 §5.4"],
            "MUST",
            f"invalid UTF-8 ({slug}) fragmented one octet per frame",
            _fragments(TEXT, pieces),
            {"close": [1007]},
        )
    for slug, octets in INVALID_UTF8[26:40]:
        b.add(
            f"fail-fast-{slug}",
            ["6455 §8.1"],
            "SHOULD",
            f"invalid UTF-8 ({slug}) in a first fragment fails before the message ends",
            [fr(TEXT, note(octets), fin=False)],
            {"close": [1007], "within": 2.0},
        )
    b.add(
        "fail-fast-split-across-frames",
        ["6455 §8.1", "6455 §5.4"],
        "SHOULD",
        "an invalid sequence split across two unfinished fragments fails at once",
        [fr(TEXT, "ok{xF4}", fin=False), fr(CONT, "{x90}{x80}", fin=False)],
        {"close": [1007], "within": 2.0},
    )


# -- closing (Autobahn 7.x) ------------------------------------------------------------------

VALID_CODES = [
    1000,
    1001,
    1002,
    1003,
    1007,
    1008,
    1009,
    1010,
    1011,
    1012,
    1013,
    1014,
    3000,
    3999,
    4000,
    4999,
]
INVALID_CODES = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]


def _close(code: int, reason: bytes = b"") -> str:
    return note(code.to_bytes(2, "big") + reason)


def family_close(b: Builder) -> None:
    for code in VALID_CODES:
        b.add(
            f"code-{code}",
            ["6455 §7.4.1", "6455 §5.5.1"],
            "MUST",
            f"a Close with code {code} is answered",
            [fr(CLOSE, _close(code))],
            {"close": [code, 1000]},
        )
    for code in INVALID_CODES:
        b.add(
            f"invalid-code-{code}",
            ["6455 §7.4.1", "6455 §7.4.2"],
            "MUST",
            f"a Close with code {code}, which may not be sent, is a protocol error",
            [fr(CLOSE, _close(code))],
            {"close": [1002]},
        )
    s = ["6455 §5.5.1"]
    b.add("empty", s, "MUST", "an empty Close is answered", [fr(CLOSE)], {"close": [None, 1000]})
    b.add(
        "one-octet",
        s,
        "MUST",
        "a one-octet Close payload is a protocol error",
        [fr(CLOSE, "{x03}")],
        {"close": [1002]},
    )
    b.add(
        "reason-123",
        s,
        "MUST",
        "a Close with a 123-octet reason (payload 125)",
        [fr(CLOSE, _close(1000, b"*" * 123))],
        {"close": [1000]},
    )
    b.add(
        "reason-124",
        ["6455 §5.5"],
        "MUST",
        "a Close payload of 126 octets is a protocol error",
        [fr(CLOSE, _close(1000, b"*" * 124))],
        {"close": [1002]},
    )
    b.add(
        "reason-utf8",
        s,
        "MUST",
        "a Close whose reason is multi-octet UTF-8",
        [fr(CLOSE, _close(1000, "κόσμε".encode()))],
        {"close": [1000]},
    )
    b.add(
        "reason-invalid-utf8",
        ["6455 §5.5.1", "6455 §8.1"],
        "MUST",
        "a Close whose reason is not UTF-8",
        [fr(CLOSE, _close(1000, b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80"))],
        {"close": [1007]},
    )
    b.add(
        "text-after-close",
        ["6455 §5.5.1"],
        "MUST",
        "data after a Close is not answered",
        [fr(CLOSE, _close(1000)), fr(TEXT, "ignored")],
        {"close": [1000]},
    )
    b.add(
        "ping-after-close",
        ["6455 §5.5.1"],
        "MUST",
        "a Ping after a Close is not answered",
        [fr(CLOSE, _close(1000)), fr(PING, "ignored")],
        {"close": [1000]},
    )
    b.add(
        "two-closes",
        ["6455 §5.5.1"],
        "MUST",
        "two Close frames: the answer goes once",
        [fr(CLOSE, _close(1000)), fr(CLOSE, _close(1001))],
        {"close": [1000]},
    )
    b.add(
        "after-message",
        ["6455 §7.1.2"],
        "MUST",
        "a message, then a Close",
        [fr(TEXT, "last"), fr(CLOSE, _close(1000))],
        {"echo": [echo(TEXT, "last")], "close": [1000]},
    )
    b.add(
        "close-octet-writes",
        ["6455 §5.5.1"],
        "MUST",
        "a Close written one octet at a time",
        [fr(CLOSE, _close(1000, b"bye"))],
        {"close": [1000]},
        chunk=1,
    )
    b.add(
        "clean-after-echo",
        ["6455 §7.1.2", "6455 §7.1.1"],
        "MUST",
        "a normal closing handshake after a message",
        [fr(TEXT, "bye")],
        {"echo": [echo(TEXT, "bye")], "close": CLEAN},
    )


# -- limits ----------------------------------------------------------------------------------


def family_limits(b: Builder) -> None:
    top = note(b"\x82\xff" if b.side == "server" else b"\x82\x7f")
    key = "{x00}{x00}{x00}{x00}" if b.side == "server" else ""
    b.add(
        "length-top-bit",
        ["6455 §5.2"],
        "MUST",
        "a 64-bit length with the most significant bit set (2^63)",
        [{"raw": top + "{x80}{x00}{x00}{x00}{x00}{x00}{x00}{x00}" + key}],
        {"close": [1002], "within": 3.0},
    )
    b.add(
        "length-2-62",
        ["6455 §5.2", "6455 §10.4"],
        "SHOULD",
        "a frame announcing 2^62 octets is refused at once, not buffered",
        [{"raw": top + "{x40}{x00}{x00}{x00}{x00}{x00}{x00}{x00}" + key}],
        {"close": [1009, 1002, 1008], "within": 3.0},
    )
    b.add(
        "message-1mib-fragments",
        ["6455 §5.4", "6455 §10.4"],
        "SHOULD",
        "a 1 MiB binary message in 16 fragments is echoed",
        _fragments_rep(BINARY, 16, 65536),
        {"echo": [echo(BINARY, rep("{xAB}", 1 << 20))], "close": CLEAN},
    )
    b.add(
        "endless-fragments",
        ["6455 §10.4"],
        "MAY",
        "8 MiB of continuation frames without FIN ends with 1009 (message too big)",
        _fragments_rep(BINARY, 128, 65536, final=False),
        {"close": [1009], "within": 5.0},
    )
    b.add(
        "message-5mib",
        ["6455 §10.4"],
        "MAY",
        "a single 5 MiB message passes a 4 MiB limit: 1009",
        [fr(BINARY, rep("{xAB}", 5 << 20))],
        {"close": [1009], "within": 5.0},
    )


def _fragments_rep(op: int, count: int, size: int, final: bool = True) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        out.append(fr(op if i == 0 else CONT, rep("{xAB}", size), fin=final and i == count - 1))
    return out


# -- opening handshake (RFC 6455 §4) --------------------------------------------------------


def _request(line: str = "GET /ws HTTP/1.1", **fields: str | None) -> dict[str, Any]:
    """A literal handshake request; a keyword replaces a default field, ``None`` drops it."""
    base: dict[str, str | None] = {
        "host": "Host: {HOST}",
        "upgrade": "Upgrade: websocket",
        "connection": "Connection: Upgrade",
        "key": "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "version": "Sec-WebSocket-Version: 13",
    }
    base.update(fields)
    lines = [line, *(v for v in base.values() if v is not None)]
    return {"request": ["{CRLF}".join(lines) + "{CRLF}{CRLF}"]}


def family_handshake_server(b: Builder) -> None:
    s = ["6455 §4.2.1"]
    refuse = {"status": [400, 403, 404, 405, 426]}
    b.add(
        "no-upgrade",
        s,
        "MUST",
        "a GET without Upgrade is not switched",
        [],
        {"status": [400, 404, 405, 426]},
        handshake=_request(upgrade=None),
    )
    b.add(
        "upgrade-h2c",
        s,
        "MUST",
        "Upgrade: h2c is not a WebSocket handshake",
        [],
        {"status": [400, 404, 405, 426]},
        handshake=_request(upgrade="Upgrade: h2c"),
    )
    b.add(
        "no-connection-upgrade",
        s,
        "MUST",
        "Connection without the upgrade token",
        [],
        refuse,
        handshake=_request(connection="Connection: keep-alive"),
    )
    b.add("no-key", s, "MUST", "no Sec-WebSocket-Key", [], refuse, handshake=_request(key=None))
    b.add(
        "short-key",
        s,
        "MUST",
        "a key that is not 16 octets",
        [],
        refuse,
        handshake=_request(key="Sec-WebSocket-Key: AAAA"),
    )
    b.add(
        "version-8",
        ["6455 §4.4", "6455 §4.2.2"],
        "MUST",
        "an unsupported version is refused with Sec-WebSocket-Version: 13",
        [],
        {"status": [400, 426], "fields": {"Sec-WebSocket-Version": "13"}},
        handshake=_request(version="Sec-WebSocket-Version: 8"),
    )
    b.add(
        "no-version",
        ["6455 §4.2.1"],
        "MUST",
        "no Sec-WebSocket-Version",
        [],
        {"status": [400, 426]},
        handshake=_request(version=None),
    )
    b.add(
        "post",
        s,
        "MUST",
        "a POST handshake is refused",
        [],
        {"status": [400, 405]},
        handshake=_request(line="POST /ws HTTP/1.1"),
    )
    b.add(
        "http10",
        s,
        "MUST",
        "an HTTP/1.0 handshake is refused",
        [],
        {"status": [400, 426, 505]},
        handshake=_request(line="GET /ws HTTP/1.0"),
    )
    b.add(
        "upgrade-mixed-case",
        s,
        "MUST",
        "Upgrade: WebSocket (case-insensitive token)",
        [fr(TEXT, "hi")],
        {"echo": [echo(TEXT, "hi")], "close": CLEAN},
        handshake=_request(upgrade="Upgrade: WebSocket"),
    )
    b.add(
        "connection-token-list",
        s,
        "MUST",
        "Connection: keep-alive, Upgrade",
        [fr(TEXT, "hi")],
        {"echo": [echo(TEXT, "hi")], "close": CLEAN},
        handshake=_request(connection="Connection: keep-alive, Upgrade"),
    )
    b.add(
        "unknown-subprotocol",
        ["6455 §4.2.2", "6455 §1.9"],
        "MUST",
        "a subprotocol the server does not speak is not chosen",
        [fr(TEXT, "hi")],
        {"protocol": None, "echo": [echo(TEXT, "hi")], "close": CLEAN},
        handshake={"protocols": "x-unknown-protocol"},
    )
    b.add(
        "unknown-extension",
        ["6455 §9.1"],
        "MUST",
        "an unknown extension is not accepted",
        [fr(TEXT, "hi")],
        {"extensions": None, "echo": [echo(TEXT, "hi")], "close": CLEAN},
        handshake={"extensions": "x-unknown-extension"},
    )


def family_handshake_client(b: Builder) -> None:
    s = ["6455 §4.1"]
    ok = [["Upgrade", "websocket"], ["Connection", "Upgrade"], ["Sec-WebSocket-Accept", "<accept>"]]

    def bad(slug: str, description: str, response: dict[str, Any]) -> None:
        b.add(slug, s, "MUST", description, [], {"client_error": True}, response=response)

    bad(
        "status-200",
        "a 200 answer is not a WebSocket",
        {"status": "200 OK", "fields": [["Content-Length", "0"]]},
    )
    bad(
        "status-403",
        "a 403 answer is a failed handshake",
        {"status": "403 Forbidden", "fields": [["Content-Length", "0"]]},
    )
    bad(
        "bad-accept",
        "a wrong Sec-WebSocket-Accept",
        {"fields": [*ok[:2], ["Sec-WebSocket-Accept", "<bad-accept>"]]},
    )
    bad("no-accept", "no Sec-WebSocket-Accept", {"fields": ok[:2]})
    bad("no-upgrade", "no Upgrade field in the 101", {"fields": ok[1:]})
    bad("upgrade-h2c", "Upgrade: h2c in the 101", {"fields": [["Upgrade", "h2c"], *ok[1:]]})
    bad("no-connection", "no Connection field in the 101", {"fields": [ok[0], ok[2]]})
    bad(
        "subprotocol-not-offered",
        "a subprotocol the client did not offer",
        {"fields": [*ok, ["Sec-WebSocket-Protocol", "x-not-offered"]]},
    )
    bad(
        "extension-not-offered",
        "an extension the client did not offer",
        {"fields": [*ok, ["Sec-WebSocket-Extensions", "x-not-offered"]]},
    )
    b.add(
        "upgrade-mixed-case",
        s,
        "MUST",
        "Upgrade: WebSocket is accepted",
        [fr(TEXT, "hi")],
        {"echo": [echo(TEXT, "hi")], "close": CLEAN},
        response={"fields": [["Upgrade", "WebSocket"], ["Connection", "upgrade"], ok[2]]},
    )


# -- permessage-deflate (RFC 7692; Autobahn 12.x/13.x) ---------------------------------------

OFFERS_ACCEPTABLE = [
    ("plain", "permessage-deflate"),
    ("server-no-context-takeover", "permessage-deflate; server_no_context_takeover"),
    ("client-no-context-takeover", "permessage-deflate; client_no_context_takeover"),
    (
        "both-no-context-takeover",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
    ),
    ("client-max-window-bits", "permessage-deflate; client_max_window_bits"),
    *[
        (f"server-max-window-bits-{n}", f"permessage-deflate; server_max_window_bits={n}")
        for n in range(8, 16)
    ],
    *[
        (f"client-max-window-bits-{n}", f"permessage-deflate; client_max_window_bits={n}")
        for n in range(8, 16)
    ],
    ("quoted-value", 'permessage-deflate; server_max_window_bits="10"'),
    ("fallback-second-offer", "permessage-deflate; x-unknown, permessage-deflate"),
    (
        "all-parameters",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
        "server_max_window_bits=10; client_max_window_bits=10",
    ),
]
OFFERS_INVALID = [
    ("unknown-parameter", "permessage-deflate; x-unknown"),
    ("server-window-7", "permessage-deflate; server_max_window_bits=7"),
    ("server-window-16", "permessage-deflate; server_max_window_bits=16"),
    ("server-window-0", "permessage-deflate; server_max_window_bits=0"),
    ("server-window-text", "permessage-deflate; server_max_window_bits=ten"),
    ("server-window-leading-zero", "permessage-deflate; server_max_window_bits=09"),
    ("server-window-no-value", "permessage-deflate; server_max_window_bits"),
    ("client-window-7", "permessage-deflate; client_max_window_bits=7"),
    ("client-window-16", "permessage-deflate; client_max_window_bits=16"),
    (
        "duplicate-parameter",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
    ),
    ("takeover-with-value", "permessage-deflate; client_no_context_takeover=1"),
]
DATA_PARAMS = [
    ("plain", "permessage-deflate"),
    ("server-no-takeover", "permessage-deflate; server_no_context_takeover"),
    ("client-no-takeover", "permessage-deflate; client_no_context_takeover"),
    ("server-window-9", "permessage-deflate; server_max_window_bits=9"),
    (
        "both-no-takeover",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
    ),
]
DATA_MESSAGES = [
    ("small-text", TEXT, "Hello, compressed world"),
    ("repetitive-text", TEXT, rep("abcabcabc ", 500)),
    ("binary-64k", BINARY, rep("{x00}{x01}{x02}{xFF}", 16384)),
    ("empty-text", TEXT, ""),
]


def family_deflate_server(b: Builder) -> None:
    for slug, offer in OFFERS_ACCEPTABLE:
        b.add(
            f"offer-{slug}",
            ["7692 §7.1", "7692 §5.1"],
            "MUST",
            f"the answer to the offer {slug} is none or a valid acceptance",
            [fr(TEXT, "hi")],
            {"extensions": "valid", "echo": [echo(TEXT, "hi")], "close": CLEAN},
            handshake={"extensions": offer},
        )
    for slug, offer in OFFERS_INVALID:
        b.add(
            f"decline-{slug}",
            ["7692 §7.1", "7692 §5.1"],
            "MUST",
            f"the invalid offer '{offer}' is declined",
            [fr(TEXT, "hi")],
            {"extensions": None, "echo": [echo(TEXT, "hi")], "close": CLEAN},
            handshake={"extensions": offer},
        )
    for pslug, offer in DATA_PARAMS:
        for mslug, op, data in DATA_MESSAGES:
            b.add(
                f"echo-{pslug}-{mslug}",
                ["7692 §7.2", "7692 §6"],
                "MUST",
                f"a compressed {mslug} message with '{offer}' is echoed",
                [fr(op, data, compress=True)],
                {"extensions": "accepted", "echo": [echo(op, data)], "close": CLEAN},
                handshake={"extensions": offer},
            )
        b.add(
            f"echo-{pslug}-ten-messages",
            ["7692 §7.2.3", "7692 §7.1.1"],
            "MUST",
            f"ten compressed messages in a row with '{offer}' (context takeover rules)",
            [fr(TEXT, f"message {i} " * 20, compress=True) for i in range(10)],
            {
                "extensions": "accepted",
                "echo": [echo(TEXT, f"message {i} " * 20) for i in range(10)],
                "close": CLEAN,
            },
            handshake={"extensions": offer},
        )
    offer = "permessage-deflate"
    b.add(
        "uncompressed-on-deflate",
        ["7692 §6"],
        "MUST",
        "an uncompressed message on a deflate connection",
        [fr(TEXT, "plain")],
        {"extensions": "accepted", "echo": [echo(TEXT, "plain")], "close": CLEAN},
        handshake={"extensions": offer},
    )
    b.add(
        "rsv1-on-continuation",
        ["7692 §6.1"],
        "MUST",
        "RSV1 on a continuation frame is an error",
        [fr(TEXT, "a", fin=False), fr(CONT, "b", rsv=4)],
        {"extensions": "accepted", "close": [1002]},
        handshake={"extensions": offer},
    )
    b.add(
        "rsv1-on-ping",
        ["7692 §6.1"],
        "MUST",
        "RSV1 on a Ping is an error",
        [fr(PING, "p", rsv=4)],
        {"extensions": "accepted", "close": [1002]},
        handshake={"extensions": offer},
    )
    b.add(
        "rsv2-with-deflate",
        ["6455 §5.2", "7692 §6"],
        "MUST",
        "RSV2 is still reserved with permessage-deflate",
        [fr(TEXT, "a", rsv=2)],
        {"extensions": "accepted", "close": [1002]},
        handshake={"extensions": offer},
    )
    b.add(
        "bad-deflate-data",
        ["7692 §7.2.2"],
        "MUST",
        "a compressed payload that does not inflate",
        [fr(BINARY, "{xFF}{xFF}{xFF}{xFF}", rsv=4)],
        {"extensions": "accepted", "close": [1007, 1002]},
        handshake={"extensions": offer},
    )
    b.add(
        "compressed-invalid-utf8",
        ["7692 §6", "6455 §8.1"],
        "MUST",
        "compressed text that inflates to invalid UTF-8",
        [fr(TEXT, "{xED}{xA0}{x80}", compress=True)],
        {"extensions": "accepted", "close": [1007]},
        handshake={"extensions": offer},
    )


CLIENT_ANSWERS_OK = [
    ("plain", "permessage-deflate"),
    ("server-no-context-takeover", "permessage-deflate; server_no_context_takeover"),
    ("client-no-context-takeover", "permessage-deflate; client_no_context_takeover"),
    ("server-max-window-bits-9", "permessage-deflate; server_max_window_bits=9"),
    ("server-max-window-bits-12", "permessage-deflate; server_max_window_bits=12"),
    ("client-max-window-bits-10", "permessage-deflate; client_max_window_bits=10"),
    ("client-max-window-bits-15", "permessage-deflate; client_max_window_bits=15"),
]
CLIENT_ANSWERS_BAD = [
    ("unknown-parameter", "permessage-deflate; x-unknown"),
    ("server-window-7", "permessage-deflate; server_max_window_bits=7"),
    ("server-window-no-value", "permessage-deflate; server_max_window_bits"),
    ("client-window-no-value", "permessage-deflate; client_max_window_bits"),
    ("two-answers", "permessage-deflate, permessage-deflate"),
    (
        "duplicate-parameter",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
    ),
]


def family_deflate_client(b: Builder) -> None:
    ok = [["Upgrade", "websocket"], ["Connection", "Upgrade"], ["Sec-WebSocket-Accept", "<accept>"]]
    for slug, answer in CLIENT_ANSWERS_OK:
        response = {"fields": [*ok, ["Sec-WebSocket-Extensions", answer]]}
        for mslug, op, data in DATA_MESSAGES[:3]:
            b.add(
                f"echo-{slug}-{mslug}",
                ["7692 §7.2", "7692 §7.1"],
                "MUST",
                f"with the answer '{answer}', a compressed {mslug} message is echoed",
                [fr(op, data, compress=True)],
                {"echo": [echo(op, data)], "close": CLEAN},
                response=response,
            )
        b.add(
            f"echo-{slug}-ten-messages",
            ["7692 §7.2.3"],
            "MUST",
            f"with the answer '{answer}', ten compressed messages in a row",
            [fr(TEXT, f"message {i} " * 20, compress=True) for i in range(10)],
            {"echo": [echo(TEXT, f"message {i} " * 20) for i in range(10)], "close": CLEAN},
            response=response,
        )
    for slug, answer in CLIENT_ANSWERS_BAD:
        b.add(
            f"reject-{slug}",
            ["7692 §7.1", "7692 §5.1"],
            "MUST",
            f"the answer '{answer}' fails the connection",
            [],
            {"client_error": True},
            response={"fields": [*ok, ["Sec-WebSocket-Extensions", answer]]},
        )
    response = {"fields": [*ok, ["Sec-WebSocket-Extensions", "permessage-deflate"]]}
    b.add(
        "rsv1-on-continuation",
        ["7692 §6.1"],
        "MUST",
        "RSV1 on a continuation frame is an error",
        [fr(TEXT, "a", fin=False), fr(CONT, "b", rsv=4)],
        {"close": [1002]},
        response=response,
    )
    b.add(
        "bad-deflate-data",
        ["7692 §7.2.2"],
        "MUST",
        "a compressed payload that does not inflate",
        [fr(BINARY, "{xFF}{xFF}{xFF}{xFF}", rsv=4)],
        {"close": [1007, 1002]},
        response=response,
    )


FAMILIES: dict[str, list[Callable[[Builder], None]]] = {
    "framing": [family_framing],
    "pings": [family_pings],
    "reserved-bits": [family_reserved_bits],
    "opcodes": [family_opcodes],
    "fragmentation": [family_fragmentation],
    "utf8": [family_utf8],
    "close": [family_close],
    "limits": [family_limits],
}


def build(side: str) -> dict[str, list[Case]]:
    """Every case of ``side``, grouped by topic (one file each)."""
    out: dict[str, list[Case]] = {}
    topics = dict(FAMILIES)
    if side == "server":
        topics["handshake"] = [family_handshake_server]
        topics["deflate"] = [family_deflate_server]
    else:
        topics["handshake"] = [family_handshake_client]
        topics["deflate"] = [family_deflate_client]
    for topic, makers in topics.items():
        b = Builder(side)
        for make in makers:
            make(b)
        out[topic] = b.cases
    return out
