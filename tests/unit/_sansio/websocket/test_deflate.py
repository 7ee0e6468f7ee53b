"""permessage-deflate negotiation (RFC 7692 §5, §7.1) and codec (§7.2)."""

from __future__ import annotations

import json
import zlib

import pytest

from aiohttp._sansio.websocket.deflate import (
    DeflateParams,
    PerMessageDeflate,
    client_offer,
    negotiate_server,
    parse_extensions,
    validate_client,
    ws_ext_gen,
    ws_ext_parse,
)
from aiohttp._sansio.websocket.errors import HandshakeError, MessageTooBigError, WSHandshakeError

SERVER_CASES = [
    ("7692-5.1-no-offer", [], None),
    ("7692-5.1-other-extension", ["x-webkit-deflate-frame"], None),
    ("7692-7.1-plain", ["permessage-deflate"], DeflateParams()),
    (
        "7692-7.1.1.1-server-no-context-takeover",
        ["permessage-deflate; server_no_context_takeover"],
        DeflateParams(server_no_context_takeover=True),
    ),
    (
        "7692-7.1.1.2-client-no-context-takeover",
        ["permessage-deflate; client_no_context_takeover"],
        DeflateParams(client_no_context_takeover=True),
    ),
    (
        "7692-7.1.2.1-server-max-window-bits",
        ["permessage-deflate; server_max_window_bits=10"],
        DeflateParams(server_max_window_bits=10),
    ),
    (
        "7692-7.1.2.1-quoted-value",
        ['permessage-deflate; server_max_window_bits="12"'],
        DeflateParams(server_max_window_bits=12),
    ),
    (
        "7692-7.1.2.2-client-max-window-bits-no-value",
        ["permessage-deflate; client_max_window_bits"],
        DeflateParams(),
    ),
    (
        "7692-7.1.2.2-client-max-window-bits-value",
        ["permessage-deflate; client_max_window_bits=9"],
        DeflateParams(),
    ),
    ("7692-7.1-unknown-param-declined", ["permessage-deflate; foo=1"], None),
    (
        "7692-7.1-duplicate-param-declined",
        ["permessage-deflate; server_no_context_takeover; server_no_context_takeover"],
        None,
    ),
    ("7692-7.1.2.1-window-7-declined", ["permessage-deflate; server_max_window_bits=7"], None),
    ("7692-7.1.2.1-window-16-declined", ["permessage-deflate; server_max_window_bits=16"], None),
    ("7692-7.1.2.1-window-leading-zero", ["permessage-deflate; server_max_window_bits=09"], None),
    ("7692-7.1.2.1-window-missing", ["permessage-deflate; server_max_window_bits"], None),
    ("7692-7.1.2.2-client-window-bad", ["permessage-deflate; client_max_window_bits=20"], None),
    (
        "7692-7.1.1.1-takeover-with-value",
        ["permessage-deflate; server_no_context_takeover=1"],
        None,
    ),
    (
        "7692-5.1-falls-back-to-second-offer",
        ["permessage-deflate; foo, permessage-deflate; client_no_context_takeover"],
        DeflateParams(client_no_context_takeover=True),
    ),
    ("6455-9.1-malformed", ["permessage-deflate; =x"], None),
    ("6455-9.1-bad-name", ["perm@ssage"], None),
    ("6455-9.1-empty-elements", [" , permessage-deflate"], DeflateParams()),
]


@pytest.mark.parametrize(
    ("values", "expected"), [c[1:] for c in SERVER_CASES], ids=[c[0] for c in SERVER_CASES]
)
def test_server_negotiation(values: list[str], expected: DeflateParams | None) -> None:
    assert negotiate_server(values) == expected


def test_server_may_force_no_context_takeover() -> None:
    params = negotiate_server(["permessage-deflate"], server_no_context_takeover=True)
    assert params == DeflateParams(server_no_context_takeover=True)


def test_header_value() -> None:
    params = DeflateParams(True, True, 10, 11)
    assert params.header_value() == (
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
        "server_max_window_bits=10; client_max_window_bits=11"
    )
    assert DeflateParams().header_value() == "permessage-deflate"


def test_parse_extensions() -> None:
    assert parse_extensions(["a; b=1; c", "d"]) == [("a", [("b", "1"), ("c", None)]), ("d", [])]


def test_client_offer() -> None:
    assert client_offer() == "permessage-deflate; client_max_window_bits"
    assert client_offer(10).endswith("server_max_window_bits=10")


CLIENT_OK = [
    ("7692-5.1-declined", [], 15, None),
    ("7692-7.1-plain", ["permessage-deflate"], 15, DeflateParams()),
    (
        "7692-7.1.2.2-client-window",
        ["permessage-deflate; client_max_window_bits=10; server_no_context_takeover"],
        15,
        DeflateParams(server_no_context_takeover=True, client_max_window_bits=10),
    ),
    (
        "7692-7.1.2.1-server-window-within-offer",
        ["permessage-deflate; server_max_window_bits=9"],
        10,
        DeflateParams(server_max_window_bits=9),
    ),
]


@pytest.mark.parametrize(
    ("values", "wbits", "expected"), [c[1:] for c in CLIENT_OK], ids=[c[0] for c in CLIENT_OK]
)
def test_client_accepts(values: list[str], wbits: int, expected: DeflateParams | None) -> None:
    assert validate_client(values, wbits) == expected


