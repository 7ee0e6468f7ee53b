"""aiohttp 3.x import path for :class:`FileResponse` (see :mod:`aiohttp.web.file_response`)."""

from .web.file_response import FileResponse

__all__ = ["FileResponse"]
