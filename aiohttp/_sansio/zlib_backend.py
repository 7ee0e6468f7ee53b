"""The zlib implementation behind the gzip and deflate codings and permessage-deflate.

``set_zlib_backend(module)`` (aiohttp 3.x's API) swaps the standard library's :mod:`zlib` for a
faster module with the same interface, such as ``isal.isal_zlib`` or ``zlib_ng.zlib_ng``; every
compressor and decompressor made afterwards comes from it. :data:`ZLibBackend` stands for the
module in use.
"""

from __future__ import annotations

import sys
import zlib
from typing import Any, Protocol, TypedDict, Union

if sys.version_info >= (3, 12):  # pragma: no cover - Python 3.12 and later
    from collections.abc import Buffer
else:  # pragma: no cover - Python 3.11
    Buffer = Union[bytes, bytearray, memoryview]  # noqa: UP007 - a runtime alias

__all__ = (
    "ZLIB_MAX_LENGTH_UNLIMITED",
    "ZSTD_MAX_LENGTH_UNLIMITED",
    "Buffer",
    "CompressObjArgs",
    "ZLibBackend",
    "ZLibBackendProtocol",
    "ZLibBackendWrapper",
    "ZLibCompressObjProtocol",
    "ZLibDecompressObjProtocol",
    "encoding_to_mode",
    "set_zlib_backend",
)

#: The ``max_length`` that means "no limit" to a zlib decompressor.
ZLIB_MAX_LENGTH_UNLIMITED = 0
#: The ``max_length`` that means "no limit" to a zstd decompressor.
ZSTD_MAX_LENGTH_UNLIMITED = -1


class ZLibCompressObjProtocol(Protocol):
    """What ``compressobj()`` returns."""

    def compress(self, data: Buffer) -> bytes: ...

    def flush(self, mode: int = ..., /) -> bytes: ...


class ZLibDecompressObjProtocol(Protocol):
    """What ``decompressobj()`` returns."""

    def decompress(self, data: Buffer, max_length: int = ...) -> bytes: ...

    def flush(self, length: int = ..., /) -> bytes: ...

    @property
    def eof(self) -> bool: ...

    @property
    def unconsumed_tail(self) -> bytes: ...

    @property
    def unused_data(self) -> bytes: ...


class ZLibBackendProtocol(Protocol):
    """A module with :mod:`zlib`'s interface."""

    MAX_WBITS: int
    Z_FULL_FLUSH: int
    Z_SYNC_FLUSH: int
    Z_BEST_SPEED: int
    Z_FINISH: int

    def compressobj(  # noqa: PLR0917 - zlib.compressobj's signature
        self,
        level: int = ...,
        method: int = ...,
        wbits: int = ...,
        memLevel: int = ...,
        strategy: int = ...,
        zdict: Buffer | None = ...,
    ) -> ZLibCompressObjProtocol: ...

    def decompressobj(self, wbits: int = ..., zdict: Buffer = ...) -> ZLibDecompressObjProtocol: ...

    def compress(self, data: Buffer, /, level: int = ..., wbits: int = ...) -> bytes: ...

    def decompress(self, data: Buffer, /, wbits: int = ..., bufsize: int = ...) -> bytes: ...


class CompressObjArgs(TypedDict, total=False):
    """Keyword arguments for ``compressobj()``."""

    wbits: int
    strategy: int
    level: int


class ZLibBackendWrapper:
    """Stands for the zlib module in use; its other attributes pass through to it.

    Args:
        _zlib_backend: the module.
    """

    def __init__(self, _zlib_backend: ZLibBackendProtocol) -> None:
        self._zlib_backend = _zlib_backend

    @property
    def name(self) -> str:
        """The module's name (``"zlib"``, ``"isal.isal_zlib"`` ...)."""
        return getattr(self._zlib_backend, "__name__", "undefined")

    @property
    def MAX_WBITS(self) -> int:
        """The largest window size, as a base-two logarithm."""
        return self._zlib_backend.MAX_WBITS

    @property
    def Z_FULL_FLUSH(self) -> int:
        """The flush mode that also resets the compression state."""
        return self._zlib_backend.Z_FULL_FLUSH

    @property
    def Z_SYNC_FLUSH(self) -> int:
        """The flush mode that ends on a byte boundary (RFC 7692 §7.2.1)."""
        return self._zlib_backend.Z_SYNC_FLUSH

    @property
    def Z_BEST_SPEED(self) -> int:
        """The fastest compression level."""
        return self._zlib_backend.Z_BEST_SPEED

    @property
    def Z_FINISH(self) -> int:
        """The flush mode that ends the stream."""
        return self._zlib_backend.Z_FINISH

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        """What a corrupt stream raises: ``zlib.error`` and the module's own ``error``."""
        error = getattr(self._zlib_backend, "error", zlib.error)
        return (zlib.error,) if error is zlib.error else (zlib.error, error)

    def compressobj(self, *args: Any, **kwargs: Any) -> ZLibCompressObjProtocol:
        """A compressor, as ``zlib.compressobj``."""
        return self._zlib_backend.compressobj(*args, **kwargs)

    def decompressobj(self, *args: Any, **kwargs: Any) -> ZLibDecompressObjProtocol:
        """A decompressor, as ``zlib.decompressobj``."""
        return self._zlib_backend.decompressobj(*args, **kwargs)

    def compress(self, data: bytes, *args: Any, **kwargs: Any) -> bytes:
        """Compress in one call, as ``zlib.compress``."""
        return self._zlib_backend.compress(data, *args, **kwargs)

    def decompress(self, data: bytes, *args: Any, **kwargs: Any) -> bytes:
        """Decompress in one call, as ``zlib.decompress``."""
        return self._zlib_backend.decompress(data, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._zlib_backend, name)


#: The zlib module in use.
ZLibBackend = ZLibBackendWrapper(zlib)


def set_zlib_backend(new_zlib_backend: ZLibBackendProtocol) -> None:
    """Use ``new_zlib_backend`` (a module with :mod:`zlib`'s interface) from now on."""
    ZLibBackend._zlib_backend = new_zlib_backend


def encoding_to_mode(encoding: str | None = None, suppress_deflate_header: bool = False) -> int:
    """The ``wbits`` for a content coding: a gzip wrapper, a zlib one, or none (raw deflate)."""
    if encoding == "gzip":
        return 16 + ZLibBackend.MAX_WBITS
    return -ZLibBackend.MAX_WBITS if suppress_deflate_header else ZLibBackend.MAX_WBITS
