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
    ("h1-cli-3.2-sends-host", "no-host", "malformed request: 0 Host field lines", Verdict.FAIL),
    ("h1-cli-6.3-cl-keep-open", "read-to-close", "reported an error (TimeoutError", Verdict.FAIL),
    # "A client or server that wishes to time out SHOULD issue a graceful close" (RFC 9112 §9.5).
    ("h1-cli-9.5-never-answers", "no-timeout", "it hung", Verdict.NON_STRICT),
    ("h1-cli-9.5-trickles-head", "no-timeout", "it hung", Verdict.NON_STRICT),
]


@pytest.mark.parametrize(("case_id", "flaw", "why", "verdict"), CLIENT_CASES)
async def test_flawed_toy_client_fails(case_id: str, flaw: str, why: str, verdict: Verdict) -> None:
    got, reason = await _client_verdict(case_id, ToyClient(flaw))
    assert got is verdict
    assert why in reason


async def test_recovering_a_malformed_status_line_is_only_recorded() -> None:
    # RFC 9110 §2.2: a recipient MAY work around a malformed element, so a client that reads
    # "HTTP/1.1 2000 OK" as a 200 is recorded (INFORMATIONAL), as is one that rejects it.
    lax, reason = await _client_verdict("h1-cli-4-status-four-digits", ToyClient("lax-status"))
    assert (lax, "reported a response (status 200" in reason) == (Verdict.INFORMATIONAL, True)
    strict, _ = await _client_verdict("h1-cli-4-status-four-digits", ToyClient())
    assert strict is Verdict.INFORMATIONAL


@pytest.mark.parametrize(("case_id", "flaw", "why", "verdict"), CLIENT_CASES)
async def test_careful_toy_client_passes(
    case_id: str, flaw: str, why: str, verdict: Verdict
) -> None:
    verdict, reason = await _client_verdict(case_id, ToyClient())
    assert verdict is Verdict.PASS, reason
