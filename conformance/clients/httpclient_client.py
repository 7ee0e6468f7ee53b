"""``python -m conformance.clients.httpclient_client URL``: fetch with ``http.client``."""

from __future__ import annotations

import http.client
import sys
from urllib.parse import urlsplit

from conformance.clients import request_from_env


def main(argv: list[str]) -> int:
    """Fetch ``argv[0]``; 0 when a response (of any status) was reported."""
    method, headers, body, timeout = request_from_env()
    parts = urlsplit(argv[0])
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        conn.request(method, parts.path or "/", body=body, headers=dict(headers))
        response = conn.getresponse()
        content = response.read()
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    sys.stdout.buffer.write(content)
    print(f"status: {response.status}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
