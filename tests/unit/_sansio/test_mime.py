"""Media types, quoted-strings and Content-Disposition (RFC 9110 §5.6, §8.3; RFC 6266; RFC 8187)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp._sansio.mime import (
    BadContentDispositionHeader,
    BadContentDispositionParam,
    charset_from_content_type,
    content_disposition_filename,
    content_disposition_header,
    parse_content_disposition,
    parse_mimetype,
    quote_string,
    unquote_string,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("", ("", "", "", {}), id="empty"),
        pytest.param("*", ("*", "*", "", {}), id="star-alone"),
        pytest.param("text/html", ("text", "html", "", {}), id="rfc9110-8.3.1-plain"),
        pytest.param("Text/HTML", ("text", "html", "", {}), id="rfc9110-8.3.1-case-insensitive"),
        pytest.param(
            "application/rss+xml", ("application", "rss", "xml", {}), id="rfc6838-4.2.8-suffix"
        ),
        pytest.param(
            'text/plain; Charset="UTF-8"',
            ("text", "plain", "", {"charset": "UTF-8"}),
            id="rfc9110-5.6.6-quoted-param",
        ),
        pytest.param(
            "text/plain ;charset=utf-8 ; format=flowed;",
            ("text", "plain", "", {"charset": "utf-8", "format": "flowed"}),
            id="rfc9110-5.6.6-ows-and-trailing-semicolon",
        ),
        pytest.param(
            'multipart/form-data; boundary="a\\"b"',
            ("multipart", "form-data", "", {"boundary": 'a"b'}),
            id="rfc9110-5.6.4-quoted-pair",
        ),
        pytest.param(
            "text/plain; broken; charset=latin-1",
            ("text", "plain", "", {"charset": "latin-1"}),
            id="lenient-malformed-params",
        ),
    ],
)
def test_parse_mimetype(value: str, expected: tuple[str, str, str, dict[str, str]]) -> None:
    result = parse_mimetype(value)
    assert (result.type, result.subtype, result.suffix, dict(result.parameters)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, None, id="absent"),
        pytest.param("", None, id="empty"),
        pytest.param("text/html", None, id="no-charset"),
        pytest.param("text/html; charset=koi8-r", "koi8-r", id="rfc9110-8.3.2-charset"),
    ],
)
def test_charset_from_content_type(value: str | None, expected: str | None) -> None:
    assert charset_from_content_type(value) == expected


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        pytest.param("plain", '"plain"', id="rfc9110-5.6.4-plain"),
        pytest.param('a"b\\c', '"a\\"b\\\\c"', id="rfc9110-5.6.4-escapes"),
        pytest.param("tab\there", '"tab\there"', id="rfc9110-5.6.4-htab-allowed"),
    ],
)
def test_quote_string_round_trip(value: str, quoted: str) -> None:
    assert quote_string(value) == quoted
    assert unquote_string(quoted) == value


@pytest.mark.parametrize("bad", ["a\rb", "a\nb", "a\x00b", "\x7f"])
def test_quote_string_refuses_controls(bad: str) -> None:
    with pytest.raises(ValueError, match="control character"):
        quote_string(bad)


def test_unquote_string_leaves_bare_values() -> None:
    assert unquote_string("token") == "token"
    assert unquote_string('"') == '"'


@settings(max_examples=60)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")) | st.just("\t")))
def test_quote_unquote_any_text(value: str) -> None:
    assert unquote_string(quote_string(value)) == value


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        pytest.param(("attachment",), {}, "attachment", id="rfc6266-4.1-type-only"),
        pytest.param(
            ("form-data",),
            {"params": {"name": "field"}},
            'form-data; name="field"',
            id="rfc7578-4.2-name",
        ),
        pytest.param(
            ("form-data",),
            {"params": {"name": "f", "filename": "a b/ü.txt"}},
            'form-data; name="f"; filename="a%20b%2F%C3%BC.txt"',
            id="filename-percent-encoded",
        ),
        pytest.param(
            ("attachment",),
            {"params": {"title": "€ rates"}},
            "attachment; title*=utf-8''%E2%82%AC%20rates",
            id="rfc8187-3.2-non-ascii",
        ),
        pytest.param(
            ("attachment", False),
            {"params": {"filename": 'a"b.txt'}},
            'attachment; filename="a\\"b.txt"',
            id="unquoted-fields-escape-quotes",
        ),
        pytest.param(
            ("inline",),
            {"name": "x", "params": {"filename": "y"}},
            'inline; filename="y"; name="x"',
            id="keyword-params-after-mapping",
        ),
    ],
)
def test_content_disposition_header(
    args: tuple[object, ...], kwargs: dict[str, object], expected: str
) -> None:
    assert content_disposition_header(*args, **kwargs) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("disptype", "params", "quote_fields"),
    [
        pytest.param("", {}, True, id="empty-type"),
        pytest.param("bad type", {}, True, id="space-in-type"),
        pytest.param("form-data", {"na me": "x"}, True, id="space-in-name"),
        pytest.param("form-data", {"name": "x\r\nInjected: 1"}, True, id="crlf-quoted"),
        pytest.param("form-data", {"name": "x\r\nInjected: 1"}, False, id="crlf-unquoted"),
        pytest.param("form-data", {"filename": "x\x00.txt"}, True, id="nul-in-filename"),
    ],
)
def test_content_disposition_header_refuses(
    disptype: str, params: dict[str, str], quote_fields: bool
) -> None:
    with pytest.raises(ValueError, match="content disposition"):
        content_disposition_header(disptype, quote_fields, params=params)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param(None, (None, {}), id="absent"),
        pytest.param("", (None, {}), id="empty"),
        pytest.param("Inline", ("inline", {}), id="rfc6266-4.1-type-case-insensitive"),
        pytest.param("attachment;", ("attachment", {}), id="trailing-semicolon"),
        pytest.param(
            'attachment; FileName="foo.html"',
            ("attachment", {"filename": "foo.html"}),
            id="rfc6266-4.1-quoted-filename",
        ),
        pytest.param(
            "form-data; name=field; filename=a.txt",
            ("form-data", {"name": "field", "filename": "a.txt"}),
            id="rfc7578-4.2-token-values",
        ),
        pytest.param(
            "attachment; filename*=UTF-8''%e2%82%ac%20rates",
            ("attachment", {"filename*": "€ rates"}),
            id="rfc8187-3.2-ext-value",
        ),
        pytest.param(
            "attachment; filename*=iso-8859-1'en'%A3%20rates",
            ("attachment", {"filename*": "£ rates"}),
            id="rfc8187-3.2-language-tag",
        ),
        pytest.param("attach ment", (None, {}), id="bad-type"),
        pytest.param('attachment; filename="unterminated', (None, {}), id="unterminated-quote"),
        pytest.param("attachment; filename=a; filename=b", (None, {}), id="duplicate-param"),
        # As in aiohttp 3.x, a malformed parameter is dropped and the rest is kept.
        pytest.param(
            "attachment; filename*=nocharset; a=1", ("attachment", {"a": "1"}), id="bad-ext-dropped"
        ),
        pytest.param(
            "attachment; filename*=no-such-charset''abc",
            ("attachment", {}),
            id="rfc8187-unknown-charset-dropped",
        ),
        pytest.param(
            "attachment; filename*=utf-8''%ff", ("attachment", {}), id="rfc8187-bad-bytes-dropped"
        ),
        pytest.param(
            "attachment; filename*=''a%", ("attachment", {"filename*": "a%"}), id="ext-lenient"
        ),
        pytest.param("attachment; =x; a=1", ("attachment", {"a": "1"}), id="nameless-dropped"),
        pytest.param(
            "attachment; filename*0=a b; filename*1=c",
            ("attachment", {"filename*1": "c"}),
            id="rfc2231-bad-piece-dropped",
        ),
        pytest.param(
            'form-data; name="a;b"; filename="/etc/passwd"',
            ("form-data", {"name": "a;b", "filename": "etc/passwd"}),
            id="semicolon-quoted-and-leading-slash-dropped",
        ),
        pytest.param(
            'form-data; filename=""', ("form-data", {"filename": ""}), id="empty-quoted-value"
        ),
        pytest.param("attachment; ", (None, {}), id="blank-item"),
        pytest.param("attachment; filename", (None, {}), id="item-without-equals"),
        pytest.param("attachment; filename=a b", (None, {}), id="plain-value-not-a-token"),
    ],
)
# The warnings malformed values give are checked apart (the tests at the end).
@pytest.mark.filterwarnings("ignore::aiohttp.multipart.BadContentDispositionHeader")
@pytest.mark.filterwarnings("ignore::aiohttp.multipart.BadContentDispositionParam")
def test_parse_content_disposition(
    header: str | None, expected: tuple[str | None, dict[str, str]]
) -> None:
    assert parse_content_disposition(header) == expected


@pytest.mark.parametrize(
    ("header", "name", "expected"),
    [
        pytest.param("attachment", "filename", None, id="missing"),
        pytest.param(
            "attachment; filename=plain.txt; filename*=utf-8''%c3%bc.txt",
            "filename",
            "ü.txt",
            id="rfc6266-4.3-extended-preferred",
        ),
        pytest.param(
            'form-data; filename="a%20b.txt"', "filename", "a%20b.txt", id="kept-as-sent-as-in-3x"
        ),
        pytest.param('form-data; name="a%20b"', "name", "a%20b", id="name-kept-verbatim"),
        pytest.param(
            'attachment; filename*1="b.txt"; filename*0="a "',
            "filename",
            "a b.txt",
            id="rfc2231-3-continuations",
        ),
        pytest.param(
            "attachment; filename*0*=utf-8''%c3%bc; filename*1=.txt",
            "filename",
            "ü.txt",
            id="rfc2231-4.1-encoded-continuations",
        ),
        pytest.param(
            "attachment; other*0=x", "filename", None, id="rfc2231-other-parameter-ignored"
        ),
        # RFC 2231 §3: the pieces are numbered from 0 up, in decimal without leading zeros;
        # the name is what runs unbroken from piece 0.
        pytest.param(
            "attachment; filename*0=a; filename*01=b",
            "filename",
            "a",
            id="rfc2231-3-leading-zero-is-not-a-piece",
        ),
        pytest.param(
            "attachment; filename*0=a; filename*2=c",
            "filename",
            "a",
            id="rfc2231-3-stops-at-a-gap",
        ),
        pytest.param(
            "attachment; filename*1=b; filename*2=c",
            "filename",
            None,
            id="rfc2231-3-no-piece-0",
        ),
        pytest.param("attachment; filename*00=a", "filename", None, id="rfc2231-3-piece-00"),
        pytest.param(
            "attachment; filename*10=k; filename*0=a; filename*1=b",
            "filename",
            "ab",
            id="rfc2231-3-piece-10-after-a-gap",
        ),
        pytest.param(
            "attachment; filename*0*=utf-8''a; filename*1*=%c3%bc; filename*2=.txt",
            "filename",
            "a\u00fc.txt",
            id="rfc2231-4.1-three-pieces",
        ),
    ],
)
def test_content_disposition_filename(header: str, name: str, expected: str | None) -> None:
    _, params = parse_content_disposition(header)
    assert content_disposition_filename(params, name) == expected


@settings(max_examples=60)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1))
def test_disposition_round_trip(filename: str) -> None:
    header = content_disposition_header("form-data", params={"name": "f", "filename": filename})
    disptype, params = parse_content_disposition(header)
    assert disptype == "form-data"
    # The header percent-encodes a filename; the reader gives it back as sent (as 3.x does).
    assert unquote(content_disposition_filename(params) or "") == filename


def test_a_dropped_parameter_warns_with_its_text() -> None:
    with pytest.warns(BadContentDispositionParam) as caught:
        result = parse_content_disposition("attachment; filename*=nocharset; a=1")
    assert result == ("attachment", {"a": "1"})
    assert [str(w.message) for w in caught] == [" filename*=nocharset"]


def test_an_unreadable_header_warns_with_the_header() -> None:
    with pytest.warns(BadContentDispositionHeader) as caught:
        assert parse_content_disposition("attachment; filename=a b") == (None, {})
    assert [str(w.message) for w in caught] == ["attachment; filename=a b"]
    with pytest.warns(BadContentDispositionHeader):
        assert parse_content_disposition("attachment; a=1;") == ("attachment", {"a": "1"})
