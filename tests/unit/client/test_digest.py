"""Parsing authentication headers for Digest (RFC 9110 §11.2, RFC 7616 §3.3)."""

from __future__ import annotations

import pytest

from aiohttp.client.digest import (
    SUPPORTED_ALGORITHMS,
    escape_quotes,
    parse_header_pairs,
    unescape_quotes,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param(
            'realm="a, b", nonce="n", qop="auth, auth-int"',
            {"realm": "a, b", "nonce": "n", "qop": "auth, auth-int"},
            id="commas-inside-quotes",
        ),
        pytest.param(
            'realm="say \\"hi\\"", algorithm=SHA-256',
            {"realm": 'say "hi"', "algorithm": "SHA-256"},
            id="RFC9110-5.6.4-quoted-pair",
        ),
        pytest.param(
            "Realm = plain , STALE=true",
            {"realm": "plain", "stale": "true"},
            id="names-case-insensitive-BWS",
        ),
        pytest.param('realm=""', {"realm": ""}, id="empty-quoted-string"),
    ],
)
def test_parse_header_pairs(header: str, expected: dict[str, str]) -> None:
    assert parse_header_pairs(header) == expected


def test_quotes_round_trip() -> None:
    assert escape_quotes('a"b') == 'a\\"b'
    assert unescape_quotes(escape_quotes('a"b')) == 'a"b'


def test_rfc_7616_algorithms_and_the_3x_ones_are_supported() -> None:
    for name in ("MD5", "MD5-SESS", "SHA-256", "SHA-256-SESS", "SHA-512-256", "SHA-512-256-SESS"):
        assert name in SUPPORTED_ALGORITHMS
    for name in ("SHA", "SHA256", "SHA512", "SHA-512-SESS"):
        assert name in SUPPORTED_ALGORITHMS
