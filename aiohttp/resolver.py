"""The aiohttp 3.x module path of the resolvers (see :mod:`aiohttp.client.resolver`)."""

from .client.resolver import (
    AbstractResolver,
    AsyncResolver,
    DefaultResolver,
    ResolveResult,  # noqa: F401 - 3.x's module imports it
    ThreadedResolver,
)

__all__ = ("AbstractResolver", "AsyncResolver", "DefaultResolver", "ThreadedResolver")
