"""Multipart bodies (RFC 2046 §5.1, RFC 7578): a push parser and the pieces of a writer.

The parser takes bytes as they arrive and returns events::

    PartHeaders(headers)   a part begins; its header fields, in order
    PartData(data)         some of its body (a part's body may come in many pieces)
    PartEnd()              the part's body is complete
    MultipartEnd()         the close delimiter was seen; the epilogue is ignored

It holds back at most one delimiter's length of body bytes, never more, whatever the split.

Errors::

    MultipartError (ValueError)             .status: the HTTP status a server answers with
     ├── MultipartParseError                400: malformed body, bad boundary, truncated input
     └── MultipartLimitError                413 (431 for headers): a named limit was passed; .limit
          ├── PartFieldTooLong              431: a part's header line; also a LineTooLong
          └── TooManyPartFields             431: a part's header lines; also a BadHttpMessage

The last two are also the :mod:`aiohttp._sansio.errors` types aiohttp 3.x raises for them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, auto

from .errors import BadHttpMessage, LineTooLong

__all__ = (
    "DEFAULT_MAX_BODY_SIZE",
    "DEFAULT_MAX_FIELD_SIZE",
    "DEFAULT_MAX_HEADERS",
    "DEFAULT_MAX_PARTS",
    "DEFAULT_MAX_PART_HEADER_SIZE",
    "Event",
    "MultipartEnd",
    "MultipartError",
    "MultipartLimitError",
    "MultipartParseError",
    "MultipartParser",
    "PartData",
    "PartEnd",
    "PartFieldTooLong",
    "PartHeaders",
    "TooManyPartFields",
    "check_field",
    "closing_delimiter",
    "make_boundary",
    "part_head",
    "validate_boundary",
)

#: Parts in one body. Werkzeug's ``max_form_parts`` and Starlette's ``max_parts`` are 1000 too.
DEFAULT_MAX_PARTS = 1000
#: Bytes in one part's header block. Starlette caps a header field at 8 KiB; Go's whole MIME
#: header at 10 MiB. 16 KiB fits any real form's few short fields.
DEFAULT_MAX_PART_HEADER_SIZE = 16 * 1024
#: Bytes in the whole body, preamble and epilogue included. Servers usually cap a body before
#: this (aiohttp's ``client_max_size``); this is the parser's own backstop.
DEFAULT_MAX_BODY_SIZE = 2**30
#: Bytes in one header line of a part, its CRLF included (aiohttp 3.x's ``max_field_size``).
DEFAULT_MAX_FIELD_SIZE = 8190
#: Header lines in one part (aiohttp 3.x's ``max_headers``; Apache allows 100 per message).
DEFAULT_MAX_HEADERS = 128

# bchars := bcharsnospace / " " ; boundary := 0*69<bchars> bcharsnospace   (RFC 2046 §5.1.1)
_BOUNDARY_RE = re.compile(r"[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]")
# field-line = field-name ":" OWS field-value OWS (RFC 9112 §5), field-name = token (RFC 9110
# §5.1); no obs-fold (RFC 9112 §5.2) inside a part either. The value is empty or ends with a
# byte other than SP and HTAB; the leading OWS is possessive (a value never starts with SP or
# HTAB). A lazy value between two OWS runs cost cubic time on a line of whitespace.
_HEADER_RE = re.compile(rb"([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*+((?:.*[^ \t\n])?)[ \t]*")
_TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_BAD_VALUE_RE = re.compile(r"[\x00\r\n]")
_LWSP = b" \t"
_ANY_BOUNDARY = "-"


class MultipartError(ValueError):
    """A multipart body could not be read. ``status`` is the HTTP status to answer with."""

    status = 400


class MultipartParseError(MultipartError):
    """The body does not follow RFC 2046 §5.1.1 (or stops early)."""


class MultipartLimitError(MultipartError):
    """The body passed a configured limit.

    Attributes:
        limit: the limit that was passed.
    """

    status = 413

    def __init__(self, message: str, limit: int, status: int = 413) -> None:
        super().__init__(message)
        self.limit = limit
        self.status = status


class PartFieldTooLong(MultipartLimitError, LineTooLong):
    """A part's header line, with its CRLF, is longer than ``max_field_size``."""

    def __init__(self, limit: int) -> None:
        message = f"multipart header line exceeds {limit} bytes"
        MultipartLimitError.__init__(self, message, limit, status=431)
        self.code, self.message, self.headers = 431, message, None


