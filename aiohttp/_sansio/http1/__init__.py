"""HTTP/1.1 (RFC 9112) with no I/O: one connection's state, its parsers and serializers.

:class:`HttpConnection` is one side of a connection (``HttpConnection(Role.SERVER)`` or
``Role.CLIENT``): it reads the peer's bytes into events and turns what we send into bytes,
keeping both sides' :class:`State` by the tables of :mod:`aiohttp._sansio.http1.states`. Below
it, parse with :class:`RequestParser` (server side) or :class:`ResponseParser` (client side),
serialize with :func:`serialize_request_head`, :func:`serialize_response_head`,
:func:`encode_chunk` and :func:`encode_last_chunk`.
"""

from .connection import HttpConnection
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
from .parser import RequestParser
from .response_parser import ResponseParser
from .serializer import (
    Fields,
    encode_chunk,
    encode_last_chunk,
    serialize_request_head,
    serialize_response_head,
)
from .states import Role, State

__all__ = [
    "Data",
    "EndOfMessage",
    "Event",
    "Fields",
    "Framing",
    "HttpConnection",
    "HttpVersion",
    "HttpVersion10",
    "HttpVersion11",
    "RawHeaders",
    "RequestHead",
    "RequestParser",
    "ResponseHead",
    "ResponseParser",
    "Role",
    "State",
    "encode_chunk",
    "encode_last_chunk",
    "response_has_body",
    "serialize_request_head",
    "serialize_response_head",
]
