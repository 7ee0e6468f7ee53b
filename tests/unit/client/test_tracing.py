"""TraceConfig signals and the Trace that sends them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from multidict import CIMultiDict
from yarl import URL

import aiohttp.tracing
from aiohttp.client import tracing
from aiohttp.client.tracing import Signal, Trace, TraceConfig, TraceRequestStartParams, send_all

_ERROR = ValueError("boom")

SIGNALS = [
    "on_request_start",
    "on_request_chunk_sent",
    "on_response_chunk_received",
    "on_request_end",
    "on_request_exception",
    "on_request_redirect",
    "on_request_retry",
    "on_request_headers_sent",
    "on_connection_queued_start",
    "on_connection_queued_end",
    "on_connection_create_start",
    "on_connection_create_end",
    "on_connection_reuseconn",
    "on_dns_resolvehost_start",
    "on_dns_resolvehost_end",
    "on_dns_cache_hit",
    "on_dns_cache_miss",
]


@pytest.mark.parametrize("name", SIGNALS)
def test_each_signal_is_a_freezable_list(name: str) -> None:
    config = TraceConfig()
    signal = getattr(config, name)
    assert isinstance(signal, Signal)

    async def callback(*args: object) -> None:
        pass

    signal.append(callback)
    config.freeze()
    assert signal.frozen
    with pytest.raises(RuntimeError):
        signal.append(callback)
    with pytest.raises(RuntimeError):
        signal.insert(0, callback)


def test_context_factory_gets_the_request_context() -> None:
    config = TraceConfig()
    ctx = config.trace_config_ctx(trace_request_ctx={"id": 7})
    assert isinstance(ctx, SimpleNamespace)
    assert ctx.trace_request_ctx == {"id": 7}

    class Ctx:
        def __init__(self, trace_request_ctx: object) -> None:
            self.value = trace_request_ctx

    assert TraceConfig(Ctx).trace_config_ctx(trace_request_ctx=1).value == 1


async def test_trace_sends_session_context_and_params_in_order() -> None:
    config = TraceConfig()
    seen: list[tuple[str, object, object, object]] = []

    def make(tag: str):
        async def callback(session: object, ctx: object, params: object) -> None:
            seen.append((tag, session, ctx, params))

        return callback

    config.on_request_start.append(make("first"))
    config.on_request_start.append(make("second"))
    session, ctx = object(), object()
    params = TraceRequestStartParams("GET", URL("http://h/"), CIMultiDict())
    with pytest.raises(RuntimeError, match="non-frozen"):  # aiosignal's rule, as in 3.x
        await send_all([Trace(session, config, ctx)], "request_start", params)
    assert seen == []
    config.freeze()  # a session freezes its trace configs
    await send_all([Trace(session, config, ctx)], "request_start", params)
    assert seen == [("first", session, ctx, params), ("second", session, ctx, params)]
    with pytest.raises(AttributeError):
        params.method = "POST"  # type: ignore[misc]


_URL = URL("http://h/")
_HEADERS: CIMultiDict[str] = CIMultiDict()
# 3.x's per-signal senders of Trace: (method, arguments, signal, the params they carry).
_SENDERS = [
    (
        "send_request_start",
        ("GET", _URL, _HEADERS),
        "on_request_start",
        tracing.TraceRequestStartParams("GET", _URL, _HEADERS),
    ),
    (
        "send_request_chunk_sent",
        ("GET", _URL, b"x"),
        "on_request_chunk_sent",
        tracing.TraceRequestChunkSentParams("GET", _URL, b"x"),
    ),
    (
        "send_response_chunk_received",
        ("GET", _URL, b"x"),
        "on_response_chunk_received",
        tracing.TraceResponseChunkReceivedParams("GET", _URL, b"x"),
    ),
    (
        "send_request_end",
        ("GET", _URL, _HEADERS, "resp"),
        "on_request_end",
        tracing.TraceRequestEndParams("GET", _URL, _HEADERS, "resp"),
    ),  # type: ignore[arg-type]
    (
        "send_request_exception",
        ("GET", _URL, _HEADERS, _ERROR),
        "on_request_exception",
        tracing.TraceRequestExceptionParams("GET", _URL, _HEADERS, _ERROR),
    ),
    (
        "send_request_redirect",
        ("GET", _URL, _HEADERS, "resp"),
        "on_request_redirect",
        tracing.TraceRequestRedirectParams("GET", _URL, _HEADERS, "resp"),
    ),  # type: ignore[arg-type]
    (
        "send_request_headers",
        ("GET", _URL, _HEADERS),
        "on_request_headers_sent",
        tracing.TraceRequestHeadersSentParams("GET", _URL, _HEADERS),
    ),
    (
        "send_connection_queued_start",
        (),
        "on_connection_queued_start",
        tracing.TraceConnectionQueuedStartParams(),
    ),
    (
        "send_connection_queued_end",
        (),
        "on_connection_queued_end",
        tracing.TraceConnectionQueuedEndParams(),
    ),
    (
        "send_connection_create_start",
        (),
        "on_connection_create_start",
        tracing.TraceConnectionCreateStartParams(),
    ),
    (
        "send_connection_create_end",
        (),
        "on_connection_create_end",
        tracing.TraceConnectionCreateEndParams(),
    ),
    (
        "send_connection_reuseconn",
        (),
        "on_connection_reuseconn",
        tracing.TraceConnectionReuseconnParams(),
    ),
    (
        "send_dns_resolvehost_start",
        ("h",),
        "on_dns_resolvehost_start",
        tracing.TraceDnsResolveHostStartParams("h"),
    ),
    (
        "send_dns_resolvehost_end",
        ("h",),
        "on_dns_resolvehost_end",
        tracing.TraceDnsResolveHostEndParams("h"),
    ),
    ("send_dns_cache_hit", ("h",), "on_dns_cache_hit", tracing.TraceDnsCacheHitParams("h")),
    ("send_dns_cache_miss", ("h",), "on_dns_cache_miss", tracing.TraceDnsCacheMissParams("h")),
]


@pytest.mark.parametrize(("method", "args", "signal", "params"), _SENDERS)
async def test_trace_has_3x_per_signal_senders(
    method: str, args: tuple[object, ...], signal: str, params: object
) -> None:
    # Code written for 3.x (and its tests) calls Trace.send_<signal>(...) directly.
    config = TraceConfig()
    seen: list[tuple[object, object, object]] = []

    async def callback(session: object, ctx: object, got: object) -> None:
        seen.append((session, ctx, got))

    getattr(config, signal).append(callback)
    config.freeze()
    session, ctx = object(), object()
    await getattr(Trace(session, config, ctx), method)(*args)
    assert seen == [(session, ctx, params)]


def test_trace_has_its_3x_module_path() -> None:
    assert aiohttp.tracing.Trace is Trace
