"""A standards-aware retry policy, off by default: :class:`RetryPolicy`.

``ClientSession(retry=RetryPolicy())`` (or ``retry=`` on one request) sends a failed attempt
again when all of these hold:

- the method is idempotent (RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT, DELETE), or the
  policy was told ``retry_non_idempotent=True``;
- the body can be sent again (bytes, forms, seekable files; not async generators);
- the attempt failed with a connection error (:class:`ClientConnectionError`, which includes
  socket timeouts) or answered with one of ``statuses`` (408, 429, 502, 503, 504 by default);
- attempts remain, and the wait fits in what is left of the request's total timeout.

The wait is ``Retry-After`` when the server sent one (RFC 9110 §10.2.3: seconds or an
HTTP-date, capped at ``max_retry_after``), else exponential backoff with full jitter:
a random time between 0 and ``min(max_backoff, backoff * 2 ** (attempt - 1))``. Each retry
sends the ``on_request_retry`` trace signal with the attempt number, the wait and the reason.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from yarl import URL

from .._sansio.dates import parse_http_date
from .exceptions import ClientConnectionError
from .request import IDEMPOTENT_METHODS
from .tracing import Trace, TraceRequestRetryParams, send_all

if TYPE_CHECKING:
    from .middlewares import ClientHandlerType
    from .request import ClientRequest
    from .response import ClientResponse

__all__ = ("DEFAULT_RETRY_STATUSES", "RetryPolicy", "retry_step", "run_with_retries")

DEFAULT_RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})
"""Statuses that say "try again": Request Timeout, Too Many Requests, Bad Gateway,
Service Unavailable, Gateway Timeout (RFC 9110 §15.5.9, §15.6.3-5; RFC 6585 §4)."""


@dataclasses.dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When and how long to wait before sending a request again.

    Attributes:
        attempts: The most attempts in all, the first included.
        statuses: Response statuses that are retried.
        retry_non_idempotent: Retry POST and PATCH too (only when the server is known to
            handle repeats safely).
        backoff: The first backoff ceiling, in seconds; it doubles per attempt.
        max_backoff: The largest backoff ceiling.
        respect_retry_after: Wait as long as ``Retry-After`` says.
        max_retry_after: The longest ``Retry-After`` honoured; longer ones end the retries.
        exceptions: Errors that are retried.
    """

    attempts: int = 3
    statuses: frozenset[int] = DEFAULT_RETRY_STATUSES
    retry_non_idempotent: bool = False
    backoff: float = 0.5
    max_backoff: float = 30.0
    respect_retry_after: bool = True
    max_retry_after: float = 120.0
    exceptions: tuple[type[BaseException], ...] = (ClientConnectionError,)

    def allows_method(self, method: str) -> bool:
        """Whether requests with ``method`` may be retried."""
        return self.retry_non_idempotent or method in IDEMPOTENT_METHODS

    def backoff_for(
        self, attempt: int, rng: Callable[[float, float], float] = random.uniform
    ) -> float:
        """The jittered wait after failed attempt number ``attempt`` (1 for the first)."""
        ceiling = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return rng(0.0, ceiling)

    def retry_after(self, value: str | None, now: float | None = None) -> float | None:
        """Seconds a ``Retry-After`` value asks for, or ``None`` when absent or unusable."""
        if not value or not self.respect_retry_after:
            return None
        value = value.strip(" \t")
        if value.isascii() and value.isdigit():  # DIGIT is ASCII (RFC 5234 B.1)
            return float(value)
        parsed = parse_http_date(value)
        if parsed is None:
            return None
        return max(0.0, parsed.timestamp() - (time.time() if now is None else now))


async def run_with_retries(
    policy: RetryPolicy,
    attempt: Callable[[], Awaitable[ClientResponse]],
    *,
    method: str,
    url: URL,
    can_resend: Callable[[], bool],
    remaining: Callable[[], float | None],
    traces: Sequence[Trace],
) -> ClientResponse:
    """Run ``attempt`` until it succeeds or the policy says stop.

    Args:
        policy: The retry policy.
        attempt: Sends the request once.
        method: The request method.
        url: The request URL (for tracing).
        can_resend: Whether the body can be sent again (rewinds it).
        remaining: Seconds left of the total timeout, or ``None``.
        traces: The request's traces.

    Returns:
        The last response.
    """
    number = 1
    allowed = policy.allows_method(method)

    def worth_retrying(delay: float) -> bool:
        return _should_retry(
            policy,
            number=number,
            allowed=allowed,
            delay=delay,
            remaining=remaining,
            can_resend=can_resend,
        )

    while True:
        try:
            resp = await attempt()
        except policy.exceptions as exc:
            delay = policy.backoff_for(number)
            if not worth_retrying(delay):
                raise
            reason: BaseException | ClientResponse = exc
        else:
            response_delay = _delay_after(policy, resp, number)
            if response_delay is None or not worth_retrying(response_delay):
                return resp
            resp.release()
            delay, reason = response_delay, resp
        number += 1
        await _pause(traces, TraceRequestRetryParams(method, url, number, delay, reason))


async def retry_step(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    """The chain's retry step: send the request again while its :class:`RetryPolicy` allows
    (each attempt follows its own redirects)."""
    options = req._options
    policy = options.retry
    assert policy is not None  # the chain holds this step only for requests with a policy
    deadline = options.deadline
    loop = asyncio.get_running_loop()

    def remaining() -> float | None:
        return None if deadline is None else deadline - loop.time()

    return await run_with_retries(
        policy,
        lambda: handler(req),
        method=req.method,
        url=req.url,
        can_resend=req.body.rewind,
        remaining=remaining,
        traces=options.traces,
    )


def _delay_after(policy: RetryPolicy, resp: ClientResponse, number: int) -> float | None:
    """How long to wait before retrying after ``resp``; ``None`` keeps the response."""
    if resp.status not in policy.statuses:
        return None
    wait = policy.retry_after(resp.headers.get("Retry-After"))
    if wait is not None and wait > policy.max_retry_after:
        return None
    return wait if wait is not None else policy.backoff_for(number)


async def _pause(traces: Sequence[Trace], params: TraceRequestRetryParams) -> None:
    """Announce the retry to the traces, then wait."""
    if traces:
        await send_all(traces, "request_retry", params)
    await asyncio.sleep(params.delay)


def _should_retry(
    policy: RetryPolicy,
    *,
    number: int,
    allowed: bool,
    delay: float,
    remaining: Callable[[], float | None],
    can_resend: Callable[[], bool],
) -> bool:
    if not allowed or number >= policy.attempts:
        return False
    left = remaining()
    if left is not None and delay >= left:
        return False  # the wait would eat the rest of the total timeout
    return can_resend()
