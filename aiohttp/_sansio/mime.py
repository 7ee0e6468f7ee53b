"""Media types and Content-Disposition: parsing and formatting.

* ``Content-Type`` (RFC 9110 §8.3.1): ``media-type = type "/" subtype parameters``.
* parameters (RFC 9110 §5.6.6): ``*( OWS ";" OWS [ token "=" ( token / quoted-string ) ] )``.
* quoted-string (RFC 9110 §5.6.4): ``DQUOTE *( qdtext / quoted-pair ) DQUOTE``.
* ``Content-Disposition`` (RFC 6266 §4.1) with extended values ``filename*`` (RFC 8187 §3.2).

Parsing is lenient (a malformed header yields an empty result, never an exception);
formatting is strict (values that could inject a header or a parameter raise ``ValueError``).
"""

from __future__ import annotations

import codecs
import re
import warnings
from collections.abc import Mapping
from enum import Enum, auto
from typing import Literal, NamedTuple
from urllib.parse import quote, unquote

from multidict import MultiDict, MultiDictProxy

__all__ = (
    "BadContentDispositionHeader",
    "BadContentDispositionParam",
    "MimeType",
    "charset_from_content_type",
    "content_disposition_filename",
    "content_disposition_header",
    "parse_content_disposition",
    "parse_mimetype",
    "quote_string",
    "unquote_string",
)

# tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
#       / DIGIT / ALPHA                                                  (RFC 9110 §5.6.2)
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_TOKEN_RE = re.compile(_TOKEN)
# quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE                (RFC 9110 §5.6.4)
# qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
# quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
_QUOTED = r'"(?:[\t !#-\[\]-~\x80-\xff]|\\[\t -~\x80-\xff])*"'
_QUOTED_PAIR_RE = re.compile(r"\\([\t -~\x80-\xff])")
# One parameter: OWS ";" OWS token "=" ( token / quoted-string )        (RFC 9110 §5.6.6)
_PARAM_RE = re.compile(rf"[ \t]*;[ \t]*({_TOKEN})[ \t]*=[ \t]*({_TOKEN}|{_QUOTED})[ \t]*")
# Characters a quoted-string cannot carry at all: the controls other than HTAB.
_CTL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# ext-value = charset "'" [ language ] "'" value-chars                   (RFC 8187 §3.2.1)
# Read as aiohttp 3.x reads it: a token with two "'", where a "%" that starts no pct-encoded
# octet stands for itself; an empty charset means UTF-8.
_EXT_VALUE_RE = re.compile(r"([^']*)'[^']*'([^']*)")
# A parameter split in pieces: name*0, name*1* ...                       (RFC 2231 §3)
_CONTINUATION_RE = re.compile(r"(.+)\*([0-9]+)(\*?)")
# One item of a Content-Disposition value: up to a ";" that is not inside a quoted-string.
_DISPOSITION_ITEM_RE = re.compile(r'(?:[^";]|"(?:[^"\\]|\\.)*"?)*')


class BadContentDispositionHeader(RuntimeWarning):
    """A Content-Disposition value is malformed (its message is the value; aiohttp 3.x's)."""


class BadContentDispositionParam(RuntimeWarning):
    """A Content-Disposition parameter is malformed and dropped (its message is the parameter)."""


class _Verdict(Enum):
    MALFORMED = auto()  # a parameter value that makes the whole header unreadable


class MimeType(NamedTuple):
    """A parsed media type (RFC 9110 §8.3.1).

    Attributes:
        type: the top-level type, lower-cased (``"text"``).
        subtype: the subtype without a structured-syntax suffix, lower-cased (``"html"``).
        suffix: the structured-syntax suffix after ``+`` (``"xml"`` in ``application/rss+xml``).
        parameters: the parameters, names lower-cased, values unquoted.
    """

    type: str
    subtype: str
    suffix: str
    parameters: MultiDictProxy[str]


