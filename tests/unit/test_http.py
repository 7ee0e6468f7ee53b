"""aiohttp.http: the aiohttp 3.x names for versions, heads and errors."""

from __future__ import annotations

from aiohttp import http
from aiohttp._sansio import errors
from aiohttp._sansio.http1 import HttpVersion, RequestHead, ResponseHead


def test_names_are_the_core_objects() -> None:
    assert http.HttpVersion is HttpVersion
    assert http.HttpVersion11 == (1, 1)
    assert http.HttpVersion10 == (1, 0)
    assert http.RawRequestMessage is RequestHead
    assert http.RawResponseMessage is ResponseHead
    assert http.HttpProcessingError is errors.HttpProcessingError
    assert issubclass(http.LineTooLong, http.BadHttpMessage)
    assert all(hasattr(http, name) for name in http.__all__)
