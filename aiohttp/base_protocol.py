"""aiohttp 3.x import path for the protocol base (see :mod:`aiohttp._io.protocol`)."""

from ._io.protocol import BaseProtocol

__all__ = ["BaseProtocol"]
