"""Names that 3.x modules expose beyond ``__all__`` and that extensions import from there."""

from __future__ import annotations

import importlib

import pytest

from aiohttp import web


@pytest.mark.parametrize(
    ("module", "name", "expected"),
    [
        # aiohttp-swagger3 annotates with ``from aiohttp.abc import StreamResponse``.
        ("aiohttp.abc", "StreamResponse", web.StreamResponse),
        ("aiohttp.abc", "BaseRequest", web.BaseRequest),
        ("aiohttp.abc", "Request", web.Request),
        ("aiohttp.abc", "Application", web.Application),
        ("aiohttp.abc", "HTTPException", web.HTTPException),
    ],
)
def test_module_attribute_is_the_web_class(module: str, name: str, expected: object) -> None:
    assert getattr(importlib.import_module(module), name) is expected
