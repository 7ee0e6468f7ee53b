"""The aiohttp 3.x module path of the ``Set-Cookie`` reader and its limits (see
:mod:`aiohttp.client.cookiejar` and :mod:`aiohttp._sansio.cookies`)."""

from ._sansio.cookies import (
    DEFAULT_MAX_ATTRIBUTE_VALUE_SIZE as _MAX_COOKIE_ATTRIBUTE_VALUE_LENGTH,  # noqa: F401
)
from .client.cookiejar import (  # noqa: F401
    _MAX_COOKIES_PER_RESPONSE,
    parse_set_cookie_headers,
)
