"""The aiohttp 3.x import path for the HTTP processing errors (:mod:`aiohttp._sansio.errors`)."""

from ._sansio.errors import (
    BadHttpMessage,
    BadHttpMethod,
    BadStatusLine,
    ContentEncodingError,
    ContentLengthError,
    HeaderSectionTooLarge,
    HttpBadRequest,
    HttpProcessingError,
    InvalidHeader,
    InvalidURLError,
    LineTooLong,
    PayloadEncodingError,
    TransferEncodingError,
    UnsupportedVersion,
)

__all__ = [
    "BadHttpMessage",
    "BadHttpMethod",
    "BadStatusLine",
    "ContentEncodingError",
    "ContentLengthError",
    "HeaderSectionTooLarge",
    "HttpBadRequest",
    "HttpProcessingError",
    "InvalidHeader",
    "InvalidURLError",
    "LineTooLong",
    "PayloadEncodingError",
    "TransferEncodingError",
    "UnsupportedVersion",
]
