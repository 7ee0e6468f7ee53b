"""``aiohttp.helpers``: the 3.x import path of the public helpers keeps working."""

from __future__ import annotations

import pytest
from multidict import MultiDict

import aiohttp.helpers
from aiohttp.helpers import BasicAuth, MimeType, content_disposition_header, parse_mimetype


def test_all_names_the_public_helpers() -> None:
    assert {
        "BasicAuth",
        "MimeType",
        "content_disposition_header",
        "parse_mimetype",
    } <= set(aiohttp.helpers.__all__)  # the whole set is pinned in tests/unit/test_exports.py
    for name in aiohttp.helpers.__all__:
        assert getattr(aiohttp.helpers, name) is not None


def test_parse_mimetype_as_in_3x() -> None:
    mime = parse_mimetype("application/json; charset=UTF-8")
    assert isinstance(mime, MimeType)
    assert (mime.type, mime.subtype, mime.suffix) == ("application", "json", "")
    assert mime.parameters == MultiDict({"charset": "UTF-8"})
    assert parse_mimetype("image/svg+xml").suffix == "xml"


def test_content_disposition_header() -> None:
    value = content_disposition_header("attachment", filename="report.pdf")
    assert value == 'attachment; filename="report.pdf"'


def test_basic_auth() -> None:
    with pytest.warns(DeprecationWarning, match="BasicAuth is deprecated"):
        assert BasicAuth("user", "pass").encode() == "Basic dXNlcjpwYXNz"
