"""The persistent client driver: the protocol, the shipped drivers, and what the harness does
when a driver misbehaves."""

from __future__ import annotations

import io
import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import main, run_cases
from conformance.clients import driverlib
from conformance.driver import DriverClient, DriverError, driver_command
from conformance.model import Verdict
from conformance.registry import Target, load_cases


def _cases(*ids: str) -> list[Any]:
    return load_cases(list(ids))


class Echo:
    name = "echo 1.0"
    keeps_connections = True

    def __init__(self) -> None:
        self.closed: list[object] = []

    def open_session(self) -> list[str]:
        return []

    def fetch(self, session: list[str], request: dict[str, Any]) -> dict[str, Any]:
        if request["url"].endswith("/boom"):
            raise ConnectionResetError("peer reset")
        session.append(request["url"])
        return {"status": 200, "body": f"{len(session)}".encode()}

    def close_session(self, session: list[str]) -> None:
        self.closed.append(session)


def test_the_driver_loop_keeps_sessions_and_reports_errors() -> None:
    lines = [
        {"id": 1, "op": "fetch", "session": "a", "url": "http://h/1", "timeout": 1},
        {"id": 2, "op": "fetch", "session": "a", "url": "http://h/2", "timeout": 1},
        {"id": 3, "op": "fetch", "session": "b", "url": "http://h/boom", "timeout": 1},
        {"id": 4, "op": "close", "session": "a"},
        {"id": 5, "op": "dance"},
    ]
    out = io.StringIO()
    adapter = Echo()
    stdin = io.StringIO("".join(json.dumps(line) + "\n" for line in lines) + "not json\n")
    assert driverlib.run(adapter, stdin, out) == 0
    hello, *replies = (json.loads(line) for line in out.getvalue().splitlines())
    assert hello == {
        "driver": "conformance-driver/1",
        "name": "echo 1.0",
        "ops": ["close", "fetch"],
        "keeps_connections": True,
    }
    by_id = {reply["id"]: reply for reply in replies}
    assert {by_id[1]["body"], by_id[2]["body"]} <= {"MQ==", "Mg=="}  # bodies "1" and "2"
    assert by_id[3] == {**by_id[3], "outcome": "error", "error": "ConnectionResetError: peer reset"}
    assert by_id[5]["error"] == "unknown op 'dance'"
    assert by_id[None]["error"] == "not JSON"
    assert adapter.closed == [["http://h/1", "http://h/2"]]


def test_driver_command_names() -> None:
    assert driver_command("urllib")[1].endswith("conformance/clients/urllib_driver.py")
    assert driver_command("httpx@/opt/venv/bin/python")[0] == "/opt/venv/bin/python"
    assert driver_command("mydriver --fast") == ["mydriver", "--fast"]


async def test_a_persistent_client_really_reuses_connections() -> None:
    # http.client keeps its connection: the reuse case is judged, not "not applicable".
    driver = DriverClient("http.client")
    await driver.start()
    try:
        assert driver.name.startswith("http.client (Python")
        results = await run_cases(
            _cases("h1-cli-9.3-reuse-keep-alive", "h1-cli-9.6-no-reuse-after-close"),
            Target(client=driver),
            jobs=2,
        )
    finally:
        await driver.aclose()
    assert {r.case.id: r.verdict for r in results} == {
        "h1-cli-9.3-reuse-keep-alive": Verdict.PASS,
        "h1-cli-9.6-no-reuse-after-close": Verdict.PASS,
    }


async def test_urllib_announces_close_so_reuse_is_not_applicable() -> None:
    driver = DriverClient("urllib")
    await driver.start()
    try:
        (result,) = await run_cases(_cases("h1-cli-9.3-reuse-keep-alive"), Target(client=driver), 1)
    finally:
        await driver.aclose()
    assert result.verdict is Verdict.INFORMATIONAL
    assert "announced Connection: close" in result.reason


async def test_websocket_clients_are_driven_the_same_way() -> None:
    driver = DriverClient("websockets")
    await driver.start()
    try:
        assert (driver.speaks_http, driver.speaks_websocket) == (False, True)
        results = await run_cases(
            _cases(
                "ws-cli-6455-5.5.2-ping-text", "ws-cli-6455-4.1-bad-accept", "h1-cli-4-status-ok"
            ),
            Target(client=driver),
            jobs=3,
        )
    finally:
        await driver.aclose()
    verdicts = {r.case.id: r.verdict for r in results}
    assert verdicts["ws-cli-6455-5.5.2-ping-text"] is Verdict.PASS
    assert verdicts["ws-cli-6455-4.1-bad-accept"] is Verdict.PASS
    assert verdicts["h1-cli-4-status-ok"] is Verdict.INFORMATIONAL  # no HTTP requests


def _fake(script: str) -> str:
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"


HELLO = (
    "import json; "
    'print(json.dumps({"driver": "conformance-driver/1", "ops": ["fetch"]}), flush=True)'
)


async def test_a_driver_that_dies_is_an_error_not_a_failure() -> None:
    driver = DriverClient(_fake(HELLO + "; import sys; sys.stdin.readline()"))
    await driver.start()
    try:
        (result,) = await run_cases(_cases("h1-cli-4-status-ok"), Target(client=driver), jobs=1)
    finally:
        await driver.aclose()
    assert result.verdict is Verdict.ERROR
    assert "DriverError" in result.reason


async def test_a_program_that_is_no_driver_is_refused() -> None:
    chatty = DriverClient(_fake("print('hello there')"))
    with pytest.raises(DriverError, match="no hello"):
        await chatty.start()
    driver = DriverClient(_fake("import json; print(json.dumps({'x': 1}))"))
    with pytest.raises(DriverError, match="not a conformance driver"):
        await driver.start()
    silent = DriverClient(_fake("import sys; sys.stderr.write('boom'); sys.exit(3)"))
    with pytest.raises(DriverError, match="boom"):
        await silent.start()


def test_cli_with_a_driver_and_a_time_scale(tmp_path: Path) -> None:
    status = main(
        ["client", "--client-driver", "http.client", "--cases", "h1-cli-6.3-cl-exact",
         "--cases", "h1-cli-9.3-reuse-keep-alive", "--time-scale", "3",
         "--report-dir", str(tmp_path)]
    )  # fmt: skip
    document = json.loads((tmp_path / "report.json").read_text())
    assert status == 0
    assert document["meta"]["target"].startswith("http.client (Python")
    assert {r["verdict"] for r in document["results"]} == {"PASS"}


def test_cli_refuses_a_driver_and_a_command_together() -> None:
    with pytest.raises(SystemExit):
        main(["client", "--client-driver", "urllib", "--client-cmd", "curl"])
    with pytest.raises(SystemExit):
        main(["client", "--client-driver", "urllib", "--time-scale", "0"])
