"""aiohttp.hdrs: istr field names and method names, as in aiohttp 3.x."""

from __future__ import annotations

from multidict import CIMultiDict, istr

from aiohttp import hdrs


def test_field_names_are_istr_and_match_case_insensitively() -> None:
    assert isinstance(hdrs.CONTENT_TYPE, istr)
    assert hdrs.CONTENT_TYPE == "Content-Type"
    fields = CIMultiDict({"content-type": "text/plain"})
    assert fields[hdrs.CONTENT_TYPE] == "text/plain"
    assert hdrs.SEC_WEBSOCKET_KEY == "Sec-WebSocket-Key"
    assert hdrs.WWW_AUTHENTICATE == "WWW-Authenticate"
    assert hdrs.ETAG == "Etag"  # 3.x's spelling; field names match in any case
    assert CIMultiDict({"ETag": '"x"'})[hdrs.ETAG] == '"x"'


def test_every_upper_name_is_exported() -> None:
    public = {name for name in vars(hdrs) if name.isupper()}
    assert public == set(hdrs.__all__)
    for name in public - {"METH_ALL", "HOST_ALL"}:
        value = getattr(hdrs, name)
        assert isinstance(value, str)
        if not name.startswith("METH_"):
            assert isinstance(value, istr)
            assert value.upper().replace("-", "_") == name


def test_methods() -> None:
    assert hdrs.METH_GET == "GET"
    assert hdrs.METH_ANY == "*"
    assert {
        "CONNECT",
        "HEAD",
        "GET",
        "DELETE",
        "OPTIONS",
        "PATCH",
        "POST",
        "PUT",
        "TRACE",
    } == hdrs.METH_ALL


def test_3x_field_names_of_the_fetch_and_security_specs() -> None:
    assert hdrs.SEC_FETCH_SITE == "Sec-Fetch-Site"
    assert hdrs.STRICT_TRANSPORT_SECURITY == "Strict-Transport-Security"
    assert hdrs.X_REQUEST_ID == "X-Request-ID"
    assert hdrs.TRACEPARENT == "traceparent"


def test_host_all_has_every_case_of_host() -> None:
    assert len(hdrs.HOST_ALL) == 16
    assert {"Host", "HOST", "host", "hOsT"} <= hdrs.HOST_ALL
    assert all(name.lower() == "host" for name in hdrs.HOST_ALL)


def test_meth_all_is_a_set_as_in_3x() -> None:
    assert isinstance(hdrs.METH_ALL, set)
