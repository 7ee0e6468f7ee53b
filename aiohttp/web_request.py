"""aiohttp 3.x import path for requests (see :mod:`aiohttp.web.messages.request`)."""

from .web.messages.request import BaseRequest, FileField, Request

__all__ = ["BaseRequest", "FileField", "Request"]
