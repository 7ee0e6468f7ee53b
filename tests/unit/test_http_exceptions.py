"""aiohttp.http_exceptions: the aiohttp 3.x import path of the error tree."""

from __future__ import annotations

from aiohttp import http_exceptions
from aiohttp._sansio import errors


def test_every_error_is_reexported() -> None:
    assert set(http_exceptions.__all__) == set(errors.__all__)
    for name in http_exceptions.__all__:
        assert getattr(http_exceptions, name) is getattr(errors, name)
