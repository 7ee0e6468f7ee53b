"""The callback lists and the cached property are aiohttp 3.x's own libraries: frozenlist,
aiosignal and propcache. Code written for 3.x checks these types with ``isinstance``."""

from __future__ import annotations

import aiosignal
import frozenlist
import propcache.api
import pytest

import aiohttp
from aiohttp import helpers, web

APP_SIGNALS = ["on_startup", "on_shutdown", "on_cleanup", "on_response_prepare"]


@pytest.mark.parametrize("name", APP_SIGNALS)
def test_application_signals_are_aiosignal_signals(name: str) -> None:
    app = web.Application()
    signal = getattr(app, name)
    assert isinstance(signal, aiosignal.Signal)
    assert f"owner={app!r}" in repr(signal)


def test_application_lists_are_frozenlists() -> None:
    app = web.Application(middlewares=[web.normalize_path_middleware()])
    assert isinstance(app.middlewares, frozenlist.FrozenList)
    assert isinstance(app.cleanup_ctx, frozenlist.FrozenList)
    app.freeze()
    assert app.middlewares.frozen
    assert hash(app.middlewares) == hash(tuple(app.middlewares))  # frozenlist's, as in 3.x
    with pytest.raises(RuntimeError, match="frozen"):
        app.middlewares.append(web.normalize_path_middleware())


def test_trace_config_signals_are_aiosignal_signals() -> None:
    config = aiohttp.TraceConfig()
    assert isinstance(config.on_request_start, aiosignal.Signal)
    assert f"owner={config!r}" in repr(config.on_dns_cache_miss)


def test_reify_is_propcache_under_cached_property() -> None:
    assert helpers.reify is propcache.api.under_cached_property
