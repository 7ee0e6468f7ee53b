"""Request tracing: :class:`TraceConfig` signals and the parameters each one carries.

The signals are :class:`aiosignal.Signal` objects, as in aiohttp 3.x.

A session built with ``trace_configs=[...]`` sends each signal to the callbacks registered on every
config, as ``await callback(session, trace_config_ctx, params)``. A session without trace configs
pays nothing: the request path checks one attribute and moves on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from aiosignal import Signal
from multidict import CIMultiDict
from yarl import URL

if TYPE_CHECKING:
    from .middlewares import ClientHandlerType
    from .request import ClientRequest
    from .response import ClientResponse

__all__ = (
    "Signal",
    "Trace",
    "TraceConfig",
    "TraceConnectionCreateEndParams",
    "TraceConnectionCreateStartParams",
    "TraceConnectionQueuedEndParams",
    "TraceConnectionQueuedStartParams",
    "TraceConnectionReuseconnParams",
    "TraceDnsCacheHitParams",
    "TraceDnsCacheMissParams",
    "TraceDnsResolveHostEndParams",
    "TraceDnsResolveHostStartParams",
    "TraceRequestChunkSentParams",
    "TraceRequestEndParams",
    "TraceRequestExceptionParams",
    "TraceRequestHeadersSentParams",
    "TraceRequestRedirectParams",
    "TraceRequestRetryParams",
    "TraceRequestStartParams",
    "TraceResponseChunkReceivedParams",
)

_P = TypeVar("_P")


#: A tracing signal: its callbacks are awaited with ``(session, trace_config_ctx, params)``.
_SignalOf: TypeAlias = Signal[Any, SimpleNamespace, _P]


@dataclasses.dataclass(frozen=True, slots=True)
class TraceRequestStartParams:
    """Sent before a request is sent."""

    method: str
    url: URL
    headers: CIMultiDict[str]


@dataclasses.dataclass(frozen=True, slots=True)
class TraceRequestChunkSentParams:
    """Sent after each piece of request body is written."""

    method: str
    url: URL
    chunk: bytes


@dataclasses.dataclass(frozen=True, slots=True)
class TraceResponseChunkReceivedParams:
    """Sent for each piece of response body read."""

    method: str
    url: URL
    chunk: bytes


@dataclasses.dataclass(frozen=True, slots=True)
class TraceRequestEndParams:
    """Sent when the response head has arrived."""

    method: str
    url: URL
    headers: CIMultiDict[str]
    response: ClientResponse


@dataclasses.dataclass(frozen=True, slots=True)
class TraceRequestExceptionParams:
    """Sent when the request failed."""

    method: str
    url: URL
    headers: CIMultiDict[str]
    exception: BaseException


@dataclasses.dataclass(frozen=True, slots=True)
class TraceRequestRedirectParams:
    """Sent when a redirect response is about to be followed."""

    method: str
    url: URL
    headers: CIMultiDict[str]
    response: ClientResponse


@dataclasses.dataclass(frozen=True, slots=True)
class TraceRequestRetryParams:
    """Sent before the retry policy sends another attempt.

    Attributes:
        attempt: The number of the attempt about to start (2 for the first retry).
        delay: How long the policy waits before it, in seconds.
        reason: The exception or the response that made the previous attempt fail.
    """

    method: str
    url: URL
    attempt: int
    delay: float
    reason: BaseException | ClientResponse


@dataclasses.dataclass(frozen=True, slots=True)
class TraceRequestHeadersSentParams:
    """Sent after the request head is written."""

    method: str
    url: URL
    headers: CIMultiDict[str]


@dataclasses.dataclass(frozen=True, slots=True)
class TraceConnectionQueuedStartParams:
    """Sent when a request starts waiting for a free connection."""


@dataclasses.dataclass(frozen=True, slots=True)
class TraceConnectionQueuedEndParams:
    """Sent when a request stops waiting for a free connection."""


@dataclasses.dataclass(frozen=True, slots=True)
class TraceConnectionCreateStartParams:
    """Sent before a new connection is opened."""


@dataclasses.dataclass(frozen=True, slots=True)
class TraceConnectionCreateEndParams:
    """Sent after a new connection is opened."""


@dataclasses.dataclass(frozen=True, slots=True)
class TraceConnectionReuseconnParams:
    """Sent when a pooled connection is reused."""


@dataclasses.dataclass(frozen=True, slots=True)
class TraceDnsResolveHostStartParams:
    """Sent before a host name is resolved."""

    host: str


@dataclasses.dataclass(frozen=True, slots=True)
class TraceDnsResolveHostEndParams:
    """Sent after a host name is resolved."""

    host: str


@dataclasses.dataclass(frozen=True, slots=True)
class TraceDnsCacheHitParams:
    """Sent when a host's addresses come from the DNS cache."""

    host: str


