"""The aiohttp 3.x module path of the client exceptions (see :mod:`aiohttp.client.exceptions`)."""

from .client import exceptions as _exceptions
from .client.exceptions import *  # noqa: F403

__all__ = _exceptions.__all__
