"""aiohttp 3.x import path for multipart bodies (see :mod:`aiohttp._io.multipart` and
:mod:`aiohttp._io.multipart_writer`)."""

from ._io.multipart import (
    BadContentDispositionHeader,
    BadContentDispositionParam,
    BodyPartReader,
    MultipartReader,
    MultipartResponseWrapper,
)
from ._io.multipart_writer import BodyPartReaderPayload, MultipartWriter
from ._sansio.mime import content_disposition_filename, parse_content_disposition

__all__ = [
    "BadContentDispositionHeader",
    "BadContentDispositionParam",
    "BodyPartReader",
    "BodyPartReaderPayload",
    "MultipartReader",
    "MultipartResponseWrapper",
    "MultipartWriter",
    "content_disposition_filename",
    "parse_content_disposition",
]
