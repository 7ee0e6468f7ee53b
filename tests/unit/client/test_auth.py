"""BasicAuth (RFC 7617)."""

from __future__ import annotations

import pytest
from yarl import URL

import aiohttp
from aiohttp.client.auth import BasicAuth, basic_auth, encode_basic_auth

DEPRECATED = r"^BasicAuth is deprecated and will be removed in aiohttp 4\.0; use "


def test_constructing_basic_auth_warns_as_in_3_14() -> None:
    with pytest.warns(DeprecationWarning, match=DEPRECATED) as record:
        BasicAuth("u", "p")
    assert record[0].filename == __file__  # it points at the caller, as in 3.14


def test_encode_rfc7617_example() -> None:
    # RFC 7617 §2: Aladdin / open sesame.
    expected = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    assert aiohttp.encode_basic_auth("Aladdin", "open sesame") == expected
    assert basic_auth("Aladdin", "open sesame").encode() == expected


def test_encode_basic_auth_defaults_to_utf8_and_refuses_a_colon_in_the_login() -> None:
    # 3.14's default charset is UTF-8 (RFC 7617 §2.1), BasicAuth's latin-1.
    assert encode_basic_auth("ü", "p") == "Basic w7w6cA=="
    assert encode_basic_auth("u") == "Basic dTo="
    with pytest.raises(ValueError, match="not allowed in login"):
        encode_basic_auth("a:b", "p")


def test_decode_roundtrip_and_encoding() -> None:
    auth = basic_auth("jürgen", "pässword", "utf-8")
    assert BasicAuth.decode(auth.encode(), encoding="utf-8") == auth
    assert BasicAuth.decode("Basic dTpwOnE=") == ("u", "p:q", "latin1")


@pytest.mark.parametrize("header", ["Basic", "Bearer abc", "Basic !!!notbase64", "Basic dXNlcg=="])
def test_decode_refuses_bad_values(header: str) -> None:
    with pytest.raises(ValueError):
        BasicAuth.decode(header)


@pytest.mark.parametrize(("login", "password"), [(None, "p"), ("u", None), ("a:b", "p")])
def test_constructor_refuses(login, password) -> None:
    with pytest.raises(ValueError):
        BasicAuth(login, password)
    with pytest.raises(ValueError):
        basic_auth(login, password)


def test_from_url() -> None:
    # Neither warns: the credentials come from the URL, not from a deprecated constructor call.
    assert BasicAuth.from_url(URL("http://u:p@h/")) == ("u", "p", "latin1")
    assert BasicAuth.from_url(URL("http://u@h/")) == ("u", "", "latin1")
    assert BasicAuth.from_url(URL("http://h/")) is None
    with pytest.raises(TypeError):
        BasicAuth.from_url("http://u:p@h/")  # type: ignore[arg-type]
