"""Families of masking, sending and receiving data, failing and closing connections
(RFC 6455 §5.1, §5.3, §6, §7) and of large or many messages (Autobahn 9 and 10)."""

from __future__ import annotations

from typing import Any

from conformance.websocket.families.common import (
    BINARY,
    CLEAN,
    CLOSE,
    PING,
    PONG,
    TEXT,
    Builder,
    echo,
    fr,
    note,
    rep,
)

# -- masking (RFC 6455 §5.1, §5.3, §6.2) -----------------------------------------------------


def family_masking(b: Builder) -> None:
    # The harness masks as a client and not as a server; these cases flip that on purpose.
    wrong = b.side == "client"  # mask=True on a server's frame, mask=False on a client's
    who = "server" if b.side == "client" else "client"
    how = "masked" if wrong else "not masked"
    for slug, op, data in (
        ("text", TEXT, "Hello"),
        ("binary", BINARY, "{x00}{xFF}"),
        ("ping", PING, "p"),
    ):
        b.add(
            f"wrong-mask-{slug}",
            ["6455 §5.1", "6455 §5.3"],
            "MUST",
            f"a {slug} frame {how} by the {who} fails the connection",
            [fr(op, data, mask=wrong)],
            {"close": [1002]},
        )
    b.add(
        "wrong-mask-after-message",
        ["6455 §5.1"],
        "MUST",
        f"a valid message, then one {how} by the {who}",
        [fr(TEXT, "valid"), fr(TEXT, "wrong", mask=wrong)],
        {"echo": [echo(TEXT, "valid")], "close": [1002]},
    )
    b.add(
        "wrong-mask-close",
        ["6455 §5.1"],
        "MUST",
        f"a Close frame {how} by the {who} fails the connection",
        [fr(CLOSE, "{x03}{xE8}", mask=wrong)],
        {"close": [1002]},
    )
    if b.side == "server":
        for slug, key in (("zero", "{x00}{x00}{x00}{x00}"), ("ones", "{xFF}{xFF}{xFF}{xFF}"),
                          ("pattern", "{x37}{xFA}{x21}{x3D}")):  # fmt: skip
            b.add(
                f"masking-key-{slug}",
                ["6455 §6.2", "6455 §5.3"],
                "MUST",
                f"a frame masked with the key {slug} is unmasked before it is echoed",
                [fr(TEXT, "Hello, masked world", key=key), fr(BINARY, rep("{x5A}", 300), key=key)],
                {"echo": [echo(TEXT, "Hello, masked world"), echo(BINARY, rep("{x5A}", 300))],
                 "close": CLEAN},
            )  # fmt: skip
    else:
        b.add(
            "fresh-masking-keys",
            ["6455 §5.3", "6455 §6.1"],
            "MUST",
            "every frame the client sends carries a fresh masking key",
            [fr(TEXT, f"message {i}") for i in range(20)],
            {"echo": [echo(TEXT, f"message {i}") for i in range(20)], "close": CLEAN,
             "fresh_keys": True},
        )  # fmt: skip
        b.add(
            "client-masks-its-echo",
            ["6455 §6.1", "6455 §5.1"],
            "MUST",
            "the client masks the frames of the messages it sends",
            [fr(BINARY, rep("{x00}", 1000))],
            {"echo": [echo(BINARY, rep("{x00}", 1000))], "close": CLEAN},
        )


# -- sending and receiving data (RFC 6455 §6.1, §6.2) -----------------------------------------


def family_data(b: Builder) -> None:
    for op, name, unit in ((TEXT, "text", "t"), (BINARY, "binary", "{x01}")):
        for n in (0, 10, 1000, 100000):
            b.add(
                f"{name}-type-kept-{n}",
                ["6455 §6.1", "6455 §6.2"],
                "MUST",
                f"a {name} message of {n} octets comes back as {name} (opcode of its first frame)",
                [fr(op, rep(unit, n))],
                {"echo": [echo(op, rep(unit, n))], "close": CLEAN},
            )
    b.add(
        "types-interleaved",
        ["6455 §6.2"],
        "MUST",
        "text, binary, text, binary: each message keeps its own type",
        [fr(TEXT, "a"), fr(BINARY, "b"), fr(TEXT, "c"), fr(BINARY, "d")],
        {"echo": [echo(TEXT, "a"), echo(BINARY, "b"), echo(TEXT, "c"), echo(BINARY, "d")],
         "close": CLEAN},
    )  # fmt: skip
    b.add(
        "new-message-after-final",
        ["6455 §6.2"],
        "MUST",
        "a data frame after a final one begins a new message",
        [fr(TEXT, "one"), fr(TEXT, "two")],
        {"echo": [echo(TEXT, "one"), echo(TEXT, "two")], "close": CLEAN},
    )


# -- failing and closing (RFC 6455 §7) -------------------------------------------------------


