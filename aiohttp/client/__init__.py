"""The HTTP client: sessions, connectors, requests and responses.

This package is also the aiohttp 3.x module ``aiohttp.client``: the names it exported are here.
"""

from .._io.websocket.messages import WSMessageTypeError
from .auth import BasicAuth
from .connection import Connection
from .connector import BaseConnector, TCPConnector, UnixConnector
from .exceptions import (
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
    ClientResponseError,
    ClientSSLError,
    ConnectionTimeoutError,
    ContentTypeError,
    DecompressionLimitError,
    InvalidURL,
    InvalidUrlClientError,
    InvalidUrlRedirectClientError,
    NonHttpUrlClientError,
    NonHttpUrlRedirectClientError,
    RedirectClientError,
    ServerConnectionError,
    ServerDisconnectedError,
    ServerFingerprintMismatch,
    ServerTimeoutError,
    SocketTimeoutError,
    TooManyRedirects,
    UnixClientConnectorError,
    UploadAbortedError,
    WSServerHandshakeError,
)
from .oneshot import request
from .redirects import has_no_authority as _has_no_authority  # noqa: F401 - 3.x's name
from .request import ClientRequest, ConnectionKey, RequestInfo
from .response import ClientResponse
from .retry import RetryPolicy
from .session import ClientSession
from .timeouts import DEFAULT_TIMEOUT, ClientTimeout  # noqa: F401 - 3.x's module global
from .tls import Fingerprint
from .upload import UploadTracker
from .websocket import ClientWebSocketResponse, ClientWSTimeout

__all__ = (
    "BaseConnector",
    "BasicAuth",
    "ClientConnectionError",
    "ClientConnectionResetError",
    "ClientConnectorCertificateError",
    "ClientConnectorDNSError",
    "ClientConnectorError",
    "ClientConnectorSSLError",
    "ClientError",
    "ClientHttpProxyError",
    "ClientOSError",
    "ClientPayloadError",
    "ClientProxyConnectionError",
    "ClientRequest",
    "ClientResponse",
    "ClientResponseError",
    "ClientSSLError",
    "ClientSession",
    "ClientTimeout",
    "ClientWSTimeout",
    "ClientWebSocketResponse",
    "Connection",
    "ConnectionKey",
    "ConnectionTimeoutError",
    "ContentTypeError",
    "DecompressionLimitError",
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
    "SocketTimeoutError",
    "TCPConnector",
    "TooManyRedirects",
    "UnixClientConnectorError",
    "UnixConnector",
    "UploadAbortedError",
    "UploadTracker",
    "WSMessageTypeError",
    "WSServerHandshakeError",
    "request",
)
