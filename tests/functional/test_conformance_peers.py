"""The harness against peers we did not write: nginx as a server, curl as a client.

These runs must complete and produce the whole report with sensible verdicts on a few cases
whose outcome is not in doubt; they do not assert that nginx or curl are perfect (the measured
results are in docs/conformance.rst).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conformance.cli import main
from conformance.peers.stdlib_server import running
from conformance.registry import load_cases
from tests.functional.nginx import Nginx, nginx_available

VERDICTS = {"PASS", "NON-STRICT", "INFORMATIONAL", "FAIL"}


def _report(directory: Path) -> dict[str, str]:
    for name in ("report.json", "index.html", "junit.xml", "summary.txt"):
        assert (directory / name).stat().st_size > 0
    summary = (directory / "summary.txt").read_text().rstrip().splitlines()
    assert re.fullmatch(r"[0-9]+ passed, [0-9]+ failed", summary[-1])
    results = json.loads((directory / "report.json").read_text())["results"]
    assert {r["verdict"] for r in results} <= VERDICTS
    assert all(r["reason"] for r in results)
    return {r["id"]: r["verdict"] for r in results}


@pytest.mark.needs_nginx
def test_nginx_as_the_server_under_test(tmp_path: Path) -> None:
    if not nginx_available():
        pytest.fail("nginx is not installed (tools/system-deps.sh nginx)")
    with running() as (_, backend):
        nginx = Nginx(extra_http="client_body_buffer_size 1m;\nproxy_max_temp_file_size 0;\n")
        nginx.add_proxy("/", f"127.0.0.1:{backend}")
        with nginx:
            status = main(
                ["server", "--url", nginx.url("/"), "--protocol", "http1", "--jobs", "8",
                 "--report-dir", str(tmp_path)]
            )  # fmt: skip
    verdicts = _report(tmp_path)
    assert len(verdicts) == len(load_cases(sides=("server",), protocols=("http1",)))
    assert status in (0, 1)
    for case_id in (
        "h1-srv-2.2-crlf-request",
        "h1-srv-6.2-cl-body-echo",
        "h1-srv-7.1-chunked-several",
        "h1-srv-9.3.2-pipeline-order",
        "h1-srv-3.2-host-missing",
        "h1-srv-9.6-close-request",
        "h1-srv-6.3-clte-smuggled-request",
    ):
        assert verdicts[case_id] == "PASS", case_id
    # A MAY case is only ever recorded.
    assert verdicts["h1-srv-3.2.4-asterisk-form-options"] == "INFORMATIONAL"


def test_curl_as_the_client_under_test(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.fail("curl is not installed (tools/system-deps.sh curl)")
    status = main(
        ["client", "--client-cmd", "curl", "--protocol", "http1", "--report-dir", str(tmp_path)]
    )
    verdicts = _report(tmp_path)
    assert len(verdicts) == len(load_cases(sides=("client",), protocols=("http1",)))
    assert status in (0, 1)
    for case_id in (
        "h1-cli-4-status-ok",
        "h1-cli-3.2-sends-host",
        "h1-cli-6.3-cl-exact",
        "h1-cli-7.1-chunked",
        "h1-cli-8-cl-short-close",
        "h1-cli-9.5-never-answers",
    ):
        assert verdicts[case_id] == "PASS", case_id
    # The curl template sends a plain GET, so method-specific cases are not applicable.
    assert verdicts["h1-cli-6.3-post-content-length"] == "INFORMATIONAL"


@pytest.mark.needs_nginx
def test_shipped_nginx_setup_serves_the_contract() -> None:
    import urllib.request

    from conformance.peers.nginx import running_nginx

    if not nginx_available():
        pytest.fail("nginx is not installed (tools/system-deps.sh nginx)")
    with running_nginx() as url:
        request = urllib.request.Request(url + "echo", data=b"through nginx", method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.read() == b"through nginx"
        with urllib.request.urlopen(url + "stream", timeout=5) as response:
            assert response.read() == b"0123456789"
