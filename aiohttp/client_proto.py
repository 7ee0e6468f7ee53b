"""The aiohttp 3.x module path of the client protocol (see :mod:`aiohttp.client.protocol`)."""

from .client.protocol import ResponseHandler

__all__ = ("ResponseHandler",)
