"""Exceptions name aiohttp 3.x's modules as their home, as error reports and pickles see them."""

from __future__ import annotations

import pickle

import pytest

import aiohttp
from aiohttp import client_exceptions, web, web_exceptions


@pytest.mark.parametrize("name", web_exceptions.__all__)
def test_http_exceptions_live_in_web_exceptions(name: str) -> None:
    cls = getattr(web, name)
    assert cls.__module__ == "aiohttp.web_exceptions"
    assert getattr(web_exceptions, cls.__qualname__) is cls


def test_client_exceptions_live_in_client_exceptions() -> None:
    exc = aiohttp.ServerDisconnectedError()
    assert f"{type(exc).__module__}.{type(exc).__qualname__}" == (
        "aiohttp.client_exceptions.ServerDisconnectedError"
    )
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is aiohttp.ServerDisconnectedError
    assert str(again) == str(exc)
    assert client_exceptions.ClientConnectorError.__module__ == "aiohttp.client_exceptions"
