"""The aiohttp 3.x import path for the HTTP parsers and the message heads they give.

``RawRequestMessage`` and ``RawResponseMessage`` are the heads the sans-I/O parsers emit
(:class:`~aiohttp._sansio.http1.RequestHead`, :class:`~aiohttp._sansio.http1.ResponseHead`).
The sans-I/O parsers are :class:`~aiohttp._sansio.http1.RequestParser` and
:class:`~aiohttp._sansio.http1.ResponseParser`; 3.x's ``HttpRequestParser``,
``HttpResponseParser`` and ``HeadersParser`` are adapters over them with 3.x's constructors
(:mod:`aiohttp._io.http_parser`), and so are its ``HttpPayloadParser`` and ``DeflateBuffer``
(:mod:`aiohttp._io.http_payload`). The ``...Py`` names are the same classes: there is only the
Python implementation. ``NO_EXTENSIONS`` is ``True``: this package has no C
extensions, so the parsers are always the pure-Python ones.
"""

from ._io.http_parser import HeadersParser, HttpParser, HttpRequestParser, HttpResponseParser
from ._io.http_parser import HttpRequestParser as HttpRequestParserPy  # noqa: F401
from ._io.http_parser import HttpResponseParser as HttpResponseParserPy  # noqa: F401
from ._io.http_payload import DeflateBuffer, HttpPayloadParser, PayloadState  # noqa: F401
from ._sansio.http1 import RequestHead as RawRequestMessage
from ._sansio.http1 import RequestParser, ResponseParser
from ._sansio.http1 import ResponseHead as RawResponseMessage

#: No C extensions are used (this package has none).
NO_EXTENSIONS = True

__all__ = [
    "HeadersParser",
    "HttpParser",
    "HttpRequestParser",
    "HttpResponseParser",
    "RawRequestMessage",
    "RawResponseMessage",
    "RequestParser",
    "ResponseParser",
]
