"""HeadersMixin: Content-Type and Content-Length of a header map (RFC 9110 §8.3, §8.6)."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict

from aiohttp._sansio.content_headers import HeadersMixin


class Message(HeadersMixin):
    def __init__(self, **fields: str) -> None:
        self._headers = CIMultiDict({k.replace("_", "-"): v for k, v in fields.items()})


@pytest.mark.parametrize(
    ("value", "ctype", "charset"),
    [
        pytest.param(None, "application/octet-stream", None, id="rfc9110-8.3-absent"),
        pytest.param("", "application/octet-stream", None, id="empty"),
        pytest.param("Text/HTML; Charset=UTF-8", "text/html", "UTF-8", id="rfc9110-8.3.1-case"),
        pytest.param("application/ld+json", "application/ld+json", None, id="rfc6838-4.2.8"),
        # RFC 9110 §8.3.1: type "/" subtype; a value that is not one is read as 3.x reads it
        pytest.param("jpeg; charset=utf-8", "application/octet-stream", "utf-8", id="no-slash"),
        pytest.param("a/b/c", "application/octet-stream", None, id="two-slashes"),
    ],
)
def test_content_type_and_charset(value: str | None, ctype: str, charset: str | None) -> None:
    message = Message() if value is None else Message(Content_Type=value)
    assert (message.content_type, message.charset) == (ctype, charset)


def test_the_parse_follows_a_changed_field() -> None:
    message = Message(Content_Type="text/plain; charset=latin-1")
    assert message.charset == "latin-1"
    assert message.content_type == "text/plain"  # from the cache
    message._headers["Content-Type"] = "application/json"
    assert (message.content_type, message.charset) == ("application/json", None)
    del message._headers["Content-Type"]
    assert message.content_type == "application/octet-stream"


def test_content_length() -> None:
    assert Message().content_length is None
    assert Message(Content_Length="42").content_length == 42
    for bad in ("4x", "\u0664\u0662", "+42", " 42"):  # RFC 9110 §8.6: 1*DIGIT, ASCII only
        with pytest.raises(ValueError, match="invalid Content-Length"):
            _ = Message(Content_Length=bad).content_length


def test_attrs_name_the_cache() -> None:
    message = Message(Content_Type="text/plain")
    _ = message.content_type
    assert set(vars(message)) - {"_headers"} == HeadersMixin.ATTRS
