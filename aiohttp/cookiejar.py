"""aiohttp 3.x import path for the cookie jars (see :mod:`aiohttp.client.cookiejar`)."""

from .client.cookiejar import _MAX_COOKIES_PER_REQUEST, CookieJar, DummyCookieJar  # noqa: F401

__all__ = ["CookieJar", "DummyCookieJar"]
