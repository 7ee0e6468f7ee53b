"""Persistent driver for ``http.client`` (the protocol is in ``conformance/cases/DRIVER.md``).

A session keeps one ``HTTPConnection`` per host and port and reuses it while the server lets it
(``HTTPResponse.will_close``); the connection is dropped after any error.
"""

from __future__ import annotations

import http.client
import platform
import sys
from typing import Any
from urllib.parse import urlsplit

try:
    from conformance.clients import driverlib
except ImportError:  # run as a file by a Python without this package
    import driverlib  # type: ignore[no-redef]

Session = dict[tuple[str, int], http.client.HTTPConnection]


class HttpClient:
    """One keep-alive ``HTTPConnection`` per origin."""

    name = f"http.client (Python {platform.python_version()})"
    keeps_connections = True

    def open_session(self) -> Session:
        """An empty pool."""
        return {}

    def fetch(self, session: Session, request: dict[str, Any]) -> dict[str, Any]:
        """Send on the pooled connection (or a new one) and read the whole response."""
        parts = urlsplit(request["url"])
        key = (parts.hostname or "", parts.port or 80)
        timeout = float(request.get("timeout", 2))
        conn = session.get(key) or http.client.HTTPConnection(key[0], key[1], timeout=timeout)
        session[key] = conn
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        try:
            conn.request(
                request.get("method", "GET"),
                target,
                body=driverlib.body_of(request),
                headers=dict(request.get("headers", [])),
            )
            response = conn.getresponse()
            body = response.read()
        except Exception:
            session.pop(key, None)
            conn.close()
            raise
        if response.will_close:
            session.pop(key, None)
            conn.close()
        return {"status": response.status, "body": body}

    def close_session(self, session: Session) -> None:
        """Close every pooled connection."""
        for conn in session.values():
            conn.close()
        session.clear()


if __name__ == "__main__":
    sys.exit(driverlib.run(HttpClient()))
