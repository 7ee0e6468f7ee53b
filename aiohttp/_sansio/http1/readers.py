"""Body readers, one per kind of framing (RFC 9112 §6.3, §7.1), chosen from :data:`READERS`.

A reader takes the whole buffer and a start position, appends
:class:`~aiohttp._sansio.http1.events.Data` events (and the
:class:`~aiohttp._sansio.http1.events.EndOfMessage` when the body is complete) and returns how
far it consumed. When it stops for lack of bytes it sets ``wait_for`` (a byte string whose
arrival is worth waking it for) and ``wait_limit`` (past this many buffered bytes it must run,
to raise its size error).
"""

from __future__ import annotations

from multidict import CIMultiDictProxy

from .. import abnf
from ..errors import (
    ContentLengthError,
    HeaderSectionTooLarge,
    InvalidHeader,
    LineTooLong,
    TransferEncodingError,
)
from ..limits import HttpLimits
from .events import Data, EndOfMessage, Event
from .framing import Framing
from .head import parse_fields

__all__ = [
    "READERS",
    "BodyReader",
    "ChunkedReader",
    "ContentLengthReader",
    "UntilCloseReader",
    "bare_line_end",
]

_CRLF = b"\r\n"
_EMPTY_LINE = b"\r\n\r\n"
_END = EndOfMessage()
_tuple_new = tuple.__new__  # builds events without their keyword-handling constructors


def bare_line_end(data: bytes, start: int) -> bool:
    """Whether ``data[start:]`` holds a CR or an LF that is not part of a CRLF.

    RFC 9112 §2.2: a bare CR or LF is rejected, not guessed at. A CR at the very end is not
    judged yet: its LF may come with the next bytes.
    """
    crlf = data.count(_CRLF, start)
    return data.count(b"\n", start) != crlf or data.count(b"\r", start, len(data) - 1) != crlf


class BodyReader:
    """The interface every body reader implements.

    Attributes:
        done: Whether the :class:`~aiohttp._sansio.http1.events.EndOfMessage` was emitted.
        wait_for: Bytes whose arrival lets the reader progress, when it is waiting.
        wait_limit: Buffered bytes past which the reader must run even without ``wait_for``.
    """

    __slots__ = ("done", "wait_for", "wait_limit")

    def __init__(self, length: int | None, limits: HttpLimits) -> None:
        self.done = False
        self.wait_for = b""
        self.wait_limit = 0

    def read(self, data: bytes, pos: int, events: list[Event]) -> int:
        """Consume body bytes from ``data[pos:]`` (never empty); return the new position."""
        raise NotImplementedError

    def remaining(self) -> int | None:
        """Body bytes still owed, or ``None`` when the framing does not say."""
        raise NotImplementedError

    def eof(self) -> list[Event]:
        """The connection closed: finish the body or raise if it was cut short."""
        raise NotImplementedError


class ContentLengthReader(BodyReader):
    """A body of exactly ``length`` bytes (RFC 9112 §6.2)."""

    __slots__ = ("_left",)

    def __init__(self, length: int | None, limits: HttpLimits) -> None:
        super().__init__(length, limits)
        self._left = length or 0

    def read(self, data: bytes, pos: int, events: list[Event]) -> int:
        """Emit up to the remaining length; end the message once it is all there."""
        available = len(data) - pos  # never 0: the parser calls with bytes to read
        if available < self._left:
            events.append(_tuple_new(Data, (data[pos:] if pos else data,)))
            self._left -= available
            return len(data)
        end = pos + self._left
        events.append(_tuple_new(Data, (data[pos:end],)))
        self._left = 0
        self.done = True
        events.append(_END)
        return end

    def remaining(self) -> int | None:
        """Bytes of the body not yet received."""
        return self._left

    def eof(self) -> list[Event]:
        """The body was cut short."""
        raise ContentLengthError(
            f"Not enough data to satisfy Content-Length: {self._left} bytes missing"
        )


class UntilCloseReader(BodyReader):
    """A response body delimited by the server closing the connection (RFC 9112 §6.3 (8))."""

    __slots__ = ()

    def read(self, data: bytes, pos: int, events: list[Event]) -> int:
        """Everything is body."""
        events.append(_tuple_new(Data, (data[pos:] if pos else data,)))
        return len(data)

    def remaining(self) -> int | None:
        """Unknown until the connection closes."""
        return None

    def eof(self) -> list[Event]:
        """The close ends the body."""
        self.done = True
        return [_END]


_SIZE, _DATA, _DATA_END, _TRAILERS = range(4)