class TooManyPartFields(MultipartLimitError, BadHttpMessage):
    """A part has more than ``max_headers`` header lines."""

    def __init__(self, limit: int) -> None:
        message = f"more than {limit} multipart header lines"
        MultipartLimitError.__init__(self, message, limit, status=431)
        self.code, self.message, self.headers = 431, message, None


@dataclass(frozen=True, slots=True)
class PartHeaders:
    """A part begins (RFC 2046 §5.1.1 ``body-part``): its header fields, in order."""

    headers: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class PartData:
    """A piece of the current part's body."""

    data: bytes


@dataclass(frozen=True, slots=True)
class PartEnd:
    """The current part's body is complete."""


@dataclass(frozen=True, slots=True)
class MultipartEnd:
    """The close delimiter was seen (RFC 2046 §5.1.1 ``close-delimiter``)."""


Event = PartHeaders | PartData | PartEnd | MultipartEnd


class _State(Enum):
    PREAMBLE = auto()
    AFTER_DELIMITER = auto()
    HEADERS = auto()
    BODY = auto()
    EPILOGUE = auto()


def validate_boundary(boundary: str) -> None:
    """Check a boundary against RFC 2046 §5.1.1 (1-70 bchars, not ending in a space).

    Raises:
        ValueError: it does not follow the grammar.
    """
    if not _BOUNDARY_RE.fullmatch(boundary):
        raise ValueError(f"invalid multipart boundary {boundary!r}")


def make_boundary() -> str:
    """A fresh random boundary (32 hex digits), unlikely to occur in any body."""
    return secrets.token_hex(16)


def check_field(name: str, value: str) -> None:
    """Refuse a header field that would inject a line or end the header block.

    Raises:
        ValueError: the name or value holds CR, LF or NUL.
    """
    if _BAD_VALUE_RE.search(name) or _BAD_VALUE_RE.search(value):
        raise ValueError(
            f"invalid multipart header {name!r}: forbidden control character detected"
            " (potential header injection)"
        )


