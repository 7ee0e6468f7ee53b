"""``aiohttp.request()``: one request with a session of its own."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

from yarl import URL

from .._sansio.http1.events import HttpVersion, HttpVersion11
from .connector import BaseConnector, TCPConnector
from .context import SessionRequestContextManager
from .deprecated import warn_loop_argument
from .session import ClientSession
from .settings import NOT_GIVEN
from .timeouts import ClientTimeout

__all__ = ("request",)


def request(
    method: str,
    url: str | URL,
    *,
    version: HttpVersion = HttpVersion11,
    connector: BaseConnector | None = None,
    loop: asyncio.AbstractEventLoop | None = None,
    **kwargs: Any,
) -> SessionRequestContextManager:
    """Send one request with a session of its own: ``async with aiohttp.request(...) as resp``.

    Args:
        method: The method.
        url: The URL.
        version: The HTTP version.
        connector: The connector (a new one closing connections after use by default).
        loop: Deprecated.
        kwargs: Any :meth:`ClientSession.request` argument; ``cookies`` and ``timeout`` are the
            one-request session's.
    """
    warn_loop_argument(loop, "the request", stacklevel=2)
    timeout = kwargs.pop("timeout", NOT_GIVEN)
    if not (timeout is NOT_GIVEN or timeout is None or isinstance(timeout, ClientTimeout)):
        warnings.warn(
            "A number as timeout is deprecated; use timeout=aiohttp.ClientTimeout(total=...)",
            DeprecationWarning,
            stacklevel=2,
        )
        timeout = ClientTimeout(total=timeout)
    owner = connector is None
    if connector is None:
        connector = TCPConnector(force_close=True)
    session = ClientSession(
        cookies=kwargs.pop("cookies", None),
        version=version,
        timeout=timeout,
        connector=connector,
        connector_owner=owner,
    )
    return SessionRequestContextManager(session._request(method, url, **kwargs), session)
