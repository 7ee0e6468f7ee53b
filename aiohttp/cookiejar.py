"""aiohttp 3.x import path for the cookie jars (see :mod:`aiohttp.client.cookiejar`)."""

from .client.cookiejar import CookieJar, DummyCookieJar

__all__ = ["CookieJar", "DummyCookieJar"]
