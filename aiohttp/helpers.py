"""The aiohttp 3.x module path of a few public helpers.

``BasicAuth`` lives in :mod:`aiohttp.client.auth`; ``MimeType``, ``parse_mimetype`` and
``content_disposition_header`` in :mod:`aiohttp._sansio.mime`.
"""

from ._sansio.mime import MimeType, content_disposition_header, parse_mimetype
from .client.auth import BasicAuth

__all__ = ("BasicAuth", "MimeType", "content_disposition_header", "parse_mimetype")
