"""The 0.x client spellings the seed documents use, kept as thin deprecated aliases.

Each warns with a :class:`DeprecationWarning` naming the modern spelling:

=============================================== =============================================
0.x                                             today
=============================================== =============================================
``request(..., files={"name": fileobj})``       ``data=aiohttp.FormData()`` (or a dict whose
                                                values are file objects)
``auth=("user", "password")``                   ``headers={"Authorization":
                                                aiohttp.encode_basic_auth("user", "password")}``
``chunked=4096`` (a chunk size)                 ``chunked=True``
``request(..., encoding="utf-8")``              ``resp.text(encoding="utf-8")``
``aiohttp.connector.SocketConnector``           :class:`aiohttp.TCPConnector`
``aiohttp.connector.ProxyConnector(proxy)``     ``ClientSession(proxy=...)`` or ``proxy=`` on
                                                a request
=============================================== =============================================
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from yarl import URL

from .._io.formdata import FormData
from .auth import BasicAuth, basic_auth
from .connection import Connection
from .connector import TCPConnector
from .request import ClientRequest
from .timeouts import ClientTimeout
from .tracing import Trace

__all__ = ("ProxyConnector", "SocketConnector", "legacy_request_arguments")


def _warn(message: str) -> None:
    warnings.warn(message, DeprecationWarning, stacklevel=5)


def legacy_request_arguments(kwargs: dict[str, Any]) -> bool:
    """Rewrite 0.x request arguments in ``kwargs`` into today's, warning for each.

    Returns:
        Whether ``auth`` was a 0.x tuple (its warning given, the 3.14 one is not repeated).
    """
    files = kwargs.pop("files", None)
    if files is not None:
        _warn("files is deprecated, use data=aiohttp.FormData() with add_field(..., filename=)")
        kwargs["data"] = _form_with_files(kwargs.get("data"), files)
    auth = kwargs.get("auth")
    tuple_auth = False
    if isinstance(auth, tuple) and not isinstance(auth, BasicAuth):
        tuple_auth = True
        _warn(
            "An auth tuple is deprecated, use headers={'Authorization': "
            "aiohttp.encode_basic_auth(login, password)}"
        )
        kwargs["auth"] = basic_auth(*auth)
    chunked = kwargs.get("chunked")
    if type(chunked) is int:
        _warn("chunked=<chunk size> is deprecated, use chunked=True")
    if kwargs.pop("encoding", None) is not None:
        _warn("encoding is deprecated and ignored, use resp.text(encoding=...)")
    return tuple_auth


def _pairs(values: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(values, Mapping):
        return values.items()
    return values  # type: ignore[no-any-return]


def _form_with_files(data: Any, files: Any) -> FormData:
    """A multipart form of the ``data`` fields and the ``files``.

    A file is a file object, or a ``(filename, fileobj)`` or ``(filename, fileobj,
    content_type)`` tuple, as the 0.x ``files=`` argument took them.
    """
    form = FormData()
    if data:
        for name, value in _pairs(data):
            form.add_field(name, value)
    for name, value in _pairs(files):
        if isinstance(value, tuple | list):
            filename, fileobj, *rest = value
            form.add_field(name, fileobj, filename=filename, content_type=rest[0] if rest else None)
        else:
            form.add_field(name, value)
    return form


class SocketConnector(TCPConnector):
    """The 0.x name of :class:`~aiohttp.TCPConnector`."""


class ProxyConnector(TCPConnector):
    """The 0.x connector that sends every request through one HTTP proxy.

    Args:
        proxy: The proxy URL.
        proxy_auth: Credentials for the proxy.
        kwargs: :class:`~aiohttp.TCPConnector` arguments.
    """

    def __init__(self, proxy: str | URL, *, proxy_auth: BasicAuth | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self._proxy = URL(proxy)
        self._proxy_auth = proxy_auth

    @property
    def proxy(self) -> URL:
        """The proxy URL."""
        return self._proxy

    @property
    def proxy_auth(self) -> BasicAuth | None:
        """The proxy's credentials."""
        return self._proxy_auth

    async def connect(
        self,
        req: ClientRequest,
        traces: Sequence[Trace],
        timeout: ClientTimeout,  # noqa: ASYNC109 - the connector's signature
    ) -> Connection:
        """A connection through the proxy (for requests that name no proxy of their own)."""
        if req.proxy is None:
            req.update_proxy(self._proxy, self._proxy_auth, None)
        return await super().connect(req, traces, timeout)


_RENAMED = {
    "SocketConnector": (SocketConnector, "SocketConnector is deprecated, use aiohttp.TCPConnector"),
    "ProxyConnector": (
        ProxyConnector,
        "ProxyConnector is deprecated, use aiohttp.ClientSession(proxy=...) or proxy= on a request",
    ),
}


def renamed(name: str) -> Any:
    """The 0.x connector class called ``name``, with its deprecation warning.

    Raises:
        AttributeError: ``name`` is no 0.x connector.
    """
    entry = _RENAMED.get(name)
    if entry is None:
        raise AttributeError(f"module 'aiohttp.connector' has no attribute {name!r}")
    cls, message = entry
    warnings.warn(message, DeprecationWarning, stacklevel=3)
    return cls
