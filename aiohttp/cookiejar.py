"""aiohttp 3.x import path for the cookie jars (see :mod:`aiohttp.client.cookiejar`).

The private names are 3.x's for the jar's limits, which its test suite and extensions read.
"""

from ._sansio.cookies import DEFAULT_COOKIE_QUOTA_PER_DOMAIN as _COOKIE_QUOTA_PER_DOMAIN  # noqa: F401
from ._sansio.cookies import DEFAULT_COOKIE_QUOTA_TOTAL as _COOKIE_QUOTA_TOTAL  # noqa: F401
from ._sansio.cookies import DEFAULT_MAX_COOKIES_PER_DOMAIN as _MAX_COOKIES_PER_DOMAIN  # noqa: F401
from ._sansio.cookies import DEFAULT_MAX_COOKIES_TOTAL as _MAX_COOKIES_TOTAL  # noqa: F401
from .client.cookiejar import (  # noqa: F401
    _MAX_COOKIE_HEADER_LENGTH,
    _MAX_COOKIES_PER_REQUEST,
    CookieJar,
    DummyCookieJar,
    _UnlimitedCookieJar,
)

__all__ = ["CookieJar", "DummyCookieJar"]
