"""aiohttp 3.x import path for the connection protocol (see :mod:`aiohttp.web.protocol`)."""

from collections.abc import Awaitable, Callable

from .web.errors import RequestPayloadError
from .web.protocol import RequestHandler
from .web.request import BaseRequest
from .web.request_body import PayloadAccessError
from .web.response import StreamResponse

#: The low-level handler type (``async def handler(request) -> StreamResponse``);
#: imported from here by pytest-aiohttp.
_RequestHandler = Callable[[BaseRequest], Awaitable[StreamResponse]]

__all__ = ["PayloadAccessError", "RequestHandler", "RequestPayloadError"]
