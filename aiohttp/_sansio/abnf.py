"""The HTTP/1.1 grammar as precompiled regular expressions.

Each pattern quotes the ABNF rule it implements and the RFC section that defines it. Patterns
named ``*_B`` match bytes (the wire), the others match text the parser already decoded (the head
is decoded once, as UTF-8 with ``surrogateescape``, so every byte survives a round trip).
"""

from __future__ import annotations

import re
import string

__all__ = [
    "ABSOLUTE_FORM_START",
    "AUTHORITY_FORM",
    "CHUNK_LINE_B",
    "CONTENT_LENGTH",
    "FIELD_BYTES",
    "FIELD_LINE",
    "FIELD_LINE_B",
    "FIELD_SECTION_B",
    "HOST",
    "HTTP_VERSION",
    "OBS_FOLD_B",
    "OUT_FIELD_SECTION",
    "REASON_PHRASE",
    "REQUEST_LINE",
    "REQUEST_TARGET",
    "STATUS_LINE",
    "TOKEN",
    "lower_token",
]

# tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|"
#       / "~" / DIGIT / ALPHA                                              (RFC 9110 §5.6.2)
_TCHAR = r"!#$%&'*+\-.^_`|~0-9A-Za-z"
# token = 1*tchar                                                          (RFC 9110 §5.6.2)
_TOKEN = f"[{_TCHAR}]+"
TOKEN = re.compile(_TOKEN)

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def lower_token(text: str) -> str:
    """``text`` lower-cased in ASCII only, to compare a token case-insensitively.

    Tokens are ASCII (RFC 9110 §5.6.2). :meth:`str.lower` also maps some other characters to
    ASCII letters (the Kelvin sign U+212A becomes ``k``), which would let ``chun\u212aed`` pass
    for ``chunked`` and ``websoc\u212aet`` for ``websocket``; here such characters stay as
    they are, so the value matches no token.
    """
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


# request-line = method SP request-target SP HTTP-version                 (RFC 9112 §3)
# method = token                                                           (RFC 9110 §9.1)
# HTTP-version = HTTP-name "/" DIGIT "." DIGIT ; HTTP-name = %s"HTTP"       (RFC 9112 §2.3)
# The request-target is checked here only as a run of VCHAR other than "#" (no whitespace,
# no controls, no obs-text, no fragment: RFC 9112 §3.2.1-§3.2.2 forms have none); its form is
# checked against the method afterwards (RFC 9112 §3.2).
REQUEST_LINE = re.compile(f"({_TOKEN}) ([\\x21\\x22\\x24-\\x7e]+) HTTP/([0-9]\\.[0-9])")
REQUEST_TARGET = re.compile(r"[\x21\x22\x24-\x7e]+")

# status-line = HTTP-version SP status-code SP [ reason-phrase ]           (RFC 9112 §4)
# status-code = 3DIGIT
# reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
# A status line without the SP before an empty reason is accepted: RFC 9112 §4 tells a client
# to ignore the reason-phrase, and many servers omit it entirely.
STATUS_LINE = re.compile(r"HTTP/([0-9]\.[0-9]) ([0-9]{3})(?: ([^\x00-\x08\x0a-\x1f\x7f]*))?")
REASON_PHRASE = re.compile(r"[^\x00-\x08\x0a-\x1f\x7f]*")

# field-line = field-name ":" OWS field-value OWS                          (RFC 9112 §5)
# field-name = token                                                       (RFC 9110 §5.1)
# field-value = *field-content ; field-content = field-vchar
#               [ 1*( SP / HTAB / field-vchar ) field-vchar ]              (RFC 9110 §5.5)
# field-vchar = VCHAR / obs-text
# A whole header section is checked in one pass: field lines, each ended by CRLF. No whitespace
# may come between the name and the colon (RFC 9112 §5.1), a line may not start with
# whitespace (obs-fold, RFC 9112 §5.2), and CR, LF, NUL and other controls cannot appear in a
# value (RFC 9110 §5.5).
FIELD_SECTION_B = re.compile(f"(?:{_TOKEN}:[\\t\\x20-\\x7e\\x80-\\xff]*\\r\\n)*".encode())

