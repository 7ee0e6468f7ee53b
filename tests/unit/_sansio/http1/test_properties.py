"""Properties of the parsers and serializers, checked with hypothesis.

(a) serialize -> parse gives back every valid message; (b) every split of the input gives the
same events; (c) random and mutated bytes only raise HttpProcessingError subclasses, and the
parser never buffers more than its limits allow.
"""

from __future__ import annotations

import string

from hypothesis import example, given, settings
from hypothesis import strategies as st

from aiohttp._sansio.errors import HttpProcessingError
from aiohttp._sansio.http1 import (
    Data,
    EndOfMessage,
    RequestHead,
    RequestParser,
    ResponseHead,
    ResponseParser,
    encode_chunk,
    encode_last_chunk,
    serialize_request_head,
    serialize_response_head,
)
from aiohttp._sansio.limits import HttpLimits

from .feeding import bytewise, client_parser, feed_pieces, merge_data, split_at

TCHARS = "!#$%&'*+-.^_`|~" + string.ascii_letters + string.digits
tokens = st.text(TCHARS, min_size=1, max_size=12)
# field-value: visible characters and inner spaces, no leading or trailing whitespace.
vchars = st.characters(min_codepoint=0x21, max_codepoint=0x7E) | st.characters(
    min_codepoint=0xA0, max_codepoint=0x2FF
)
values = st.builds(
    lambda a, b: (a + b).strip(" \t"),
    st.text(vchars, max_size=10),
    st.text(st.sampled_from(" \t") | vchars, max_size=10),
).filter(lambda v: v == v.strip(" \t"))
framing_names = {"host", "content-length", "transfer-encoding", "connection", "upgrade"}
fields = st.lists(
    st.tuples(tokens.filter(lambda n: n.lower() not in framing_names), values), max_size=8
)
targets = st.builds(lambda s: "/" + s, st.text(string.ascii_letters + "/?=&%.-_~", max_size=20))
bodies = st.binary(max_size=300)
chunk_sizes = st.lists(st.integers(min_value=1, max_value=64), max_size=6)

SETTINGS = settings(max_examples=60, deadline=None)


def encode_body(body: bytes, chunked: bool, sizes: list[int], trailers: list[tuple[str, str]]):
    if not chunked:
        return [("Content-Length", str(len(body)))], body
    out, pos = [], 0
    for size in sizes:
        out.append(encode_chunk(body[pos : pos + size]))
        pos += size
    out.append(encode_chunk(body[pos:]))
    out.append(encode_last_chunk(trailers or None))
    return [("Transfer-Encoding", "chunked")], b"".join(out)


requests = st.tuples(tokens, targets, fields, bodies, st.booleans(), chunk_sizes, fields)


def build_request(spec: tuple) -> tuple[bytes, tuple]:
    method, target, extra, body, chunked, sizes, trailers = spec
    framing, payload = encode_body(body, chunked, sizes, trailers)
    head_fields = [("Host", "example.com"), *extra, *framing]
    data = serialize_request_head(method, target, head_fields) + payload
    return data, (method, target, head_fields, body, chunked, trailers if chunked else [])


@SETTINGS
@given(st.lists(requests, min_size=1, max_size=3), st.lists(st.integers(0, 3000), max_size=8))
def test_requests_round_trip_in_any_split(specs: list[tuple], cuts: list[int]) -> None:
    built = [build_request(spec) for spec in specs]
    data = b"".join(b for b, _ in built)
    events, error = feed_pieces(RequestParser(), [data])
    assert error is None
    assert feed_pieces(RequestParser(), split_at(data, cuts)) == (events, None)
    expected = []
    for _, (method, target, head_fields, body, chunked, trailers) in built:
        expected.append(("head", method, target, head_fields, chunked))
        if body:
            expected.append(("data", body))
        expected.append(("end", trailers))
    seen = []
    for event in events:
        if isinstance(event, RequestHead):
            pairs = [(k.decode(), v.decode()) for k, v in event.raw_headers]
            seen.append(("head", event.method, event.target, pairs, event.chunked))
            assert list(event.headers.items()) == pairs
        elif isinstance(event, Data):
            seen.append(("data", event.data))
        else:
            assert isinstance(event, EndOfMessage)
            seen.append(("end", list(event.trailers.items()) if event.trailers else []))
    assert seen == expected


