"""The grammar module: a few direct checks of the rules the parsers rely on."""

from __future__ import annotations

import pytest

from aiohttp._sansio import abnf


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        pytest.param("GET", True, id="RFC9110-5.6.2-token"),
        pytest.param("!#$%&'*+-.^_`|~09azAZ", True, id="RFC9110-5.6.2-all-tchars"),
        pytest.param("a b", False, id="RFC9110-5.6.2-space"),
        pytest.param("a:b", False, id="RFC9110-5.6.2-colon"),
        pytest.param("", False, id="RFC9110-5.6.2-empty"),
    ],
)
def test_token(text: str, ok: bool) -> None:
    assert (abnf.TOKEN.fullmatch(text) is not None) is ok


@pytest.mark.parametrize(
    ("line", "ok"),
    [
        pytest.param(b"1a", True, id="RFC9112-7.1-hex"),
        pytest.param(b"1A;x", True, id="RFC9112-7.1.1-name"),
        pytest.param(b"1 ; x = y", True, id="RFC9112-7.1.1-bws"),
        pytest.param(b'1;x="a\\"b"', True, id="RFC9112-7.1.1-quoted-pair"),
        pytest.param(b'1;x="a"b', False, id="RFC9112-7.1.1-junk-after-quote"),
        pytest.param(b"g", False, id="RFC9112-7.1-not-hex"),
    ],
)
def test_chunk_line(line: bytes, ok: bool) -> None:
    assert (abnf.CHUNK_LINE_B.fullmatch(line) is not None) is ok


def test_field_line_leaves_out_leading_and_trailing_ows_rfc9112_5() -> None:
    assert abnf.FIELD_LINE_B.findall(b"A:  b \r\nC:\r\nD: \t \r\nE:x \ty\t\r\n") == [
        (b"A", b"b"),
        (b"C", b""),
        (b"D", b""),
        (b"E", b"x \ty"),
    ]
    assert abnf.FIELD_LINE.findall("A: b\r\n") == [("A", "b")]
    # A line ending in CR CR CRLF is no field line; a lone CR is left to FIELD_BYTES to reject.
    assert abnf.FIELD_LINE_B.findall(b"B: \r\r\n") == []
    assert 13 not in abnf.FIELD_BYTES
    assert 13 not in abnf.FIELD_BYTES
    assert 10 not in abnf.FIELD_BYTES
    assert 9 in abnf.FIELD_BYTES


def test_out_field_section() -> None:
    assert abnf.OUT_FIELD_SECTION.fullmatch("A: b\r\nC: \r\n")
    assert abnf.OUT_FIELD_SECTION.fullmatch("A: b\x00\r\n") is None


@pytest.mark.parametrize(
    ("text", "lowered"),
    [
        pytest.param("Chunked", "chunked", id="ascii"),
        pytest.param("chun\u212aed", "chun\u212aed", id="kelvin-sign-stays"),
        pytest.param("CHUN\u212aED", "chun\u212aed", id="ascii-lowered-kelvin-stays"),
        pytest.param("\u0130D", "\u0130d", id="dotted-capital-i-stays"),
    ],
)
def test_lower_token_is_ascii_only_rfc9110_5_6_2(text: str, lowered: str) -> None:
    assert abnf.lower_token(text) == lowered