def part_head(boundary: str, headers: Iterable[tuple[str, str]]) -> bytes:
    """The bytes that open a part: the dash-boundary line, its header fields, a blank line.

    The previous part (if any) must have been closed with ``b"\\r\\n"`` first.

    Raises:
        ValueError: a field name is not a token, or a value holds CR, LF or NUL.
    """
    lines = [f"--{boundary}"]
    for name, value in headers:
        check_field(name, value)
        if not _TOKEN_RE.fullmatch(name):
            raise ValueError(f"invalid multipart header {name!r}: {value!r}")
        lines.append(f"{name}: {value}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def closing_delimiter(boundary: str) -> bytes:
    """The close delimiter line that ends the body (after the last part's ``\\r\\n``)."""
    return f"--{boundary}--\r\n".encode("ascii")


def _decode_header_text(raw: bytes) -> str:
    """RFC 7578 §5.1.3: field values may be UTF-8; fall back to Latin-1 for anything else."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class MultipartParser:
    """A push parser for one multipart body.

    Args:
        boundary: the ``boundary`` parameter of the Content-Type.
        max_parts: most parts accepted.
        max_part_header_size: most bytes in one part's header block.
        max_body_size: most bytes in the whole body; ``None`` for no cap.
        max_field_size: most bytes in one header line of a part, its CRLF included.
        max_headers: most header lines in one part.

    Raises:
        MultipartParseError: the boundary is not valid.
    """

    def __init__(
        self,
        boundary: str,
        *,
        max_parts: int = DEFAULT_MAX_PARTS,
        max_part_header_size: int = DEFAULT_MAX_PART_HEADER_SIZE,
        max_body_size: int | None = DEFAULT_MAX_BODY_SIZE,
        max_field_size: int = DEFAULT_MAX_FIELD_SIZE,
        max_headers: int = DEFAULT_MAX_HEADERS,
    ) -> None:
        try:
            validate_boundary(boundary)
        except ValueError as exc:
            raise MultipartParseError(str(exc)) from None
        self._dash_boundary = b"--" + boundary.encode("ascii")
        self._delimiter = b"\r\n" + self._dash_boundary
        self._max_parts = max_parts
        self._max_header = max_part_header_size
        self._max_body = max_body_size
        self._max_field = max_field_size
        self._max_headers = max_headers
        self._single_part = False
        self._rest = b""
        self._body_start = True
        self._state = _State.PREAMBLE
        self._at_start = True
        self._buffer = bytearray()
        self._parts = 0
        self._size = 0

    @classmethod
    def for_part_body(
        cls, dash_boundary: bytes, *, max_body_size: int | None = DEFAULT_MAX_BODY_SIZE
    ) -> MultipartParser:
        """A parser for one part's body alone, from its first byte to the delimiter after it.

        It emits the body's :class:`PartData` and a :class:`PartEnd` and ignores what follows.

        Args:
            dash_boundary: ``b"--"`` and the boundary: the delimiter is CRLF and these bytes.
            max_body_size: most bytes fed in all; ``None`` for no cap.
        """
        parser = cls(_ANY_BOUNDARY, max_body_size=max_body_size)  # then told the real one
        parser._dash_boundary = dash_boundary
        parser._delimiter = b"\r\n" + dash_boundary
        parser._single_part = True
        parser._state = _State.BODY
        return parser

    @property
    def rest(self) -> bytes:
        """For a part body alone: what followed it, its delimiter's dash-boundary first (the
        delimiter's CRLF belongs to the part)."""
        return self._rest

    @property
    def finished(self) -> bool:
        """Whether the close delimiter has been seen."""
        return self._state is _State.EPILOGUE

    def feed(self, data: bytes) -> list[Event]:
        """Take the next bytes of the body and return the events they complete.

        Raises:
            MultipartParseError: the body is malformed.
            MultipartLimitError: a limit was passed.
        """
        self._size += len(data)
        if self._max_body is not None and self._size > self._max_body:
            raise MultipartLimitError(
                f"multipart body exceeds {self._max_body} bytes", self._max_body
            )
        if self.finished:
            return []
        self._buffer += data
        events: list[Event] = []
        step = {
            _State.PREAMBLE: self._preamble,
            _State.AFTER_DELIMITER: self._after_delimiter,
            _State.HEADERS: self._headers,
            _State.BODY: self._body,
        }
        while step[self._state](events):
            pass
        return events

    def feed_eof(self) -> list[Event]:
        """Declare the end of the body.

        Raises:
            MultipartParseError: the close delimiter was never seen.
        """
        if self._state is not _State.EPILOGUE:
            raise MultipartParseError("multipart body ends before its close delimiter")
        return []

    def _preamble(self, events: list[Event]) -> bool:
        """RFC 2046 §5.1.1: skip the preamble up to the first dash-boundary at a line start."""
        buf = self._buffer
        if self._at_start and buf.startswith(self._dash_boundary):
            del buf[: len(self._dash_boundary)]
        else:
            found = buf.find(self._delimiter)
            if found < 0:
                discard = len(buf) - len(self._delimiter) + 1
                if discard > 0:
                    self._at_start = False
                    del buf[:discard]
                return False
            del buf[: found + len(self._delimiter)]
        self._state = _State.AFTER_DELIMITER
        return True

    def _after_delimiter(self, events: list[Event]) -> bool:
        """After a delimiter: ``--`` closes the body; else transport-padding and CRLF."""
        buf = self._buffer
        if buf[:2] == b"--":
            events.append(MultipartEnd())
            self._state = _State.EPILOGUE
            buf.clear()
            return False
        line_end = buf.find(b"\r\n")
        if line_end < 0:
            if len(buf) > self._max_header or buf.strip(_LWSP + b"\r-"):
                raise MultipartParseError("unexpected bytes after multipart boundary")
            return False
        if buf[:line_end].strip(_LWSP):
            raise MultipartParseError("unexpected bytes after multipart boundary")
        del buf[: line_end + 2]
        self._parts += 1
        if self._parts > self._max_parts:
            raise MultipartLimitError(
                f"more than {self._max_parts} multipart parts", self._max_parts
            )
        self._state = _State.HEADERS
        return True

    def _headers(self, events: list[Event]) -> bool:
        """A part's header block, ended by an empty line (RFC 2046 §5.1.1, RFC 5322 §2.2)."""
        buf = self._buffer
        if buf.startswith(b"\r\n"):
            end, block = 0, b""
        else:
            end = buf.find(b"\r\n\r\n")
            block = bytes(buf[:end])
        self._check_lines(block if end >= 0 else bytes(buf), complete=end >= 0)
        if end < 0 or end > self._max_header:
            if len(buf) > self._max_header + 4 or end > self._max_header:
                raise MultipartLimitError(
                    f"multipart part headers exceed {self._max_header} bytes",
                    self._max_header,
                    status=431,
                )
            return False
        headers = []
        for line in block.split(b"\r\n") if block else ():
            match = _HEADER_RE.fullmatch(line)
            if match is None or b"\r" in line or b"\x00" in line:
                raise MultipartParseError(f"malformed multipart header line {line[:64]!r}")
            headers.append((match.group(1).decode("ascii"), _decode_header_text(match.group(2))))
        del buf[: end + (2 if end == 0 else 4)]
        events.append(PartHeaders(tuple(headers)))
        self._state = _State.BODY
        self._body_start = True
        return True

    def _check_lines(self, block: bytes, *, complete: bool) -> None:
        """The per-line limits of aiohttp 3.x, checked as soon as the lines arrive."""
        lines = block.split(b"\r\n") if block else []
        if lines and not complete:  # the last line is unfinished: its CR may be here, not LF
            lines[-1] = lines[-1].removesuffix(b"\r")
        # Each line is followed by its CRLF; an unfinished last line counts what it has so far.
        if any(len(line) + 2 > self._max_field for line in lines):
            raise PartFieldTooLong(self._max_field)
        if len(lines) - (not complete) > self._max_headers:
            raise TooManyPartFields(self._max_headers)

    def _body(self, events: list[Event]) -> bool:
        """A part's body runs to the next delimiter; hold back what could be its beginning.

        RFC 2046 §5.1.1: ``body-part := MIME-part-headers [CRLF *OCTET]``. Without that optional
        CRLF the part has no body, and the CRLF that ended the header block is the delimiter's:
        a dash-boundary right at the start of the body closes it (as aiohttp 3.x reads it).
        """
        buf = self._buffer
        if self._body_start:
            dash = self._dash_boundary
            if buf.startswith(dash):
                buf[:0] = b"\r\n"
            elif len(buf) < len(dash) and dash.startswith(buf):
                return False  # too short to tell yet, and shorter than the hold-back below
            self._body_start = False
        found = buf.find(self._delimiter)
        if found < 0:
            keep = len(self._delimiter) - 1
            if len(buf) > keep:
                events.append(PartData(bytes(buf[: len(buf) - keep])))
                del buf[: len(buf) - keep]
            return False
        if found:
            events.append(PartData(bytes(buf[:found])))
        events.append(PartEnd())
        del buf[: found + len(self._delimiter)]
        if self._single_part:
            self._state = _State.EPILOGUE
            self._rest = self._dash_boundary + bytes(buf)
            buf.clear()
            return False
        self._state = _State.AFTER_DELIMITER
        return True
