"""aiohttp 3.x import path for the client WebSocket (see :mod:`aiohttp.client.websocket`).

The other names are those 3.x's module imports, which code written for it imports from here.
"""

from ._io.stream_iterators import EofStream
from ._io.streams import set_result
from ._io.timeouts import calculate_timeout_when
from ._io.websocket.messages import WSMessageTypeError
from ._io.websocket.plumbing import WebSocketDataQueue, WebSocketReader, WebSocketWriter
from .client.exceptions import ClientError, ServerTimeoutError
from .client.response import ClientResponse
from .client.websocket import DEFAULT_WS_CLIENT_TIMEOUT, ClientWebSocketResponse, ClientWSTimeout
from .http import (
    WS_CLOSED_MESSAGE,
    WS_CLOSING_MESSAGE,
    WebSocketError,
    WSCloseCode,
    WSMessage,
    WSMessageDecodeText,
    WSMessageNoDecodeText,
    WSMsgType,
)
from .typedefs import (
    DEFAULT_JSON_DECODER,
    DEFAULT_JSON_ENCODER,
    JSONBytesEncoder,
    JSONDecoder,
    JSONEncoder,
)

__all__ = ["DEFAULT_WS_CLIENT_TIMEOUT", "ClientWSTimeout", "ClientWebSocketResponse"]
_IMPORTED_BY_3X = (
    ClientError,
    ClientResponse,
    DEFAULT_JSON_DECODER,
    DEFAULT_JSON_ENCODER,
    EofStream,
    JSONBytesEncoder,
    JSONDecoder,
    JSONEncoder,
    ServerTimeoutError,
    WSCloseCode,
    WSMessage,
    WSMessageDecodeText,
    WSMessageNoDecodeText,
    WSMessageTypeError,
    WSMsgType,
    WS_CLOSED_MESSAGE,
    WS_CLOSING_MESSAGE,
    WebSocketDataQueue,
    WebSocketError,
    WebSocketReader,
    WebSocketWriter,
    calculate_timeout_when,
    set_result,
)
