"""The command line, end to end against the toy server and a command client."""

from __future__ import annotations

import json
import shlex
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.peers.stdlib_server import running
from conformance.targets import CommandClient, ServerTarget


def test_server_run_writes_all_reports_and_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with running() as (host, port):
        status = main(
            [
                "server",
                "--url",
                f"http://{host}:{port}/",
                "--cases",
                "h1-srv-2.2-crlf-request",
                "--cases",
                "h1-srv-6.3-clte-basic",
                "--protocol",
                "http1",
                "--report-dir",
                str(tmp_path),
                "--jobs",
                "2",
            ]
        )
    out = capsys.readouterr().out
    # http.server frames by Content-Length only, so the CL.TE case fails: exit status 1.
    assert status == 1
    assert f"report: {tmp_path / 'index.html'}" in out
    assert out.rstrip().splitlines()[-1] == "1 passed, 1 failed"
    for name in ("report.json", "index.html", "junit.xml", "summary.txt"):
        assert (tmp_path / name).is_file()
    verdicts = {
        r["id"]: r["verdict"] for r in json.loads((tmp_path / "report.json").read_text())["results"]
    }
    assert verdicts == {"h1-srv-2.2-crlf-request": "PASS", "h1-srv-6.3-clte-basic": "FAIL"}


def test_passing_run_exits_zero(tmp_path: Path) -> None:
    with running() as (host, port):
        status = main(
            ["server", "--url", f"http://{host}:{port}/", "--cases", "h1-srv-9.3.2-pipeline-two",
             "--protocol", "http1", "--report-dir", str(tmp_path)]
        )  # fmt: skip
    assert status == 0


def test_client_command_template(tmp_path: Path) -> None:
    status = main(
        ["client", "--client-cmd", "urllib", "--cases", "h1-cli-6.3-cl-exact",
         "--cases", "h1-cli-6.3-post-content-length", "--protocol", "http1",
         "--report-dir", str(tmp_path)]
    )  # fmt: skip
    results = json.loads((tmp_path / "report.json").read_text())["results"]
    assert {r["id"]: r["verdict"] for r in results} == {
        "h1-cli-6.3-cl-exact": "PASS",
        "h1-cli-6.3-post-content-length": "PASS",
    }
    assert status == 0


def test_list_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "client",
                "--client-cmd",
                "curl",
                "--list",
                "--cases",
                "h1-cli-4-status-ok",
                "--protocol",
                "http1",
            ]
        )
        == 0
    )
    assert "h1-cli-4-status-ok" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["server", "--client-cmd", "curl"])
    assert main(["server", "--url", "ftp://x/"]) == 2


def test_unreachable_server_is_an_error_not_a_failure(tmp_path: Path) -> None:
    # A server that cannot be reached says nothing about its conformance: ERROR, exit status 3.
    status = main(
        ["server", "--url", "http://127.0.0.1:9/", "--cases", "h1-srv-3-method-get",
         "--protocol", "http1", "--report-dir", str(tmp_path)]
    )  # fmt: skip
    result = json.loads((tmp_path / "report.json").read_text())["results"][0]
    assert status == 3
    assert result["verdict"] == "ERROR"
    assert "cannot connect" in result["reason"]
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert [s.get("errors") for s in root.iter("testsuite")] == ["1"]
    assert root.find(".//testcase/error") is not None


async def test_command_client_reports_status_body_and_errors() -> None:
    from conformance.targets import FetchRequest

    script = "import sys; sys.stdout.write('body'); sys.stderr.write('status: 201\\n')"
    client = CommandClient(f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} {{url}}")
    (obs,) = await client.fetch_all([FetchRequest("GET", "http://127.0.0.1:1/")])
    assert (obs.kind, obs.status, obs.body) == ("response", 201, b"body")
    failing = CommandClient(
        f"{shlex.quote(sys.executable)} -c 'raise SystemExit(\"boom\")' {{url}}"
    )
    (obs,) = await failing.fetch_all([FetchRequest("GET", "http://127.0.0.1:1/")])
    assert (obs.kind, obs.error) == ("error", "boom")
    with pytest.raises(ValueError, match="url"):
        CommandClient("curl http://example/")


async def test_command_client_waits_the_pause_before_a_request() -> None:
    from conformance.targets import FetchRequest

    client = CommandClient(f"{shlex.quote(sys.executable)} -c pass {{url}}")
    started = time.monotonic()
    url = "http://127.0.0.1:1/"
    first, second = await client.fetch_all(
        [FetchRequest("GET", url), FetchRequest("GET", url, pause=0.3)]
    )
    assert (first.kind, second.kind) == ("response", "response")
    assert time.monotonic() - started >= 0.3


def test_server_target_from_url() -> None:
    assert ServerTarget.from_url("http://127.0.0.1:8080/x") == ServerTarget(
        "127.0.0.1", 8080, "http://127.0.0.1:8080/x"
    )
    assert ServerTarget.from_url("http://localhost/").port == 80
    with pytest.raises(ValueError, match="http://"):
        ServerTarget.from_url("https://localhost/")
    assert ServerTarget.from_url("http://h:1/", "https://h:2/").tls_port == 2
    with pytest.raises(ValueError, match="--tls-url"):
        ServerTarget.from_url("http://h:1/", "http://h:2/")
