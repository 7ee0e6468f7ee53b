"""Parsing of start lines and header sections (RFC 9112 §3, §4, §5), a whole section at a time."""

from __future__ import annotations

from multidict import CIMultiDict, CIMultiDictProxy

from .. import abnf
from ..errors import (
    BadHttpMethod,
    BadStatusLine,
    HeaderSectionTooLarge,
    InvalidHeader,
    InvalidURLError,
    LineTooLong,
    UnsupportedVersion,
)
from ..limits import HttpLimits
from .events import HttpVersion, HttpVersion10, HttpVersion11, RawHeaders

__all__ = [
    "check_target",
    "parse_fields",
    "parse_request_line",
    "parse_status_line",
    "parse_version",
    "request_line_error",
]

_VERSIONS = {"1.1": HttpVersion11, "1.0": HttpVersion10}
_REQUEST_LINE = abnf.REQUEST_LINE.fullmatch
_STATUS_LINE = abnf.STATUS_LINE.fullmatch
_CRLF = b"\r\n"
_CRLFS = [_CRLF * count for count in range(64)]


def parse_version(text: str) -> HttpVersion:
    """The :class:`~aiohttp._sansio.http1.events.HttpVersion` for ``D.D``, already matched.

    Raises:
        UnsupportedVersion: The major version is not 1 (RFC 9110 §15.6.6).
    """
    version = _VERSIONS.get(text)
    if version is not None:
        return version
    if text[0] != "1":
        raise UnsupportedVersion(f"HTTP/{text}")
    # RFC 9110 §2.5: a higher minor version of HTTP/1 is handled as the highest we support.
    return HttpVersion(1, int(text[2]))


def parse_request_line(line: str) -> tuple[str, str, HttpVersion]:
    """Check a request line (RFC 9112 §3) and return its method, target and version.

    Raises:
        BadStatusLine: The line breaks the grammar (a subclass says which part).
        InvalidURLError: The request-target has a form the method does not take (§3.2).
    """
    match = _REQUEST_LINE(line)
    if match is None:
        raise request_line_error(line)
    method, target, version_text = match.groups()
    version = _VERSIONS.get(version_text) or parse_version(version_text)
    if target[0] != "/" or method == "CONNECT":
        check_target(method, target)
    return method, target, version


def parse_status_line(line: str) -> tuple[HttpVersion, int, str]:
    """Check a status line (RFC 9112 §4) and return its version, status code and reason.

    A status code outside 100..599 fits the grammar (``3DIGIT``) but is invalid (RFC 9110
    §15); it is returned as it came, and the client processes the response as a 5xx, as §15
    says it SHOULD: a final response (never an interim one), not ``ok``.

    Raises:
        BadStatusLine: The line breaks the grammar.
    """
    match = _STATUS_LINE(line)
    if match is None:
        raise BadStatusLine(line)
    version_text, status_text, reason = match.groups()
    version = _VERSIONS.get(version_text) or parse_version(version_text)
    return version, int(status_text), reason or ""


def request_line_error(line: str) -> Exception:
    """The most specific error for a request line that did not match the grammar."""
    parts = line.split(" ")
    if len(parts) == 3:
        method, target, version = parts
        if abnf.TOKEN.fullmatch(method) is None:
            return BadHttpMethod(line)
        if abnf.HTTP_VERSION.fullmatch(version) is None:
            return BadStatusLine(line, f"Invalid HTTP-version in request line: {version[:16]!r}")
        # Method and version are fine, so the target is what broke the grammar.
        return InvalidURLError(f"Invalid request-target: {target[:80]!r}")
    return BadStatusLine(line, f"Invalid request line: {line[:80]!r}")


def check_target(method: str, target: str) -> None:
    """Check that the request-target has a form allowed for ``method`` (RFC 9112 §3.2).

    Raises:
        InvalidURLError: The form does not suit the method.
    """
    if method == "CONNECT":
        # §3.2.3: CONNECT takes authority-form and nothing else.
        if abnf.AUTHORITY_FORM.fullmatch(target) is None:
            raise InvalidURLError(f"CONNECT needs host:port, got {target[:80]!r}")
    elif target == "*":
        # §3.2.4: asterisk-form is for a server-wide OPTIONS only.
        if method != "OPTIONS":
            raise InvalidURLError("Asterisk-form is only for OPTIONS")
    elif target[0] != "/" and abnf.ABSOLUTE_FORM_START.match(target) is None:
        # §3.2.1-§3.2.2: origin-form starts with "/", absolute-form with a scheme.
        raise InvalidURLError(f"Invalid request-target: {target[:80]!r}")


def _too_long_line(block: bytes, limits: HttpLimits) -> None:
    """Raise 431 if one field line of ``block`` is longer than the limit."""
    longest = max(map(len, block.split(_CRLF)))
    if longest > limits.max_field_size:
        raise LineTooLong("field line", limits.max_field_size, longest, code=431)


def _section_error(block: bytes) -> InvalidHeader:
    """The error for the first field line of ``block`` that breaks the grammar."""
    match = abnf.FIELD_SECTION_B.match(block)
    start = match.end() if match is not None else 0
    line = block[start : block.find(_CRLF, start)]
    if line[:1] in (b" ", b"\t"):
        return InvalidHeader(line, "Obsolete line folding (obs-fold) is not allowed")
    return InvalidHeader(line)


def parse_fields(
    block: bytes, limits: HttpLimits, *, unfold: bool
) -> tuple[RawHeaders, CIMultiDictProxy[str]]:
    """Parse a header or trailer section: field lines, each ending with CRLF.

    Args:
        block: The field lines, each with its CRLF, without the final empty line.
        limits: The field line size and count limits to enforce.
        unfold: Replace obs-fold with SP instead of rejecting it (what RFC 9112 §5.2 asks of a
            user agent reading a response).

    Returns:
        The raw ``(name, value)`` byte pairs and the case-insensitive view of the fields.

    Raises:
        LineTooLong: A field line exceeds ``limits.max_field_size`` (431).
        HeaderSectionTooLarge: There are more than ``limits.max_fields`` field lines (431).
        InvalidHeader: A field line breaks the grammar of RFC 9112 §5.
    """
    if len(block) > limits.max_field_size + 2:
        _too_long_line(block, limits)
    raw = abnf.FIELD_LINE_B.findall(block)
    count = len(raw)
    # Valid when all that is left besides field-vchar, SP and HTAB is one CRLF per match, and
    # the last line is ended too.
    crlfs = _CRLFS[count] if count < 64 else _CRLF * count
    if block.translate(None, abnf.FIELD_BYTES) != crlfs or (block and block[-1] != 10):
        if not unfold or abnf.OBS_FOLD_B.search(block) is None:
            raise _section_error(block)
        return parse_fields(abnf.OBS_FOLD_B.sub(b" ", block), limits, unfold=False)
    if count > limits.max_fields:
        raise HeaderSectionTooLarge(f"More than {limits.max_fields} header fields")
    pairs = [(name.decode(), value.decode("utf-8", "surrogateescape")) for name, value in raw]
    return tuple(raw), CIMultiDictProxy(CIMultiDict(pairs))
