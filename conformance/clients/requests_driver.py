"""Persistent driver for ``requests`` (the protocol is in ``conformance/cases/DRIVER.md``).

Run it with the Python that has ``requests`` installed:
``/path/to/venv/bin/python conformance/clients/requests_driver.py``. A session is a
``requests.Session`` with its defaults (connection pool, redirects followed).
"""

from __future__ import annotations

import sys
from typing import Any

import requests

try:
    from conformance.clients import driverlib
except ImportError:  # run as a file by a Python without this package
    import driverlib  # type: ignore[no-redef]


class Requests:
    """``requests.Session.request``."""

    name = f"requests {requests.__version__}"
    keeps_connections = True

    def open_session(self) -> requests.Session:
        """A session with the library's defaults."""
        return requests.Session()

    def fetch(self, session: requests.Session, request: dict[str, Any]) -> dict[str, Any]:
        """One request with a total-ish timeout (requests' is per socket operation)."""
        response = session.request(
            request.get("method", "GET"),
            request["url"],
            headers=dict(request.get("headers", [])),
            data=driverlib.body_of(request),
            timeout=float(request.get("timeout", 2)),
        )
        return {"status": response.status_code, "body": response.content}

    def close_session(self, session: requests.Session) -> None:
        """Close the pool."""
        session.close()


if __name__ == "__main__":
    sys.exit(driverlib.run(Requests()))
