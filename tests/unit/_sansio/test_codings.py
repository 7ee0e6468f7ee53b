"""Content codings (RFC 9110 §8.4.1, §12.5.3): decoders with a size cap, encoders, negotiation."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp._sansio.codings import (
    DEFAULT_ACCEPT_ENCODING,
    DEFAULT_DECOMPRESS_CHUNK_SIZE,
    DEFAULT_MAX_DECOMPRESSED_SIZE,
    SUPPORTED_CODINGS,
    CorruptContentError,
    DecompressionLimitError,
    Encoder,
    UnknownContentCodingError,
    decoder_for,
    encoder_for,
    negotiate_content_coding,
)

BODY = b"The quick brown fox jumps over the lazy dog. " * 200


def _raw_deflate(data: bytes) -> bytes:
    obj = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return obj.compress(data) + obj.flush()


def _gzip_members(data: bytes) -> bytes:
    half = len(data) // 2
    return gzip.compress(data[:half]) + gzip.compress(data[half:])


def _zstd_frames(data: bytes) -> bytes:
    half = len(data) // 2
    compressor = zstandard.ZstdCompressor()
    return compressor.compress(data[:half]) + compressor.compress(data[half:])


COMPRESSORS = {
    "gzip-members": _gzip_members,
    "zstd-frames": _zstd_frames,
    "gzip": gzip.compress,
    "x-gzip": gzip.compress,
    "deflate": zlib.compress,
    "deflate-raw": _raw_deflate,
    "br": brotli.compress,
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
}


def _header(name: str) -> str:
    return {"deflate-raw": "deflate", "gzip-members": "gzip", "zstd-frames": "zstd"}.get(name, name)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("gzip", id="rfc9110-8.4.1.3-gzip"),
        pytest.param("x-gzip", id="rfc9110-8.4.1.3-x-gzip"),
        pytest.param("deflate", id="rfc9110-8.4.1.2-deflate-zlib"),
        pytest.param("deflate-raw", id="rfc9110-8.4.1.2-deflate-raw-tolerated"),
        pytest.param("br", id="rfc7932-br"),
        pytest.param("zstd", id="rfc8878-zstd"),
        pytest.param("gzip-members", id="rfc1952-2.2-several-members"),
        pytest.param("zstd-frames", id="rfc8878-3.1-several-frames"),
    ],
)
def test_decode_whole_and_byte_by_byte(name: str) -> None:
    compressed = COMPRESSORS[name](BODY)
    whole = decoder_for(_header(name))
    assert whole.decompress(compressed) == BODY
    assert whole.eof
    whole.finish()
    split = decoder_for(_header(name))
    out = b"".join(split.decompress(compressed[i : i + 1]) for i in range(len(compressed)))
    assert out == BODY
    assert split.total == len(BODY)
    split.finish()


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(sorted(COMPRESSORS)), st.data())
def test_decode_any_split(body: bytes, name: str, data: st.DataObject) -> None:
    compressed = COMPRESSORS[name](body)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(compressed)), max_size=6)))
    decoder = decoder_for(_header(name))
    pieces = [compressed[a:b] for a, b in zip([0, *cuts], [*cuts, len(compressed)], strict=True)]
    assert b"".join(decoder.decompress(p) for p in pieces) == body


@pytest.mark.parametrize("name", ["gzip", "deflate", "br", "zstd"])
def test_steps_are_bounded(name: str) -> None:
    bomb = COMPRESSORS[name](b"\0" * (4 * 2**20))
    decoder = decoder_for(name, chunk_size=2**15)
    sizes = [len(piece) for piece in decoder.feed(bomb)]
    assert sum(sizes) == 4 * 2**20
    assert max(sizes) <= 2**17  # brotli rounds its output buffer up in ~32 KiB blocks


@pytest.mark.parametrize("name", ["gzip", "deflate", "br", "zstd"])
def test_limit_at_and_past(name: str) -> None:
    body = b"\0" * 100_000
    compressed = COMPRESSORS[name](body)
    assert decoder_for(name, max_size=len(body)).decompress(compressed) == body
    with pytest.raises(DecompressionLimitError) as info:
        decoder_for(name, max_size=len(body) - 1).decompress(compressed)
    assert info.value.limit == len(body) - 1


def test_no_limit() -> None:
    compressed = gzip.compress(b"x" * 10_000)
    assert len(decoder_for("gzip", max_size=None).decompress(compressed)) == 10_000


def test_named_defaults() -> None:
    assert DEFAULT_MAX_DECOMPRESSED_SIZE == 2**30
    assert DEFAULT_DECOMPRESS_CHUNK_SIZE == 2**16


@pytest.mark.parametrize(
    ("header", "data"),
    [
        pytest.param("gzip", b"not gzip at all", id="gzip-garbage"),
        pytest.param("deflate", b"\x78\x9c\xff\xff\xff", id="deflate-garbage"),
        pytest.param("br", b"\xff\xff\xff\xff", id="br-garbage"),
        pytest.param("zstd", b"\x00" * 16, id="zstd-garbage"),
    ],
)
def test_corrupt_stream(header: str, data: bytes) -> None:
    with pytest.raises(CorruptContentError):
        decoder_for(header).decompress(data)


@pytest.mark.parametrize("name", ["gzip", "deflate", "br", "zstd"])
def test_truncated_stream(name: str) -> None:
    decoder = decoder_for(name)
    decoder.decompress(COMPRESSORS[name](BODY)[:-6])
    assert not decoder.eof
    with pytest.raises(CorruptContentError, match="truncated"):
        decoder.finish()


def test_one_byte_body_is_truncated() -> None:
    decoder = decoder_for("gzip")
    assert decoder.decompress(b"\x1f") == b""
    with pytest.raises(CorruptContentError):
        decoder.finish()


def test_empty_body_with_coding_is_fine() -> None:
    decoder = decoder_for("gzip")
    assert decoder.decompress(b"") == b""
    decoder.finish()


@pytest.mark.parametrize("name", ["gzip", "deflate", "zstd"])
def test_trailing_garbage_is_ignored_to_the_end(name: str) -> None:
    decoder = decoder_for(name)
    assert decoder.decompress(COMPRESSORS[name](b"abc") + b"junk" + b"\0" * 600) == b"abc"
    assert decoder.decompress(COMPRESSORS[name](b"not decoded after garbage")) == b""
    assert decoder.eof
    decoder.finish()


@pytest.mark.parametrize("name", ["gzip", "zstd"])
def test_partial_magic_after_the_end(name: str) -> None:
    second = COMPRESSORS[name](b"second")
    decoder = decoder_for(name)
    assert decoder.decompress(COMPRESSORS[name](b"first") + second[:1]) == b"first"
    assert decoder.eof
    decoder.finish()  # a lone byte that could begin another member is not a truncation
    assert decoder.decompress(second[1:]) == b"second"


@pytest.mark.parametrize("header", [None, "", "identity", " Identity "])
def test_identity_passes_through(header: str | None) -> None:
    decoder = decoder_for(header)
    assert decoder.decompress(b"plain") == b"plain"
    assert decoder.decompress(b"") == b""
    assert decoder.eof
    decoder.finish()


def test_rfc9110_8_4_several_codings_decoded_in_reverse() -> None:
    compressed = brotli.compress(gzip.compress(BODY))
    decoder = decoder_for("gzip, br")
    assert decoder.coding == "gzip, br"
    out = b"".join(
        decoder.decompress(compressed[i : i + 50]) for i in range(0, len(compressed), 50)
    )
    assert out == BODY
    assert decoder.eof
    decoder.finish()


def test_several_codings_share_the_cap() -> None:
    compressed = zlib.compress(gzip.compress(b"\0" * 50_000))
    with pytest.raises(DecompressionLimitError):
        decoder_for("gzip, deflate", max_size=10_000).decompress(compressed)


@pytest.mark.parametrize("header", ["compress", "gzip, snappy", "x-unknown"])
def test_unknown_coding(header: str) -> None:
    with pytest.raises(UnknownContentCodingError) as info:
        decoder_for(header)
    assert info.value.coding in header


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "zstd", "GZIP"])
@pytest.mark.parametrize("level", [None, 1])
def test_encoder_round_trip(coding: str, level: int | None) -> None:
    encoder = encoder_for(coding, level)
    assert isinstance(encoder, Encoder)
    compressed = encoder.compress(BODY[:1000]) + encoder.compress(BODY[1000:]) + encoder.finish()
    assert len(compressed) < len(BODY)
    decoder = decoder_for(coding)
    assert decoder.decompress(compressed) == BODY
    assert decoder.eof


def test_deflate_encoder_is_zlib_wrapped() -> None:
    encoder = Encoder("deflate")
    assert zlib.decompress(encoder.compress(b"abc") + encoder.finish()) == b"abc"


def test_unknown_encoder() -> None:
    with pytest.raises(UnknownContentCodingError):
        Encoder("compress")


def test_supported_and_default_accept_encoding() -> None:
    assert SUPPORTED_CODINGS == ("zstd", "br", "gzip", "deflate")
    assert DEFAULT_ACCEPT_ENCODING == "gzip, deflate, br, zstd"


@pytest.mark.parametrize(
    ("accept", "available", "expected"),
    [
        pytest.param(None, ("gzip",), None, id="rfc9110-12.5.3-absent-means-identity"),
        pytest.param("", ("gzip",), None, id="rfc9110-12.5.3-empty-means-identity"),
        pytest.param("gzip, deflate", ("gzip", "deflate"), "gzip", id="server-order-breaks-tie"),
        pytest.param("gzip;q=0.5, br", ("gzip", "br"), "br", id="rfc9110-12.5.3-weights"),
        pytest.param("GZIP ; Q=0.9", ("gzip",), "gzip", id="case-insensitive"),
        pytest.param("gzip;q=0", ("gzip",), None, id="rfc9110-12.5.3-q0-refuses"),
        pytest.param("*", ("br", "gzip"), "br", id="rfc9110-12.5.3-star"),
        pytest.param("*;q=0.1, gzip;q=0", ("gzip", "br"), "br", id="star-excludes-named"),
        pytest.param("compress", ("gzip",), None, id="nothing-acceptable"),
        pytest.param("gzip;q=1.2.3, deflate", ("gzip", "deflate"), "deflate", id="bad-qvalue"),
        pytest.param("gz ip, deflate", ("deflate",), "deflate", id="bad-token-skipped"),
    ],
)
def test_negotiate(accept: str | None, available: tuple[str, ...], expected: str | None) -> None:
    assert negotiate_content_coding(accept, available) == expected


def test_negotiate_default_available() -> None:
    assert negotiate_content_coding("gzip, br, zstd") == "zstd"