class ChunkedReader(BodyReader):
    """The chunked transfer coding (RFC 9112 §7.1), with extensions and trailers bounded.

    Chunk extensions are checked against the grammar (§7.1.1) and ignored. The trailer section
    (§7.1.2) is parsed like a header section and delivered in
    :class:`~aiohttp._sansio.http1.events.EndOfMessage`, never merged into the head.
    """

    __slots__ = ("_chunk_left", "_ext_total", "_limits", "_state")

    def __init__(self, length: int | None, limits: HttpLimits) -> None:
        super().__init__(length, limits)
        self._limits = limits
        self._state = _SIZE
        self._chunk_left = 0
        self._ext_total = 0

    def remaining(self) -> int | None:
        """Unknown: a chunked body does not announce its length."""
        return None

    def eof(self) -> list[Event]:
        """The body was cut short."""
        raise TransferEncodingError("Connection closed inside a chunked body")

    def read(self, data: bytes, pos: int, events: list[Event]) -> int:
        """Walk the chunks in ``data[pos:]`` until the bytes run out or the body ends."""
        end = len(data)
        while pos < end:
            state = self._state
            if state == _SIZE:
                pos = self._read_size(data, pos)
                state = self._state
                if state == _SIZE:
                    return pos
                stop = pos + self._chunk_left
                if state == _DATA and stop + 2 <= end and data.startswith(_CRLF, stop):
                    # The whole chunk and its CRLF are here: one step instead of three.
                    events.append(_tuple_new(Data, (data[pos:stop],)))
                    pos = stop + 2
                    self._state = _SIZE
            elif state == _DATA:
                take = min(self._chunk_left, end - pos)
                events.append(_tuple_new(Data, (data[pos : pos + take],)))
                pos += take
                self._chunk_left -= take
                if self._chunk_left == 0:
                    self._state = _DATA_END
            elif state == _DATA_END:
                # chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
                if end - pos < 2:
                    if data[pos] != 13:
                        raise TransferEncodingError("Chunk data not followed by CRLF")
                    self.wait_for, self.wait_limit = _CRLF, 1
                    return pos
                if data[pos : pos + 2] != _CRLF:
                    raise TransferEncodingError("Chunk data not followed by CRLF")
                pos += 2
                self._state = _SIZE
            else:
                return self._read_trailers(data, pos, events)
        return pos

    def _read_size(self, data: bytes, pos: int) -> int:
        """Parse one chunk-size line; stay in ``_SIZE`` if it is not complete yet."""
        limit = self._limits.max_chunk_line
        eol = data.find(_CRLF, pos, pos + limit + 2)
        if eol == -1:
            # RFC 9112 §2.2: a bare CR or LF is refused as soon as it arrives, however split.
            if bare_line_end(data, pos):
                raise TransferEncodingError("Bare CR or LF in a chunk size line")
            if len(data) - pos > limit + 1:
                raise LineTooLong("chunk size line", limit, len(data) - pos)
            self.wait_for, self.wait_limit = _CRLF, limit + 1
            return pos
        match = abnf.CHUNK_LINE_B.fullmatch(data, pos, eol)
        if match is None:
            raise TransferEncodingError("Invalid chunk size line")
        size, ext = match.groups()
        if len(size) > 16:
            raise TransferEncodingError("Chunk size is too large")
        if ext:
            self._ext_total += len(ext)
            if self._ext_total > self._limits.max_chunk_extensions:
                raise TransferEncodingError("Too many chunk extension bytes")
        self._chunk_left = int(size, 16)
        # RFC 9112 §7.1: a recipient anticipates large chunk sizes and guards against
        # overflow; past the limit the chunk is refused from its size line alone.
        if self._chunk_left > self._limits.max_chunk_size:
            raise TransferEncodingError(
                f"Chunk size exceeds {self._limits.max_chunk_size} bytes", code=413
            )
        # last-chunk = 1*("0") [ chunk-ext ] CRLF
        self._state = _DATA if self._chunk_left else _TRAILERS
        return eol + 2

    def _read_trailers(self, data: bytes, pos: int, events: list[Event]) -> int:
        """Parse ``trailer-section CRLF`` (RFC 9112 §7.1.2) and end the message."""
        limit = self._limits.max_trailer_size
        if data.startswith(_CRLF, pos):
            return self._finish(events, None, pos + 2)
        if len(data) - pos < 2:
            if data[pos] == 10:
                raise InvalidHeader(b"", "Bare CR or LF in the trailer section")
            self.wait_for, self.wait_limit = _CRLF, 1
            return pos
        # The section (its field lines with their CRLFs) may hold ``limit`` bytes: its end,
        # CRLF CRLF, must start within ``limit - 2`` bytes.
        eos = data.find(_EMPTY_LINE, pos, pos + limit + 2)
        if eos == -1:
            if bare_line_end(data, pos):
                raise InvalidHeader(b"", "Bare CR or LF in the trailer section")
            if len(data) - pos > limit + 1:
                raise HeaderSectionTooLarge(f"Trailer section exceeds {limit} bytes")
            self.wait_for, self.wait_limit = _EMPTY_LINE, limit + 1
            return pos
        _, trailers = parse_fields(data[pos : eos + 2], self._limits, unfold=False)
        return self._finish(events, trailers, eos + 4)

    def _finish(self, events: list[Event], trailers: CIMultiDictProxy[str] | None, pos: int) -> int:
        self.done = True
        events.append(EndOfMessage(trailers) if trailers is not None else _END)
        return pos


READERS: dict[Framing, type[BodyReader]] = {
    Framing.LENGTH: ContentLengthReader,
    Framing.CHUNKED: ChunkedReader,
    Framing.UNTIL_CLOSE: UntilCloseReader,
}
"""The body reader for each framing that has a body."""
