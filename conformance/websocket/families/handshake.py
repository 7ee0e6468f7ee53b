"""Families of the opening handshake and permessage-deflate (RFC 6455 §4, RFC 7692)."""

from __future__ import annotations

from typing import Any

from conformance.websocket.families.common import (
    BINARY,
    CLEAN,
    CONT,
    PING,
    TEXT,
    Builder,
    echo,
    fr,
    rep,
)

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
    _family_handshake_server_accepts(b)


def _family_handshake_server_accepts(b: Builder) -> None:
    s = ["6455 §4.2.1"]
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
        "an unknown extension offered: the server may decline it (recorded)",
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
    _family_deflate_server_data(b)


def _family_deflate_server_data(b: Builder) -> None:
    offer = "permessage-deflate"
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
