"""The client's exceptions: one tree, raised at the layer boundary.

Lower layers raise ``OSError``, ``ssl.SSLError``, ``asyncio.TimeoutError`` or the parser's
``HttpProcessingError``; the client translates each once, where it crosses into ``aiohttp.client``,
into one of these::

    ClientError
    ├── ClientConnectionError
    │   ├── ClientConnectionResetError      (also ConnectionResetError)
    │   ├── ClientOSError                   (also OSError)
    │   │   └── ClientConnectorError        could not open a connection
    │   │       ├── ClientConnectorDNSError       name resolution failed
    │   │       ├── ClientProxyConnectionError    could not reach the proxy
    │   │       ├── UnixClientConnectorError      could not open the unix socket
    │   │       └── ClientSSLError                TLS handshake failed
    │   │           ├── ClientConnectorSSLError        (also ssl.SSLError)
    │   │           └── ClientConnectorCertificateError  certificate not trusted
    │   └── ServerConnectionError
    │       ├── ServerDisconnectedError     the peer closed before the response ended
    │       ├── ServerFingerprintMismatch   pinned certificate digest differs
    │       └── ServerTimeoutError          (also asyncio.TimeoutError)
    │           ├── ConnectionTimeoutError  connect or sock_connect elapsed
    │           └── SocketTimeoutError      sock_read elapsed
    ├── ClientResponseError                 a response arrived but is not acceptable
    │   ├── ClientHttpProxyError            the proxy refused CONNECT
    │   ├── ContentTypeError                json() on a non-JSON body
    │   ├── TooManyRedirects
    │   └── WSServerHandshakeError
    ├── ClientPayloadError                  the body was cut short or malformed
    │   └── DecompressionLimitError         the decoded body passed its limit (a bomb)
    ├── UploadAbortedError                  the request body was never fully sent
    ├── InvalidURL                          (also ValueError)
    │   └── InvalidUrlClientError
    │       └── InvalidUrlRedirectClientError   (also RedirectClientError)
    ├── NonHttpUrlClientError
    │   └── NonHttpUrlRedirectClientError       (also RedirectClientError)
    └── RedirectClientError
"""

from __future__ import annotations

import asyncio
import ssl
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDictProxy, MultiMapping

if TYPE_CHECKING:
    from .request import RequestInfo
    from .response import ClientResponse

__all__ = (
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
    "ClientResponseError",
    "ClientSSLError",
    "ConnectionTimeoutError",
    "ContentTypeError",
    "DecompressionLimitError",
    "InvalidURL",
    "InvalidUrlClientError",
    "InvalidUrlRedirectClientError",
    "NonHttpUrlClientError",
    "NonHttpUrlRedirectClientError",
    "RedirectClientError",
    "ServerConnectionError",
    "ServerDisconnectedError",
    "ServerFingerprintMismatch",
    "ServerTimeoutError",
    "SocketTimeoutError",
    "TooManyRedirects",
    "UnixClientConnectorError",
    "UploadAbortedError",
    "WSServerHandshakeError",
)


class ClientError(Exception):
    """The base of every error the client raises."""


_CODE_DEPRECATED = "code property is deprecated, use status instead"


class ClientResponseError(ClientError):
    """A response arrived but cannot be accepted (status, content type, redirects...).

    Args:
        request_info: What was sent.
        history: The responses that led here (redirects).
        status: The HTTP status code, when there is one.
        message: A short description (usually the reason phrase).
        headers: The response headers, when there are any.
    """

    def __init__(
        self,
        request_info: RequestInfo,
        history: Sequence[ClientResponse],
        *,
        code: int | None = None,
        status: int | None = None,
        message: str = "",
        headers: MultiMapping[str] | CIMultiDictProxy[str] | None = None,
    ) -> None:
        self.request_info = request_info
        if code is not None:
            if status is not None:
                raise ValueError(
                    "Both code and status arguments are provided; "
                    "code is deprecated, use status instead"
                )
            warnings.warn(
                "code argument is deprecated, use status instead", DeprecationWarning, stacklevel=2
            )
        self.status = status if status is not None else (code if code is not None else 0)
        self.message = message
        self.headers = headers
        self.history = tuple(history) if history is not None else ()
        self.args = (request_info, self.history)

    @property
    def code(self) -> int:
        """Deprecated alias of :attr:`status`."""
        warnings.warn(_CODE_DEPRECATED, DeprecationWarning, stacklevel=2)
        return self.status

    @code.setter
    def code(self, value: int) -> None:
        warnings.warn(_CODE_DEPRECATED, DeprecationWarning, stacklevel=2)
        self.status = value

    def __str__(self) -> str:
        return f"{self.status}, message={self.message!r}, url={str(self.request_info.real_url)!r}"

    def __repr__(self) -> str:
        # As 3.x: the arguments left at their defaults are not shown.
        args = f"{self.request_info!r}, {self.history!r}"
        if self.status != 0:
            args += f", status={self.status!r}"
        if self.message != "":
            args += f", message={self.message!r}"
        if self.headers is not None:
            args += f", headers={self.headers!r}"
        return f"{type(self).__name__}({args})"


