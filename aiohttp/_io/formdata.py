"""HTML form bodies: :class:`FormData` builds ``application/x-www-form-urlencoded`` or, as soon
as a field is a file or has a content type or file name, ``multipart/form-data`` (RFC 7578).
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from multidict import MultiDict, MultiDictProxy

from .multipart_writer import MultipartWriter
from .payload import BytesPayload, Payload, get_payload, guess_filename

_HEADER_BREAKERS = re.compile("[\r\n\x00]")

__all__ = ("FormData",)


class FormData:
    """A form to send as a request body; calling it builds the payload.

    Args:
        fields: initial fields: a dict, a multidict, ``(name, value)`` pairs or file objects.
        quote_fields: percent-encode names and file names in Content-Disposition.
        charset: the charset of text fields (and of the urlencoded form).
        default_to_multipart: build ``multipart/form-data`` even for plain fields.
    """

    def __init__(
        self,
        fields: Iterable[Any] = (),
        quote_fields: bool = True,
        charset: str | None = None,
        *,
        default_to_multipart: bool = False,
    ) -> None:
        self._writer = MultipartWriter("form-data")
        self._fields: list[tuple[dict[str, str], dict[str, str], Any]] = []
        self._is_multipart = default_to_multipart
        self._is_processed = False
        self._quote_fields = quote_fields
        self._charset = charset
        if isinstance(fields, dict):
            fields = list(fields.items())
        elif not isinstance(fields, list | tuple):
            fields = (fields,)
        self.add_fields(*fields)

    @property
    def is_multipart(self) -> bool:
        """Whether the form will be sent as ``multipart/form-data``."""
        return self._is_multipart

    def add_field(
        self,
        name: str,
        value: Any,
        *,
        content_type: str | None = None,
        filename: str | None = None,
        content_transfer_encoding: str | None = None,
    ) -> None:
        """Add a field.

        A file object, bytes, a ``filename``, a ``content_type`` or a
        ``content_transfer_encoding`` make the form multipart. Bytes without a file name are
        sent as a file named after the field, as aiohttp 3.x does. ``content_transfer_encoding``
        is deprecated and, as in 3.14, not applied: the part goes as it is.

        Raises:
            TypeError: ``filename``, ``content_type`` or ``content_transfer_encoding`` is not a
                ``str``.
            ValueError: ``name``, ``filename`` or ``content_type`` holds CR, LF or NUL, which
                would end the part's header line (3.x refuses them here too).
        """
        _strings_or_none(
            filename=filename,
            content_type=content_type,
            content_transfer_encoding=content_transfer_encoding,
        )
        for given in (name, filename, content_type):
            if isinstance(given, str) and _HEADER_BREAKERS.search(given):
                raise ValueError(
                    "Forbidden control character detected in headers. "
                    "Potential header injection attack."
                )
        if isinstance(value, io.IOBase):
            self._is_multipart = True
        elif isinstance(value, bytes | bytearray | memoryview) and (
            filename is None and content_transfer_encoding is None
        ):
            filename = name
        disposition = {"name": name}
        if filename is None and isinstance(value, io.IOBase):
            filename = guess_filename(value, name)
        if filename is not None:
            disposition["filename"] = filename
            self._is_multipart = True
        headers = {}
        if content_type is not None:
            headers["Content-Type"] = content_type
            self._is_multipart = True
        if content_transfer_encoding is not None:  # deprecated, and without effect (3.14)
            self._is_multipart = True
            warnings.warn(
                "content_transfer_encoding is deprecated. "
                "To maintain compatibility with v4 please pass a BytesPayload.",
                DeprecationWarning,
                stacklevel=2,
            )
        self._fields.append((disposition, headers, value))

    def add_fields(self, *fields: Any) -> None:
        """Add fields: file objects, multidicts, or ``(name, value)`` pairs.

        Raises:
            TypeError: anything else.
        """
        pending = list(fields)
        while pending:
            record = pending.pop(0)
            if isinstance(record, io.IOBase):
                self.add_field(guess_filename(record, "unknown") or "unknown", record)
            elif isinstance(record, MultiDictProxy | MultiDict):
                pending.extend(record.items())
            elif isinstance(record, list | tuple) and len(record) == 2:
                self.add_field(record[0], record[1])
            else:
                raise TypeError(
                    "Only io.IOBase, multidict and (name, file) pairs allowed, use .add_field() "
                    f"for passing more complex parameters, got {record!r}"
                )

    def _gen_form_urlencoded(self) -> BytesPayload:
        data = [(disposition["name"], value) for disposition, _, value in self._fields]
        charset = self._charset if self._charset is not None else "utf-8"
        content_type = "application/x-www-form-urlencoded"
        if charset != "utf-8":
            content_type += f"; charset={charset}"
        encoded = urlencode(data, doseq=True, encoding=charset).encode()
        return BytesPayload(encoded, content_type=content_type)

    def _gen_form_data(self) -> MultipartWriter:
        if self._is_processed:
            return self._writer
        for disposition, headers, value in self._fields:
            try:
                part = get_payload(
                    value,
                    headers=headers,
                    content_type=headers.get("Content-Type"),
                    encoding=self._charset,
                )
            except Exception as exc:
                raise TypeError(
                    f"Can not serialize value type: {type(value)!r}\n"
                    f" headers: {headers!r}\n value: {value!r}"
                ) from exc
            part.set_content_disposition(
                "form-data", quote_fields=self._quote_fields, **disposition
            )
            self._writer.append_payload(part)
        self._is_processed = True
        return self._writer

    def __call__(self) -> Payload:
        """Build the payload (the same multipart writer on every call once built)."""
        if self._is_multipart:
            return self._gen_form_data()
        return self._gen_form_urlencoded()


def _strings_or_none(**given: object) -> None:
    """Raise 3.x's TypeError for an argument that is neither ``None`` nor a ``str``."""
    for argument, value in given.items():
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{argument} must be an instance of str. Got: {value}")