def quote_string(value: str) -> str:
    """Return ``value`` as an RFC 9110 §5.6.4 quoted-string, with its quotes.

    Raises:
        ValueError: the value holds a control character other than HTAB (CR, LF, NUL ...),
            which no quoted-string can carry.
    """
    if _CTL_RE.search(value):
        raise ValueError(f"control character in quoted-string value {value!r}")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unquote_string(value: str) -> str:
    """Undo :func:`quote_string`; a value without surrounding quotes is returned unchanged."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return _QUOTED_PAIR_RE.sub(r"\1", value[1:-1])
    return value


def _parse_parameters(text: str) -> list[tuple[str, str]] | None:
    """Parse ``*( OWS ";" OWS parameter )``; ``None`` when the text does not follow it."""
    params: list[tuple[str, str]] = []
    pos = 0
    end = len(text.rstrip(" \t;"))
    while pos < end:
        match = _PARAM_RE.match(text, pos)
        if match is None:
            return None
        params.append((match.group(1).lower(), unquote_string(match.group(2))))
        pos = match.end()
    return params


def _lenient_parameters(text: str) -> list[tuple[str, str]]:
    """Parameters from a media type the way browsers read them: split on ``;``, keep what parses."""
    params: list[tuple[str, str]] = []
    for item in text.split(";"):
        name, sep, value = item.partition("=")
        name = name.strip(" \t").lower()
        if sep and name:
            params.append((name, unquote_string(value.strip(" \t"))))
    return params


def parse_mimetype(mimetype: str) -> MimeType:
    """Parse a Content-Type value into a :class:`MimeType`; never raises.

    ``"application/rss+xml; charset=UTF-8"`` gives ``MimeType("application", "rss", "xml",
    {"charset": "UTF-8"})``; an empty value gives empty strings. A bare ``*`` stands for ``*/*``.
    """
    if not mimetype:
        return MimeType("", "", "", MultiDictProxy(MultiDict()))
    head, _, rest = mimetype.partition(";")
    params = _parse_parameters(";" + rest) if rest else []
    if params is None:
        params = _lenient_parameters(rest)
    full = head.strip(" \t").lower()
    if full == "*":
        full = "*/*"
    mtype, _, stype = full.partition("/")
    stype, _, suffix = stype.partition("+")
    return MimeType(mtype, stype, suffix, MultiDictProxy(MultiDict(params)))


