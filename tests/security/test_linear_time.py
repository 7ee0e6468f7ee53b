"""Values a peer sends are parsed in time linear in their length.

Each parser below used a regular expression that backtracked super-linearly on some value: a
long run of whitespace or of token characters that ends in a byte the grammar refuses. A
header value may be 8190 bytes and a message may carry a hundred of them, so a hostile peer
could keep a worker busy for seconds to hours per message. Each test feeds a value of about
200,000 characters (the limits are raised to let it through): at linear cost it is read in
milliseconds, at the old cost it would not be read within the test's timeout. Each test also
checks what is read, so it is not a timing test alone.
"""

from __future__ import annotations

import pytest
from yarl import URL

from aiohttp._sansio.cookies import parse_cookie_header
from aiohttp._sansio.errors import InvalidHeader
from aiohttp._sansio.http1.head import parse_fields
from aiohttp._sansio.limits import HttpLimits
from aiohttp._sansio.multipart import MultipartParseError, MultipartParser, PartHeaders
from aiohttp._sansio.websocket.deflate import parse_extensions
from aiohttp.client.response import parse_links
from aiohttp.web.messages.conditional import parse_range

N = 200_000
WIDE = HttpLimits(max_field_size=2 * N + 100, max_head_size=4 * N)


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("hostile", "valid", "unfold", "value"),
    [
        pytest.param(
            b"a:" + b"\t" * N + b"x\nb: c\r\n",
            b"a:" + b"\t" * N + b"x" + b" " * N + b"\r\n",
            False,
            "x",
            id="field-line",
        ),
        pytest.param(
            b"a: x" + b" " * N + b"\x01\r\n",
            b"a: x" + b" " * N + b"\r\n" + b"\t" * N + b"y\r\n",
            True,
            "x y",
            id="obs-fold",
        ),
    ],
)
def test_a_head_with_a_long_whitespace_run_is_parsed_in_linear_time(
    hostile: bytes, valid: bytes, unfold: bool, value: str
) -> None:
    """RFC 9112 §5: field-line = field-name ":" OWS field-value OWS. A line whose OWS is a
    long run and which ends in a bare LF (no field line at all) was retried once for every
    shorter OWS, each retry scanning the rest of the line: a request or response head of such
    lines cost seconds per line. RFC 9112 §5.2: a user agent replaces each obs-fold (OWS CRLF
    RWS) with SP; the search for one started again inside a long run of whitespace from each
    of its bytes, so an invalid response head with such a run cost a client seconds. Checks:
    such heads are refused, a long OWS is still left out of a value, and a fold after a long
    line is still replaced."""
    with pytest.raises(InvalidHeader):
        parse_fields(hostile, WIDE, unfold=unfold)
    _, fields = parse_fields(valid, WIDE, unfold=unfold)
    assert fields["a"] == value


@pytest.mark.timeout(20)
def test_a_multipart_header_line_with_a_long_whitespace_run_is_parsed_in_linear_time() -> None:
    """RFC 2046 §5.1.1, RFC 9110 §5.5: a part's header line is a field-name, ":", OWS, the value
    and OWS. Three adjacent whitespace runs made a line of tabs ending in a bare LF cost cubic
    time (hours for one line a form may carry), and a value with a long inner run of spaces
    quadratic time. Checks: the first is refused, the second's value keeps its inner run."""
    parser = MultipartParser("xyz", max_field_size=2 * N, max_part_header_size=2 * N)
    with pytest.raises(MultipartParseError):
        parser.feed(b"--xyz\r\nX-A:" + b"\t" * N + b"\n\r\n\r\nbody\r\n--xyz--\r\n")
    parser = MultipartParser("xyz", max_field_size=2 * N, max_part_header_size=2 * N)
    value = b"v" + b" " * N + b"w"
    events = parser.feed(b"--xyz\r\nX-A: " + value + b"\t\r\n\r\nbody\r\n--xyz--\r\n")
    assert events[0] == PartHeaders((("X-A", value.decode()),))


@pytest.mark.timeout(20)
def test_a_websocket_extension_offer_with_a_long_whitespace_run_is_parsed_in_linear_time() -> None:
    """RFC 6455 §9.1: extension-param = token [ "=" ( token / quoted-string ) ], with OWS
    around. The OWS after the name and the OWS at the end of the parameter could split a run
    of whitespace every way, so an offer (from a client) or an answer (from a server) with a
    long run before a refused byte cost seconds. Checks: such a parameter is refused, and a
    parameter followed by a long run is read."""
    with pytest.raises(ValueError, match="bad extension parameter"):
        parse_extensions(["permessage-deflate; a" + "\t" * N + "x"])
    assert parse_extensions(["permessage-deflate; client_max_window_bits" + "\t" * N]) == [
        ("permessage-deflate", [("client_max_window_bits", None)])
    ]


@pytest.mark.timeout(20)
def test_a_range_with_a_long_whitespace_run_is_parsed_in_linear_time() -> None:
    """RFC 9110 §14.1.1: int-range = first-pos "-" [ last-pos ], with OWS around the list
    element. With no last-pos, the OWS after "-" and the OWS at the end of the element could
    split a run of whitespace every way, so a Range field with a long run before a refused
    byte cost a server seconds. Checks: such a field is ignored (the whole representation is
    sent), and an open range followed by a long run is read."""
    assert parse_range("bytes=0-" + "\t" * N + "x", 10) is None
    assert parse_range("bytes=0-" + "\t" * N + ", 3-4", 10) == [(0, 10)]
    assert parse_range("bytes=2-" + " " * N, 10) == [(2, 10)]


@pytest.mark.timeout(20)
def test_a_link_header_with_an_unclosed_quote_is_parsed_in_linear_time() -> None:
    """RFC 8288 §3: link-param values may be quoted-strings, so a ";" inside quotes does not
    end a parameter. A quote that is never closed was scanned to the end of the value again
    from every escaped quote after it, so a server's Link field of ``"\\"\\"...`` cost a
    client seconds. Checks: the link and its parameters before the quote are read, and what
    follows the unclosed quote gives no parameter."""
    hostile = '<http://h/a>; rel=next; title="t;x"; "' + '\\"' * (N // 2) + "\\"
    links = parse_links([hostile], URL("http://h/"))
    assert dict(links["next"]) == {"rel": "next", "title": "t;x", "url": URL("http://h/a")}


@pytest.mark.timeout(20)
def test_a_cookie_header_of_unclosed_quotes_is_parsed_in_linear_time() -> None:
    """Each quoted value is read to its closing quote; with none, a scan from every opening
    quote to the end would be quadratic. A closing quote always ends the first scan, so at
    most the last one fails."""
    pieces = 'a="x; ' * (N // 12 * 2)  # an even count: the quotes pair up among them
    pairs = parse_cookie_header(pieces + 'z="' + "\\" * N)
    assert pairs[0] == ("a", "x; a=")
    assert pairs[1] == ("x", "")
    assert len(pairs) == N // 12 * 2 + 1
    assert pairs[-1] == ("z", '"' + "\\" * N)
    assert parse_cookie_header(" " * N + "; k=" + " " * N + "v") == [("k", "v")]
