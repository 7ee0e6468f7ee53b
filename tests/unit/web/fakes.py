"""Small in-memory stand-ins for the request side of routing (no server, no sockets)."""

from __future__ import annotations

from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL


class FakeRequest:
    """What the router reads from a request: the method, the URL and the headers."""

    def __init__(self, method: str, path: str, headers: dict[str, str] | None = None) -> None:
        self.method = method
        self.rel_url = URL(path)
        self.raw_path = path
        self.headers = CIMultiDictProxy(CIMultiDict(headers or {}))
