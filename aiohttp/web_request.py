"""aiohttp 3.x import path for requests (see :mod:`aiohttp.web.request`)."""

from .web.request import BaseRequest, FileField, Request

__all__ = ["BaseRequest", "FileField", "Request"]