@dataclasses.dataclass(frozen=True, slots=True)
class TraceDnsCacheMissParams:
    """Sent when a host's addresses are not in the DNS cache."""

    host: str


class TraceConfig:
    """The signals a session sends while it works, each a list of async callbacks.

    Args:
        trace_config_ctx_factory: Builds the per-request context object passed to callbacks;
            it is called with ``trace_request_ctx=`` (the request's ``trace_request_ctx``).
    """

    def __init__(self, trace_config_ctx_factory: Callable[..., Any] = SimpleNamespace) -> None:
        self._factory = trace_config_ctx_factory
        self._on_request_start: _SignalOf[TraceRequestStartParams] = Signal(self)
        self._on_request_chunk_sent: _SignalOf[TraceRequestChunkSentParams] = Signal(self)
        self._on_response_chunk_received: _SignalOf[TraceResponseChunkReceivedParams] = Signal(self)
        self._on_request_end: _SignalOf[TraceRequestEndParams] = Signal(self)
        self._on_request_exception: _SignalOf[TraceRequestExceptionParams] = Signal(self)
        self._on_request_redirect: _SignalOf[TraceRequestRedirectParams] = Signal(self)
        self._on_request_retry: _SignalOf[TraceRequestRetryParams] = Signal(self)
        self._on_request_headers_sent: _SignalOf[TraceRequestHeadersSentParams] = Signal(self)
        self._on_connection_queued_start: _SignalOf[TraceConnectionQueuedStartParams] = Signal(self)
        self._on_connection_queued_end: _SignalOf[TraceConnectionQueuedEndParams] = Signal(self)
        self._on_connection_create_start: _SignalOf[TraceConnectionCreateStartParams] = Signal(self)
        self._on_connection_create_end: _SignalOf[TraceConnectionCreateEndParams] = Signal(self)
        self._on_connection_reuseconn: _SignalOf[TraceConnectionReuseconnParams] = Signal(self)
        self._on_dns_resolvehost_start: _SignalOf[TraceDnsResolveHostStartParams] = Signal(self)
        self._on_dns_resolvehost_end: _SignalOf[TraceDnsResolveHostEndParams] = Signal(self)
        self._on_dns_cache_hit: _SignalOf[TraceDnsCacheHitParams] = Signal(self)
        self._on_dns_cache_miss: _SignalOf[TraceDnsCacheMissParams] = Signal(self)

    def trace_config_ctx(self, trace_request_ctx: Any = None) -> Any:
        """A new context object for one request."""
        return self._factory(trace_request_ctx=trace_request_ctx)

    def _signals(self) -> list[_SignalOf[Any]]:
        return [v for v in vars(self).values() if isinstance(v, Signal)]

    def freeze(self) -> None:
        """Freeze every signal (done when a session adopts the config)."""
        for signal in self._signals():
            signal.freeze()

    @property
    def on_request_start(self) -> _SignalOf[TraceRequestStartParams]:
        """Before the request is sent."""
        return self._on_request_start

    @property
    def on_request_chunk_sent(self) -> _SignalOf[TraceRequestChunkSentParams]:
        """After each body chunk is written."""
        return self._on_request_chunk_sent

    @property
    def on_response_chunk_received(self) -> _SignalOf[TraceResponseChunkReceivedParams]:
        """For each response body chunk read."""
        return self._on_response_chunk_received

    @property
    def on_request_end(self) -> _SignalOf[TraceRequestEndParams]:
        """When the response head has arrived."""
        return self._on_request_end

    @property
    def on_request_exception(self) -> _SignalOf[TraceRequestExceptionParams]:
        """When the request failed."""
        return self._on_request_exception

    @property
    def on_request_redirect(self) -> _SignalOf[TraceRequestRedirectParams]:
        """When a redirect is followed."""
        return self._on_request_redirect

    @property
    def on_request_retry(self) -> _SignalOf[TraceRequestRetryParams]:
        """Before the retry policy sends another attempt."""
        return self._on_request_retry

    @property
    def on_request_headers_sent(self) -> _SignalOf[TraceRequestHeadersSentParams]:
        """After the request head is written."""
        return self._on_request_headers_sent

    @property
    def on_connection_queued_start(self) -> _SignalOf[TraceConnectionQueuedStartParams]:
        """When waiting for a free connection starts."""
        return self._on_connection_queued_start

    @property
    def on_connection_queued_end(self) -> _SignalOf[TraceConnectionQueuedEndParams]:
        """When waiting for a free connection ends."""
        return self._on_connection_queued_end

    @property
    def on_connection_create_start(self) -> _SignalOf[TraceConnectionCreateStartParams]:
        """Before a new connection is opened."""
        return self._on_connection_create_start

    @property
    def on_connection_create_end(self) -> _SignalOf[TraceConnectionCreateEndParams]:
        """After a new connection is opened."""
        return self._on_connection_create_end

    @property
    def on_connection_reuseconn(self) -> _SignalOf[TraceConnectionReuseconnParams]:
        """When a pooled connection is reused."""
        return self._on_connection_reuseconn

    @property
    def on_dns_resolvehost_start(self) -> _SignalOf[TraceDnsResolveHostStartParams]:
        """Before a host name is resolved."""
        return self._on_dns_resolvehost_start

    @property
    def on_dns_resolvehost_end(self) -> _SignalOf[TraceDnsResolveHostEndParams]:
        """After a host name is resolved."""
        return self._on_dns_resolvehost_end

    @property
    def on_dns_cache_hit(self) -> _SignalOf[TraceDnsCacheHitParams]:
        """When addresses come from the DNS cache."""
        return self._on_dns_cache_hit

    @property
    def on_dns_cache_miss(self) -> _SignalOf[TraceDnsCacheMissParams]:
        """When addresses are not in the DNS cache."""
        return self._on_dns_cache_miss


