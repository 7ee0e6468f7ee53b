"""The aiohttp 3.x module path of the resolvers (see :mod:`aiohttp.client.resolver`)."""

from .client.resolver import AbstractResolver, AsyncResolver, DefaultResolver, ThreadedResolver

__all__ = ("AbstractResolver", "AsyncResolver", "DefaultResolver", "ThreadedResolver")