def family_failing(b: Builder) -> None:
    s = ["6455 §7.1.7"]
    b.add(
        "no-pong-after-failure",
        [*s, "6455 §7.1.3"],
        "MUST",
        "after a reserved opcode fails the connection, a Ping sent next is not answered",
        [fr(5, "bad"), fr(PING, "after")],
        {"close": [1002], "exact": True},
    )
    b.add(
        "no-echo-after-failure",
        s,
        "MUST",
        "after invalid UTF-8 fails the connection, the next message is not echoed",
        [fr(TEXT, "{xFF}"), fr(TEXT, "after")],
        {"close": [1007]},
    )
    for slug, steps, code in (
        ("reserved-opcode", [fr(11, "x")], 1002),
        ("rsv-bits", [fr(TEXT, "x", rsv=2)], 1002),
        ("invalid-utf8", [fr(TEXT, "{xC0}{xAF}")], 1007),
        ("long-control", [fr(PING, rep("*", 200))], 1002),
    ):
        b.add(
            f"close-frame-on-failure-{slug}",
            [*s, "6455 §7.1.5", "6455 §7.4.1"],
            "SHOULD",
            f"the connection failed by {slug.replace('-', ' ')} is closed with a Close frame "
            f"({code})",
            steps,
            {"close": [code]},
        )
    if b.side == "server":
        b.add(
            "server-closes-tcp",
            ["6455 §5.5.1", "6455 §7.1.1", "6455 §7.1.4"],
            "MUST",
            "after the closing handshake the server closes the TCP connection at once",
            [fr(TEXT, "bye")],
            {"echo": [echo(TEXT, "bye")], "close": CLEAN, "tcp_close": 2.0},
        )
        b.add(
            "close-reason-kept",
            ["6455 §5.5.1", "6455 §7.1.5", "6455 §7.1.6"],
            "MUST",
            "a Close with a code and a reason is answered with a Close",
            [fr(CLOSE, note((1001).to_bytes(2, "big") + b"going away"))],
            {"close": [1001, 1000]},
        )
    else:
        b.add(
            "server-initiated-close",
            ["6455 §7.3", "6455 §5.5.1", "6455 §7.1.2"],
            "MUST",
            "the server closes first, unprompted: the client answers with a Close",
            [fr(TEXT, "last"), fr(CLOSE, "{x03}{xE8}")],
            {"echo": [echo(TEXT, "last")], "close": [1000]},
        )
        b.add(
            "client-waits",
            ["6455 §7.3"],
            "SHOULD",
            "the client does not close on its own while the server stays quiet",
            [fr(TEXT, "ping me"), {"pause": 1.0}],
            {"echo": [echo(TEXT, "ping me")], "close": CLEAN},
        )
        b.add(
            "connection-lost",
            ["6455 §7.2.1", "6455 §7.1.7"],
            "MUST",
            "the TCP connection drops after a message: the client reports a failure, not a close",
            [fr(TEXT, "then gone"), {"pause": 0.3}, {"drop": True}],
            {"echo": [echo(TEXT, "then gone")], "client_error": True},
        )


# -- large and many messages (Autobahn 9, 10) ------------------------------------------------

SIZES = [("64k", 1 << 16), ("256k", 1 << 18), ("1m", 1 << 20), ("2m", 1 << 21)]
FRAGMENT_SIZES = [64, 256, 1024, 4096, 16384, 65536]
WRITE_SIZES = [1024, 4096, 16384, 65536]
SMALL_SIZES = [0, 16, 64, 256, 1024, 4096]


def _big(op: int, n: int, **kw: Any) -> dict[str, Any]:
    return fr(op, rep("*" if op == TEXT else "{xFE}", n), **kw)


def family_large(b: Builder) -> None:
    big = {"close": CLEAN, "limit": [1009], "within": 20.0}
    for op, name in ((TEXT, "text"), (BINARY, "binary")):
        unit = "*" if op == TEXT else "{xFE}"
        for slug, n in SIZES:
            b.add(
                f"{name}-{slug}",
                ["6455 §5.4", "6455 §10.4"],
                "MUST",
                f"a {name} message of {n} octets is echoed (or refused with 1009 by a size limit)",
                [_big(op, n)],
                {"echo": [echo(op, rep(unit, n))], **big},
            )
        for size in FRAGMENT_SIZES:
            b.add(
                f"{name}-256k-in-{size}-octet-fragments",
                ["6455 §5.4"],
                "MUST",
                f"a 256 KiB {name} message in {size}-octet fragments is echoed",
                [_big(op, 1 << 18, fragment=size)],
                {"echo": [echo(op, rep(unit, 1 << 18))], **big},
            )
        for size in WRITE_SIZES:
            b.add(
                f"{name}-256k-in-{size}-octet-writes",
                ["6455 §5.4", "6455 §6.2"],
                "MUST",
                f"a 256 KiB {name} message arriving in {size}-octet writes is echoed",
                [_big(op, 1 << 18)],
                {"echo": [echo(op, rep(unit, 1 << 18))], **big},
                chunk=size,
            )
        for size in SMALL_SIZES:
            data = rep(unit, size)
            b.add(
                f"{name}-1000-messages-of-{size}",
                ["6455 §6.2", "6455 §5.4"],
                "MUST",
                f"1000 {name} messages of {size} octets sent back to back are echoed in 10 s",
                [{**fr(op, data), "times": 1000}],
                {"echo": [{**echo(op, data), "times": 1000}], "close": CLEAN, "within": 10.0},
            )
        b.add(
            f"{name}-64k-auto-fragmented",
            ["6455 §5.4", "6455 §6.1"],
            "MUST",
            f"a 64 KiB {name} message in 1300-octet fragments (as an endpoint may send it)",
            [_big(op, 1 << 16, fragment=1300)],
            {"echo": [echo(op, rep(unit, 1 << 16))], **big},
        )
    piece = rep("{x11}", 1 << 16)
    b.add(
        "pings-amid-large-fragments",
        ["6455 §5.4", "6455 §5.5.2"],
        "MUST",
        "Pings between the 64 KiB fragments of a 1 MiB message are answered",
        [fr(BINARY, piece, fin=False),
         *[step for _ in range(14) for step in (fr(PING, "p"), fr(0, piece, fin=False))],
         fr(PING, "p"), fr(0, piece)],
        {"echo": [*[echo(PONG, "p")] * 15, echo(BINARY, rep("{x11}", 1 << 20))], **big},
    )  # fmt: skip
