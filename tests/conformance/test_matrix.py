"""``python -m conformance matrix`` with two stacks that need no installation, on a few cases."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.cli import main
from conformance.matrix import BY_NAME, STACKS


def test_matrix_smoke_with_two_stacks(tmp_path: Path) -> None:
    page = tmp_path / "matrix.rst"
    status = main(
        ["matrix", "--stacks", "http.server,urllib", "--cases", "h1-srv-3.2-host-*",
         "--cases", "h1-cli-6.3-cl-*", "--out", str(page), "--reports", str(tmp_path)]
    )  # fmt: skip
    assert status == 0
    text = page.read_text()
    assert "Conformance matrix" in text
    assert "http.server" in text.split("Clients")[0]
    assert "urllib" in text.split("Clients")[1]
    # http.server does not check Host (RFC 9112 §3.2), and the page quotes the sentence.
    assert "``h1-srv-3.2-host-missing``" in text
    assert "A server MUST respond with a 400 (Bad Request) status code" in text
    rows = {row["stack"]: row for row in json.loads((tmp_path / "matrix.json").read_text())}
    assert rows["http.server"]["counts"]["MUST failed"] > 0
    assert rows["urllib"]["counts"]["FAIL"] > 0  # urllib accepts invalid Content-Length values
    for name in ("http.server", "urllib"):
        suites = ET.parse(tmp_path / name / "junit.xml").getroot().iter("testsuite")
        assert sum(int(suite.get("tests", "0")) for suite in suites) > 0


def test_matrix_lists_the_stacks_the_issue_names(capsys: object) -> None:
    names = {stack.name for stack in STACKS}
    servers = {"uvicorn+h11", "uvicorn+httptools", "hypercorn", "gunicorn sync", "nginx",
               "http.server", "aiohttp 3.14.5", "websockets"}  # fmt: skip
    clients = {"curl", "urllib", "http.client", "requests", "httpx", "aiohttp 3.14.5 client",
               "websockets client"}  # fmt: skip
    assert servers | clients <= names
    assert {BY_NAME[n].side for n in servers} == {"server"}
    assert {BY_NAME[n].side for n in clients} == {"client"}
    assert main(["matrix", "--stacks", "no-such-stack"]) == 2