@SETTINGS
@given(
    st.integers(200, 599).filter(lambda s: s not in (204, 304)),
    st.text(string.ascii_letters + " ", max_size=20).map(str.strip),
    fields,
    bodies,
    st.booleans(),
    chunk_sizes,
)
def test_responses_round_trip_bytewise(  # noqa: PLR0917
    status: int, reason: str, extra: list, body: bytes, chunked: bool, sizes: list[int]
) -> None:
    framing, payload = encode_body(body, chunked, sizes, [])
    data = serialize_response_head(status, reason, [*extra, *framing]) + payload
    events, error = feed_pieces(client_parser(), bytewise(data))
    assert error is None
    head = events[0]
    assert isinstance(head, ResponseHead)
    assert (head.status, head.reason, head.chunked) == (status, reason, chunked)
    assert [(k.decode(), v.decode()) for k, v in head.raw_headers] == [*extra, *framing]
    assert merge_data(events[1:]) == ([Data(body)] if body else []) + [EndOfMessage()]


SEEDS = [
    b"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
    b"POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
    b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n",
    b"GET /ws HTTP/1.1\r\nHost: h\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
]
RESPONSE_SEEDS = [
    b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    b"HTTP/1.0 200 OK\r\nX: a\r\n b\r\n\r\nuntil close",
]
SMALL = HttpLimits(
    max_request_line=64,
    max_status_line=64,
    max_field_size=48,
    max_fields=6,
    max_head_size=160,
    max_chunk_line=16,
    max_chunk_extensions=24,
    max_trailer_size=40,
)
BOUND = max(
    SMALL.max_request_line + 1,
    SMALL.max_head_size,
    SMALL.max_chunk_line + 1,
    SMALL.max_trailer_size + 1,
)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)) * draw(st.integers(1, 3)))
    for _ in range(draw(st.integers(0, 6))):
        pos = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "repeat"]))
        piece = draw(
            st.binary(min_size=1, max_size=4)
            | st.sampled_from([b"\r\n", b"\n", b" ", b":", b"0", b"\x00"])
        )
        if kind == "insert":
            data[pos:pos] = piece
        elif kind == "delete":
            del data[pos : pos + len(piece)]
        elif kind == "replace":
            data[pos : pos + len(piece)] = piece
        else:
            data[pos:pos] = data[pos : pos + 40] * draw(st.integers(1, 8))
    return bytes(data)


def feed_hostile(
    parser: RequestParser | ResponseParser, data: bytes, cuts: list[int]
) -> HttpProcessingError | None:
    """Feed ``data`` in pieces, checking the buffer bound; return the error raised, if any."""
    try:
        for piece in split_at(data, cuts):
            parser.feed(piece)
            if parser.holding:
                # After an accepted upgrade, everything is held on purpose, for the caller.
                parser.switch_protocols()
                return None
            if parser.error is not None:
                # Found after events completed in this piece: what is left of the piece is
                # kept (stray response bytes say the connection must not be reused), and the
                # next call raises. Nothing more is taken in.
                assert parser.buffered <= len(piece)
                continue
            assert parser.buffered <= BOUND
        parser.feed_eof()
    except HttpProcessingError as exc:
        return exc
    return None


def check_hostile(parser: RequestParser | ResponseParser, data: bytes, cuts: list[int]) -> None:
    error = feed_hostile(parser, data, cuts)
    if error is not None:
        assert 400 <= error.code <= 505
        assert error.message


@SETTINGS
@given(mutated(SEEDS) | st.binary(max_size=400), st.lists(st.integers(0, 400), max_size=10))
def test_hostile_requests_raise_only_protocol_errors(data: bytes, cuts: list[int]) -> None:
    check_hostile(RequestParser(SMALL), data, cuts)


@SETTINGS
@given(
    mutated(RESPONSE_SEEDS) | st.binary(max_size=400), st.lists(st.integers(0, 400), max_size=10)
)
# More responses than requests in one piece (RFC 9112 §9.2): the stray bytes are kept, not held
# for an upgrade.
@example(
    b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n" * 4
    + b"HTTP/1.1 204 No Content\r\n\r\n" * 8,
    [],
)
def test_hostile_responses_raise_only_protocol_errors(data: bytes, cuts: list[int]) -> None:
    check_hostile(client_parser(*["GET"] * 4, limits=SMALL), data, cuts)


@SETTINGS
@given(mutated(SEEDS), st.lists(st.integers(0, 400), max_size=10))
def test_mutated_requests_give_the_same_events_in_any_split(data: bytes, cuts: list[int]) -> None:
    events, error = feed_pieces(RequestParser(SMALL), [data], eof=True)
    split_events, split_error = feed_pieces(RequestParser(SMALL), split_at(data, cuts), eof=True)
    assert split_events == events
    # Which error names the fault may depend on how much had arrived when it was found
    # (an over-long line seen before its end, say), but never whether there is one.
    assert (split_error is None) == (error is None)
