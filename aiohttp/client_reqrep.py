"""The aiohttp 3.x module path of requests and responses (see :mod:`aiohttp.client`)."""

from types import MappingProxyType  # noqa: F401 - 3.x code imports it from here

from .client.headers import _accept_encoding as _gen_default_accept_encoding  # noqa: F401
from .client.request import ClientRequest, ConnectionKey, RequestInfo
from .client.response import _LINK_PARAM_RE, ClientResponse, ContentDisposition  # noqa: F401
from .client.tls import Fingerprint
from .client.tls import merge_ssl_params as _merge_ssl_params  # noqa: F401
from .client.upload import UploadTracker

__all__ = (
    "ClientRequest",
    "ClientResponse",
    "ConnectionKey",
    "ContentDisposition",
    "Fingerprint",
    "RequestInfo",
    "UploadTracker",
)