class Trace:
    """One request's view of one :class:`TraceConfig`: sends its signals with the context.

    Args:
        session: The session sending the request.
        trace_config: The config whose signals are sent.
        trace_config_ctx: The context object made for this request.
    """

    __slots__ = ("_config", "_ctx", "_session")

    def __init__(self, session: Any, trace_config: TraceConfig, trace_config_ctx: Any) -> None:
        self._session = session
        self._config = trace_config
        self._ctx = trace_config_ctx

    async def send(self, signal_name: str, params: Any) -> None:
        """Send ``params`` to the callbacks of the signal ``on_<signal_name>``."""
        signal: _SignalOf[Any] = getattr(self._config, "_on_" + signal_name)
        await signal.send(self._session, self._ctx, params)

    # aiohttp 3.x's senders, one per signal, for code that drives a Trace itself.

    async def send_request_start(self, method: str, url: URL, headers: CIMultiDict[str]) -> None:
        """Send ``on_request_start``."""
        await self.send("request_start", TraceRequestStartParams(method, url, headers))

    async def send_request_chunk_sent(self, method: str, url: URL, chunk: bytes) -> None:
        """Send ``on_request_chunk_sent``."""
        await self.send("request_chunk_sent", TraceRequestChunkSentParams(method, url, chunk))

    async def send_response_chunk_received(self, method: str, url: URL, chunk: bytes) -> None:
        """Send ``on_response_chunk_received``."""
        params = TraceResponseChunkReceivedParams(method, url, chunk)
        await self.send("response_chunk_received", params)

    async def send_request_end(
        self, method: str, url: URL, headers: CIMultiDict[str], response: ClientResponse
    ) -> None:
        """Send ``on_request_end``."""
        await self.send("request_end", TraceRequestEndParams(method, url, headers, response))

    async def send_request_exception(
        self, method: str, url: URL, headers: CIMultiDict[str], exception: BaseException
    ) -> None:
        """Send ``on_request_exception``."""
        params = TraceRequestExceptionParams(method, url, headers, exception)
        await self.send("request_exception", params)

    async def send_request_redirect(
        self, method: str, url: URL, headers: CIMultiDict[str], response: ClientResponse
    ) -> None:
        """Send ``on_request_redirect``."""
        params = TraceRequestRedirectParams(method, url, headers, response)
        await self.send("request_redirect", params)

    async def send_request_headers(self, method: str, url: URL, headers: CIMultiDict[str]) -> None:
        """Send ``on_request_headers_sent``."""
        params = TraceRequestHeadersSentParams(method, url, headers)
        await self.send("request_headers_sent", params)

    async def send_connection_queued_start(self) -> None:
        """Send ``on_connection_queued_start``."""
        await self.send("connection_queued_start", TraceConnectionQueuedStartParams())

    async def send_connection_queued_end(self) -> None:
        """Send ``on_connection_queued_end``."""
        await self.send("connection_queued_end", TraceConnectionQueuedEndParams())

    async def send_connection_create_start(self) -> None:
        """Send ``on_connection_create_start``."""
        await self.send("connection_create_start", TraceConnectionCreateStartParams())

    async def send_connection_create_end(self) -> None:
        """Send ``on_connection_create_end``."""
        await self.send("connection_create_end", TraceConnectionCreateEndParams())

    async def send_connection_reuseconn(self) -> None:
        """Send ``on_connection_reuseconn``."""
        await self.send("connection_reuseconn", TraceConnectionReuseconnParams())

    async def send_dns_resolvehost_start(self, host: str) -> None:
        """Send ``on_dns_resolvehost_start``."""
        await self.send("dns_resolvehost_start", TraceDnsResolveHostStartParams(host))

    async def send_dns_resolvehost_end(self, host: str) -> None:
        """Send ``on_dns_resolvehost_end``."""
        await self.send("dns_resolvehost_end", TraceDnsResolveHostEndParams(host))

    async def send_dns_cache_hit(self, host: str) -> None:
        """Send ``on_dns_cache_hit``."""
        await self.send("dns_cache_hit", TraceDnsCacheHitParams(host))

    async def send_dns_cache_miss(self, host: str) -> None:
        """Send ``on_dns_cache_miss``."""
        await self.send("dns_cache_miss", TraceDnsCacheMissParams(host))