def charset_from_content_type(value: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, or ``None``."""
    if not value:
        return None
    return parse_mimetype(value).parameters.get("charset")


def _check_token(kind: str, value: str) -> None:
    if not _TOKEN_RE.fullmatch(value):
        raise ValueError(f"bad content disposition {kind} {value!r}")


def content_disposition_header(
    disptype: str,
    quote_fields: bool = True,
    _charset: str = "utf-8",
    params: Mapping[str, str] | None = None,
    **kwparams: str,
) -> str:
    """Format a Content-Disposition header value (RFC 6266 §4.1).

    Args:
        disptype: the disposition type, a token such as ``"attachment"`` or ``"form-data"``.
        quote_fields: percent-encode ``filename`` and give other values that are not plain
            quoted-string text as ``name*=charset''...`` (RFC 8187 §3.2); when false, values are
            written as quoted-strings with only ``\\`` and ``"`` escaped.
        _charset: the charset for percent-encoding.
        params: the parameters, in order; keyword arguments are added after them.

    Raises:
        ValueError: the type or a parameter name is not a token, or a value holds CR, LF, NUL
            or another control character that would let it inject header text.
    """
    _check_token("type", disptype)
    items = [*(params or {}).items(), *kwparams.items()]
    parts = [disptype]
    for key, val in items:
        _check_token("parameter name", key)
        if _CTL_RE.search(val):
            raise ValueError(f"control character in content disposition value {val!r}")
        if not quote_fields:
            parts.append(f"{key}={quote_string(val)}")
        elif key.lower() == "filename":
            parts.append(f'{key}="{quote(val, "", encoding=_charset)}"')
        elif val.isascii():
            parts.append(f"{key}={quote_string(val)}")
        else:
            parts.append(f"{key}*={_charset}''{quote(val, '', encoding=_charset)}")
    return "; ".join(parts)


def _decode_ext_value(value: str) -> str | None:
    """Decode an RFC 8187 ext-value such as ``UTF-8''%e2%82%ac``; ``None`` when malformed."""
    match = _EXT_VALUE_RE.fullmatch(value)
    if match is None or not _TOKEN_RE.fullmatch(value):
        return None
    charset = match.group(1) or "utf-8"
    try:
        codecs.lookup(charset)
        return unquote(match.group(2), encoding=charset, errors="strict")
    except (LookupError, UnicodeDecodeError):
        return None


def _disposition_items(header: str) -> list[str]:
    """Split at each ``;`` that is outside a quoted-string."""
    items = []
    pos = 0
    while True:
        match = _DISPOSITION_ITEM_RE.match(header, pos)
        assert match is not None  # the pattern matches the empty string too
        items.append(match.group())
        pos = match.end() + 1  # past the ";"
        if pos > len(header):
            return items


def _disposition_value(key: str, raw: str) -> str | Literal[_Verdict.MALFORMED] | None:
    """A parameter's value as aiohttp 3.x reads it; ``None``: the parameter is dropped;
    ``MALFORMED``: the header cannot be read."""
    if not _TOKEN_RE.fullmatch(key):
        return None
    quoted = len(raw) >= 2 and raw[0] == raw[-1] == '"'
    if _CONTINUATION_RE.fullmatch(key):  # RFC 2231 §3: decoded when the pieces are joined
        if quoted:
            return unquote_string(raw)
        return raw if _TOKEN_RE.fullmatch(raw) else None
    if key.endswith("*"):  # RFC 8187 §3.2
        return _decode_ext_value(raw)
    if quoted:  # a leading "/" or "\\" is dropped from the value, as 3.x does
        return unquote_string(raw).lstrip("\\/")
    return raw if _TOKEN_RE.fullmatch(raw) else _Verdict.MALFORMED


def parse_content_disposition(header: str | None) -> tuple[str | None, dict[str, str]]:
    """Parse a Content-Disposition value (RFC 6266 §4.1) into the type and its parameters.

    Names are lower-cased; quoted values are unquoted; ``name*`` values are decoded per
    RFC 8187 and kept under ``name*``. As in aiohttp 3.x, a parameter whose name or extended
    value is malformed is dropped with a :class:`BadContentDispositionParam` warning, and a
    header that cannot be read otherwise (a type that is not a token, an item without ``=``,
    a parameter given twice, a plain value that is neither a token nor a quoted-string) gives
    ``(None, {})`` with a :class:`BadContentDispositionHeader` warning, which an empty item
    (``;;``, a trailing ``;``) also gives without spoiling the rest.
    """
    if not header:
        return None, {}
    disptype, *items = _disposition_items(header)
    disptype = disptype.strip(" \t")
    if not _TOKEN_RE.fullmatch(disptype):
        warnings.warn(BadContentDispositionHeader(header), stacklevel=2)
        return None, {}
    params: dict[str, str] = {}
    for item in items:
        if not item:  # an empty item (a trailing ";"); one of whitespace is malformed
            warnings.warn(BadContentDispositionHeader(header), stacklevel=2)
            continue
        key, sep, raw = item.partition("=")
        key = key.strip(" \t").lower()
        value = _disposition_value(key, raw.strip(" \t")) if sep and key not in params else None
        if not sep or key in params or value is _Verdict.MALFORMED:
            warnings.warn(BadContentDispositionHeader(header), stacklevel=2)
            return None, {}
        if value is None:
            warnings.warn(BadContentDispositionParam(item), stacklevel=2)
        else:
            params[key] = value
    return disptype.lower(), params


def content_disposition_filename(params: Mapping[str, str], name: str = "filename") -> str | None:
    """The value of parameter ``name`` from :func:`parse_content_disposition` results.

    Prefers the extended ``name*`` form (RFC 6266 §4.3), then the plain one (as sent: the
    percent-escapes :func:`content_disposition_header` writes are not undone, as in 3.x), then
    RFC 2231 continuations (``name*0``, ``name*1*`` ...).
    """
    extended = params.get(name + "*")
    if extended is not None:
        return extended
    plain = params.get(name)
    if plain is not None:
        return plain
    # RFC 2231 §3: pieces numbered 0, 1, 2 ... (no leading zeros); the value ends at a gap.
    pieces: list[str] = []
    first_flagged = False
    while True:
        key = f"{name}*{len(pieces)}"
        value = params.get(key)
        if value is not None:
            pieces.append(quote(value, ""))
            continue
        value = params.get(key + "*")
        if value is None:
            break
        if not pieces:
            first_flagged = True  # RFC 2231 §4.1: piece 0 names the charset
        pieces.append(value)
    if not pieces:
        return None
    joined = "".join(pieces)
    if first_flagged:
        return _decode_ext_value(joined)
    return unquote(joined)
