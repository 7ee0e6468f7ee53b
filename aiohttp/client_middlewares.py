"""The aiohttp 3.x module path of client middlewares (see :mod:`aiohttp.client.middlewares`)."""

from .client.middlewares import ClientHandlerType, ClientMiddlewareType, build_client_middlewares

__all__ = ("ClientHandlerType", "ClientMiddlewareType", "build_client_middlewares")
