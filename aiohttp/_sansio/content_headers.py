"""``Content-Type`` and ``Content-Length`` read from a message's header fields.

:class:`HeadersMixin` (aiohttp 3.x ``helpers.HeadersMixin``) gives any class with a
``_headers`` mapping the ``content_type``, ``charset`` and ``content_length`` accessors
(RFC 9110 §8.3, §8.6). Server requests and responses and client responses all build on it, so
``isinstance(x, HeadersMixin)`` holds for each of them, as in 3.x. The ``Content-Type`` parse
is cached until the field's value changes.
"""

from __future__ import annotations

from collections.abc import Mapping

from .hdrs import CONTENT_LENGTH, CONTENT_TYPE
from .mime import parse_mimetype

__all__ = ["HeadersMixin"]

#: The media type of a message without ``Content-Type`` (RFC 9110 §8.3).
DEFAULT_CONTENT_TYPE = "application/octet-stream"


class HeadersMixin:
    """``content_type``, ``charset`` and ``content_length`` read from the object's header
    fields."""

    #: The attributes the mixin keeps (its cache of the parsed ``Content-Type``).
    #:
    #: :meta hide-value:
    ATTRS = frozenset({"_content_type", "_content_dict", "_stored_content_type"})

    _headers: Mapping[str, str]
    _stored_content_type: str | None = None
    _content_type: str = DEFAULT_CONTENT_TYPE
    _content_dict: dict[str, str] | None = None

    def _parse_content_type(self) -> None:
        raw = self._headers.get(CONTENT_TYPE)
        if raw is self._stored_content_type and self._content_dict is not None:
            return
        self._stored_content_type = raw
        if raw is None:
            self._content_type = DEFAULT_CONTENT_TYPE
            self._content_dict = {}
            return
        mime = parse_mimetype(raw)
        if not mime.type or raw.partition(";")[0].count("/") != 1:  # not type "/" subtype
            self._content_type = DEFAULT_CONTENT_TYPE
        else:
            suffix = f"+{mime.suffix}" if mime.suffix else ""
            self._content_type = f"{mime.type}/{mime.subtype}{suffix}"
        self._content_dict = dict(mime.parameters)

    @property
    def content_type(self) -> str:
        """The media type of ``Content-Type``, lower-cased (``application/octet-stream``)."""
        self._parse_content_type()
        return self._content_type

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of ``Content-Type``, or ``None``."""
        self._parse_content_type()
        assert self._content_dict is not None
        return self._content_dict.get("charset")

    @property
    def content_length(self) -> int | None:
        """``Content-Length`` as an int, or ``None`` when absent.

        Raises:
            ValueError: The field is not a number in ASCII digits (RFC 9110 §8.6; ``int()``
                alone would take other scripts' digits, signs and spaces).
        """
        value = self._headers.get(CONTENT_LENGTH)
        if value is None:
            return None
        if not (value.isascii() and value.isdigit()):
            raise ValueError(f"invalid Content-Length: {value!r}")
        return int(value)
