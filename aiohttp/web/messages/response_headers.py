"""The header accessors of a response: cookies, content type and charset, validators.

:class:`ResponseHeadersMixin` is the part of :class:`~aiohttp.web.StreamResponse` that reads
and writes header fields (``Set-Cookie`` through :attr:`cookies`, ``Content-Type``,
``Content-Length``, ``Last-Modified``, ``ETag``); the response adds the sending.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from http.cookies import Morsel, SimpleCookie
from typing import Any

from multidict import CIMultiDict, istr

from ..._sansio.content_headers import HeadersMixin
from ..._sansio.dates import format_http_date
from .headers import format_etag, parse_etag, parse_last_modified

__all__ = ["ResponseHeadersMixin"]

CONTENT_LENGTH = istr("Content-Length")
CONTENT_TYPE = istr("Content-Type")
ETAG = istr("ETag")
# What would end a Set-Cookie attribute early (RFC 6265 §4.1.1): ";" and the controls.
_UNSAFE_ATTR = re.compile(r"[\x00-\x1f\x7f;]")
LAST_MODIFIED = istr("Last-Modified")


class ResponseHeadersMixin(HeadersMixin):
    """Cookies and typed header accessors over ``self._headers``."""

    _headers: CIMultiDict[str]
    _cookies: SimpleCookie | None
    _chunked: bool

    @property
    def cookies(self) -> SimpleCookie:
        """Cookies to send, as ``Set-Cookie`` fields."""
        if self._cookies is None:
            self._cookies = SimpleCookie()
        return self._cookies

    def set_cookie(
        self,
        name: str,
        value: str,
        *,
        expires: str | None = None,
        domain: str | None = None,
        max_age: int | str | None = None,
        path: str = "/",
        secure: bool | None = None,
        httponly: bool | None = None,
        version: str | None = None,
        samesite: str | None = None,
        partitioned: bool | None = None,
    ) -> None:
        """Set a cookie (RFC 6265 §4.1); the attributes given replace earlier ones.

        Raises:
            ValueError: an attribute holds ``;`` or a control character (CR, LF, NUL ...),
                which would end it and smuggle in others.
        """
        for kind, attr in (
            ("expires", expires),
            ("domain", domain),
            ("max-age", max_age),
            ("path", path),
            ("version", version),
            ("samesite", samesite),
        ):
            if attr is not None and _UNSAFE_ATTR.search(str(attr)):
                raise ValueError(f"invalid character in cookie {kind} {attr!r}")
        cookies = self.cookies
        old = cookies.get(name)
        if old is not None and old.coded_value == "":
            cookies.pop(name, None)  # a deleted cookie is set again
        cookies[name] = value
        c: Morsel[str] = cookies[name]
        if expires is not None:
            c["expires"] = expires
        elif c.get("expires") == "Thu, 01 Jan 1970 00:00:00 GMT":
            del c["expires"]
        if domain is not None:
            c["domain"] = domain
        if max_age is not None:
            c["max-age"] = str(max_age)
        elif "max-age" in c:
            del c["max-age"]
        c["path"] = path
        if secure is not None:
            c["secure"] = secure
        if httponly is not None:
            c["httponly"] = httponly
        if version is not None:
            c["version"] = version
        if samesite is not None:
            c["samesite"] = samesite
        if partitioned:
            c["partitioned"] = True

    def del_cookie(
        self,
        name: str,
        *,
        domain: str | None = None,
        path: str = "/",
        secure: bool | None = None,
        httponly: bool | None = None,
        samesite: str | None = None,
    ) -> None:
        """Ask the client to delete a cookie (an expired, empty one)."""
        self.cookies.pop(name, None)
        self.set_cookie(
            name,
            "",
            max_age=0,
            expires="Thu, 01 Jan 1970 00:00:00 GMT",
            domain=domain,
            path=path,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
        )

    @property
    def content_length(self) -> int | None:
        """``Content-Length`` as an int (settable; ``None`` removes it)."""
        return super().content_length

    @content_length.setter
    def content_length(self, value: int | None) -> None:
        if value is not None:
            value = int(value)
            if self._chunked:
                raise RuntimeError("You can't set content length when chunked encoding is enabled")
            self._headers[CONTENT_LENGTH] = str(value)
        else:
            self._headers.pop(CONTENT_LENGTH, None)

    @property
    def content_type(self) -> str:
        """The media type of ``Content-Type`` (settable)."""
        return super().content_type

    @content_type.setter
    def content_type(self, value: str) -> None:
        self._content_type_params = self._content_type_params_or_empty()
        self._set_content_type(str(value), self._content_type_params)

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of ``Content-Type`` (settable)."""
        return super().charset

    @charset.setter
    def charset(self, value: str | None) -> None:
        ctype = self.content_type
        if ctype == "application/octet-stream":
            raise RuntimeError(
                "Setting charset for application/octet-stream doesn't make sense, "
                "setup content_type first"
            )
        params = dict(self._content_type_params_or_empty())
        if value is None:
            params.pop("charset", None)
        else:
            params["charset"] = str(value).lower()
        self._set_content_type(ctype, params)

    def _content_type_params_or_empty(self) -> dict[str, str]:
        self._parse_content_type()
        return dict(self._content_dict or {})

    def _set_content_type(self, ctype: str, params: Mapping[str, str]) -> None:
        extra = "".join(f"; {k}={v}" for k, v in params.items())
        self._headers[CONTENT_TYPE] = ctype + extra

    @property
    def last_modified(self) -> Any:
        """``Last-Modified`` as an aware datetime (settable: datetime, timestamp or string)."""
        return parse_last_modified(self._headers.get(LAST_MODIFIED))

    @last_modified.setter
    def last_modified(self, value: Any) -> None:
        if value is None:
            self._headers.pop(LAST_MODIFIED, None)
        elif isinstance(value, int | float):  # a fraction of a second rounds up, as in 3.x
            self._headers[LAST_MODIFIED] = format_http_date(math.ceil(value))
        elif isinstance(value, datetime.datetime):
            if value.tzinfo is None:  # 3.x reads a naive datetime as UTC
                value = value.replace(tzinfo=datetime.UTC)
            self._headers[LAST_MODIFIED] = format_http_date(math.ceil(value.timestamp()))
        elif isinstance(value, str):
            self._headers[LAST_MODIFIED] = value
        else:
            raise TypeError(f"Unsupported type for last_modified: {type(value).__name__}")

    @property
    def etag(self) -> Any:
        """``ETag`` as an :class:`~aiohttp.web.ETag` (settable: str or ETag)."""
        return parse_etag(self._headers.get(ETAG))

    @etag.setter
    def etag(self, value: Any) -> None:
        if value is None:
            self._headers.pop(ETAG, None)
        else:
            self._headers[ETAG] = format_etag(value)
