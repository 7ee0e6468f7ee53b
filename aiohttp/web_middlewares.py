"""aiohttp 3.x import path for middlewares (see :mod:`aiohttp.web.middlewares`)."""

from .web.middlewares import middleware, normalize_path_middleware

__all__ = ["middleware", "normalize_path_middleware"]
