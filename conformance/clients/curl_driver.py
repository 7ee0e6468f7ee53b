"""Persistent driver for the ``curl`` command (the protocol is in ``conformance/cases/DRIVER.md``).

Each request runs one ``curl`` process (the command line cannot take requests one at a time), so
no connection is reused across requests: the driver says so (``keeps_connections`` false) and
the harness marks reuse cases not applicable. Unlike the one-shot template, it sends the method,
fields and body the harness asks for.
"""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

try:
    from conformance.clients import driverlib
except ImportError:  # run as a file by a Python without this package
    import driverlib  # type: ignore[no-redef]

_STATUS = re.compile(rb"^status: ([0-9]{3})\s*$", re.MULTILINE)


def _version() -> str:
    try:
        out = subprocess.run(["curl", "--version"], capture_output=True, check=False, timeout=10)
    except OSError:
        return "curl (not installed)"
    return " ".join(out.stdout.decode("latin-1").split()[:2])


class Curl:
    """One ``curl`` per request."""

    name = _version()
    keeps_connections = False

    def open_session(self) -> None:
        """Nothing to keep."""

    def fetch(self, session: None, request: dict[str, Any]) -> dict[str, Any]:
        """Run curl; a non-zero exit status is the client's error."""
        method = request.get("method", "GET")
        timeout = float(request.get("timeout", 2))
        command = ["curl", "--silent", "--show-error", "--max-time", f"{timeout:g}"]
        command += ["--head"] if method == "HEAD" else ["--request", method]
        for name, value in request.get("headers", []):
            command += ["--header", f"{name}: {value}"]
        body = driverlib.body_of(request)
        if body is not None:
            command += ["--data-binary", "@-"]
        command += ["--write-out", "%{stderr}status: %{http_code}\\n", request["url"]]
        done = subprocess.run(command, input=body or b"", capture_output=True, check=False)
        if done.returncode != 0:
            lines = [
                line
                for line in done.stderr.decode("latin-1").splitlines()
                if not line.startswith("status: ")
            ]
            raise RuntimeError(lines[-1] if lines else f"curl exit status {done.returncode}")
        found = _STATUS.findall(done.stderr)
        content = b"" if method == "HEAD" else done.stdout
        return {"status": int(found[-1]) if found else None, "body": content}

    def close_session(self, session: None) -> None:
        """Nothing to release."""


if __name__ == "__main__":
    sys.exit(driverlib.run(Curl()))
