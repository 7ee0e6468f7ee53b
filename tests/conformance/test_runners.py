"""Runner paths the toys do not reach: probes, malformed responses, inapplicable cases."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from conformance.cli import run_cases
from conformance.model import Case, Verdict
from conformance.registry import Target, load_cases
from conformance.targets import FetchRequest, Observation, ServerTarget
from tests.conformance.toys import ToyClient

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def _case(case_id: str) -> Case:
    (case,) = load_cases([case_id], protocols=("http1",))
    return case


@contextlib.asynccontextmanager
async def canned(reply: bytes, then: str, linger: float = 0.0) -> AsyncIterator[ServerTarget]:
    """A server that answers the first request with ``reply`` and then closes (``linger``
    seconds later) or goes silent."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(reply)
        await writer.drain()
        if then == "close":
            try:
                await asyncio.sleep(linger)
            finally:
                writer.close()
            return
        with contextlib.suppress(ConnectionError):
            while await reader.read(65536):
                pass
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield ServerTarget("127.0.0.1", server.sockets[0].getsockname()[1], "canned")
    finally:
        server.close()


async def _run(case_id: str, reply: bytes, then: str) -> tuple[Verdict, str, str]:
    async with canned(reply, then) as server:
        (result,) = await run_cases([_case(case_id)], Target(server=server), jobs=1)
    return result.verdict, result.reason, result.observed


async def test_extra_response_waits_for_the_close_an_alternative_needs() -> None:
    # The main expectation wants no response; the "400, then close" alternative passes only if
    # the close is seen, even when it comes a moment after the 400 (a separate read).
    error = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    async with canned(error, "close", linger=0.3) as server:
        (result,) = await run_cases(
            [_case("h1-srv-8-chunked-missing-last")], Target(server=server), jobs=1
        )
    assert result.verdict is Verdict.PASS, result.reason


async def test_open_expected_but_server_closes() -> None:
    verdict, reason, observed = await _run("h1-srv-2.2-crlf-request", OK, "close")
    assert verdict is Verdict.FAIL
    assert "not kept open" in reason
    assert "[connection: closed]" in observed


async def test_open_expected_but_server_ignores_the_probe() -> None:
    verdict, reason, _ = await _run("h1-srv-2.2-crlf-request", OK, "silent")
    assert verdict is Verdict.FAIL
    assert "probe request: silent" in reason


async def test_close_expected_but_server_stays_open() -> None:
    verdict, reason, _ = await _run("h1-srv-9.6-close-request", OK, "silent")
    assert verdict is Verdict.FAIL
    assert "still open" in reason


async def test_malformed_response_fails_whatever_the_level() -> None:
    verdict, reason, _ = await _run(
        "h1-srv-2.3-minor-version-higher", b"HTTP/1.1 200\r\n\r\n", "close"
    )
    assert verdict is Verdict.FAIL
    assert reason.startswith("malformed response")


async def test_should_case_not_met_is_non_strict() -> None:
    verdict, _, _ = await _run("h1-srv-9.6-close-request-response-header", OK, "close")
    assert verdict is Verdict.NON_STRICT


async def test_may_case_is_informational() -> None:
    verdict, _, _ = await _run("h1-srv-2.2-two-leading-crlf", OK, "close")
    assert verdict is Verdict.INFORMATIONAL


async def _client(case_id: str, client: ToyClient) -> tuple[Verdict, str]:
    (result,) = await run_cases([_case(case_id)], Target(client=client), jobs=1)
    return result.verdict, result.reason


async def test_client_case_needing_another_method_is_not_applicable() -> None:
    verdict, reason = await _client("h1-cli-6.3-post-content-length", ToyClient())
    assert verdict is Verdict.INFORMATIONAL
    assert "sent GET when asked for POST" in reason


async def test_client_case_needing_a_header_is_not_applicable() -> None:
    verdict, reason = await _client("h1-cli-5-user-header-sent", ToyClient())
    assert verdict is Verdict.INFORMATIONAL
    assert "X-Test" in reason


async def test_extra_crlf_after_a_request_fails() -> None:
    verdict, reason = await _client("h1-cli-6.3-cl-exact", ToyClient("extra-crlf"))
    assert verdict is Verdict.FAIL
    assert "CR or LF" in reason


class RecordingClient:
    """A driver that keeps the requests it is asked for and reports an error for each."""

    name = "recording client"

    def __init__(self) -> None:
        self.asked: list[FetchRequest] = []

    async def fetch_all(self, requests: list[FetchRequest]) -> list[Observation]:
        self.asked = requests
        return [Observation("error", error="not sent") for _ in requests]


