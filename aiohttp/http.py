"""The aiohttp 3.x import path for HTTP protocol names: versions, heads and errors."""

from ._sansio.errors import (
    BadHttpMessage,
    BadStatusLine,
    ContentEncodingError,
    ContentLengthError,
    HttpBadRequest,
    HttpProcessingError,
    InvalidHeader,
    InvalidURLError,
    LineTooLong,
    PayloadEncodingError,
    TransferEncodingError,
)
from ._sansio.http1 import HttpVersion, HttpVersion10, HttpVersion11
from ._sansio.http1 import RequestHead as RawRequestMessage
from ._sansio.http1 import ResponseHead as RawResponseMessage

__all__ = [
    "BadHttpMessage",
    "BadStatusLine",
    "ContentEncodingError",
    "ContentLengthError",
    "HttpBadRequest",
    "HttpProcessingError",
    "HttpVersion",
    "HttpVersion10",
    "HttpVersion11",
    "InvalidHeader",
    "InvalidURLError",
    "LineTooLong",
    "PayloadEncodingError",
    "RawRequestMessage",
    "RawResponseMessage",
    "TransferEncodingError",
]
