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
        pytest.param(
            'Digest realm="protected", nonce="n1", qop="auth", Basic realm="other"',
            {"realm": "protected", "nonce": "n1", "qop": "auth"},
            id="RFC9110-11.6.1-a-second-challenge-ends-the-first",
        ),
        pytest.param(
            'realm="protected", nonce="n1", Basic realm="other"',
            {"realm": "protected", "nonce": "n1"},
            id="second-challenge-without-the-leading-scheme",
        ),
    ],
)
def test_parse_header_pairs(header: str, expected: dict[str, str]) -> None:
    assert parse_header_pairs(header) == expected


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ('a"b', 'a\\"b'),
        ("back\\slash", "back\\\\slash"),
        ("trailing\\", "trailing\\\\"),
        ('already\\"escaped', 'already\\\\\\"escaped'),
    ],
)
def test_quotes_round_trip(value: str, escaped: str) -> None:
    """A quoted-string escapes both ``"`` and ``\\`` (RFC 9110 §5.6.4): a backslash left bare
    would escape the character after it, so a realm ending in one would end the string early."""
    assert escape_quotes(value) == escaped
    assert unescape_quotes(escaped) == value
    assert parse_header_pairs(f'realm="{escaped}", nonce=n') == {"realm": value, "nonce": "n"}


def test_rfc_7616_algorithms_and_the_3x_ones_are_supported() -> None:
    for name in ("MD5", "MD5-SESS", "SHA-256", "SHA-256-SESS", "SHA-512-256", "SHA-512-256-SESS"):
        assert name in SUPPORTED_ALGORITHMS
    for name in ("SHA", "SHA256", "SHA512", "SHA-512-SESS"):
        assert name in SUPPORTED_ALGORITHMS
