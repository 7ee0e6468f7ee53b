"""BasicAuth (RFC 7617)."""

from __future__ import annotations

import pytest
from yarl import URL

from aiohttp.client.auth import BasicAuth


def test_encode_rfc7617_example() -> None:
    # RFC 7617 §2: Aladdin / open sesame.
    assert BasicAuth("Aladdin", "open sesame").encode() == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="


def test_decode_roundtrip_and_encoding() -> None:
    auth = BasicAuth("jürgen", "pässword", "utf-8")
    assert BasicAuth.decode(auth.encode(), encoding="utf-8") == auth
    assert BasicAuth.decode("Basic dTpwOnE=") == BasicAuth("u", "p:q")


@pytest.mark.parametrize("header", ["Basic", "Bearer abc", "Basic !!!notbase64", "Basic dXNlcg=="])
def test_decode_refuses_bad_values(header: str) -> None:
    with pytest.raises(ValueError):
        BasicAuth.decode(header)


@pytest.mark.parametrize(("login", "password"), [(None, "p"), ("u", None), ("a:b", "p")])
def test_constructor_refuses(login, password) -> None:
    with pytest.raises(ValueError):
        BasicAuth(login, password)


def test_from_url() -> None:
    assert BasicAuth.from_url(URL("http://u:p@h/")) == BasicAuth("u", "p")
    assert BasicAuth.from_url(URL("http://u@h/")) == BasicAuth("u", "")
    assert BasicAuth.from_url(URL("http://h/")) is None
    with pytest.raises(TypeError):
        BasicAuth.from_url("http://u:p@h/")  # type: ignore[arg-type]
