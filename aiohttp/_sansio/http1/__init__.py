"""HTTP/1.1 message parsing and serialization (RFC 9112), with no I/O.

Parse with :class:`RequestParser` (server side) or :class:`ResponseParser` (client side),
serialize with :func:`serialize_request_head`, :func:`serialize_response_head`,
:func:`encode_chunk` and :func:`encode_last_chunk`.
"""

from .events import (
    Data,
    EndOfMessage,
    Event,
    HttpVersion,
    HttpVersion10,
    HttpVersion11,
    RawHeaders,
    RequestHead,
    ResponseHead,
)
from .framing import Framing, response_has_body
from .parser import RequestParser, ResponseParser
from .serializer import (
    Fields,
    encode_chunk,
    encode_last_chunk,
    serialize_request_head,
    serialize_response_head,
)

__all__ = [
    "Data",
    "EndOfMessage",
    "Event",
    "Fields",
    "Framing",
    "HttpVersion",
    "HttpVersion10",
    "HttpVersion11",
    "RawHeaders",
    "RequestHead",
    "RequestParser",
    "ResponseHead",
    "ResponseParser",
    "encode_chunk",
    "encode_last_chunk",
    "response_has_body",
    "serialize_request_head",
    "serialize_response_head",
]
