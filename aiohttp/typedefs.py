"""aiohttp 3.x import path for the type aliases used in signatures (``aiohttp.typedefs``).

Type aliases only: they let annotated programs written for aiohttp 3.x keep their imports, e.g.
``from aiohttp.typedefs import Handler, LooseHeaders, StrOrURL``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, Iterable, Mapping
from http.cookies import BaseCookie, Morsel
from typing import TYPE_CHECKING, Any, Protocol, Union

from multidict import CIMultiDict, CIMultiDictProxy, MultiDict, MultiDictProxy, istr
from yarl import URL

from ._sansio.http1.events import RawHeaders

if TYPE_CHECKING:
    from .web.messages.request import Request
    from .web.messages.response import StreamResponse

__all__ = [
    "DEFAULT_JSON_DECODER",
    "DEFAULT_JSON_ENCODER",
    "Byteish",
    "Handler",
    "JSONBytesEncoder",
    "JSONDecoder",
    "JSONEncoder",
    "LooseCookies",
    "LooseCookiesIterables",
    "LooseCookiesMappings",
    "LooseHeaders",
    "Middleware",
    "MultiDict",
    "MultiDictProxy",
    "PathLike",
    "Query",
    "RawHeaders",
    "StrOrURL",
]

DEFAULT_JSON_ENCODER = json.dumps
"""The JSON encoder used where none is given."""
DEFAULT_JSON_DECODER = json.loads
"""The JSON decoder used where none is given."""

Byteish = Union[bytes, bytearray, memoryview]  # noqa: UP007 - a runtime alias
JSONEncoder = Callable[[Any], str]
JSONBytesEncoder = Callable[[Any], bytes]
JSONDecoder = Callable[[str], Any]
LooseHeaders = Union[  # noqa: UP007
    Mapping[str, str],
    Mapping[istr, str],
    CIMultiDict[str],
    CIMultiDictProxy[str],
    Iterable[tuple[Union[str, istr], str]],  # noqa: UP007
]
StrOrURL = Union[str, URL]  # noqa: UP007
LooseCookiesMappings = Mapping[str, Union[str, "BaseCookie[str]", "Morsel[Any]"]]
LooseCookiesIterables = Iterable[tuple[str, Union[str, "BaseCookie[str]", "Morsel[Any]"]]]
LooseCookies = Union[LooseCookiesMappings, LooseCookiesIterables, "BaseCookie[str]"]
Handler = Callable[["Request"], Awaitable["StreamResponse"]]


class Middleware(Protocol):
    """A middleware: ``await middleware(request, handler)`` gives the response."""

    def __call__(self, request: Request, handler: Handler) -> Awaitable[StreamResponse]: ...


PathLike = Union[str, "os.PathLike[str]"]
Query = Union[  # noqa: UP007
    None, str, Mapping[str, Any], Iterable[tuple[str, Any]]
]
