"""The client exception tree: what each error is also, and what it says."""

from __future__ import annotations

import asyncio
import pickle
import ssl

import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from aiohttp.client import exceptions as exc
from aiohttp.client.request import ConnectionKey, RequestInfo

KEY = ConnectionKey("example.com", 443, True, True, None, None, None)
INFO = RequestInfo(URL("http://x/y"), "GET", CIMultiDictProxy(CIMultiDict()), URL("http://x/y#f"))


@pytest.mark.parametrize(
    ("child", "parents"),
    [
        (exc.ClientConnectionError, (exc.ClientError,)),
        (exc.ClientOSError, (exc.ClientConnectionError, OSError)),
        (exc.ClientConnectorError, (exc.ClientOSError,)),
        (exc.ClientConnectorDNSError, (exc.ClientConnectorError,)),
        (exc.ClientProxyConnectionError, (exc.ClientConnectorError,)),
        (exc.UnixClientConnectorError, (exc.ClientConnectorError,)),
        (exc.ClientSSLError, (exc.ClientConnectorError,)),
        (exc.ClientConnectorSSLError, (exc.ClientSSLError, ssl.SSLError)),
        (exc.ClientConnectorCertificateError, (exc.ClientSSLError,)),
        (exc.ClientConnectionResetError, (exc.ClientConnectionError, ConnectionResetError)),
        (exc.ServerDisconnectedError, (exc.ServerConnectionError,)),
        (exc.ServerTimeoutError, (exc.ServerConnectionError, asyncio.TimeoutError)),
        (exc.ConnectionTimeoutError, (exc.ServerTimeoutError,)),
        (exc.SocketTimeoutError, (exc.ServerTimeoutError,)),
        (exc.ServerFingerprintMismatch, (exc.ServerConnectionError,)),
        (exc.ContentTypeError, (exc.ClientResponseError,)),
        (exc.TooManyRedirects, (exc.ClientResponseError,)),
        (exc.ClientHttpProxyError, (exc.ClientResponseError,)),
        (exc.WSServerHandshakeError, (exc.ClientResponseError,)),
        (exc.DecompressionLimitError, (exc.ClientPayloadError,)),
        (exc.InvalidURL, (exc.ClientError, ValueError)),
        (exc.InvalidUrlRedirectClientError, (exc.InvalidUrlClientError, exc.RedirectClientError)),
        (exc.NonHttpUrlRedirectClientError, (exc.NonHttpUrlClientError, exc.RedirectClientError)),
    ],
)
def test_tree(child: type, parents: tuple[type, ...]) -> None:
    for parent in parents:
        assert issubclass(child, parent)


def test_every_name_in_all_is_a_client_error() -> None:
    for name in exc.__all__:
        assert issubclass(getattr(exc, name), exc.ClientError)


def test_response_error_text_and_deprecated_code_alias() -> None:
    err = exc.ClientResponseError(INFO, (), status=404, message="Not Found")
    assert str(err) == "404, message='Not Found', url='http://x/y#f'"
    # 3.x deprecates ``code`` (argument and attribute) for ``status``.
    with pytest.warns(DeprecationWarning, match="^code property is deprecated, use status"):
        assert err.code == 404
    with pytest.warns(DeprecationWarning, match="^code property is deprecated, use status"):
        err.code = 410
    assert err.status == 410
    with pytest.warns(DeprecationWarning, match="^code argument is deprecated, use status"):
        assert exc.ClientResponseError(INFO, (), code=500).status == 500
    with pytest.raises(ValueError, match="Both code and status"):
        exc.ClientResponseError(INFO, (), code=500, status=500)


def test_response_error_repr_names_what_was_given() -> None:
    # 3.x's repr: the arguments left at their defaults are not shown.
    assert repr(exc.ClientResponseError(INFO, ())) == f"ClientResponseError({INFO!r}, ())"
    err = exc.ClientResponseError(INFO, (), status=400, message="Bad", headers=CIMultiDict())
    assert repr(err) == (
        f"ClientResponseError({INFO!r}, (), status=400, message='Bad', headers=<CIMultiDict()>)"
    )
    assert exc.ClientResponseError(INFO, None).history == ()  # type: ignore[arg-type]


def test_connector_error_describes_host_and_reason() -> None:
    err = exc.ClientConnectorError(KEY, ConnectionRefusedError(111, "Connection refused"))
    assert str(err) == "Cannot connect to host example.com:443 ssl:default [Connection refused]"
    assert (err.host, err.port, err.ssl) == ("example.com", 443, True)
    assert err.errno == 111
    assert isinstance(err.os_error, ConnectionRefusedError)


def test_unix_connector_error_names_the_path() -> None:
    err = exc.UnixClientConnectorError("/run/x.sock", KEY, FileNotFoundError(2, "No such file"))
    assert err.path == "/run/x.sock"
    assert "unix socket /run/x.sock" in str(err)


def test_certificate_error_keeps_the_verification_error() -> None:
    cause = ssl.SSLCertVerificationError("hostname mismatch")
    err = exc.ClientConnectorCertificateError(KEY, cause)
    assert err.certificate_error is cause
    assert "SSLCertVerificationError" in str(err)


def test_certificate_error_ssl_tells_whether_the_connection_was_tls() -> None:
    # 3.x: ``ssl`` of this error is the key's ``is_ssl`` (not the ssl= setting), in str() too.
    key = ConnectionKey("example.com", 8080, False, True, None, None, None)
    err = exc.ClientConnectorCertificateError(key, Exception("Bad certificate"))
    assert err.ssl is False
    assert (
        str(err)
        == "Cannot connect to host example.com:8080 ssl:False [Exception: ('Bad certificate',)]"
    )
    restored = pickle.loads(pickle.dumps(err))
    assert (restored.host, restored.port, restored.ssl) == ("example.com", 8080, False)
    assert restored.certificate_error.args == ("Bad certificate",)


def test_server_errors() -> None:
    assert exc.ServerDisconnectedError().message == "Server disconnected"
    assert exc.ServerDisconnectedError("gone").args == ("gone",)
    mismatch = exc.ServerFingerprintMismatch(b"a", b"b", "h", 1)
    assert "expected=b'a'" in repr(mismatch)


def test_invalid_url_text() -> None:
    assert str(exc.InvalidURL("bad://")) == "bad://"
    err = exc.InvalidURL("x", "no host")
    assert (err.url, err.description, str(err)) == ("x", "no host", "x - no host")
    assert repr(err) == "<InvalidURL x - no host>"


def test_errors_survive_pickling() -> None:
    for err in (
        exc.ClientConnectorError(KEY, OSError(1, "x")),
        exc.ServerDisconnectedError("gone"),
        exc.InvalidURL("u", "d"),
    ):
        clone = pickle.loads(pickle.dumps(err))
        assert type(clone) is type(err)
        assert str(clone) == str(err)