async def test_client_case_pause_reaches_the_driver() -> None:
    # FORMAT.md: a request's ``pause`` is how long the client waits before making it.
    client = RecordingClient()
    await run_cases([_case("h1-cli-9.2-stray-bytes-while-idle")], Target(client=client), jobs=1)
    assert [request.pause for request in client.asked] == [0.0, 0.6]


async def test_toy_client_waits_the_pause() -> None:
    started = asyncio.get_running_loop().time()
    verdict, _ = await _client("h1-cli-9.2-stray-bytes-while-idle", ToyClient())
    assert verdict is Verdict.PASS
    assert asyncio.get_running_loop().time() - started >= 0.6


async def test_no_target_side_is_informational() -> None:
    results = await run_cases(
        [_case("h1-srv-2.2-crlf-request"), _case("h1-cli-4-status-ok")], Target(), jobs=2
    )
    assert [r.verdict for r in results] == [Verdict.INFORMATIONAL, Verdict.INFORMATIONAL]


def test_time_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    from conformance.model import time_scale

    monkeypatch.delenv("CONFORMANCE_TIME_SCALE", raising=False)
    assert time_scale() == 1.0
    monkeypatch.setenv("CONFORMANCE_TIME_SCALE", "2.5")
    assert time_scale() == 2.5
    for bad in ("x", "0", "-1"):
        monkeypatch.setenv("CONFORMANCE_TIME_SCALE", bad)
        assert time_scale() == 1.0


async def test_scaled_bound_shows_in_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFORMANCE_TIME_SCALE", "0.25")
    verdict, reason, _ = await _run("h1-srv-9.6-close-request", OK, "silent")
    assert verdict is Verdict.FAIL
    assert "still open 0.5 s" in reason


CLOSE_OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


async def test_announced_close_is_not_failed_where_persistence_is_incidental() -> None:
    # RFC 9112 §9.3: a server need not keep connections alive; it announces close and closes.
    # "GET / then the connection stays open" is judged on the response alone.
    verdict, reason, _ = await _run("h1-srv-2.2-crlf-request", CLOSE_OK, "close")
    assert verdict is Verdict.PASS
    assert "Connection: close" in reason


async def test_announced_close_makes_a_pipelining_case_not_applicable() -> None:
    verdict, reason, _ = await _run("h1-srv-9.3.2-pipeline-two", CLOSE_OK, "close")
    assert verdict is Verdict.INFORMATIONAL
    assert reason.startswith("not applicable: the case needs a persistent connection")


async def test_announced_close_but_connection_left_open_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # RFC 9112 §9.6: after a response with "close" the server MUST initiate closure.
    monkeypatch.setenv("CONFORMANCE_TIME_SCALE", "0.25")
    verdict, reason, _ = await _run("h1-srv-2.2-crlf-request", CLOSE_OK, "silent")
    assert verdict is Verdict.FAIL
    assert "did not close" in reason


async def test_persistence_itself_is_still_judged() -> None:
    # "HTTP implementations SHOULD support persistent connections" (RFC 9112 §9.3).
    verdict, _, _ = await _run("h1-srv-9.3-http11-persistent", CLOSE_OK, "close")
    assert verdict is Verdict.NON_STRICT


async def test_reuse_cases_are_not_applicable_to_a_one_shot_command() -> None:
    import shlex
    import sys

    from conformance.targets import CommandClient

    script = "import sys; sys.stdout.write('hello'); sys.stderr.write('status: 200\\n')"
    client = CommandClient(f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} {{url}}")
    case = _case("h1-cli-9.6-no-reuse-after-close")
    (result,) = await run_cases([case], Target(client=client), jobs=1)
    assert result.verdict is Verdict.INFORMATIONAL
    assert "one process per request" in result.reason


async def test_reuse_cases_are_not_applicable_to_a_client_that_says_close() -> None:
    verdict, reason = await _client("h1-cli-9.3-reuse-keep-alive", ToyClient("says-close"))
    assert verdict is Verdict.INFORMATIONAL
    assert "announced Connection: close on request 1" in reason
    # Asked to send "Connection: close", the client is judged on what it does next.
    verdict, _ = await _client("h1-cli-9.6-close-sent-no-reuse", ToyClient("says-close"))
    assert verdict is Verdict.PASS


async def test_a_broken_runner_is_an_error_not_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    from conformance.http1 import runner

    async def boom(case: Case, target: object) -> None:
        raise RuntimeError("harness bug")

    monkeypatch.setattr(runner, "run_case", boom)
    monkeypatch.setattr("conformance.http1.run_case", boom)
    (result,) = await run_cases([_case("h1-srv-2.2-crlf-request")], Target(), jobs=1)
    assert result.verdict is Verdict.ERROR
    assert "RuntimeError: harness bug" in result.reason
