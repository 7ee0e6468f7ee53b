"""The aiohttp 3.x import path for HTTP protocol names: versions, heads and errors."""

from http import HTTPStatus

from ._io.http_parser import HeadersParser, HttpParser, HttpRequestParser, HttpResponseParser
from ._io.websocket.plumbing import WebSocketReader, WebSocketWriter
from ._io.writer import StreamWriter
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
from ._sansio.websocket import WebSocketError, WSCloseCode, WSMessage, WSMsgType
from ._sansio.websocket.deflate import ws_ext_gen, ws_ext_parse
from ._sansio.websocket.handshake import GUID as _WS_GUID
from ._sansio.websocket.types import (
    WS_CLOSED_MESSAGE,
    WS_CLOSING_MESSAGE,
    WSMessageDecodeText,
    WSMessageNoDecodeText,
    WSMessageTextBytes,
)

WS_KEY = _WS_GUID.encode("ascii")
RESPONSES = {status: (status.phrase, status.description) for status in HTTPStatus}
"""Status code to ``(reason phrase, description)``, as in 3.x."""

__all__ = [
    "RESPONSES",
    "WS_CLOSED_MESSAGE",
    "WS_CLOSING_MESSAGE",
    "WS_KEY",
    "BadHttpMessage",
    "BadStatusLine",
    "ContentEncodingError",
    "ContentLengthError",
    "HeadersParser",
    "HttpBadRequest",
    "HttpParser",
    "HttpProcessingError",
    "HttpRequestParser",
    "HttpResponseParser",
    "HttpVersion",
    "HttpVersion10",
    "HttpVersion11",
    "InvalidHeader",
    "InvalidURLError",
    "LineTooLong",
    "PayloadEncodingError",
    "RawRequestMessage",
    "RawResponseMessage",
    "StreamWriter",
    "TransferEncodingError",
    "WSCloseCode",
    "WSMessage",
    "WSMessageDecodeText",
    "WSMessageNoDecodeText",
    "WSMessageTextBytes",
    "WSMsgType",
    "WebSocketError",
    "WebSocketReader",
    "WebSocketWriter",
    "ws_ext_gen",
    "ws_ext_parse",
]
