"""Persistent driver for ``urllib.request`` (the protocol is in ``conformance/cases/DRIVER.md``).

``python conformance/clients/urllib_driver.py``; urllib has no sessions and closes every
connection (it sends ``Connection: close``), which the harness notices on reuse cases.
"""

from __future__ import annotations

import platform
import sys
import urllib.error
import urllib.request
from typing import Any

try:
    from conformance.clients import driverlib
except ImportError:  # run as a file by a Python without this package
    import driverlib  # type: ignore[no-redef]


class Urllib:
    """``urllib.request.urlopen`` for every request."""

    name = f"urllib (Python {platform.python_version()})"
    keeps_connections = True

    def open_session(self) -> None:
        """urllib keeps nothing between requests."""

    def fetch(self, session: None, request: dict[str, Any]) -> dict[str, Any]:
        """One ``urlopen``; an HTTP error status is still a response."""
        req = urllib.request.Request(
            request["url"],
            data=driverlib.body_of(request),
            method=request.get("method", "GET"),
            headers=dict(request.get("headers", [])),
        )
        try:
            with urllib.request.urlopen(req, timeout=float(request.get("timeout", 2))) as resp:
                return {"status": resp.status, "body": resp.read()}
        except urllib.error.HTTPError as exc:
            return {"status": exc.code, "body": exc.read()}

    def close_session(self, session: None) -> None:
        """Nothing to release."""


if __name__ == "__main__":
    sys.exit(driverlib.run(Urllib()))
