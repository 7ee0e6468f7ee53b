"""aiohttp 3.x import path for the connection protocol (see :mod:`aiohttp.web.server.protocol`)."""

from collections.abc import Awaitable, Callable

from .web.messages.request import BaseRequest
from .web.messages.request_body import PayloadAccessError
from .web.messages.response import StreamResponse
from .web.server.errors import RequestPayloadError
from .web.server.lowlevel import MAX_PIPELINED_REQUESTS as MAX_MSG_QUEUE_SIZE  # noqa: F401
from .web.server.protocol import RequestHandler

#: The low-level handler type (``async def handler(request) -> StreamResponse``);
#: imported from here by pytest-aiohttp.
_RequestHandler = Callable[[BaseRequest], Awaitable[StreamResponse]]

__all__ = ["PayloadAccessError", "RequestHandler", "RequestPayloadError"]
