"""aiohttp 3.x import path for the message writer (see :mod:`aiohttp._io.writer`)."""

from ._io.writer import AbstractStreamWriter, StreamWriter
from ._io.writer import serialize_start_line as _serialize_headers  # noqa: F401 - 3.x name
from ._sansio.http1 import HttpVersion, HttpVersion10, HttpVersion11

__all__ = ["AbstractStreamWriter", "HttpVersion", "HttpVersion10", "HttpVersion11", "StreamWriter"]
