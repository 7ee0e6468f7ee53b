"""set_zlib_backend: another module with zlib's interface behind the codings and
permessage-deflate (aiohttp 3.x's API)."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from aiohttp._sansio import zlib_backend
from aiohttp._sansio.codings import CorruptContentError, decoder_for, encoder_for
from aiohttp._sansio.websocket.deflate import DeflateParams, PerMessageDeflate
from aiohttp._sansio.zlib_backend import ZLibBackend, encoding_to_mode, set_zlib_backend


class FakeZlibError(Exception):
    """A backend's own error class, as isal_zlib has."""


def fake_backend(calls: list[str]) -> ModuleType:
    """A module that forwards to zlib and records what was asked of it."""
    module = ModuleType("fake_zlib")
    for name in ("MAX_WBITS", "Z_FULL_FLUSH", "Z_SYNC_FLUSH", "Z_BEST_SPEED", "Z_FINISH"):
        setattr(module, name, getattr(zlib, name))
    module.DEFLATED = zlib.DEFLATED  # type: ignore[attr-defined]
    module.error = FakeZlibError  # type: ignore[attr-defined]

    def recorded(name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return getattr(zlib, name)(*args, **kwargs)

        return call

    for name in ("compressobj", "decompressobj", "compress", "decompress"):
        setattr(module, name, recorded(name))
    return module


@pytest.fixture
def calls() -> Iterator[list[str]]:
    recorded: list[str] = []
    set_zlib_backend(fake_backend(recorded))  # type: ignore[arg-type]
    try:
        yield recorded
    finally:
        set_zlib_backend(zlib)  # type: ignore[arg-type]


def test_codings_use_the_backend(calls: list[str]) -> None:
    assert decoder_for("gzip").decompress(gzip.compress(b"data")) == b"data"
    encoder = encoder_for("deflate")
    assert zlib.decompress(encoder.compress(b"abc") + encoder.finish()) == b"abc"
    assert calls == ["decompressobj", "compressobj"]


def test_permessage_deflate_uses_the_backend(calls: list[str]) -> None:
    sender = PerMessageDeflate(DeflateParams(), is_client=False)
    receiver = PerMessageDeflate(DeflateParams(), is_client=True)
    assert receiver.decompress(sender.compress(b"hello"), fin=True, limit=None) == b"hello"
    assert calls == ["compressobj", "decompressobj"]


def test_the_wrapper_passes_the_module_through(calls: list[str]) -> None:
    assert ZLibBackend.name == "fake_zlib"
    assert (ZLibBackend.MAX_WBITS, ZLibBackend.Z_FULL_FLUSH) == (zlib.MAX_WBITS, zlib.Z_FULL_FLUSH)
    assert (ZLibBackend.Z_SYNC_FLUSH, ZLibBackend.Z_FINISH) == (zlib.Z_SYNC_FLUSH, zlib.Z_FINISH)
    assert ZLibBackend.Z_BEST_SPEED == zlib.Z_BEST_SPEED
    assert ZLibBackend.DEFLATED == zlib.DEFLATED
    assert ZLibBackend.decompress(ZLibBackend.compress(b"x")) == b"x"
    assert ZLibBackend.errors == (zlib.error, FakeZlibError)
    assert calls == ["compress", "decompress"]


def test_a_backend_without_a_name_or_error_class() -> None:
    wrapper = zlib_backend.ZLibBackendWrapper(object())  # type: ignore[arg-type]
    assert wrapper.name == "undefined"
    assert wrapper.errors == (zlib.error,)
    assert ZLibBackend.errors == (zlib.error,)  # the standard library's zlib


def test_corrupt_data_from_the_backend_is_a_coding_error() -> None:
    def failing(*args: Any, **kwargs: Any) -> Any:
        class Broken:
            eof = False

            def decompress(self, data: bytes, max_length: int = 0) -> bytes:
                raise FakeZlibError("bad data")

        return Broken()

    backend = fake_backend([])
    backend.decompressobj = failing  # type: ignore[attr-defined]
    set_zlib_backend(backend)  # type: ignore[arg-type]
    try:
        with pytest.raises(CorruptContentError, match="bad data"):
            decoder_for("gzip").decompress(b"\x1f\x8b\x08\x00")
    finally:
        set_zlib_backend(zlib)  # type: ignore[arg-type]


def test_encoding_to_mode() -> None:
    assert encoding_to_mode("gzip") == 16 + zlib.MAX_WBITS
    assert encoding_to_mode("deflate") == zlib.MAX_WBITS
    assert encoding_to_mode(suppress_deflate_header=True) == -zlib.MAX_WBITS


def test_3x_import_paths() -> None:
    import aiohttp
    from aiohttp import compression_utils

    assert aiohttp.set_zlib_backend is compression_utils.set_zlib_backend is set_zlib_backend
    assert compression_utils.ZLibBackend is ZLibBackend


def test_encoders_leave_the_level_to_a_backend_with_another_level_range() -> None:
    # isal_zlib takes levels 0-3 and refuses zlib's -1 ("default"): the default is not passed.
    backend = fake_backend([])

    def levels_0_to_3(level: int = 2, method: int = zlib.DEFLATED, wbits: int = 15) -> Any:
        if not 0 <= level <= 3:
            raise ValueError(f"Invalid compression level: {level}")
        return zlib.compressobj(level, method, wbits)

    backend.compressobj = levels_0_to_3  # type: ignore[attr-defined]
    set_zlib_backend(backend)  # type: ignore[arg-type]
    try:
        encoder = encoder_for("gzip")
        assert gzip.decompress(encoder.compress(b"abc") + encoder.finish()) == b"abc"
        with pytest.raises(ValueError, match="level"):
            encoder_for("gzip", level=9)
    finally:
        set_zlib_backend(zlib)  # type: ignore[arg-type]
