"""The harness's checks can fail: broken toys FAIL chosen cases, careful toys PASS them."""

from __future__ import annotations

import pytest

from conformance.cli import run_cases
from conformance.model import Case, Verdict
from conformance.registry import Target, load_cases
from tests.conformance.toys import ToyClient, ToyServer


def _case(case_id: str) -> Case:
    (case,) = load_cases([case_id], protocols=("http1",))
    return case


async def _server_verdict(case_id: str, broken: bool) -> Verdict:
    async with ToyServer(broken=broken).running() as server:
        (result,) = await run_cases([_case(case_id)], Target(server=server), jobs=1)
    return result.verdict


async def _client_verdict(case_id: str, client: ToyClient) -> tuple[Verdict, str]:
    (result,) = await run_cases([_case(case_id)], Target(client=client), jobs=1)
    return result.verdict, result.reason


SERVER_CASES = [
    "h1-srv-3.2-host-missing",  # broken: serves a request without Host
    "h1-srv-3.2-host-twice",
    "h1-srv-6.3-clte-basic",  # broken: frames by Content-Length, answers the smuggled "G"
    "h1-srv-6.3-clte-smuggled-request",
    "h1-srv-7.1-chunked-one",  # broken: does not decode chunked
    "h1-srv-9.6-close-request",  # broken: keeps the connection open after Connection: close
]


@pytest.mark.parametrize("case_id", SERVER_CASES)
async def test_careful_toy_server_passes(case_id: str) -> None:
    assert await _server_verdict(case_id, broken=False) is Verdict.PASS


@pytest.mark.parametrize("case_id", SERVER_CASES)
async def test_broken_toy_server_fails(case_id: str) -> None:
    assert await _server_verdict(case_id, broken=True) is Verdict.FAIL


@pytest.mark.parametrize(
    "case_id", ["h1-srv-6.2-cl-body-echo", "h1-srv-9.3.2-pipeline-two", "h1-srv-2.2-crlf-request"]
)
async def test_both_toy_servers_pass_plain_cases(case_id: str) -> None:
    assert await _server_verdict(case_id, broken=False) is Verdict.PASS
    assert await _server_verdict(case_id, broken=True) is Verdict.PASS


CLIENT_CASES = [
    ("h1-cli-3.2-sends-host", "no-host", "malformed request: 0 Host field lines"),
    ("h1-cli-6.3-cl-keep-open", "read-to-close", "reported an error (TimeoutError"),
    ("h1-cli-4-status-four-digits", "lax-status", "reported a response (status 200"),
    ("h1-cli-9.5-never-answers", "no-timeout", "it hung"),
    ("h1-cli-9.5-trickles-head", "no-timeout", "it hung"),
]


@pytest.mark.parametrize(("case_id", "flaw", "why"), CLIENT_CASES)
async def test_flawed_toy_client_fails(case_id: str, flaw: str, why: str) -> None:
    verdict, reason = await _client_verdict(case_id, ToyClient(flaw))
    assert verdict is Verdict.FAIL
    assert why in reason


@pytest.mark.parametrize(("case_id", "flaw", "why"), CLIENT_CASES)
async def test_careful_toy_client_passes(case_id: str, flaw: str, why: str) -> None:
    verdict, reason = await _client_verdict(case_id, ToyClient())
    assert verdict is Verdict.PASS, reason
