"""aiohttp.log: the loggers by the names aiohttp 3.x logs under."""

from __future__ import annotations

import logging

import pytest

from aiohttp import log


@pytest.mark.parametrize(
    ("attr", "name"),
    [
        ("access_logger", "aiohttp.access"),
        ("client_logger", "aiohttp.client"),
        ("internal_logger", "aiohttp.internal"),
        ("server_logger", "aiohttp.server"),
        ("web_logger", "aiohttp.web"),
        ("ws_logger", "aiohttp.websocket"),
    ],
)
def test_loggers_are_the_named_ones(attr: str, name: str) -> None:
    assert getattr(log, attr) is logging.getLogger(name)
