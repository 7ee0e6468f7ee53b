"""Multipart push parser and writer pieces (RFC 2046 §5.1, RFC 7578)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp._sansio.errors import BadHttpMessage, LineTooLong
from aiohttp._sansio.multipart import (
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_MAX_FIELD_SIZE,
    DEFAULT_MAX_HEADERS,
    DEFAULT_MAX_PART_HEADER_SIZE,
    DEFAULT_MAX_PARTS,
    Event,
    MultipartEnd,
    MultipartLimitError,
    MultipartParseError,
    MultipartParser,
    PartData,
    PartEnd,
    PartFieldTooLong,
    PartHeaders,
    TooManyPartFields,
    closing_delimiter,
    make_boundary,
    part_head,
    validate_boundary,
)

B = "xYzZY"
FORM = (
    b"preamble text\r\n"
    b"--xYzZY\r\n"
    b'Content-Disposition: form-data; name="field"\r\n'
    b"\r\n"
    b"value\r\n"
    b"--xYzZY  \t\r\n"
    b'Content-Disposition: form-data; name="file"; filename="a.txt"\r\n'
    b"Content-Type: text/plain\r\n"
    b"\r\n"
    b"line one\r\nline two --xYzZ not yet\r\n"
    b"--xYzZY--\r\n"
    b"epilogue"
)
FORM_PARTS = [
    ((("Content-Disposition", 'form-data; name="field"'),), b"value"),
    (
        (
            ("Content-Disposition", 'form-data; name="file"; filename="a.txt"'),
            ("Content-Type", "text/plain"),
        ),
        b"line one\r\nline two --xYzZ not yet",
    ),
]


def _collect(events: list[Event]) -> list[tuple[tuple[tuple[str, str], ...], bytes]]:
    """Fold events into (headers, body) per part, checking their order on the way."""
    parts: list[tuple[tuple[tuple[str, str], ...], bytes]] = []
    current: tuple[tuple[str, str], ...] | None = None
    body = b""
    for event in events:
        if isinstance(event, PartHeaders):
            assert current is None
            current, body = event.headers, b""
        elif isinstance(event, PartData):
            assert current is not None
            assert event.data
            body += event.data
        elif isinstance(event, PartEnd):
            assert current is not None
            parts.append((current, body))
            current = None
        else:
            assert isinstance(event, MultipartEnd)
            assert current is None
    return parts


def _parse(body: bytes, boundary: str = B, **kwargs: int) -> list[Event]:
    parser = MultipartParser(boundary, **kwargs)
    events = parser.feed(body)
    events += parser.feed_eof()
    return events


def test_rfc2046_5_1_1_whole_body() -> None:
    events = _parse(FORM)
    assert _collect(events) == FORM_PARTS
    assert events[-1] == MultipartEnd()


def test_byte_by_byte() -> None:
    parser = MultipartParser(B)
    events: list[Event] = []
    for index in range(len(FORM)):
        events += parser.feed(FORM[index : index + 1])
    assert parser.finished
    assert _collect(events) == FORM_PARTS


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_split_anywhere(data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(FORM)), max_size=12)))
    parser = MultipartParser(B)
    events: list[Event] = []
    for start, end in zip([0, *cuts], [*cuts, len(FORM)], strict=True):
        events += parser.feed(FORM[start:end])
    events += parser.feed_eof()
    assert _collect(events) == FORM_PARTS


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.binary(max_size=200), min_size=1, max_size=4),
    st.lists(st.integers(1, 40), max_size=8),
)
def test_writer_parser_round_trip(bodies: list[bytes], splits: list[int]) -> None:
    boundary = make_boundary()
    wire = b""
    for index, body in enumerate(bodies):
        wire += part_head(boundary, [("Content-Disposition", f'form-data; name="f{index}"')])
        wire += body + b"\r\n"
    wire += closing_delimiter(boundary)
    parser = MultipartParser(boundary)
    events: list[Event] = []
    pos = 0
    for size in splits:
        events += parser.feed(wire[pos : pos + size])
        pos += size
    events += parser.feed(wire[pos:])
    assert [body for _, body in _collect(events)] == bodies


def test_rfc2046_5_1_1_body_starts_with_crlf_delimiter() -> None:
    events = _parse(b"\r\n--xYzZY\r\n\r\nabc\r\n--xYzZY--")
    assert _collect(events) == [((), b"abc")]


def test_rfc2046_5_1_1_part_without_headers_and_empty_body() -> None:
    events = _parse(b"--xYzZY\r\n\r\n\r\n--xYzZY--\r\n")
    assert _collect(events) == [((), b"")]


@pytest.mark.parametrize("step", [1, 2, 100])
def test_rfc2046_5_1_1_empty_body_the_blank_lines_crlf_opens_the_delimiter(step: int) -> None:
    # body-part := MIME-part-headers [CRLF *OCTET]: without the optional CRLF the part has no
    # body, and the CRLF ending the header block is the delimiter's own. Two parts, not one.
    wire = b"--xYzZY\r\nA: 1\r\n\r\n--xYzZY\r\n\r\n--xYzZY\r\nB: 2\r\n\r\nbody\r\n--xYzZY--"
    parser = MultipartParser(B)
    events: list[Event] = []
    for pos in range(0, len(wire), step):
        events += parser.feed(wire[pos : pos + step])
    assert _collect(events) == [((("A", "1"),), b""), ((), b""), ((("B", "2"),), b"body")]
    assert parser.finished


def test_a_body_merely_starting_like_the_boundary_is_not_cut() -> None:
    events = _parse(b"--xYzZY\r\n\r\n--xY\r\n--xYzZY--")
    assert _collect(events) == [((), b"--xY")]


def test_part_body_alone_may_be_empty() -> None:
    parser = MultipartParser.for_part_body(b"--:")
    assert parser.feed(b"-") == []
    assert parser.feed(b"-:--\r\n") == [PartEnd()]


def test_rfc2046_5_1_1_no_parts() -> None:
    assert _parse(b"--xYzZY--\r\n") == [MultipartEnd()]


def test_boundary_not_at_line_start_is_preamble() -> None:
    body = b"x--xYzZY!\r\n--xYzZY\r\n\r\nok\r\n--xYzZY--"
    parser = MultipartParser(B)
    events: list[Event] = []
    for index in range(len(body)):
        events += parser.feed(body[index : index + 1])
    assert _collect(events) == [((), b"ok")]


def test_epilogue_and_later_bytes_ignored() -> None:
    parser = MultipartParser(B)
    parser.feed(b"--xYzZY--")
    assert parser.feed(b"anything at all") == []
    assert parser.feed_eof() == []


def test_header_values_decoded_as_utf8_then_latin1() -> None:
    body = (
        b"--xYzZY\r\n"
        b'Content-Disposition: form-data; filename="\xc3\xbc.txt"\r\n'
        b"X-Other:\t\xfc  \r\n\r\n\r\n--xYzZY--"
    )
    [(headers, _)] = _collect(_parse(body))
    assert headers == (
        ("Content-Disposition", 'form-data; filename="ü.txt"'),
        ("X-Other", "ü"),
    )


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"--xYzZY\r\nno colon here\r\n\r\n", id="rfc5322-2.2-no-colon"),
        pytest.param(b"--xYzZY\r\nBad Name: v\r\n\r\n", id="rfc9110-5.1-name-not-token"),
        pytest.param(b"--xYzZY\r\nA: v\r\n folded\r\n\r\n", id="rfc9112-5.2-obs-fold"),
        pytest.param(b"--xYzZY\r\nA: v\rw\r\n\r\n", id="bare-cr-in-header"),
        pytest.param(b"--xYzZY\r\nA: v\x00\r\n\r\n", id="nul-in-header"),
        pytest.param(b"--xYzZY\r\nA: v\nB: w\r\n\r\n", id="bare-lf-in-header"),
        pytest.param(b"--xYzZYjunk\r\n", id="rfc2046-5.1.1-junk-after-boundary"),
        pytest.param(b"--xYzZY \tjunk", id="junk-after-padding-before-crlf"),
        pytest.param(b"--xYzZY\r\n\r\nabc\r\n--xYzZYabc\r\n", id="rfc2046-5.1.1-boundary-in-body"),
    ],
)
def test_malformed(body: bytes) -> None:
    parser = MultipartParser(B)
    with pytest.raises(MultipartParseError) as info:
        parser.feed(body)
    assert info.value.status == 400


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"just a preamble", id="preamble-only"),
        pytest.param(b"--xYzZY\r\n\r\nabc", id="rfc2046-5.1.1-no-close-delimiter"),
        pytest.param(b"--xYzZY\r\nA: b", id="in-headers"),
        pytest.param(b"--xYzZY-", id="half-close"),
        pytest.param(b"--xYzZY  ", id="in-padding"),
    ],
)
def test_truncated(body: bytes) -> None:
    parser = MultipartParser(B)
    parser.feed(body)
    assert not parser.finished
    with pytest.raises(MultipartParseError, match="close delimiter"):
        parser.feed_eof()


def test_endless_padding_is_bounded() -> None:
    parser = MultipartParser(B, max_part_header_size=100)
    parser.feed(b"--xYzZY" + b" " * 100)
    with pytest.raises(MultipartParseError):
        parser.feed(b" ")


def test_named_defaults() -> None:
    assert DEFAULT_MAX_PARTS == 1000
    assert DEFAULT_MAX_PART_HEADER_SIZE == 16 * 1024
    assert DEFAULT_MAX_BODY_SIZE == 2**30


def _parts_body(count: int) -> bytes:
    return b"".join(b"--xYzZY\r\n\r\nx\r\n" for _ in range(count)) + b"--xYzZY--"


def test_part_count_limit_at_and_past() -> None:
    assert len(_collect(_parse(_parts_body(3), max_parts=3))) == 3
    with pytest.raises(MultipartLimitError) as info:
        _parse(_parts_body(4), max_parts=3)
    assert (info.value.limit, info.value.status) == (3, 413)


def test_default_part_count_limit() -> None:
    assert len(_collect(_parse(_parts_body(DEFAULT_MAX_PARTS)))) == DEFAULT_MAX_PARTS
    with pytest.raises(MultipartLimitError):
        _parse(_parts_body(DEFAULT_MAX_PARTS + 1))


def _header_body(size: int) -> bytes:
    line = b"X: " + b"v" * (size - 3)
    return b"--xYzZY\r\n" + line + b"\r\n\r\nbody\r\n--xYzZY--"


def test_part_header_limit_at_and_past() -> None:
    assert len(_collect(_parse(_header_body(50), max_part_header_size=50))) == 1
    with pytest.raises(MultipartLimitError) as info:
        _parse(_header_body(51), max_part_header_size=50)
    assert (info.value.limit, info.value.status) == (50, 431)


def test_part_header_limit_without_end_in_sight() -> None:
    parser = MultipartParser(B, max_part_header_size=50)
    parser.feed(b"--xYzZY\r\n" + b"X: " + b"v" * 51)
    with pytest.raises(MultipartLimitError):
        parser.feed(b"v")


def test_body_size_limit_at_and_past() -> None:
    body = _parts_body(2)
    assert len(_collect(_parse(body, max_body_size=len(body)))) == 2
    with pytest.raises(MultipartLimitError) as info:
        _parse(body, max_body_size=len(body) - 1)
    assert info.value.limit == len(body) - 1


def test_body_size_unlimited() -> None:
    parser = MultipartParser(B, max_body_size=None)
    assert parser.feed(_parts_body(1))[-1] == MultipartEnd()


def test_body_data_is_streamed_not_held() -> None:
    parser = MultipartParser(B)
    parser.feed(b"--xYzZY\r\n\r\n")
    events = parser.feed(b"a" * 10_000)
    assert events == [PartData(b"a" * (10_000 - len(b"\r\n--xYzZY") + 1))]


@pytest.mark.parametrize(
    "boundary",
    [
        pytest.param("", id="rfc2046-5.1.1-empty"),
        pytest.param("x" * 71, id="rfc2046-5.1.1-too-long"),
        pytest.param("ends with space ", id="rfc2046-5.1.1-trailing-space"),
        pytest.param("semi;colon", id="rfc2046-5.1.1-bad-char"),
    ],
)
def test_invalid_boundary(boundary: str) -> None:
    with pytest.raises(ValueError, match="boundary"):
        validate_boundary(boundary)
    with pytest.raises(MultipartParseError):
        MultipartParser(boundary)


def test_valid_boundaries() -> None:
    validate_boundary("x" * 70)
    validate_boundary("gc0p4Jq0M2Yt08j34c0p")
    validate_boundary("with space'()+_,-./:=?x")
    first, second = make_boundary(), make_boundary()
    assert first != second
    validate_boundary(first)


def test_part_head_serialization() -> None:
    head = part_head("b", [("Content-Type", "text/plain"), ("X-Name", "ü")])
    assert head == "--b\r\nContent-Type: text/plain\r\nX-Name: ü\r\n\r\n".encode()
    assert part_head("b", []) == b"--b\r\n\r\n"
    assert closing_delimiter("b") == b"--b--\r\n"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        pytest.param("X", "a\r\nInjected: 1", id="crlf-in-value"),
        pytest.param("X", "a\nb", id="lf-in-value"),
        pytest.param("X", "a\x00", id="nul-in-value"),
        pytest.param("X\r\nY", "v", id="crlf-in-name"),
        pytest.param("Bad Name", "v", id="space-in-name"),
    ],
)
def test_part_head_refuses_injection(name: str, value: str) -> None:
    with pytest.raises(ValueError, match="invalid multipart header"):
        part_head("b", [(name, value)])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.binary(max_size=40) | st.sampled_from([b"--xYzZY", b"\r\n", b"--", b": "])))
def test_hostile_input_only_raises_multipart_errors(pieces: list[bytes]) -> None:
    parser = MultipartParser(B, max_part_header_size=64, max_parts=5, max_body_size=2000)
    try:
        for piece in pieces:
            parser.feed(piece)
        parser.feed_eof()
    except (MultipartParseError, MultipartLimitError):
        return
    assert parser.finished


def test_cross_check_stdlib_email_writes_we_read() -> None:
    from email import policy
    from email.mime.application import MIMEApplication
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    message = MIMEMultipart("form-data", boundary="stdlib-boundary")
    message.attach(MIMEText("hello", "plain", "utf-8"))
    message.attach(MIMEApplication(b"\x00\x01binary"))
    wire = message.as_bytes(policy=policy.HTTP)
    body = wire.split(b"\r\n\r\n", 1)[1]
    parts = _collect(_parse(body, "stdlib-boundary"))
    assert len(parts) == 2
    assert dict(parts[0][0])["Content-Type"] == 'text/plain; charset="utf-8"'
    assert dict(parts[1][0])["Content-Transfer-Encoding"] == "base64"


def test_cross_check_stdlib_email_reads_what_we_write() -> None:
    from email import message_from_bytes, policy

    boundary = make_boundary()
    wire = part_head(boundary, [("Content-Type", "text/plain")]) + b"first\r\n"
    wire += part_head(boundary, [("Content-Type", "application/octet-stream")]) + b"2nd\r\n"
    wire += closing_delimiter(boundary)
    head = f"Content-Type: multipart/mixed; boundary={boundary}\r\n\r\n".encode()
    message = message_from_bytes(head + wire, policy=policy.HTTP)
    payloads = [part.get_payload(decode=True) for part in message.iter_parts()]  # type: ignore[attr-defined]
    assert payloads == [b"first", b"2nd"]


def _head(*lines: bytes) -> bytes:
    return b"--xYzZY\r\n" + b"".join(line + b"\r\n" for line in lines) + b"\r\nbody\r\n--xYzZY--"


def test_header_line_at_max_field_size_and_one_past_it() -> None:
    # 3.x measures the line with its CRLF: 18 + 2 = 20 bytes fit a limit of 20.
    at_limit = b"A: " + b"a" * 15
    assert _collect(_parse(_head(at_limit), max_field_size=20)) == [((("A", "a" * 15),), b"body")]
    with pytest.raises(PartFieldTooLong) as info:
        _parse(_head(at_limit + b"a"), max_field_size=20)
    assert isinstance(info.value, LineTooLong)
    assert isinstance(info.value, MultipartLimitError)
    assert (info.value.limit, info.value.status, info.value.code) == (20, 431, 431)
    assert "20 bytes" in info.value.message


def test_a_long_header_line_is_refused_before_it_ends() -> None:
    parser = MultipartParser(B, max_field_size=20)
    parser.feed(b"--xYzZY\r\nA: " + b"a" * 15 + b"\r")  # 19 bytes and a CR: may still fit
    with pytest.raises(PartFieldTooLong):
        parser.feed(b"a")


def test_header_lines_at_max_headers_and_one_past_it() -> None:
    three = [b"A: 1", b"B: 2", b"C: 3"]
    assert len(_collect(_parse(_head(*three), max_headers=3))[0][0]) == 3
    with pytest.raises(TooManyPartFields) as info:
        _parse(_head(*three, b"D: 4"), max_headers=3)
    assert isinstance(info.value, BadHttpMessage)
    assert info.value.limit == 3
    parser = MultipartParser(B, max_headers=3)
    parser.feed(b"--xYzZY\r\n" + b"".join(line + b"\r\n" for line in three))
    with pytest.raises(TooManyPartFields):  # the fourth complete line is enough to know
        parser.feed(b"D: 4\r\n")


def test_header_limit_defaults_are_3x_values() -> None:
    assert (DEFAULT_MAX_FIELD_SIZE, DEFAULT_MAX_HEADERS) == (8190, 128)


@pytest.mark.parametrize("step", [1, 3, 100])
def test_part_body_alone(step: int) -> None:
    parser = MultipartParser.for_part_body(b"--:")
    wire = b"Hello,\r\n-- world!\r\n--:--\r\nwhatever follows\r\n--:"
    events: list[Event] = []
    for pos in range(0, len(wire), step):
        events += parser.feed(wire[pos : pos + step])
    assert b"".join(e.data for e in events if isinstance(e, PartData)) == b"Hello,\r\n-- world!"
    assert [e for e in events if not isinstance(e, PartData)] == [PartEnd()]
    assert parser.finished
    assert parser.feed_eof() == []
    if step == 100:  # fed at once: the rest, from the dash-boundary on, is handed back
        assert parser.rest == b"--:--\r\nwhatever follows\r\n--:"


def test_part_body_alone_cut_short() -> None:
    parser = MultipartParser.for_part_body(b"--:", max_body_size=10)
    parser.feed(b"Hello")
    with pytest.raises(MultipartParseError):
        parser.feed_eof()
    with pytest.raises(MultipartLimitError):
        parser.feed(b"Hello, world")
