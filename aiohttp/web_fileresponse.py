"""aiohttp 3.x import path for :class:`FileResponse`.

See :mod:`aiohttp.web.messages.file_response`.
"""

from .web.messages.file_response import FileResponse

__all__ = ["FileResponse"]
