"""The retry policy: which attempts are repeated, how long it waits, and the budget."""

from __future__ import annotations

import asyncio
import time
from email.utils import formatdate

import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from aiohttp.client.exceptions import ClientOSError, ClientPayloadError
from aiohttp.client.retry import DEFAULT_RETRY_STATUSES, RetryPolicy, run_with_retries


class FakeResponse:
    """Just what the policy reads from a response."""

    def __init__(self, status: int, retry_after: str | None = None) -> None:
        self.status = status
        headers = CIMultiDict({"Retry-After": retry_after} if retry_after else {})
        self.headers = CIMultiDictProxy(headers)
        self.released = False

    def release(self) -> None:
        self.released = True


def scripted(outcomes: list[object]):
    """An attempt function returning (or raising) each outcome in turn."""
    calls = []

    async def attempt():
        outcome = outcomes[len(calls)]
        calls.append(outcome)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return attempt, calls


async def run(policy, outcomes, *, method="GET", can_resend=True, remaining=None):
    attempt, calls = scripted(outcomes)
    result = await run_with_retries(
        policy,
        attempt,
        method=method,
        url=URL("http://h/"),
        can_resend=lambda: can_resend,
        remaining=lambda: remaining,
        traces=[],
    )
    return result, calls


FAST = RetryPolicy(backoff=0.0001, max_backoff=0.0001)


def test_defaults_rfc9110_statuses() -> None:
    assert {408, 429, 502, 503, 504} == DEFAULT_RETRY_STATUSES
    policy = RetryPolicy()
    assert policy.attempts == 3
    assert policy.allows_method("GET")
    assert policy.allows_method("PUT")
    assert not policy.allows_method("POST")
    assert RetryPolicy(retry_non_idempotent=True).allows_method("POST")


@pytest.mark.parametrize("attempt", [1, 2, 3, 10])
def test_backoff_is_full_jitter_under_a_doubling_cap(attempt: int) -> None:
    policy = RetryPolicy(backoff=0.5, max_backoff=3.0)
    ceiling = min(3.0, 0.5 * 2 ** (attempt - 1))
    assert policy.backoff_for(attempt, rng=lambda lo, hi: hi) == ceiling
    assert policy.backoff_for(attempt, rng=lambda lo, hi: lo) == 0.0
    assert 0.0 <= policy.backoff_for(attempt) <= ceiling


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("120", 120.0, id="RFC9110-10.2.3-delay-seconds"),
        pytest.param(" 5 ", 5.0, id="whitespace"),
        pytest.param(None, None, id="absent"),
        pytest.param("soon", None, id="garbage"),
        pytest.param("-3", None, id="negative"),
    ],
)
def test_retry_after_values(value, expected) -> None:
    assert RetryPolicy().retry_after(value) == expected


def test_retry_after_http_date() -> None:
    now = time.time()
    value = formatdate(now + 30, usegmt=True)  # RFC 9110 §10.2.3: an HTTP-date
    assert 28 <= RetryPolicy().retry_after(value, now=now) <= 31
    assert RetryPolicy().retry_after(formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert RetryPolicy(respect_retry_after=False).retry_after("5") is None


async def test_retries_statuses_until_success() -> None:
    first, second = FakeResponse(503), FakeResponse(502)
    result, calls = await run(FAST, [first, second, FakeResponse(200)])
    assert result.status == 200
    assert len(calls) == 3
    assert first.released
    assert second.released


async def test_stops_after_attempts() -> None:
    result, calls = await run(FAST, [FakeResponse(503)] * 5)
    assert result.status == 503
    assert len(calls) == 3


async def test_does_not_retry_other_statuses() -> None:
    result, calls = await run(FAST, [FakeResponse(500), FakeResponse(200)])
    assert result.status == 500
    assert len(calls) == 1


async def test_retries_connection_errors_then_raises() -> None:
    error = ClientOSError(104, "reset")
    with pytest.raises(ClientOSError):
        await run(FAST, [error, error, error])
    result, _calls = await run(FAST, [error, FakeResponse(200)])
    assert result.status == 200


async def test_other_errors_are_not_retried() -> None:
    with pytest.raises(ClientPayloadError):
        await run(FAST, [ClientPayloadError("cut"), FakeResponse(200)])


async def test_non_idempotent_and_one_shot_bodies_are_not_retried() -> None:
    result, calls = await run(FAST, [FakeResponse(503), FakeResponse(200)], method="POST")
    assert (result.status, len(calls)) == (503, 1)
    result, calls = await run(FAST, [FakeResponse(503), FakeResponse(200)], can_resend=False)
    assert (result.status, len(calls)) == (503, 1)


async def test_wait_past_the_budget_ends_retries() -> None:
    result, calls = await run(
        RetryPolicy(), [FakeResponse(503, "10"), FakeResponse(200)], remaining=1.0
    )
    assert (result.status, len(calls)) == (503, 1)


async def test_retry_after_longer_than_the_cap_ends_retries() -> None:
    policy = RetryPolicy(max_retry_after=5)
    result, calls = await run(policy, [FakeResponse(429, "60"), FakeResponse(200)])
    assert (result.status, len(calls)) == (429, 1)


async def test_retry_after_is_waited() -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    result, _ = await run(RetryPolicy(), [FakeResponse(503, "0"), FakeResponse(200)])
    assert result.status == 200
    assert loop.time() - started < 0.5