# The same rule one field line at a time, to split a section into (name, value) pairs. A line
# must start at the start of the section or after LF (MULTILINE "^"), so a section is valid when
# every LF ends a matched line and no byte outside field-vchar / SP / HTAB is left besides the
# CRLFs (see FIELD_BYTES). Leading and trailing OWS are left out of the value: it is empty or
# ends with a byte other than SP and HTAB. The leading OWS is possessive: a value never starts
# with SP or HTAB, so giving any of it back cannot make a line match, and retrying each shorter
# OWS rescanned the rest of the line (quadratic on a long run in a line that fails).
_FIELD_LINE = f"^({_TOKEN}):[ \\t]*+(.*[^ \\t\\r]|)[ \\t]*\\r$"
FIELD_LINE = re.compile(_FIELD_LINE, re.MULTILINE)
FIELD_LINE_B = re.compile(_FIELD_LINE.encode(), re.MULTILINE)
# field-vchar, SP and HTAB: the bytes a field line may hold besides its CRLF (RFC 9110 §5.5).
FIELD_BYTES = bytes([9, *range(0x20, 0x7F), *range(0x80, 0x100)])

# obs-fold = OWS CRLF RWS                                                  (RFC 9112 §5.2)
# A match starts at the first SP or HTAB of a run (or at the CRLF when no OWS comes before
# it), where the leftmost match starts anyway: a search no longer rescans a long run of
# whitespace from each of its bytes (quadratic).
OBS_FOLD_B = re.compile(rb"(?:(?<![ \t])[ \t]+)?\r\n[ \t]+")

# chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF                    (RFC 9112 §7.1)
# chunk-size = 1*HEXDIG
# chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ) (RFC 9112 §7.1.1)
# chunk-ext-name = token ; chunk-ext-val = token / quoted-string
# quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE                  (RFC 9110 §5.6.4)
# qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
# quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
_QUOTED_STRING = r'"(?:[\t\x20\x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t\x20-\x7e\x80-\xff])*"'
_CHUNK_EXT = f"(?:[ \\t]*;[ \\t]*{_TOKEN}(?:[ \\t]*=[ \\t]*(?:{_TOKEN}|{_QUOTED_STRING}))?)*"
CHUNK_LINE_B = re.compile(f"([0-9A-Fa-f]+)({_CHUNK_EXT})".encode())

# HTTP-version = HTTP-name "/" DIGIT "." DIGIT                             (RFC 9112 §2.3)
HTTP_VERSION = re.compile(r"HTTP/([0-9])\.([0-9])")

# Content-Length = 1*DIGIT                                                 (RFC 9110 §8.6)
CONTENT_LENGTH = re.compile(r"[0-9]+")

# Host = uri-host [ ":" port ]                                             (RFC 9110 §7.2)
# uri-host = IP-literal / IPv4address / reg-name ; port = *DIGIT           (RFC 3986 §3.2)
# reg-name = *( unreserved / pct-encoded / sub-delims )
_REG_NAME = r"[A-Za-z0-9\-._~%!$&'()*+,;=]*"
_IP_LITERAL = r"\[[0-9A-Za-z:.\-_~!$&'()*+,;=]+\]"
HOST = re.compile(f"(?:{_IP_LITERAL}|{_REG_NAME})(?::[0-9]*)?")

# authority-form = uri-host ":" port                                       (RFC 9112 §3.2.3)
AUTHORITY_FORM = re.compile(f"(?:{_IP_LITERAL}|[A-Za-z0-9\\-._~%!$&'()*+,;=]+):[0-9]+")

# absolute-form = absolute-URI ; absolute-URI = scheme ":" hier-part ...   (RFC 9112 §3.2.2)
# scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )                      (RFC 3986 §3.1)
# HTTP requests name http(s) resources, whose hier-part starts with "//" authority; requiring
# it tells "GET host:80" (authority-form, for CONNECT only, §3.2.3) from an absolute-URI.
ABSOLUTE_FORM_START = re.compile(r"[A-Za-z][A-Za-z0-9+\-.]*://")

# What the serializers emit for a header section: field-name ": " field-value CRLF, with a
# field-value free of CR, LF, NUL and every other control but HTAB (RFC 9110 §5.5).
OUT_FIELD_SECTION = re.compile(f"(?:{_TOKEN}: [^\\x00-\\x08\\x0a-\\x1f\\x7f]*\\r\\n)*")
