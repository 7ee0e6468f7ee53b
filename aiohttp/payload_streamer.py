"""aiohttp 3.x import path for ``@streamer`` (see :mod:`aiohttp._io.streamer`)."""

from ._io.streamer import StreamPayload, StreamWrapperPayload, streamer  # noqa: F401

__all__ = ("streamer",)
