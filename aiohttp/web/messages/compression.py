"""Response compression: choosing a content coding and compressing a whole body.

:func:`choose_coding` applies a forced :class:`ContentCoding` or negotiates with the request's
``Accept-Encoding`` (RFC 9110 §12.5.3) among the codings :mod:`aiohttp._sansio.codings`
supports (gzip, deflate, and br / zstd when installed); :func:`compress_body` compresses a
known body, in an executor when it is large; :func:`add_vary_accept_encoding` marks the
response as varying with ``Accept-Encoding`` (RFC 9110 §12.5.5).
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import MutableMapping
from concurrent.futures import Executor

from ..._sansio.codings import SUPPORTED_CODINGS, Encoder, negotiate_content_coding

__all__ = ["ContentCoding", "add_vary_accept_encoding", "choose_coding", "compress_body"]


class ContentCoding(enum.Enum):
    """Codings :meth:`StreamResponse.enable_compression` can force (RFC 9110 §8.4.1)."""

    deflate = "deflate"
    gzip = "gzip"
    br = "br"
    zstd = "zstd"
    identity = "identity"


def choose_coding(force: ContentCoding | None, accept_encoding: str | None) -> str | None:
    """The coding to use, or ``None`` for none (identity)."""
    if force is not None:
        return None if force is ContentCoding.identity else force.value
    return negotiate_content_coding(accept_encoding, SUPPORTED_CODINGS)


def add_vary_accept_encoding(headers: MutableMapping[str, str]) -> None:
    """Add ``Accept-Encoding`` to ``Vary`` unless it is there (or ``Vary: *``)."""
    vary = headers.get("Vary", "")
    if "accept-encoding" not in vary.lower() and vary != "*":
        headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"


async def compress_body(
    body: bytes, coding: str, executor_size: int, executor: Executor | None
) -> bytes:
    """``body`` compressed whole with ``coding``; in ``executor`` past ``executor_size``."""
    encoder = Encoder(coding)

    def compress() -> bytes:
        return encoder.compress(body) + encoder.finish()

    if len(body) > executor_size:
        return await asyncio.get_running_loop().run_in_executor(executor, compress)
    return compress()
