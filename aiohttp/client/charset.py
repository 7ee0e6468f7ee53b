"""Which charset a response body is decoded with (``ClientResponse.get_encoding()``).

In order: the Content-Type ``charset`` when Python knows it; for JSON types the JSON rules
(RFC 8259 §8.1, with RFC 4627 §3's detection of UTF-16/32); then the session's
``fallback_charset_resolver``; else detection with ``chardet``; UTF-8 when nothing decides.
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
    return parsed.type == "application" and (parsed.subtype == "json" or parsed.suffix == "json")


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
            codecs.lookup(charset)
        except LookupError:
            pass
        else:
            return charset
    if body is None:
        raise RuntimeError("Cannot compute the encoding before the body is read")
    if is_json(content_type):
        return detect_json_encoding(body)
    if fallback is not None:
        return fallback(body)
    if not body:
        return "utf-8"
    import chardet  # noqa: PLC0415 - only needed for bodies without a charset

    detected = chardet.detect(body).get("encoding")
    return str(detected) if detected else "utf-8"
