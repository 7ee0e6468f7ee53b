"""Content codings (RFC 9110 §8.4.1): incremental decoders, encoders, Accept-Encoding negotiation.

``gzip`` (RFC 1952) and ``deflate`` (RFC 1950, and the raw RFC 1951 stream some servers send
instead, told apart by its first two bytes) always work; ``br`` (RFC 7932) when ``brotli`` 1.2 or
later is importable, ``zstd`` (RFC 8878) when ``zstandard`` is.

Decoders never let a small input expand without bound: each step produces about ``chunk_size``
bytes at most (brotli rounds up to its internal buffer blocks; ``zstd`` steps over 256 input
bytes at a time), and the total output is capped at ``max_size``, past which
:class:`DecompressionLimitError` is raised. Several gzip members or zstd frames in a row are
decoded as one body; other bytes after the end of a stream are ignored.

Errors::

    ContentCodingError (ValueError)
     ├── UnknownContentCodingError   the coding is not one we can decode or encode
     ├── CorruptContentError         the bytes are not a valid (or a complete) stream
     └── DecompressionLimitError     the decoded size went past the configured cap
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import cast

from .abnf import lower_token
from .zlib_backend import ZLibBackend

try:
    import brotli

    brotli.Decompressor().process(b"", output_buffer_limit=1)
    HAS_BROTLI = True
except (ImportError, TypeError):  # pragma: no cover - brotli missing or older than 1.2
    HAS_BROTLI = False

try:
    import zstandard

    HAS_ZSTD = True
except ImportError:  # pragma: no cover - zstandard missing
    HAS_ZSTD = False

__all__ = (
    "DEFAULT_ACCEPT_ENCODING",
    "DEFAULT_DECOMPRESS_CHUNK_SIZE",
    "DEFAULT_MAX_DECOMPRESSED_READ_SIZE",
    "DEFAULT_MAX_DECOMPRESSED_SIZE",
    "SUPPORTED_CODINGS",
    "ContentCodingError",
    "CorruptContentError",
    "Decoder",
    "DecompressionLimitError",
    "Encoder",
    "UnknownContentCodingError",
    "decoder_for",
    "encoder_for",
    "negotiate_content_coding",
)

#: Cap on the total decoded size of one body. curl has none; Go's net/http has none; browsers
#: rely on process memory. 1 GiB stops a bomb while letting real large downloads through.
DEFAULT_MAX_DECOMPRESSED_SIZE = 2**30
#: Cap on a decoded body read whole into memory (the client's ``read()``, ``text()``,
#: ``json()``): a 1 MB gzip body can inflate to 1 GiB. Apache's ``DeflateInflateRatioLimit``
#: stops a request body inflating past 200 times its size; urllib3, httpx and Go have no cap.
#: 64 MiB is far beyond the API and page bodies read this way, and a reader that needs more
#: streams the body or raises the limit.
DEFAULT_MAX_DECOMPRESSED_READ_SIZE = 2**26
#: Most bytes one decoding step produces (zlib's ``max_length``, brotli's output buffer limit).
DEFAULT_DECOMPRESS_CHUNK_SIZE = 2**16
# zstd frames may ask for a window this large at most (RFC 9659 §3 asks encoders for <= 8 MiB).
_ZSTD_MAX_WINDOW = 2**23
_ZSTD_INPUT_STEP = 256

#: The codings this installation can decode and encode, most preferred first.
SUPPORTED_CODINGS: tuple[str, ...] = (
    *(("zstd",) if HAS_ZSTD else ()),
    *(("br",) if HAS_BROTLI else ()),
    "gzip",
    "deflate",
)
#: The Accept-Encoding value a client sends by default.
DEFAULT_ACCEPT_ENCODING = ", ".join(
    ("gzip", "deflate", *(("br",) if HAS_BROTLI else ()), *(("zstd",) if HAS_ZSTD else ()))
)


class ContentCodingError(ValueError):
    """A body could not be decoded or encoded with its content coding."""


class UnknownContentCodingError(ContentCodingError):
    """The content coding is not one this installation supports.

    Attributes:
        coding: the coding name as given.
    """

    def __init__(self, coding: str) -> None:
        super().__init__(f"unsupported content coding {coding!r}")
        self.coding = coding


class CorruptContentError(ContentCodingError):
    """The body is not a valid, complete stream in its content coding."""


class DecompressionLimitError(ContentCodingError):
    """The decoded body grew past the configured cap.

    Attributes:
        limit: the cap in bytes.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(f"decompressed body exceeds {limit} bytes")
        self.limit = limit