class ContentTypeError(ClientResponseError):
    """``json()`` was asked of a response whose Content-Type is not the expected one."""


class WSServerHandshakeError(ClientResponseError):
    """The server refused or botched the WebSocket opening handshake."""


class ClientHttpProxyError(ClientResponseError):
    """The proxy answered CONNECT with a non-2xx status."""


class TooManyRedirects(ClientResponseError):
    """More redirects than ``max_redirects`` were followed."""


class ClientConnectionError(ClientError):
    """A problem with the connection itself (opening, reading or writing)."""


class ClientConnectionResetError(ClientConnectionError, ConnectionResetError):
    """The connection was reset or closed while writing."""


class ClientOSError(ClientConnectionError, OSError):
    """An ``OSError`` from the socket layer."""


class ClientConnectorError(ClientOSError):
    """The connector could not open a connection to the host.

    Args:
        connection_key: The key of the connection that failed (host, port, ssl...).
        os_error: The underlying error.
    """

    def __init__(self, connection_key: Any, os_error: OSError) -> None:
        self._conn_key = connection_key
        self._os_error = os_error
        super().__init__(os_error.errno, os_error.strerror)
        self.args = (connection_key, os_error)

    @property
    def os_error(self) -> OSError:
        """The underlying ``OSError``."""
        return self._os_error

    @property
    def host(self) -> str:
        """The host that could not be reached."""
        return str(self._conn_key.host)

    @property
    def port(self) -> int | None:
        """The port that could not be reached."""
        port: int | None = self._conn_key.port
        return port

    @property
    def ssl(self) -> Any:
        """The ``ssl`` setting of the failed connection."""
        return self._conn_key.ssl

    def __str__(self) -> str:
        ssl_text = "default" if self.ssl is True else self.ssl
        reason = self._os_error.strerror or str(self._os_error) or type(self._os_error).__name__
        return f"Cannot connect to host {self.host}:{self.port} ssl:{ssl_text} [{reason}]"

    __reduce__ = BaseException.__reduce__


class ClientConnectorDNSError(ClientConnectorError):
    """The host name could not be resolved."""


class ClientProxyConnectionError(ClientConnectorError):
    """The proxy could not be reached."""


class UnixClientConnectorError(ClientConnectorError):
    """The unix socket could not be opened.

    Args:
        path: The socket path.
        connection_key: The key of the connection that failed.
        os_error: The underlying error.
    """

    def __init__(self, path: str, connection_key: Any, os_error: OSError) -> None:
        self._path = path
        super().__init__(connection_key, os_error)

    @property
    def path(self) -> str:
        """The unix socket path."""
        return self._path

    def __str__(self) -> str:
        ssl_text = "default" if self.ssl is True else self.ssl
        reason = self._os_error.strerror or str(self._os_error)
        return f"Cannot connect to unix socket {self.path} ssl:{ssl_text} [{reason}]"


class ClientSSLError(ClientConnectorError):
    """The TLS handshake failed."""


class ClientConnectorSSLError(ClientSSLError, ssl.SSLError):
    """A TLS protocol error while connecting."""


