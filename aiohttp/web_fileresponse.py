"""aiohttp 3.x import path for :class:`FileResponse`.

See :mod:`aiohttp.web.messages.file_response`.
"""

from .web.messages.file_response import NOSENDFILE, FileResponse  # noqa: F401 - 3.x name

__all__ = ["FileResponse"]
