"""The aiohttp 3.x module path of a few public helpers.

``BasicAuth`` and ``encode_basic_auth`` live in :mod:`aiohttp.client.auth`; ``MimeType``,
``parse_mimetype`` and ``content_disposition_header`` in :mod:`aiohttp._sansio.mime`;
``HeadersMixin`` and ``TimerNoop`` (used by client mocking libraries) in :mod:`aiohttp.client`;
``ChainMapProxy`` in :mod:`aiohttp.web.app_key`; ``ETag`` in :mod:`aiohttp.web.messages.headers`;
``set_exception`` in :mod:`aiohttp._io.streams`. ``reify``, the cached property that extensions
import from here, is propcache's ``under_cached_property``, as in aiohttp 3.x (the value is kept
in the instance's ``_cache`` dict). ``sentinel``, the "argument not given" default of 3.x
signatures, is defined here.
"""

from __future__ import annotations

import enum
import platform

from propcache.api import under_cached_property as reify

from ._io.streams import DEFAULT_CHUNK_SIZE, set_exception  # noqa: F401
from ._sansio.mime import MimeType, content_disposition_header, parse_mimetype
from .client.auth import BasicAuth, encode_basic_auth  # noqa: F401 - 3.x defines it here
from .client.response import HeadersMixin
from .client.timeouts import BaseTimerContext, TimerNoop
from .web.app_key import ChainMapProxy
from .web.messages.headers import ETag

__all__ = (
    "BaseTimerContext",
    "BasicAuth",
    "ChainMapProxy",
    "ETag",
    "HeadersMixin",
    "MimeType",
    "TimerNoop",
    "content_disposition_header",
    "parse_mimetype",
    "reify",
)


class _SENTINEL(enum.Enum):
    sentinel = enum.auto()


#: The default of parameters whose absence means something ("not given").
sentinel = _SENTINEL.sentinel

# 3.x module-level names defined elsewhere (kept at the end of the module).
from ._io.dev_mode import DEBUG  # noqa: E402, F401 - Python's development mode is on
from ._sansio.dates import parse_http_date  # noqa: E402, F401
from .client.auth import basic_auth as _basic_auth_no_warn  # noqa: E402, F401 - no warning
from .client.proxy import IS_WINDOWS  # noqa: E402, F401 - where the netrc file is
from .web.messages.response import (  # noqa: E402, F401
    EMPTY_BODY_METHODS,
    must_be_empty_body,
    should_remove_content_length,
)

#: Whether this is macOS (3.x's platform flag, beside ``IS_WINDOWS``).
IS_MACOS = platform.system() == "Darwin"
