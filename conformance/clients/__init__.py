"""Small command-line clients built on the standard library, for ``--client-cmd``.

Each takes the URL as its argument and the method, headers, body and timeout from the
``CONFORMANCE_*`` environment variables (see :class:`conformance.targets.CommandClient`), writes
the body to stdout and ``status: NNN`` to stderr, and exits non-zero when the library raised.
"""

from __future__ import annotations

import base64
import json
import os


def request_from_env() -> tuple[str, list[tuple[str, str]], bytes | None, float]:
    """The method, header pairs, body and timeout the harness asked for."""
    method = os.environ.get("CONFORMANCE_METHOD", "GET")
    headers = [(str(k), str(v)) for k, v in json.loads(os.environ.get("CONFORMANCE_HEADERS", "[]"))]
    body = os.environ.get("CONFORMANCE_BODY")
    timeout = float(os.environ.get("CONFORMANCE_TIMEOUT", "2"))
    return method, headers, None if body is None else base64.b64decode(body), timeout
