"""``@streamer``: a coroutine function that writes a body, usable as a payload (aiohttp 3.x).

Deprecated in 3.x in favour of async generators, and deprecated here the same way::

    @aiohttp.streamer
    async def file_sender(writer, file_name=None):
        with open(file_name, "rb") as f:
            while chunk := f.read(2**16):
                await writer.write(chunk)

    await session.post(url, data=file_sender(file_name="huge_file"))

Calling the decorated function records its arguments; the payload calls it with the writer
first each time the body is written.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from .payload import Payload, _Writer, payload_type

__all__ = ("StreamPayload", "StreamWrapperPayload", "streamer")


class _stream_wrapper:
    """A decorated function with its arguments, waiting for the writer."""

    def __init__(
        self,
        coro: Callable[..., Awaitable[None]],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        self.coro = coro
        self.args = args
        self.kwargs = kwargs

    async def __call__(self, writer: _Writer) -> None:
        await self.coro(writer, *self.args, **self.kwargs)


class streamer:
    """Decorator: make ``coro(writer, *args, **kwargs)`` a body source.

    Deprecated: pass an async generator of ``bytes`` as the body instead.
    """

    def __init__(self, coro: Callable[..., Awaitable[None]]) -> None:
        warnings.warn(
            "@streamer is deprecated, use async generators instead",
            DeprecationWarning,
            stacklevel=2,
        )
        self.coro = coro

    def __call__(self, *args: Any, **kwargs: Any) -> _stream_wrapper:
        return _stream_wrapper(self.coro, args, kwargs)


@payload_type(_stream_wrapper)
class StreamWrapperPayload(Payload):
    """The payload of a called ``@streamer`` function: it writes the body itself."""

    async def write(self, writer: _Writer) -> None:
        """Run the function with ``writer``."""
        await self._value(writer)

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """Not available: the body is produced only when written.

        Raises:
            TypeError: always.
        """
        raise TypeError("Unable to decode.")


@payload_type(streamer)
class StreamPayload(StreamWrapperPayload):
    """The payload of a ``@streamer`` function passed without calling it (no arguments)."""

    def __init__(self, value: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(value(), *args, **kwargs)
