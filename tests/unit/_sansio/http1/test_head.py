"""Start-line pieces parsed on their own (RFC 9112 §2.3)."""

from __future__ import annotations

import pytest

from aiohttp._sansio.errors import UnsupportedVersion
from aiohttp._sansio.http1.events import HttpVersion, HttpVersion10, HttpVersion11
from aiohttp._sansio.http1.head import parse_version


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1.1", HttpVersion11, id="RFC9112-2.3-1.1"),
        pytest.param("1.0", HttpVersion10, id="RFC9112-2.3-1.0"),
        pytest.param("1.2", HttpVersion(1, 2), id="RFC9110-2.5-higher-minor"),
    ],
)
def test_parse_version(text: str, expected: HttpVersion) -> None:
    assert parse_version(text) == expected


def test_parse_version_other_major_rfc9110_15_6_6() -> None:
    with pytest.raises(UnsupportedVersion):
        parse_version("2.0")


@pytest.mark.parametrize(
    "block",
    [
        pytest.param(b"Bad Name: v\r\n", id="RFC9112-5.1-space-in-name"),
        pytest.param(b"Name : v\r\n", id="RFC9112-5.1-space-before-colon"),
        pytest.param(b": v\r\n", id="RFC9110-5.1-empty-name"),
        pytest.param(b"NoColon\r\n", id="RFC9112-5-no-colon"),
        pytest.param(b"A: b\r\n c\r\n", id="RFC9112-5.2-obs-fold"),
        pytest.param(b"A: b\rc\r\n", id="RFC9110-5.5-bare-cr"),
        pytest.param(b"A: b\x00\r\n", id="RFC9110-5.5-nul"),
        pytest.param(b"A: b\r\nC: d", id="unterminated-last-line"),
    ],
)
def test_parse_fields_rejections(block: bytes) -> None:
    from aiohttp._sansio.errors import InvalidHeader
    from aiohttp._sansio.http1.head import parse_fields
    from aiohttp._sansio.limits import HttpLimits

    with pytest.raises(InvalidHeader):
        parse_fields(block, HttpLimits(), unfold=False)
