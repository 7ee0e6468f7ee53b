"""In-memory stand-ins behind :func:`aiohttp.test_utils.make_mocked_request`.

A transport that keeps what is written, a protocol without a connection and a match info
that needs no router.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from .._io.protocol import BaseProtocol
from ..web.application import Application


class FakeTransport(asyncio.Transport):
    """An in-memory transport for :func:`make_mocked_request`: keeps what is written."""

    def __init__(self, extra: Mapping[str, Any]) -> None:
        super().__init__()
        self._extra_info = dict(extra)
        self.buffer = bytearray()
        self._closing = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.buffer += data

    def is_closing(self) -> bool:
        return self._closing

    def close(self) -> None:
        self._closing = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._extra_info.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class MockedProtocol(BaseProtocol):
    """The protocol side of a mocked request (trusted_proxies and switch_protocol work)."""

    trusted_proxies = None

    async def wait_closed(self) -> None:
        await asyncio.Future()

    def force_close(self) -> None:
        """Close after the response (nothing to do without a connection)."""


class MockedMatchInfo(dict[str, str]):
    """A stand-in for the router's match info in mocked requests."""

    def __init__(self, parts: Mapping[str, str], app: Application | None) -> None:
        super().__init__(parts)
        if app is None:
            app = Application()
            object.__setattr__(app, "_mocked", True)  # str keys do not warn, as on 3.x's mock
        self._app = app
        self.apps: tuple[Application, ...] = (self._app,)
        self.current_app = self._app

    def add_app(self, app: Application) -> None:
        self.apps = (app, *self.apps)

    def freeze(self) -> None:
        pass
