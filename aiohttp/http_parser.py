"""The aiohttp 3.x import path for parsed message heads.

``RawRequestMessage`` and ``RawResponseMessage`` are the heads the sans-I/O parsers emit
(:class:`~aiohttp._sansio.http1.RequestHead`, :class:`~aiohttp._sansio.http1.ResponseHead`).
The parsers themselves are :class:`~aiohttp._sansio.http1.RequestParser` and
:class:`~aiohttp._sansio.http1.ResponseParser`; aiohttp 3.x's ``HttpRequestParser`` needed a
protocol and an event loop, which the sans-I/O parsers do not, so that name is not provided.
"""

from ._sansio.http1 import RequestHead as RawRequestMessage
from ._sansio.http1 import RequestParser, ResponseParser
from ._sansio.http1 import ResponseHead as RawResponseMessage

__all__ = ["RawRequestMessage", "RawResponseMessage", "RequestParser", "ResponseParser"]
