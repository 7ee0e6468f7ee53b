"""HTTP/1.1 and WebSocket client and server for asyncio, in pure Python."""

from . import hdrs

# Content handling: payloads, multipart bodies, forms, cookie jars.
from ._io.connect import AddrInfoType, SocketFactoryType
from ._io.formdata import FormData
from ._io.multipart import (
    BadContentDispositionHeader,
    BadContentDispositionParam,
    BodyPartReader,
    MultipartReader,
)
from ._io.multipart_writer import MultipartWriter
from ._io.payload import (
    PAYLOAD_REGISTRY,
    AsyncIterablePayload,
    BufferedReaderPayload,
    BytesIOPayload,
    BytesPayload,
    IOBasePayload,
    Payload,
    StringIOPayload,
    StringPayload,
    TextIOPayload,
    get_payload,
    payload_type,
)
from ._io.payload_json import JsonPayload

# WebSocket.
from ._io.queues import DataQueue, FlowControlDataQueue
from ._io.stream_iterators import EofStream
from ._io.streamer import streamer
from ._io.streams import EMPTY_PAYLOAD, StreamReader
from ._sansio.http1.events import HttpVersion, HttpVersion10, HttpVersion11
from ._sansio.mime import (
    content_disposition_filename,
    content_disposition_header,
    parse_content_disposition,
)
from ._sansio.websocket import WebSocketError, WSCloseCode, WSMessage, WSMsgType
from ._sansio.zlib_backend import set_zlib_backend

# The HTTP client.
from .client import (
    BaseConnector,
    BasicAuth,
    ClientConnectionError,
    ClientConnectionResetError,
    ClientConnectorCertificateError,
    ClientConnectorDNSError,
    ClientConnectorError,
    ClientConnectorSSLError,
    ClientError,
    ClientHttpProxyError,
    ClientOSError,
    ClientPayloadError,
    ClientProxyConnectionError,
    ClientRequest,
    ClientResponse,
    ClientResponseError,
    ClientSession,
    ClientSSLError,
    ClientTimeout,
    ConnectionTimeoutError,
    ContentTypeError,
    DecompressionLimitError,
    Fingerprint,
    InvalidURL,
    InvalidUrlClientError,
    InvalidUrlRedirectClientError,
    NonHttpUrlClientError,
    NonHttpUrlRedirectClientError,
    RedirectClientError,
    RequestInfo,
    RetryPolicy,
    ServerConnectionError,
    ServerDisconnectedError,
    ServerFingerprintMismatch,
    ServerTimeoutError,
    SocketTimeoutError,
    TCPConnector,
    TooManyRedirects,
    UnixClientConnectorError,
    UnixConnector,
    UploadAbortedError,
    UploadTracker,
    WSMessageTypeError,
    WSServerHandshakeError,
    request,
)
from .client.auth import encode_basic_auth
from .client.cookiejar import CookieJar, DummyCookieJar
from .client.digest import DigestAuthMiddleware
from .client.middlewares import ClientHandlerType, ClientMiddlewareType
from .client.resolver import AsyncResolver, DefaultResolver, ThreadedResolver
from .client.tracing import (
    TraceConfig,
    TraceConnectionCreateEndParams,
    TraceConnectionCreateStartParams,
    TraceConnectionQueuedEndParams,
    TraceConnectionQueuedStartParams,
    TraceConnectionReuseconnParams,
    TraceDnsCacheHitParams,
    TraceDnsCacheMissParams,
    TraceDnsResolveHostEndParams,
    TraceDnsResolveHostStartParams,
    TraceRequestChunkSentParams,
    TraceRequestEndParams,
    TraceRequestExceptionParams,
    TraceRequestHeadersSentParams,
    TraceRequestRedirectParams,
    TraceRequestRetryParams,
    TraceRequestStartParams,
    TraceResponseChunkReceivedParams,
)
from .client.websocket import ClientWebSocketResponse, ClientWSTimeout
from .web.app_key import ChainMapProxy
from .web.messages.headers import ETag

__version__ = "3.99.0"

