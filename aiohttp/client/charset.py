"""Which charset a response body is decoded with (``ClientResponse.get_encoding()``).

In order: the Content-Type ``charset`` when Python knows it (named as its codec is); for JSON
types the JSON rules (RFC 8259 §8.1, with RFC 4627 §3's detection of UTF-16/32 once the body
is read); then the session's ``fallback_charset_resolver`` (UTF-8 by default, as in 3.x).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from .._sansio.mime import parse_mimetype

__all__ = ("charset_of", "detect_json_encoding", "is_json")


def detect_json_encoding(body: bytes) -> str:
    """The encoding of a JSON text with no charset: UTF-8 unless the first bytes say UTF-16/32.

    JSON is UTF-8 (RFC 8259 §8.1); older JSON could be UTF-16 or UTF-32, told apart by the
    pattern of zero bytes among the first four (RFC 4627 §3).
    """
    head = body[:4]
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if len(head) == 4:
        zeros = tuple(b == 0 for b in head)
        patterns = {
            (True, True, True, False): "utf-32-be",
            (False, True, True, True): "utf-32-le",
            (True, False, True, False): "utf-16-be",
            (False, True, False, True): "utf-16-le",
        }
        return patterns.get(zeros, "utf-8")  # type: ignore[arg-type]
    return "utf-8"


def is_json(mimetype: str) -> bool:
    """Whether a Content-Type value is a JSON type (``application/json`` or ``+json``)."""
    parsed = parse_mimetype(mimetype)
    suffix = parsed.suffix.rpartition("+")[2]  # "vnd.x+y+json" has the suffix "y+json"
    return parsed.type == "application" and (parsed.subtype == "json" or suffix == "json")


def charset_of(
    charset: str | None,
    content_type: str,
    body: bytes | None,
    fallback: Callable[[bytes], str] | None,
) -> str:
    """The charset to decode ``body`` with (see the module docstring).

    Args:
        charset: The Content-Type's ``charset`` parameter, if any.
        content_type: The Content-Type value.
        body: The body, ``None`` when it was not read yet.
        fallback: The session's ``fallback_charset_resolver``, bound to the response.

    Raises:
        RuntimeError: The charset depends on a body not read yet.
    """
    if charset:
        try:
            return codecs.lookup(charset).name
        except (LookupError, ValueError):  # unknown, or not even encodable (3.x ignores both)
            pass
    if is_json(content_type):
        return "utf-8" if body is None else detect_json_encoding(body)
    if body is None:
        raise RuntimeError("Cannot compute fallback encoding of a not yet read body")
    return "utf-8" if fallback is None else fallback(body)