class Decoder:
    """An incremental decoder for one content coding (or ``identity``).

    Feed the body as it arrives with :meth:`feed` (an iterator of decoded pieces) or
    :meth:`decompress` (the pieces joined), then call :meth:`finish` at the end of the body.

    Args:
        max_size: cap on the total decoded size; ``None`` for no cap.
        chunk_size: the most bytes one decoding step produces.
    """

    coding = "identity"

    def __init__(
        self,
        *,
        max_size: int | None = DEFAULT_MAX_DECOMPRESSED_SIZE,
        chunk_size: int = DEFAULT_DECOMPRESS_CHUNK_SIZE,
    ) -> None:
        self._max_size = max_size
        self._chunk_size = chunk_size
        self._total = 0
        self._started = False
        self._tail = b""
        self._ignoring = False

    @property
    def eof(self) -> bool:
        """Whether the end of the compressed stream has been seen (always true for identity)."""
        return True

    @property
    def total(self) -> int:
        """Decoded bytes produced so far."""
        return self._total

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decode ``data``, yielding decoded pieces as they are produced.

        Raises:
            CorruptContentError: the data is not valid in this coding.
            DecompressionLimitError: the total went past ``max_size``.
        """
        self._started = self._started or bool(data)
        for piece in self._decode(data):
            self._total += len(piece)
            if self._max_size is not None and self._total > self._max_size:
                raise DecompressionLimitError(self._max_size)
            yield piece

    def decompress(self, data: bytes) -> bytes:
        """Decode ``data`` and return everything it produced (see :meth:`feed`)."""
        return b"".join(self.feed(data))

    def finish(self) -> None:
        """Declare the end of the body.

        Raises:
            CorruptContentError: the body stopped in the middle of a compressed stream.
        """
        if self._started and not self.eof:
            raise CorruptContentError(f"{self.coding} stream is truncated")

    def _decode(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    #: The first bytes of a stream that may follow the end of another (gzip members,
    #: RFC 1952 §2.2; zstd frames, RFC 8878 §3.1); ``None``: anything after the end is ignored.
    _next_magic: bytes | None = None

    def _another_follows(self, rest: bytes) -> bool:
        """After the end of a stream: whether ``rest`` begins another one.

        A partial magic number is kept for the next call; anything else that follows the end
        (trailing garbage, as some servers send) is ignored to the end of the body.
        """
        magic = self._next_magic
        if magic is None or self._ignoring:
            return False
        if rest.startswith(magic):
            return True
        if len(rest) < len(magic) and magic.startswith(rest):
            self._tail = rest
        else:
            self._ignoring = True
        return False


class _ZlibDecoder(Decoder):
    coding = "gzip"
    _next_magic: bytes | None = b"\x1f\x8b"

    def __init__(self, **kwargs: int | None) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._obj: zlib._Decompress | None = None

    @property
    def eof(self) -> bool:
        return self._obj is not None and self._obj.eof

    def _wbits(self, head: bytes) -> int:
        return 16 + zlib.MAX_WBITS

    def _decode(self, data: bytes) -> Iterator[bytes]:
        data, self._tail = self._tail + data, b""
        while data:
            if self._obj is None or self._obj.eof:
                if self._obj is not None and not self._another_follows(data):
                    return
                if len(data) < 2:  # the header tells zlib-wrapped from raw deflate
                    self._tail = data
                    return
                self._obj = cast("zlib._Decompress", ZLibBackend.decompressobj(self._wbits(data)))
            yield from self._inflate(self._obj, data)
            data = self._obj.unused_data if self._obj.eof else b""

    def _inflate(self, obj: zlib._Decompress, data: bytes) -> Iterator[bytes]:
        while not obj.eof:
            try:
                out = obj.decompress(data, self._chunk_size)
            except ZLibBackend.errors as exc:
                raise CorruptContentError(f"invalid {self.coding} stream: {exc}") from None
            data = obj.unconsumed_tail
            if out:
                yield out
            if not data and len(out) < self._chunk_size:
                break


class _DeflateDecoder(_ZlibDecoder):
    coding = "deflate"
    _next_magic = None

    def _wbits(self, head: bytes) -> int:
        # RFC 9110 §8.4.1.2 says zlib-wrapped; a raw stream lacks the RFC 1950 §2.2 header:
        # CM = 8 in the low nibble and a 16-bit header that is a multiple of 31.
        if head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0:
            return zlib.MAX_WBITS
        return -zlib.MAX_WBITS


class _BrotliDecoder(Decoder):
    coding = "br"

    def __init__(self, **kwargs: int | None) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._obj = brotli.Decompressor()

    @property
    def eof(self) -> bool:
        return bool(self._obj.is_finished())

    def _decode(self, data: bytes) -> Iterator[bytes]:
        try:
            out: bytes = self._obj.process(data, output_buffer_limit=self._chunk_size)
            # Output held back by the limit comes out of further calls with no input.
            while out or not self._obj.can_accept_more_data():
                yield out
                if self._obj.is_finished():
                    break
                out = self._obj.process(b"", output_buffer_limit=self._chunk_size)
        except brotli.error as exc:
            raise CorruptContentError(f"invalid br stream: {exc}") from None


class _ZstdDecoder(Decoder):
    coding = "zstd"
    _next_magic = b"\x28\xb5\x2f\xfd"

    def __init__(self, **kwargs: int | None) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._dctx = zstandard.ZstdDecompressor(max_window_size=_ZSTD_MAX_WINDOW)
        self._obj = self._dctx.decompressobj()
        self._frame_done = False

    @property
    def eof(self) -> bool:
        return self._frame_done

    def _decode(self, data: bytes) -> Iterator[bytes]:
        data, self._tail = self._tail + data, b""
        pos = 0
        while pos < len(data):
            if self._frame_done:
                if not self._another_follows(data[pos:]):
                    return
                self._obj, self._frame_done = self._dctx.decompressobj(), False
            try:
                out: bytes = self._obj.decompress(data[pos : pos + _ZSTD_INPUT_STEP])
            except zstandard.ZstdError as exc:
                raise CorruptContentError(f"invalid zstd stream: {exc}") from None
            pos += _ZSTD_INPUT_STEP
            if self._obj.eof:
                self._frame_done = True
                data, pos = self._obj.unused_data + data[pos:], 0
            for start in range(0, len(out), self._chunk_size):
                yield out[start : start + self._chunk_size]


class _ChainDecoder(Decoder):
    """Several codings, listed in the order they were applied (RFC 9110 §8.4)."""

    def __init__(self, decoders: Sequence[Decoder], **kwargs: int | None) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._decoders = list(reversed(decoders))
        self.coding = ", ".join(d.coding for d in decoders)

    @property
    def eof(self) -> bool:
        return all(d.eof for d in self._decoders)

    def _decode(self, data: bytes) -> Iterator[bytes]:
        pieces: Iterator[bytes] = iter((data,))
        for decoder in self._decoders:
            pieces = _through(decoder, pieces)
        yield from pieces


def _through(decoder: Decoder, pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from decoder.feed(piece)


_DECODERS: dict[str, type[Decoder]] = {
    "identity": Decoder,
    "gzip": _ZlibDecoder,
    "x-gzip": _ZlibDecoder,
    "deflate": _DeflateDecoder,
    **({"br": _BrotliDecoder} if HAS_BROTLI else {}),
    **({"zstd": _ZstdDecoder} if HAS_ZSTD else {}),
}


def decoder_for(
    content_encoding: str | None,
    *,
    max_size: int | None = DEFAULT_MAX_DECOMPRESSED_SIZE,
    chunk_size: int = DEFAULT_DECOMPRESS_CHUNK_SIZE,
) -> Decoder:
    """A decoder for a Content-Encoding header value such as ``"gzip"`` or ``"deflate, br"``.

    An absent or empty value, or ``identity``, gives a pass-through decoder.

    Raises:
        UnknownContentCodingError: a listed coding is not supported here.
    """
    names = [lower_token(n.strip(" \t")) for n in (content_encoding or "").split(",")]
    names = [n for n in names if n and n != "identity"] or ["identity"]
    decoders = []
    for name in names:
        factory = _DECODERS.get(name)
        if factory is None:
            raise UnknownContentCodingError(name)
        decoders.append(factory(max_size=max_size, chunk_size=chunk_size))
    if len(decoders) == 1:
        return decoders[0]
    return _ChainDecoder(decoders, max_size=max_size, chunk_size=chunk_size)


_Stream = tuple[Callable[[bytes], bytes], Callable[[], bytes]]


def _zlib_stream(coding: str, level: int | None) -> _Stream:
    wbits = 16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS
    # Without a level, the backend's own default (isal_zlib's levels are 0-3, not zlib's -1).
    levels = {} if level is None else {"level": level}
    obj = ZLibBackend.compressobj(method=zlib.DEFLATED, wbits=wbits, **levels)
    return obj.compress, obj.flush


def _brotli_stream(coding: str, level: int | None) -> _Stream:
    obj = brotli.Compressor(**({} if level is None else {"quality": level}))
    return obj.process, obj.finish


def _zstd_stream(coding: str, level: int | None) -> _Stream:
    obj = zstandard.ZstdCompressor(level=3 if level is None else level).compressobj()
    return obj.compress, obj.flush


_ENCODERS: dict[str, Callable[[str, int | None], _Stream]] = {
    "gzip": _zlib_stream,
    "deflate": _zlib_stream,
    **({"br": _brotli_stream} if HAS_BROTLI else {}),
    **({"zstd": _zstd_stream} if HAS_ZSTD else {}),
}


class Encoder:
    """An incremental encoder for one content coding.

    Args:
        coding: ``"gzip"``, ``"deflate"`` (zlib-wrapped, RFC 1950), ``"br"`` or ``"zstd"``.
        level: the compression level, or ``None`` for the library default.

    Raises:
        UnknownContentCodingError: the coding is not supported here.
    """

    def __init__(self, coding: str, level: int | None = None) -> None:
        self.coding = coding = lower_token(coding)
        factory = _ENCODERS.get(coding)
        if factory is None:
            raise UnknownContentCodingError(coding)
        self._compress, self._finish = factory(coding, level)

    def compress(self, data: bytes) -> bytes:
        """Compress ``data``; the result may be empty while the encoder buffers."""
        return bytes(self._compress(data))

    def finish(self) -> bytes:
        """End the stream and return the remaining compressed bytes."""
        return bytes(self._finish())


def encoder_for(coding: str, level: int | None = None) -> Encoder:
    """Shorthand for :class:`Encoder` ``(coding, level)``."""
    return Encoder(coding, level)


# codings = content-coding / "identity" / "*" ; weight = OWS ";" OWS "q=" qvalue  (RFC 9110 §12.5.3)
_CODING_RE = re.compile(
    r"[ \t]*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]*(?:;[ \t]*q[ \t]*=[ \t]*([0-9.]+)[ \t]*)?",
    re.IGNORECASE | re.ASCII,
)


def _weights(accept_encoding: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        match = _CODING_RE.fullmatch(item)
        if match is None:
            continue
        try:
            weight = float(match.group(2) or 1)
        except ValueError:
            continue
        weights[match.group(1).lower()] = weight
    return weights


def negotiate_content_coding(
    accept_encoding: str | None, available: Sequence[str] = SUPPORTED_CODINGS
) -> str | None:
    """Choose a content coding for a response (RFC 9110 §12.5.3).

    Args:
        accept_encoding: the request's Accept-Encoding value, or ``None`` if absent.
        available: the codings the server is willing to use, most preferred first.

    Returns:
        The coding with the highest weight (ties go to the earlier in ``available``), or ``None``
        for the identity coding (no compression). ``*`` stands for codings not listed by name;
        ``q=0`` refuses a coding.
    """
    if not accept_encoding:
        return None
    weights = _weights(accept_encoding)
    star = weights.get("*", 0.0)
    best: str | None = None
    best_weight = 0.0
    for coding in available:
        weight = weights.get(coding, star)
        if weight > best_weight:
            best, best_weight = coding, weight
    return best
