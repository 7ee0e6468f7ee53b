"""Families of UTF-8 handling, closing and limits (Autobahn 6, 7 and 9)."""

from __future__ import annotations

from typing import Any

from conformance.websocket.families.common import (
    BINARY,
    CLEAN,
    CLOSE,
    CONT,
    PING,
    TEXT,
    Builder,
    echo,
    fr,
    note,
    rep,
)
from conformance.websocket.families.frames import fragments

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
                fragments(TEXT, pieces),
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
            fragments(TEXT, pieces),
            {"close": [1007]},
        )
    for slug, octets in INVALID_UTF8[26:40]:
        b.add(
            f"fail-fast-{slug}",
            ["6455 §8.1"],
            "SHOULD",
            f"invalid UTF-8 ({slug}) in a first fragment: failing before its end is allowed",
            [fr(TEXT, note(octets), fin=False)],
            {"close": [1007], "within": 2.0},
        )
    b.add(
        "fail-fast-split-across-frames",
        ["6455 §8.1", "6455 §5.4"],
        "SHOULD",
        "an invalid sequence across two unfinished fragments: failing at once is allowed",
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
    _family_close_payloads(b)


def _family_close_payloads(b: Builder) -> None:
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
    _family_close_ordering(b)


def _family_close_ordering(b: Builder) -> None:
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
        "MUST",
        "a 1 MiB binary message in 16 fragments is echoed (or refused with 1009 by a size limit)",
        _fragments_rep(BINARY, 16, 65536),
        {"echo": [echo(BINARY, rep("{xAB}", 1 << 20))], "close": CLEAN, "limit": [1009]},
    )
    b.add(
        "endless-fragments",
        ["6455 §10.4"],
        "SHOULD",
        "8 MiB of continuation frames without FIN ends with 1009 (message too big)",
        _fragments_rep(BINARY, 128, 65536, final=False),
        {"close": [1009], "within": 5.0},
    )
    b.add(
        "message-5mib",
        ["6455 §10.4"],
        "MUST",
        "a single 5 MiB message is echoed, or refused with 1009 by a size limit",
        [fr(BINARY, rep("{xAB}", 5 << 20))],
        {
            "echo": [echo(BINARY, rep("{xAB}", 5 << 20))],
            "close": CLEAN,
            "limit": [1009],
            "within": 10.0,
        },
    )


def _fragments_rep(op: int, count: int, size: int, final: bool = True) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        out.append(fr(op if i == 0 else CONT, rep("{xAB}", size), fin=final and i == count - 1))
    return out
