"""aiohttp.http_exceptions: the aiohttp 3.x import path of the error tree."""

from __future__ import annotations

from aiohttp import http_exceptions
from aiohttp._sansio import errors

# The errors of the sans-I/O connection's state machine (HttpConnection) are not in 3.x's module.
CONNECTION_STATE_ERRORS = {"LocalProtocolError", "RemoteProtocolError"}


def test_every_error_is_reexported() -> None:
    assert set(http_exceptions.__all__) == set(errors.__all__) - CONNECTION_STATE_ERRORS
    for name in http_exceptions.__all__:
        assert getattr(http_exceptions, name) is getattr(errors, name)
