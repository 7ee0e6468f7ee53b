"""aiohttp 3.x import path for the cookie jars (see :mod:`aiohttp.client.cookiejar`)."""

from .client.cookiejar import (  # noqa: F401 - and 3.x's private names its tests import
    _MAX_COOKIES_PER_REQUEST,
    CookieJar,
    DummyCookieJar,
    _UnlimitedCookieJar,
)

__all__ = ["CookieJar", "DummyCookieJar"]
