"""Serializers for HTTP/1.1 heads and bodies (RFC 9112 §3, §4, §5, §7.1).

Every piece of text a caller passes in is checked before it reaches the wire: a method or
field name that is not a token, or CR, LF, NUL (or another control) in a target, reason phrase
or field value raises ``ValueError``, so no caller can inject a field line or split a message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import cast

from .. import abnf
from .events import HttpVersion, HttpVersion10, HttpVersion11

__all__ = [
    "Fields",
    "encode_chunk",
    "encode_last_chunk",
    "serialize_request_head",
    "serialize_response_head",
]

Fields = Mapping[str, str] | Iterable[tuple[str, str]]
"""The header fields to serialize, as a mapping (a multidict keeps repeated names) or pairs."""

_REASONS = {status.value: status.phrase for status in HTTPStatus}
_CRLF = b"\r\n"
_CRLFS = [_CRLF * n for n in range(2, 258)]
# Field names already found to be tokens; callers use few, so checking each once is enough.
_VERSION_TEXTS = {HttpVersion11: "1.1", HttpVersion10: "1.0"}
_TOKEN_NAMES: set[str] = set()
_TOKEN_NAMES_MAX = 4096
# Status lines already checked, by (status, reason, version); few are ever used.
_STATUS_LINES: dict[tuple[int, str | None, HttpVersion], str] = {}
_STATUS_LINES_MAX = 1024


def _names_ok(names: Iterable[str]) -> bool:
    """Whether every field name is a token (RFC 9110 §5.1)."""
    if _TOKEN_NAMES.issuperset(names):
        return True
    for name in names:
        if name not in _TOKEN_NAMES:
            if not isinstance(name, str) or abnf.TOKEN.fullmatch(name) is None:
                return False
            if len(_TOKEN_NAMES) >= _TOKEN_NAMES_MAX:
                _TOKEN_NAMES.clear()  # start over rather than grow without bound
            _TOKEN_NAMES.add(name)
    return True


def _head(start: str, headers: Fields) -> bytes:
    """``start`` (a checked start line with its CRLF), the field lines and the empty line.

    One pass over the encoded head proves that nothing but field-vchar, SP and HTAB sits
    between the CRLFs the serializer wrote itself: CR, LF, NUL or another control anywhere in a
    value shows up as a byte left over (RFC 9110 §5.5).
    """
    items_of = getattr(headers, "items", None)
    items: list[tuple[str, str]] | tuple[tuple[str, str], ...]
    if items_of is not None:
        items = list(items_of())
        names: Iterable[str] = headers.keys()  # type: ignore[union-attr]
    else:
        pairs = cast("Iterable[tuple[str, str]]", headers)
        items = pairs if isinstance(pairs, list | tuple) else list(pairs)
        names = [name for name, _ in items]  # also proves every item is a pair
    count = len(items)
    if count:
        try:
            # Every item a (str, str) pair: "name: value" lines joined in C.
            text = "\r\n".join(map(": ".join, items))
        except TypeError:  # a value that is not a str
            text = "\r\n".join([f"{name}: {value}" for name, value in items])
        data = f"{start}{text}\r\n\r\n".encode("utf-8", "surrogateescape")
    else:
        data = f"{start}\r\n".encode("utf-8", "surrogateescape")
    crlfs = _CRLFS[count] if count < 256 else _CRLF * (count + 2)
    if data.translate(None, abnf.FIELD_BYTES) != crlfs or not _names_ok(names):
        raise ValueError(f"Invalid header field name or value in {next(filter(_bad, items))!r}")
    return data


def _bad(item: tuple[str, str]) -> bool:
    """Whether one field has a name that is not a token or a value with a control."""
    name, value = item
    line = f"{name}: {value}\r\n"
    return (
        not isinstance(name, str)
        or abnf.TOKEN.fullmatch(name) is None
        or f"{value}".encode("utf-8", "surrogateescape").translate(None, abnf.FIELD_BYTES) != b""
        or abnf.OUT_FIELD_SECTION.fullmatch(line) is None
    )


def serialize_request_head(
    method: str, target: str, headers: Fields = (), version: HttpVersion = HttpVersion11
) -> bytes:
    """The request line and header section of a request (RFC 9112 §3, §5).

    Args:
        method: The method token, e.g. ``"GET"``.
        target: The request-target, already percent-encoded (visible ASCII only).
        headers: The header fields, in order.
        version: The HTTP-version to send.

    Returns:
        The head, ending with the empty line.

    Raises:
        ValueError: The method is not a token, the target has whitespace or controls, or a
            field name or value is invalid (CR, LF, NUL ...).
    """
    if abnf.TOKEN.fullmatch(method) is None:
        raise ValueError(f"Invalid method: {method!r}")
    if abnf.REQUEST_TARGET.fullmatch(target) is None:
        raise ValueError(f"Invalid request-target: {target!r}")
    return _head(f"{method} {target} HTTP/{_version_text(version)}\r\n", headers)


def _version_text(version: HttpVersion) -> str:
    """``D.D`` for ``version`` (RFC 9112 §2.3: HTTP-version = HTTP-name "/" DIGIT "." DIGIT).

    Raises:
        ValueError: The major or minor version is not a single digit.
    """
    text = _VERSION_TEXTS.get(version)
    if text is not None:
        return text
    major, minor = version
    if (
        type(major) is not int
        or type(minor) is not int
        or not (0 <= major <= 9 and 0 <= minor <= 9)
    ):
        raise ValueError(f"Invalid HTTP version: {version!r}")
    return f"{major}.{minor}"


def serialize_response_head(
    status: int,
    reason: str | None = None,
    headers: Fields = (),
    version: HttpVersion = HttpVersion11,
) -> bytes:
    """The status line and header section of a response (RFC 9112 §4, §5).

    Args:
        status: The three-digit status code.
        reason: The reason phrase; the standard phrase for ``status`` when ``None``.
        headers: The header fields, in order.
        version: The HTTP-version to send.

    Returns:
        The head, ending with the empty line.

    Raises:
        ValueError: The status is not three digits, or the reason, a field name or a field
            value is invalid (CR, LF, NUL ...).
    """
    key = (status, reason, version)
    line = _STATUS_LINES.get(key)
    if line is None:
        line = _status_line(status, reason, version)
        if len(_STATUS_LINES) >= _STATUS_LINES_MAX:
            _STATUS_LINES.clear()  # start over rather than grow without bound
        _STATUS_LINES[key] = line
    return _head(line, headers)


def _status_line(status: int, reason: str | None, version: HttpVersion) -> str:
    """The checked status line, with its CRLF."""
    if not 100 <= status <= 999:
        raise ValueError(f"Invalid status code: {status!r}")
    if reason is None:
        reason = _REASONS.get(status, "")
    elif abnf.REASON_PHRASE.fullmatch(reason) is None:
        raise ValueError(f"Invalid reason phrase: {reason!r}")
    return f"HTTP/{_version_text(version)} {status} {reason}\r\n"


def encode_chunk(data: bytes) -> bytes:
    """One chunk of the chunked coding (RFC 9112 §7.1); empty data gives ``b""``.

    An empty chunk would read as the last chunk, so it is never produced here: end the body
    with :func:`encode_last_chunk`.
    """
    if not data:
        return b""
    return b"%x\r\n%b\r\n" % (len(data), data)


def encode_last_chunk(trailers: Fields | None = None) -> bytes:
    """The last chunk and the trailer section that end a chunked body (RFC 9112 §7.1.2).

    Raises:
        ValueError: A trailer field name or value is invalid.
    """
    if trailers is None:
        return b"0\r\n\r\n"
    return _head("0\r\n", trailers)
