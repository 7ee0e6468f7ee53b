"""The response body decoders the client protocol uses: :class:`ContentDecoder` and the
factories that pick one for a response's content coding (RFC 9110 §8.4)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from .._sansio.codings import UnknownContentCodingError, decoder_for

__all__ = ("DEFAULT_DECODERS", "ContentDecoder", "decoder_factory")


class ContentDecoder(Protocol):
    """An incremental content decoder (see :mod:`aiohttp._sansio.codings`)."""

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decode the next piece of body, yielding bounded pieces as they are produced."""

    def finish(self) -> None:
        """Declare the end of the body (raises when the coded stream is truncated)."""


def decoder_factory(max_size: int | None) -> Callable[[str], ContentDecoder | None]:
    """The decoder for each content coding, inflating at most ``max_size`` bytes (``None``:
    no limit); an unknown coding gets none, so the body is passed through as it is."""

    def make(coding: str) -> ContentDecoder | None:
        try:
            return decoder_for(coding, max_size=max_size)
        except UnknownContentCodingError:
            return None

    return make


#: The decoders without a size limit.
DEFAULT_DECODERS = decoder_factory(None)
