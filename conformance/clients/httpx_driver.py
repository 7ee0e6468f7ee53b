"""Persistent driver for ``httpx`` (the protocol is in ``conformance/cases/DRIVER.md``).

Run it with the Python that has ``httpx`` installed:
``/path/to/venv/bin/python conformance/clients/httpx_driver.py``. A session is an
``httpx.Client`` with its defaults.
"""

from __future__ import annotations

import ssl
import sys
from typing import Any

import httpx

try:
    from conformance.clients import driverlib
except ImportError:  # run as a file by a Python without this package
    import driverlib  # type: ignore[no-redef]


class Httpx:
    """``httpx.Client.request``."""

    name = f"httpx {httpx.__version__}"
    keeps_connections = True
    #: Building the default TLS context per client costs tens of milliseconds; the cases are
    #: plain HTTP, so all sessions share one.
    verify = ssl.create_default_context()

    def open_session(self) -> httpx.Client:
        """A client with the library's defaults."""
        return httpx.Client(verify=self.verify)

    def fetch(self, session: httpx.Client, request: dict[str, Any]) -> dict[str, Any]:
        """One request with the timeout the harness asked for."""
        response = session.request(
            request.get("method", "GET"),
            request["url"],
            headers=list(request.get("headers", [])),
            content=driverlib.body_of(request),
            timeout=float(request.get("timeout", 2)),
        )
        return {"status": response.status_code, "body": response.content}

    def close_session(self, session: httpx.Client) -> None:
        """Close the pool."""
        session.close()


if __name__ == "__main__":
    sys.exit(driverlib.run(Httpx()))
