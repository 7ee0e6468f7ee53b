"""The byte notation of the corpus (conformance/cases/FORMAT.md)."""

from __future__ import annotations

import pytest

from conformance.notation import (
    MAX_REPEAT_BYTES,
    Await,
    NotationError,
    Pause,
    Send,
    Shutdown,
    decode,
    joined,
    parse_segments,
    render,
)


@pytest.mark.parametrize(
    ("text", "octets"),
    [
        ("GET / HTTP/1.1{CRLF}", b"GET / HTTP/1.1\r\n"),
        ("a{LF}b{CR}c", b"a\nb\rc"),
        ("{NUL}{SP}{HTAB}", b"\x00 \t"),
        ("caf{xE9}", b"caf\xe9"),
        ("{xff}{x00}", b"\xff\x00"),
        ("{{literal}}", b"{literal}"),
        ("tab\tstays", b"tab\tstays"),
        ("", b""),
    ],
)
def test_decode(text: str, octets: bytes) -> None:
    assert decode(text) == octets


@pytest.mark.parametrize(
    "text",
    ["raw\r\nline", "raw\nlf", "nul\x00", "caf\u00e9", "{UNKNOWN}", "{x1}", "lone { brace", "}"],
)
def test_decode_refuses_invisible_or_unknown(text: str) -> None:
    with pytest.raises(NotationError):
        decode(text)


def test_host_variable_is_filled_by_the_runner() -> None:
    assert decode("Host: {HOST}", {"HOST": b"127.0.0.1:8080"}) == b"Host: 127.0.0.1:8080"
    assert decode("Host: {HOST}") == b"Host: localhost"


def test_parse_segments_all_forms() -> None:
    steps = parse_segments(
        [
            "ab{CRLF}",
            {"repeat": "x{CRLF}", "count": 3},
            {"pause": 0.25},
            {"shutdown": "write"},
            {"await": "response", "timeout": 1},
        ]
    )
    assert steps == [
        Send(b"ab\r\n"),
        Send(b"x\r\nx\r\nx\r\n"),
        Pause(0.25),
        Shutdown(),
        Await(1.0),
    ]
    assert joined(steps) == b"ab\r\nx\r\nx\r\nx\r\n"


@pytest.mark.parametrize(
    "segments",
    [
        "not a list",
        [42],
        [{"repeat": "a"}],
        [{"repeat": "a", "count": -1}],
        [{"repeat": "a", "count": MAX_REPEAT_BYTES + 1}],
        [{"repeat": 1, "count": 2}],
        [{"pause": -1}],
        [{"pause": True}],
        [{"pause": 11}],
        [{"shutdown": "read"}],
        [{"await": "response"}],
        [{"bogus": 1}],
    ],
)
def test_parse_segments_refuses(segments: object) -> None:
    with pytest.raises(NotationError):
        parse_segments(segments)


def test_repeat_at_the_limit_is_allowed() -> None:
    (step,) = parse_segments([{"repeat": "a", "count": MAX_REPEAT_BYTES}])
    assert isinstance(step, Send)
    assert len(step.data) == MAX_REPEAT_BYTES


@pytest.mark.parametrize(
    ("octets", "text"),
    [
        (b"GET / HTTP/1.1\r\n", "GET / HTTP/1.1{CRLF}"),
        (b"a\nb\rc\x00\t", "a{LF}b{CR}c{NUL}{HTAB}"),
        (b"{x}", "{{x}}"),
        (b"\xe9\x7f", "{xE9}{x7F}"),
        (b"a" * 40, '{repeat "a" x 40}'),
    ],
)
def test_render(octets: bytes, text: str) -> None:
    assert render(octets) == text


def test_render_round_trips_through_decode() -> None:
    octets = bytes(range(256)) + b"\r\n{}"
    assert decode(render(octets)) == octets


def test_render_truncates() -> None:
    assert render(b"ab" * 10, limit=4) == "abab... (16 more octets)"