async def send_all(traces: Sequence[Trace], signal_name: str, params: Any) -> None:
    """Send one signal to every trace of a request."""
    for trace in traces:
        await trace.send(signal_name, params)


async def trace_step(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    """The chain's tracing step: ``on_request_start`` before everything else, then
    ``on_request_end`` with the final response (and the method, URL and headers of the request
    that got it) or ``on_request_exception`` with whatever ended the request (a cancellation
    included, as in 3.x)."""
    options = req._options
    traces = options.traces
    method, url, headers = options.method, options.url, CIMultiDict(options.headers)
    await _start_all(traces, TraceRequestStartParams(method, url, headers))
    if headers != options.headers:  # a callback changed them: the request sends that (3.x)
        _apply_changes(req.headers, options.headers, headers)
    try:
        resp = await handler(req)
    except BaseException as exc:
        params = TraceRequestExceptionParams(method, url, headers, exc)
        await send_all(traces, "request_exception", params)
        raise
    # As 3.x: the end is reported for the request that gave the final response (after
    # redirects, another URL and maybe another method).
    info = resp.request_info
    end = TraceRequestEndParams(info.method, info.url, headers, resp)
    await send_all(traces, "request_end", end)
    return resp


async def _start_all(traces: Sequence[Trace], params: TraceRequestStartParams) -> None:
    """Send ``on_request_start`` to each trace in turn; when one fails, the traces that
    started already get ``on_request_exception`` with its error (3.x)."""
    for started, trace in enumerate(traces):
        try:
            await trace.send("request_start", params)
        except BaseException as exc:
            ended = TraceRequestExceptionParams(params.method, params.url, params.headers, exc)
            await send_all(traces[:started], "request_exception", ended)
            raise


def _apply_changes(
    sent: CIMultiDict[str], before: CIMultiDict[str], after: CIMultiDict[str]
) -> None:
    """Make ``sent`` (the request's fields) follow what changed from ``before`` to ``after``."""
    for name in {*before.keys(), *after.keys()}:
        values = after.getall(name, [])
        if values != before.getall(name, []):
            sent.popall(name, None)
            for value in values:
                sent.add(name, value)
