"""TraceConfig signals and the Trace that sends them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from multidict import CIMultiDict
from yarl import URL

from aiohttp.client.tracing import Signal, Trace, TraceConfig, TraceRequestStartParams, send_all

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
