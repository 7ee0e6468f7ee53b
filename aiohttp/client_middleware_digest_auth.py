"""The aiohttp 3.x module path of Digest authentication (see :mod:`aiohttp.client.digest`)."""

from yarl import URL

from . import hdrs
from ._io.payload import Payload
from .client.digest import _PAIR as _HEADER_PAIRS_PATTERN  # noqa: F401 - 3.x's name
from .client.digest import (
    CHALLENGE_FIELDS,
    QUOTED_AUTH_FIELDS,
    SUPPORTED_ALGORITHMS,
    DigestAuthChallenge,
    DigestAuthMiddleware,
    DigestFunctions,
    escape_quotes,
    parse_header_pairs,
    unescape_quotes,
)
from .client.exceptions import ClientError
from .client.middlewares import ClientHandlerType
from .client.request import ClientRequest
from .client.response import ClientResponse

__all__ = (
    "CHALLENGE_FIELDS",
    "QUOTED_AUTH_FIELDS",
    "SUPPORTED_ALGORITHMS",
    "URL",
    "ClientError",
    "ClientHandlerType",
    "ClientRequest",
    "ClientResponse",
    "DigestAuthChallenge",
    "DigestAuthMiddleware",
    "DigestFunctions",
    "Payload",
    "escape_quotes",
    "hdrs",
    "parse_header_pairs",
    "unescape_quotes",
)
