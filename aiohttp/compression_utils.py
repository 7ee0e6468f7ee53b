"""aiohttp 3.x import path for the zlib backend (see :mod:`aiohttp._sansio.zlib_backend`)."""

from ._sansio.zlib_backend import (  # noqa: F401
    ZLIB_MAX_LENGTH_UNLIMITED,
    ZSTD_MAX_LENGTH_UNLIMITED,
    Buffer,
    CompressObjArgs,
    ZLibBackend,
    ZLibBackendProtocol,
    ZLibBackendWrapper,
    ZLibCompressObjProtocol,
    ZLibDecompressObjProtocol,
    encoding_to_mode,
    set_zlib_backend,
)