CLIENT_BAD = [
    ("7692-7.1-not-offered", ["permessage-deflate"], 0),
    ("7692-7.1-two-answers", ["permessage-deflate, permessage-deflate"], 15),
    ("7692-7.1-other-name", ["x-other"], 15),
    (
        "7692-7.1.2.2-client-window-without-value",
        ["permessage-deflate; client_max_window_bits"],
        15,
    ),
    ("7692-7.1.2.1-server-window-larger", ["permessage-deflate; server_max_window_bits=12"], 10),
    ("7692-7.1-unknown-param", ["permessage-deflate; x"], 15),
    ("6455-9.1-malformed", ["permessage-deflate; ="], 15),
]


@pytest.mark.parametrize(
    ("values", "wbits"), [c[1:] for c in CLIENT_BAD], ids=[c[0] for c in CLIENT_BAD]
)
def test_client_fails_the_connection(values: list[str], wbits: int) -> None:
    with pytest.raises(HandshakeError):
        validate_client(values, wbits)


def test_context_takeover_makes_later_messages_smaller() -> None:
    comp = PerMessageDeflate(DeflateParams(), is_client=False)
    first = comp.compress(b"repeated text " * 20)
    second = comp.compress(b"repeated text " * 20)
    assert len(second) < len(first)
    dec = PerMessageDeflate(DeflateParams(), is_client=True)
    assert dec.decompress(first, fin=True, limit=None) == b"repeated text " * 20
    assert dec.decompress(second, fin=True, limit=None) == b"repeated text " * 20


def test_no_context_takeover_resets_both_sides() -> None:
    params = DeflateParams(server_no_context_takeover=True)
    comp = PerMessageDeflate(params, is_client=False)
    first = comp.compress(b"repeated text " * 20)
    assert comp.compress(b"repeated text " * 20) == first
    dec = PerMessageDeflate(params, is_client=True)
    for _ in range(2):
        assert dec.decompress(first, fin=True, limit=None) == b"repeated text " * 20


def test_messages_are_compressed_at_zlib_level_4() -> None:
    # Level 4 (not zlib's default 6): a server echoing compressed JSON spends less than half
    # the CPU, and the output stays a valid raw deflate stream any peer inflates.
    text = json.dumps([{"id": i, "name": f"item {i}", "tags": ["a", "b"]} for i in range(200)])
    data = text.encode()
    reference = zlib.compressobj(4, zlib.DEFLATED, -15)
    expected = (reference.compress(data) + reference.flush(zlib.Z_SYNC_FLUSH))[:-4]
    assert PerMessageDeflate(DeflateParams(), is_client=False).compress(data) == expected


@pytest.mark.parametrize(
    ("limit", "ok"), [(100, True), (99, False)], ids=["at-limit", "past-limit"]
)
def test_decompress_limit(limit: int, ok: bool) -> None:
    data = PerMessageDeflate(DeflateParams(), is_client=True).compress(b"a" * 100)
    dec = PerMessageDeflate(DeflateParams(), is_client=False)
    if ok:
        assert dec.decompress(data, fin=True, limit=limit) == b"a" * 100
    else:
        with pytest.raises(MessageTooBigError) as info:
            dec.decompress(data, fin=True, limit=limit)
        assert info.value.code == 1009


@pytest.mark.parametrize(
    ("offer", "expected"),
    [
        (None, (0, False)),
        ("", (0, False)),
        ("x-foo", (0, False)),
        ("permessage-deflate", (15, False)),
        ("permessage-deflate; server_max_window_bits=10; server_no_context_takeover", (10, True)),
        ("x-foo, permessage-deflate; client_no_context_takeover", (15, False)),
        ("permessage-deflate; bogus", (0, False)),
    ],
)
def test_ws_ext_parse_on_a_server_reads_the_offer(
    offer: str | None, expected: tuple[int, bool]
) -> None:
    # aiohttp 3.x's (wbits, notakeover): the server's own window and takeover (RFC 7692 §7.1).
    assert ws_ext_parse(offer, isserver=True) == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (None, (0, False)),
        ("permessage-deflate", (15, False)),
        ("permessage-deflate; client_max_window_bits=10", (10, False)),
        ("permessage-deflate; client_no_context_takeover", (15, True)),
    ],
)
def test_ws_ext_parse_on_a_client_reads_the_answer(
    answer: str | None, expected: tuple[int, bool]
) -> None:
    assert ws_ext_parse(answer) == expected


@pytest.mark.parametrize("answer", ["permessage-deflate; bogus", "x-foo"])
def test_ws_ext_parse_on_a_client_fails_a_bad_answer(answer: str) -> None:
    # RFC 7692 §7.1.2.2 / RFC 6455 §9.1: the client fails the connection.
    with pytest.raises(WSHandshakeError):
        ws_ext_parse(answer)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((15, False, False), "permessage-deflate; client_max_window_bits"),
        (
            (10, False, True),
            "permessage-deflate; client_max_window_bits; server_max_window_bits=10;"
            " server_no_context_takeover",
        ),
        ((15, True, False), "permessage-deflate"),
        ((15, True, True), "permessage-deflate; server_no_context_takeover"),
    ],
)
def test_ws_ext_gen(args: tuple[int, bool, bool], expected: str) -> None:
    assert ws_ext_gen(*args) == expected
    assert ws_ext_parse(expected, isserver=not args[1])[0] in (args[0], 15)


@pytest.mark.parametrize("wbits", [8, 16])
def test_ws_ext_gen_refuses_windows_zlib_cannot_make(wbits: int) -> None:
    with pytest.raises(ValueError, match="between 9 and 15"):
        ws_ext_gen(wbits)
