"""The aiohttp 3.x module path of the resolvers (see :mod:`aiohttp.client.resolver`)."""

from .client.resolver import AbstractResolver, DefaultResolver, ThreadedResolver

__all__ = ("AbstractResolver", "DefaultResolver", "ThreadedResolver")
