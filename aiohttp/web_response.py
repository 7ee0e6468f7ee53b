"""aiohttp 3.x import path for responses (see :mod:`aiohttp.web.response`)."""

from .web.response import ContentCoding, Response, StreamResponse, json_response

__all__ = ["ContentCoding", "Response", "StreamResponse", "json_response"]
