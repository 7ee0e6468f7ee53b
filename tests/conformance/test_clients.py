"""The shipped command clients, run in-process against the stdlib contract server."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

import pytest

from conformance.clients import httpclient_client, urllib_client
from conformance.peers.stdlib_server import running


@pytest.mark.parametrize("client", [urllib_client, httpclient_client])
def test_post_echo(
    client: object, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.setenv("CONFORMANCE_METHOD", "POST")
    monkeypatch.setenv("CONFORMANCE_HEADERS", json.dumps([["X-A", "b"]]))
    monkeypatch.setenv("CONFORMANCE_BODY", base64.b64encode(b"\x00payload").decode())
    monkeypatch.setenv("CONFORMANCE_TIMEOUT", "2")
    with running() as (host, port):
        status = client.main([f"http://{host}:{port}/echo"])  # type: ignore[attr-defined]
    out, err = capsysbinary.readouterr()
    assert (status, out, err) == (0, b"\x00payload", b"status: 200\n")


@pytest.mark.parametrize("client", [urllib_client, httpclient_client])
def test_error_exits_non_zero(
    client: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CONFORMANCE_METHOD", raising=False)
    monkeypatch.delenv("CONFORMANCE_BODY", raising=False)
    assert client.main(["http://127.0.0.1:9/"]) == 1  # type: ignore[attr-defined]
    assert "Error" in capsys.readouterr().err


def test_urllib_reports_http_errors_as_responses(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.delenv("CONFORMANCE_METHOD", raising=False)
    with running() as (host, port):
        status = urllib_client.main([f"http://{host}:{port}/status/404"])
    assert status == 0
    assert capsysbinary.readouterr().err == b"status: 404\n"


def test_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "client", "--list", "--client-cmd", "curl",
         "--protocol", "http1", "--cases", "h1-cli-4-status-ok"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout.startswith("h1-cli-4-status-ok")
