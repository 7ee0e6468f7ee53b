"""aiohttp 3.x import path for :class:`FormData` (see :mod:`aiohttp._io.formdata`)."""

from ._io.formdata import FormData

__all__ = ["FormData"]
