"""The opening handshake (RFC 6455 §4) on both sides."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict

from aiohttp._sansio.websocket.deflate import DeflateParams
from aiohttp._sansio.websocket.errors import HandshakeError
from aiohttp._sansio.websocket.handshake import (
    accept_key,
    check_client_response,
    check_server_request,
    client_request_headers,
    new_key,
)

KEY = "dGhlIHNhbXBsZSBub25jZQ=="
ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 §1.3


def request(**changes: str | None) -> CIMultiDict[str]:
    fields: dict[str, str | None] = {
        "Host": "example.com",
        "Upgrade": "websocket",
        "Connection": "keep-alive, Upgrade",
        "Sec-WebSocket-Key": KEY,
        "Sec-WebSocket-Version": "13",
    }
    fields.update(changes)
    return CIMultiDict((k.replace("_", "-"), v) for k, v in fields.items() if v is not None)


def test_accept_key_rfc_example() -> None:
    assert accept_key(KEY) == ACCEPT


def test_new_key_is_16_random_bytes() -> None:
    assert len(new_key()) == 24
    assert new_key() != new_key()


def test_server_accepts() -> None:
    hs = check_server_request("GET", request(Upgrade="WebSocket"))
    assert hs.headers == (
        ("Upgrade", "websocket"),
        ("Connection", "upgrade"),
        ("Sec-WebSocket-Accept", ACCEPT),
    )
    assert (hs.protocol, hs.deflate) == (None, None)


SERVER_BAD = [
    ("6455-4.2.1-1-method", "POST", (1, 1), request(), 405),
    ("6455-4.2.1-1-http10", "GET", (1, 0), request(), 400),
    ("6455-4.2.1-3-no-upgrade", "GET", (1, 1), request(Upgrade=None), 400),
    ("6455-4.2.1-3-upgrade-other", "GET", (1, 1), request(Upgrade="h2c"), 400),
    ("6455-4.2.1-4-no-connection-upgrade", "GET", (1, 1), request(Connection="keep-alive"), 400),
    ("6455-4.2.1-5-no-key", "GET", (1, 1), request(**{"Sec-WebSocket-Key": None}), 400),
    ("6455-4.2.1-5-short-key", "GET", (1, 1), request(**{"Sec-WebSocket-Key": "AAAA"}), 400),
    ("6455-4.2.1-5-not-base64", "GET", (1, 1), request(**{"Sec-WebSocket-Key": "!" * 24}), 400),
    ("6455-4.4-version-8", "GET", (1, 1), request(**{"Sec-WebSocket-Version": "8"}), 426),
    ("6455-4.4-no-version", "GET", (1, 1), request(**{"Sec-WebSocket-Version": None}), 426),
    # RFC 9110 §5.6.2: tokens are ASCII; the Kelvin sign (U+212A) lower-cases to "k" in Python.
    ("9110-5.6.2-kelvin-upgrade", "GET", (1, 1), request(Upgrade="websoc\u212aet"), 400),
    ("9110-5.6.2-kelvin-upgrade-upper", "GET", (1, 1), request(Upgrade="WEBSOC\u212aET"), 400),
]


@pytest.mark.parametrize(
    ("method", "version", "headers", "status"),
    [c[1:] for c in SERVER_BAD],
    ids=[c[0] for c in SERVER_BAD],
)
def test_server_rejects(
    method: str, version: tuple[int, int], headers: CIMultiDict[str], status: int
) -> None:
    with pytest.raises(HandshakeError) as info:
        check_server_request(method, headers, version=version)
    assert info.value.status == status
    if status == 426:
        assert info.value.headers == (("Sec-WebSocket-Version", "13"),)


def test_server_rejects_two_keys() -> None:
    headers = request()
    headers.add("Sec-WebSocket-Key", KEY)
    with pytest.raises(HandshakeError):
        check_server_request("GET", headers)


def test_subprotocol_in_the_clients_order() -> None:
    headers = request(**{"Sec-WebSocket-Protocol": "chat, superchat"})
    hs = check_server_request("GET", headers, protocols=("superchat", "chat"))
    assert hs.protocol == "chat"
    assert ("Sec-WebSocket-Protocol", "chat") in hs.headers
    assert check_server_request("GET", headers, protocols=("other",)).protocol is None


def test_server_negotiates_deflate_only_when_enabled() -> None:
    headers = request(**{"Sec-WebSocket-Extensions": "permessage-deflate"})
    hs = check_server_request("GET", headers)
    assert hs.deflate == DeflateParams()
    assert ("Sec-WebSocket-Extensions", "permessage-deflate") in hs.headers
    assert check_server_request("GET", headers, compress=False).deflate is None
    assert check_server_request("GET", request(), compress=True).deflate is None


def test_client_request_headers() -> None:
    fields = client_request_headers(KEY, protocols=("a", "b"), compress=15, origin="http://o")
    assert ("Sec-WebSocket-Protocol", "a, b") in fields
    assert ("Origin", "http://o") in fields
    assert ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits") in fields
    plain = dict(client_request_headers(KEY, compress=0))
    assert plain == {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": KEY,
    }


def response(**changes: str | None) -> CIMultiDict[str]:
    fields: dict[str, str | None] = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Accept": ACCEPT,
    }
    fields.update(changes)
    return CIMultiDict((k, v) for k, v in fields.items() if v is not None)


def test_client_accepts() -> None:
    hs = check_client_response(
        101,
        response(
            **{"Sec-WebSocket-Protocol": "b", "Sec-WebSocket-Extensions": "permessage-deflate"}
        ),
        key=KEY,
        protocols=("a", "b"),
    )
    assert (hs.protocol, hs.deflate) == ("b", DeflateParams())


CLIENT_BAD = [
    ("6455-4.1-status-200", 200, response()),
    ("6455-4.1-no-upgrade", 101, response(Upgrade=None)),
    ("6455-4.1-no-connection", 101, response(Connection=None)),
    ("9110-5.6.2-kelvin-upgrade", 101, response(Upgrade="websoc\u212aet")),
    ("6455-4.1-bad-accept", 101, response(**{"Sec-WebSocket-Accept": "x"})),
    ("6455-4.1-protocol-not-offered", 101, response(**{"Sec-WebSocket-Protocol": "z"})),
    ("6455-4.1-two-protocols", 101, response(**{"Sec-WebSocket-Protocol": "a, b"})),
    (
        "7692-7.1-extension-params",
        101,
        response(**{"Sec-WebSocket-Extensions": "permessage-deflate; x"}),
    ),
]


@pytest.mark.parametrize(
    ("status", "headers"), [c[1:] for c in CLIENT_BAD], ids=[c[0] for c in CLIENT_BAD]
)
def test_client_rejects(status: int, headers: CIMultiDict[str]) -> None:
    with pytest.raises(HandshakeError) as info:
        check_client_response(status, headers, key=KEY, protocols=("a", "b"))
    assert info.value.status == status
