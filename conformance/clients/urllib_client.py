"""``python -m conformance.clients.urllib_client URL``: fetch with ``urllib.request``."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

from conformance.clients import request_from_env


def main(argv: list[str]) -> int:
    """Fetch ``argv[0]``; 0 when a response (of any status) was reported."""
    method, headers, body, timeout = request_from_env()
    request = urllib.request.Request(argv[0], data=body, method=method, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, content = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, content = exc.code, exc.read()
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(content)
    print(f"status: {status}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