__all__: list[str] = ["__version__", "hdrs"]
__all__ += ["HttpVersion", "HttpVersion10", "HttpVersion11"]  # HTTP/1.1
__all__ += [  # streams
    "EMPTY_PAYLOAD",
    "DataQueue",
    "EofStream",
    "FlowControlDataQueue",
    "StreamReader",
]
__all__ += [  # content handling
    "PAYLOAD_REGISTRY",
    "AsyncIterablePayload",
    "BadContentDispositionHeader",
    "BadContentDispositionParam",
    "BodyPartReader",
    "BufferedReaderPayload",
    "BytesIOPayload",
    "BytesPayload",
    "CookieJar",
    "DummyCookieJar",
    "FormData",
    "IOBasePayload",
    "JsonPayload",
    "MultipartReader",
    "MultipartWriter",
    "Payload",
    "StringIOPayload",
    "StringPayload",
    "TextIOPayload",
    "content_disposition_filename",
    "content_disposition_header",
    "get_payload",
    "parse_content_disposition",
    "payload_type",
    "streamer",
]
__all__ += [  # the HTTP client
    "AddrInfoType",
    "AsyncResolver",
    "BaseConnector",
    "BasicAuth",
    "ClientConnectionError",
    "ClientConnectionResetError",
    "ClientConnectorCertificateError",
    "ClientConnectorDNSError",
    "ClientConnectorError",
    "ClientConnectorSSLError",
    "ClientError",
    "ClientHandlerType",
    "ClientHttpProxyError",
    "ClientMiddlewareType",
    "ClientOSError",
    "ClientPayloadError",
    "ClientProxyConnectionError",
    "ClientRequest",
    "ClientResponse",
    "ClientResponseError",
    "ClientSSLError",
    "ClientSession",
    "ClientTimeout",
    "ConnectionTimeoutError",
    "ContentTypeError",
    "DecompressionLimitError",
    "DefaultResolver",
    "DigestAuthMiddleware",
    "Fingerprint",
    "InvalidURL",
    "InvalidUrlClientError",
    "InvalidUrlRedirectClientError",
    "NonHttpUrlClientError",
    "NonHttpUrlRedirectClientError",
    "RedirectClientError",
    "RequestInfo",
    "RetryPolicy",
    "ServerConnectionError",
    "ServerDisconnectedError",
    "ServerFingerprintMismatch",
    "ServerTimeoutError",
    "SocketFactoryType",
    "SocketTimeoutError",
    "TCPConnector",
    "ThreadedResolver",
    "TooManyRedirects",
    "TraceConfig",
    "TraceConnectionCreateEndParams",
    "TraceConnectionCreateStartParams",
    "TraceConnectionQueuedEndParams",
    "TraceConnectionQueuedStartParams",
    "TraceConnectionReuseconnParams",
    "TraceDnsCacheHitParams",
    "TraceDnsCacheMissParams",
    "TraceDnsResolveHostEndParams",
    "TraceDnsResolveHostStartParams",
    "TraceRequestChunkSentParams",
    "TraceRequestEndParams",
    "TraceRequestExceptionParams",
    "TraceRequestHeadersSentParams",
    "TraceRequestRedirectParams",
    "TraceRequestRetryParams",
    "TraceRequestStartParams",
    "TraceResponseChunkReceivedParams",
    "UnixClientConnectorError",
    "UnixConnector",
    "UploadAbortedError",
    "UploadTracker",
    "WSMessageTypeError",
    "WSServerHandshakeError",
    "request",
]
__all__ += ["ChainMapProxy", "ETag", "encode_basic_auth", "set_zlib_backend"]  # helpers
__all__ += ["GunicornUVLoopWebWorker", "GunicornWebWorker"]  # workers, imported on first use
__all__ += [  # WebSocket
    "ClientWSTimeout",
    "ClientWebSocketResponse",
    "WSCloseCode",
    "WSMessage",
    "WSMsgType",
    "WebSocketError",
]

# The gunicorn workers, importable as ``aiohttp.GunicornWebWorker`` (gunicorn's
# ``--worker-class`` spelling) without importing gunicorn on every ``import aiohttp``.
_WORKERS = frozenset({"GunicornWebWorker", "GunicornUVLoopWebWorker"})


def __getattr__(name: str) -> object:
    if name in _WORKERS:
        try:
            from . import worker  # noqa: PLC0415 - gunicorn is optional
        except ImportError:
            return None  # without gunicorn, as in 3.x
        return getattr(worker, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# 3.x's module paths: attributes of the package after a bare ``import aiohttp``, as in 3.x.
from . import (  # noqa: E402, F401
    _cookie_helpers,
    _websocket,
    abc,
    base_protocol,
    client_exceptions,
    client_middleware_digest_auth,
    client_middlewares,
    client_proto,
    client_reqrep,
    client_ws,
    compression_utils,
    connector,
    cookiejar,
    formdata,
    helpers,
    http,
    http_exceptions,
    http_parser,
    http_websocket,
    http_writer,
    log,
    multipart,
    payload,
    payload_streamer,
    resolver,
    streams,
    tcp_helpers,
    tracing,
    typedefs,
)
