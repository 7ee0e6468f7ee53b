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
