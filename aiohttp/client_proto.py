"""The aiohttp 3.x module path of the client protocol (see :mod:`aiohttp.client.protocol`).

The other names are those 3.x's module imports, which code written for it imports from here.
"""

from ._io.protocol import BaseProtocol
from ._io.queues import DataQueue
from ._io.streams import DEFAULT_CHUNK_SIZE, EMPTY_PAYLOAD, StreamReader, set_exception, set_result
from .client.exceptions import (
    ClientConnectionError,
    ClientOSError,
    ClientPayloadError,
    ServerDisconnectedError,
    SocketTimeoutError,
)
from .client.protocol import ResponseHandler
from .client.timeouts import BaseTimerContext
from .http_exceptions import HttpProcessingError
from .http_parser import HttpResponseParser, RawResponseMessage

__all__ = ("ResponseHandler",)

#: The statuses whose responses have no body (RFC 9110 §6.4.1): 1xx, 204 and 304.
EMPTY_BODY_STATUS_CODES = frozenset({204, 304, *range(100, 200)})

_IMPORTED_BY_3X = (
    BaseProtocol,
    BaseTimerContext,
    ClientConnectionError,
    ClientOSError,
    ClientPayloadError,
    DEFAULT_CHUNK_SIZE,
    DataQueue,
    EMPTY_PAYLOAD,
    HttpProcessingError,
    HttpResponseParser,
    RawResponseMessage,
    ServerDisconnectedError,
    SocketTimeoutError,
    StreamReader,
    set_exception,
    set_result,
)
