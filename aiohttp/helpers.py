"""The aiohttp 3.x module path of a few public helpers (``BasicAuth``)."""

from .client.auth import BasicAuth

__all__ = ("BasicAuth",)
