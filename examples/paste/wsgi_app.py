"""A plain PEP 3333 application for ``aiohttp.worker.AsyncGunicornWorker``.

``gunicorn wsgi_app:application -k aiohttp.worker.AsyncGunicornWorker``, or, with PasteDeploy
installed, ``gunicorn --paste paster.ini``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Echo the request body back, streaming it in blocks of 64 KiB."""
    body = environ["wsgi.input"]
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    while block := body.read(65536):
        yield block


def make_application(global_config: dict[str, str], **local_conf: str) -> Any:
    """The PasteDeploy factory ``paster.ini`` names."""
    return application
