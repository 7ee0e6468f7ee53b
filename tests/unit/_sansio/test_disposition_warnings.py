"""Malformed Content-Disposition warns as aiohttp 3.x does (RFC 6266 §4.1, RFC 8187 §3.2).

A header that does not parse gives :class:`BadContentDispositionHeader`; a parameter whose name
or extended value is malformed gives :class:`BadContentDispositionParam` naming that parameter.
The warnings expected here are those 3.14.5 gives for the same values.
"""

from __future__ import annotations

import warnings

import pytest

from aiohttp import multipart
from aiohttp._sansio.mime import parse_content_disposition
from aiohttp.multipart import BadContentDispositionHeader as Header
from aiohttp.multipart import BadContentDispositionParam as Param


def warned(value: str) -> list[tuple[type[Warning], str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parse_content_disposition(value)
    return [(w.category, str(w.message)) for w in caught]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("attach ment; filename=a", [Header], id="type-not-a-token"),
        pytest.param('"attachment"', [Header], id="quoted-type"),
        pytest.param("attachment;", [Header], id="trailing-semicolon"),
        pytest.param("attachment; filename=a;", [Header], id="trailing-semicolon-after-param"),
        pytest.param("attachment; a=1;; b=2", [Header], id="empty-parameter"),
        pytest.param("attachment; filename", [Header], id="parameter-without-value"),
        pytest.param("attachment; filename=a; filename=b", [Header], id="repeated-parameter"),
        pytest.param("attachment; filename=a b", [Header], id="value-not-token-or-quoted"),
        pytest.param('attachment; filename="a', [Header], id="unterminated-quote"),
        pytest.param("attachment; filename==a", [Header], id="stray-equals"),
        pytest.param("attachment; file name=a", [Param], id="name-not-a-token"),
        pytest.param("attachment; filename*=a.txt", [Param], id="rfc8187-no-charset"),
        pytest.param("attachment; filename*=UTF-8''%ff", [Param], id="rfc8187-not-utf8"),
        pytest.param("attachment; filename*0=a b", [Param], id="rfc2231-continuation-bad"),
        pytest.param("attachment;; file name=a", [Header, Param], id="two-problems"),
        pytest.param(
            "attachment; n*0=a; n*1*=UTF-8''b; e*=UTF-8''c; file name=d",
            [Param],
            id="good-continuations-then-bad-name",
        ),
    ],
)
def test_malformed_values_warn_like_3x(value: str, expected: list[type[Warning]]) -> None:
    found = warned(value)
    assert [category for category, _ in found] == expected
    for category, message in found:
        if category is Header:
            assert message == value
        else:
            assert message.strip() in value
            assert "=" in message


@pytest.mark.parametrize(
    "value",
    [
        "",
        "inline",
        " attachment ",
        'attachment; filename="a.txt"',
        'attachment; foo="bar\\"baz"',
        "form-data; name=\"x\"; filename*=UTF-8''%e2%82%ac",
        "attachment; filename*0*=UTF-8''a; filename*1=b",
    ],
)
def test_well_formed_values_do_not_warn(value: str) -> None:
    assert warned(value) == []


def test_a_quoted_semicolon_is_not_a_separator() -> None:
    # RFC 9110 §5.6.4: ";" inside a quoted-string is text (aiohttp 3.x splits there and warns).
    assert warned('attachment; filename="a;;b.txt"') == []
    assert parse_content_disposition('attachment; filename="a;;b.txt"') == (
        "attachment",
        {"filename": "a;;b.txt"},
    )


def test_the_warning_param_names_the_parameter() -> None:
    assert warned("attachment; file name=a") == [(Param, " file name=a")]


def test_warnings_are_runtime_warnings_exported_as_in_3x() -> None:
    assert issubclass(Header, RuntimeWarning)
    assert issubclass(Param, RuntimeWarning)
    assert multipart.BadContentDispositionHeader is Header
    with pytest.warns(Header):
        assert parse_content_disposition("attachment; filename") == (None, {})