class ClientConnectorCertificateError(ClientSSLError, ssl.CertificateError):
    """The server's certificate was not trusted.

    Args:
        connection_key: The key of the connection that failed.
        certificate_error: The verification error.
    """

    def __init__(self, connection_key: Any, certificate_error: Exception) -> None:
        self._certificate_error = certificate_error
        os_error = certificate_error if isinstance(certificate_error, OSError) else OSError()
        super().__init__(connection_key, os_error)
        self.args = (connection_key, certificate_error)

    @property
    def certificate_error(self) -> Exception:
        """The certificate verification error."""
        return self._certificate_error

    @property
    def ssl(self) -> bool:
        """Whether the connection was a TLS one (3.x: the key's ``is_ssl``)."""
        return bool(self._conn_key.is_ssl)

    def __str__(self) -> str:
        return (
            f"Cannot connect to host {self.host}:{self.port} ssl:{self.ssl} "
            f"[{type(self._certificate_error).__name__}: {self._certificate_error.args}]"
        )


class ServerConnectionError(ClientConnectionError):
    """The server misbehaved at the connection level."""


class ServerDisconnectedError(ServerConnectionError):
    """The server closed the connection before the response was complete.

    Args:
        message: What was going on when the connection closed.
    """

    def __init__(self, message: object = None) -> None:
        if message is None:
            message = "Server disconnected"
        self.args = (message,)
        self.message = message


class ServerTimeoutError(ServerConnectionError, asyncio.TimeoutError):
    """A timeout elapsed while talking to the server."""


class ConnectionTimeoutError(ServerTimeoutError):
    """Opening the connection took longer than ``connect`` or ``sock_connect``."""


class SocketTimeoutError(ServerTimeoutError):
    """No bytes arrived within ``sock_read``."""


class ServerFingerprintMismatch(ServerConnectionError):
    """The server's certificate digest differs from the pinned :class:`Fingerprint`.

    Args:
        expected: The pinned digest.
        got: The digest of the certificate the server sent.
        host: The server's host.
        port: The server's port.
    """

    def __init__(self, expected: bytes, got: bytes, host: str, port: int) -> None:
        self.expected = expected
        self.got = got
        self.host = host
        self.port = port
        self.args = (expected, got, host, port)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} expected={self.expected!r} got={self.got!r} "
            f"host={self.host!r} port={self.port!r}>"
        )


class ClientPayloadError(ClientError):
    """The response body was cut short or could not be decoded."""


class DecompressionLimitError(ClientPayloadError):
    """The decoded body grew past its limit (a decompression bomb).

    ``read()``, ``text()`` and ``json()`` stop past ``max_decompressed_read_size``; any reader
    stops past ``max_decompressed_size`` when that is set.
    """


class UploadAbortedError(ClientError):
    """The request body was never fully sent (see :class:`~aiohttp.UploadTracker`)."""


class InvalidURL(ClientError, ValueError):
    """The URL cannot be requested (no host, bad syntax...).

    Args:
        url: The offending URL.
        description: Why it was refused.
    """

    def __init__(self, url: Any, description: str | None = None) -> None:
        self._url = url
        self._description = description
        if description:
            super().__init__(url, description)
        else:
            super().__init__(url)

    @property
    def url(self) -> Any:
        """The offending URL."""
        return self._url

    @property
    def description(self) -> str | None:
        """Why the URL was refused."""
        return self._description

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self}>"

    def __str__(self) -> str:
        if self._description:
            return f"{self._url} - {self._description}"
        return str(self._url)


class InvalidUrlClientError(InvalidURL):
    """The URL given to a request is invalid."""


class RedirectClientError(ClientError):
    """A redirect cannot be followed."""


class NonHttpUrlClientError(ClientError):
    """The URL's scheme is not http, https, ws or wss."""


class InvalidUrlRedirectClientError(InvalidUrlClientError, RedirectClientError):
    """A redirect's ``Location`` is not a valid URL."""


class NonHttpUrlRedirectClientError(NonHttpUrlClientError, RedirectClientError):
    """A redirect points at a scheme other than http or https (``file:``, ``ftp:``...)."""


# Their public home is aiohttp 3.x's module: reprs, pickles and error reports that name a class
# by ``module.qualname`` (tracing, error trackers) read as they did with aiohttp 3.x.
for _name in __all__:
    globals()[_name].__module__ = "aiohttp.client_exceptions"
