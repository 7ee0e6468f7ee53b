"""aiohttp 3.x import path for responses (see :mod:`aiohttp.web.messages.response`)."""

from multidict import CIMultiDict  # noqa: F401 - 3.x code imports it from here

from .web.messages.full_response import Response, json_bytes_response, json_response
from .web.messages.response import ContentCoding, StreamResponse

__all__ = [
    "ContentCoding",
    "Response",
    "StreamResponse",
    "json_bytes_response",
    "json_response",
]
