"""Request tracing: :class:`TraceConfig` signals and the parameters each one carries.

A session built with ``trace_configs=[...]`` sends each signal to the callbacks registered on every
config, as ``await callback(session, trace_config_ctx, params)``. A session without trace configs
pays nothing: the request path checks one attribute and moves on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Generic, TypeVar

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


class Signal(list[Callable[..., Awaitable[None]]], Generic[_P]):
    """A list of async callbacks that can be frozen, then sent to in order."""

    __slots__ = ("_frozen",)

    def __init__(self) -> None:
        super().__init__()
        self._frozen = False

    @property
    def frozen(self) -> bool:
        """Whether callbacks can no longer be added."""
        return self._frozen

    def freeze(self) -> None:
        """Refuse further changes."""
        self._frozen = True

    def _check(self) -> None:
        if self._frozen:
            raise RuntimeError("Cannot modify frozen signal")

    def append(self, callback: Callable[..., Awaitable[None]]) -> None:
        """Add a callback, unless frozen."""
        self._check()
        super().append(callback)

    def insert(self, index: Any, callback: Callable[..., Awaitable[None]]) -> None:
        """Insert a callback, unless frozen."""
        self._check()
        super().insert(index, callback)

    async def send(self, *args: Any) -> None:
        """Await every callback with ``args``, in order."""
        for callback in self:
            await callback(*args)


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
        self._on_request_start: Signal[TraceRequestStartParams] = Signal()
        self._on_request_chunk_sent: Signal[TraceRequestChunkSentParams] = Signal()
        self._on_response_chunk_received: Signal[TraceResponseChunkReceivedParams] = Signal()
        self._on_request_end: Signal[TraceRequestEndParams] = Signal()
        self._on_request_exception: Signal[TraceRequestExceptionParams] = Signal()
        self._on_request_redirect: Signal[TraceRequestRedirectParams] = Signal()
        self._on_request_retry: Signal[TraceRequestRetryParams] = Signal()
        self._on_request_headers_sent: Signal[TraceRequestHeadersSentParams] = Signal()
        self._on_connection_queued_start: Signal[TraceConnectionQueuedStartParams] = Signal()
        self._on_connection_queued_end: Signal[TraceConnectionQueuedEndParams] = Signal()
        self._on_connection_create_start: Signal[TraceConnectionCreateStartParams] = Signal()
        self._on_connection_create_end: Signal[TraceConnectionCreateEndParams] = Signal()
        self._on_connection_reuseconn: Signal[TraceConnectionReuseconnParams] = Signal()
        self._on_dns_resolvehost_start: Signal[TraceDnsResolveHostStartParams] = Signal()
        self._on_dns_resolvehost_end: Signal[TraceDnsResolveHostEndParams] = Signal()
        self._on_dns_cache_hit: Signal[TraceDnsCacheHitParams] = Signal()
        self._on_dns_cache_miss: Signal[TraceDnsCacheMissParams] = Signal()

    def trace_config_ctx(self, trace_request_ctx: Any = None) -> Any:
        """A new context object for one request."""
        return self._factory(trace_request_ctx=trace_request_ctx)

    def _signals(self) -> list[Signal[Any]]:
        return [v for v in vars(self).values() if isinstance(v, Signal)]

    def freeze(self) -> None:
        """Freeze every signal (done when a session adopts the config)."""
        for signal in self._signals():
            signal.freeze()

    @property
    def on_request_start(self) -> Signal[TraceRequestStartParams]:
        """Before the request is sent."""
        return self._on_request_start

    @property
    def on_request_chunk_sent(self) -> Signal[TraceRequestChunkSentParams]:
        """After each body chunk is written."""
        return self._on_request_chunk_sent

    @property
    def on_response_chunk_received(self) -> Signal[TraceResponseChunkReceivedParams]:
        """For each response body chunk read."""
        return self._on_response_chunk_received

    @property
    def on_request_end(self) -> Signal[TraceRequestEndParams]:
        """When the response head has arrived."""
        return self._on_request_end

    @property
    def on_request_exception(self) -> Signal[TraceRequestExceptionParams]:
        """When the request failed."""
        return self._on_request_exception

    @property
    def on_request_redirect(self) -> Signal[TraceRequestRedirectParams]:
        """When a redirect is followed."""
        return self._on_request_redirect

    @property
    def on_request_retry(self) -> Signal[TraceRequestRetryParams]:
        """Before the retry policy sends another attempt."""
        return self._on_request_retry

    @property
    def on_request_headers_sent(self) -> Signal[TraceRequestHeadersSentParams]:
        """After the request head is written."""
        return self._on_request_headers_sent

    @property
    def on_connection_queued_start(self) -> Signal[TraceConnectionQueuedStartParams]:
        """When waiting for a free connection starts."""
        return self._on_connection_queued_start

    @property
    def on_connection_queued_end(self) -> Signal[TraceConnectionQueuedEndParams]:
        """When waiting for a free connection ends."""
        return self._on_connection_queued_end

    @property
    def on_connection_create_start(self) -> Signal[TraceConnectionCreateStartParams]:
        """Before a new connection is opened."""
        return self._on_connection_create_start

    @property
    def on_connection_create_end(self) -> Signal[TraceConnectionCreateEndParams]:
        """After a new connection is opened."""
        return self._on_connection_create_end

    @property
    def on_connection_reuseconn(self) -> Signal[TraceConnectionReuseconnParams]:
        """When a pooled connection is reused."""
        return self._on_connection_reuseconn

    @property
    def on_dns_resolvehost_start(self) -> Signal[TraceDnsResolveHostStartParams]:
        """Before a host name is resolved."""
        return self._on_dns_resolvehost_start

    @property
    def on_dns_resolvehost_end(self) -> Signal[TraceDnsResolveHostEndParams]:
        """After a host name is resolved."""
        return self._on_dns_resolvehost_end

    @property
    def on_dns_cache_hit(self) -> Signal[TraceDnsCacheHitParams]:
        """When addresses come from the DNS cache."""
        return self._on_dns_cache_hit

    @property
    def on_dns_cache_miss(self) -> Signal[TraceDnsCacheMissParams]:
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
        signal: Signal[Any] = getattr(self._config, "_on_" + signal_name)
        await signal.send(self._session, self._ctx, params)


async def send_all(traces: Sequence[Trace], signal_name: str, params: Any) -> None:
    """Send one signal to every trace of a request."""
    for trace in traces:
        await trace.send(signal_name, params)


async def trace_step(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    """The chain's tracing step: ``on_request_start`` before everything else, then
    ``on_request_end`` with the final response or ``on_request_exception`` with whatever ended
    the request (a cancellation included, as in 3.x)."""
    options = req._options
    traces = options.traces
    method, url, headers = options.method, options.url, options.headers
    await send_all(traces, "request_start", TraceRequestStartParams(method, url, headers))
    try:
        resp = await handler(req)
    except BaseException as exc:
        params = TraceRequestExceptionParams(method, url, headers, exc)
        await send_all(traces, "request_exception", params)
        raise
    await send_all(traces, "request_end", TraceRequestEndParams(method, url, headers, resp))
    return resp
