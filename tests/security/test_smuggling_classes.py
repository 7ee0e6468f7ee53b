"""Request-smuggling classes from the HTTP Garden and from llhttp's and h11's advisories.

Each applies to any HTTP/1.1 server that parses framing itself, a Python one included: the
parser must refuse the request (or frame it exactly as RFC 9112 says), the same way whatever
the split. The ids name the source of each class.
"""

from __future__ import annotations

import pytest

from aiohttp._sansio.errors import HttpProcessingError
from aiohttp._sansio.http1 import RequestParser

H = b"POST / HTTP/1.1\r\nHost: h\r\n"
TE = H + b"Transfer-Encoding: chunked\r\n\r\n"

CLASSES = [
    # llhttp CVE-2022-32213: a Transfer-Encoding value not exactly a list of codings.
    pytest.param(
        H + b"Transfer-Encoding: chunked , x\r\n\r\n0\r\n\r\n", id="llhttp-CVE-2022-32213"
    ),
    # llhttp CVE-2022-32214: LF alone as a line ending.
    pytest.param(H + b"Transfer-Encoding: chunked\n\r\n0\r\n\r\n", id="llhttp-CVE-2022-32214"),
    # llhttp CVE-2022-32215: Transfer-Encoding continued on a folded line.
    pytest.param(
        H + b"Transfer-Encoding: x\r\n chunked\r\n\r\n0\r\n\r\n", id="llhttp-CVE-2022-32215"
    ),
    # llhttp CVE-2022-35256: a field line ended by CR alone.
    pytest.param(H + b"X: y\rContent-Length: 5\r\n\r\nhello", id="llhttp-CVE-2022-35256"),
    # llhttp CVE-2023-30589 (aiohttp GHSA-45c4-8wx5-qw6w): CR inside a value.
    pytest.param(
        H + b"X: \rTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", id="llhttp-CVE-2023-30589"
    ),
    # llhttp CVE-2024-22019: chunk extensions without end (bounded, 400 past the limit).
    pytest.param(TE + b"1;" + b"a" * 20000 + b"\r\nx\r\n0\r\n\r\n", id="llhttp-CVE-2024-22019"),
    # llhttp CVE-2024-27982: whitespace before the first field name (obs-fold at the start).
    pytest.param(H + b" Content-Length: 5\r\n\r\nhello", id="llhttp-CVE-2024-27982"),
    # llhttp CVE-2025-23167: a head ended by CRLF CR and something else.
    pytest.param(H + b"Content-Length: 1\r\n\rXx", id="llhttp-CVE-2025-23167"),
    # h11 GHSA-vqfr-h8mv-ghfj (CVE-2025-43859): chunk data not followed by CRLF.
    pytest.param(TE + b"1\r\nxYZ0\r\n\r\n", id="h11-CVE-2025-43859"),
    pytest.param(TE + b"1\r\nx\n0\r\n\r\n", id="h11-CVE-2025-43859-lf"),
    # HTTP Garden: chunk sizes other parsers read another way.
    pytest.param(TE + b"+1\r\nx\r\n0\r\n\r\n", id="garden-chunk-size-plus"),
    pytest.param(TE + b"0x1\r\nx\r\n0\r\n\r\n", id="garden-chunk-size-0x"),
    pytest.param(TE + b" 1\r\nx\r\n0\r\n\r\n", id="garden-chunk-size-leading-space"),
    pytest.param(TE + b"1 \r\nx\r\n0\r\n\r\n", id="garden-chunk-size-trailing-space"),
    pytest.param(TE + b"1_0\r\n" + b"x" * 16 + b"\r\n0\r\n\r\n", id="garden-chunk-size-underscore"),
    pytest.param(TE + b"1" + b"0" * 16 + b"1\r\nx\r\n0\r\n\r\n", id="garden-chunk-size-overflow"),
    pytest.param(TE + b"-1\r\nx\r\n0\r\n\r\n", id="garden-chunk-size-negative"),
    pytest.param(TE + "\u0661\r\nx\r\n0\r\n\r\n".encode(), id="garden-chunk-size-unicode-digit"),
    # HTTP Garden: Content-Length values other parsers read another way.
    pytest.param(H + b"Content-Length: +5\r\n\r\nhello", id="garden-cl-plus"),
    pytest.param(H + b"Content-Length: 1_0\r\n\r\n" + b"x" * 10, id="garden-cl-underscore"),
    pytest.param(H + b"Content-Length: \r\n\r\n", id="garden-cl-empty"),
    pytest.param(H + b"Content-Length: 5, 6\r\n\r\nhello!", id="garden-cl-list-conflict"),
    pytest.param(H + b"Content-Length: 05\r\nContent-Length: 5\r\n\r\nhello", id="garden-cl-05-5"),
    pytest.param(H + b"Content-Length: 5\x0b\r\n\r\nhello", id="garden-cl-vertical-tab"),
    pytest.param(H + b"Content-Length: 5\r\n Content-Length: 6\r\n\r\nhello!", id="garden-cl-fold"),
    # HTTP Garden: Transfer-Encoding values other parsers read another way.
    pytest.param(H + b"Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", id="garden-te-twice"),
    pytest.param(H + b"Transfer-Encoding: \x0bchunked\r\n\r\n0\r\n\r\n", id="garden-te-vt"),
    pytest.param(H + b"Transfer-Encoding: chunked\x00\r\n\r\n0\r\n\r\n", id="garden-te-nul"),
    pytest.param(H + b"Transfer-Encoding: identity\r\n\r\n", id="garden-te-identity"),
    pytest.param(H + b'Transfer-Encoding: "chunked"\r\n\r\n0\r\n\r\n', id="garden-te-quoted"),
    pytest.param(
        H + b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", id="garden-te-cl"
    ),
    pytest.param(
        b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", id="garden-te-http10"
    ),
    # HTTP Garden: request lines other parsers read another way.
    pytest.param(b"GET /\r\nHost: h\r\n\r\n", id="garden-http09"),
    pytest.param(b"GET / HTTP/1.1\r\n\r\n", id="garden-missing-host"),
    pytest.param(b"GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", id="garden-tab-separator"),
    pytest.param(b"GET / HTTP/1.1\x00\r\nHost: h\r\n\r\n", id="garden-nul-in-line"),
    pytest.param(b"GET / HTTP/01.1\r\nHost: h\r\n\r\n", id="garden-version-leading-zero"),
    pytest.param(b"GET / HTTP/1.10\r\nHost: h\r\n\r\n", id="garden-version-two-digits"),
    # HTTP Garden: field names and section shapes.
    pytest.param(H + b"Content-Length : 5\r\n\r\nhello", id="garden-space-before-colon"),
    pytest.param(H + b"Content-Length\t: 5\r\n\r\nhello", id="garden-tab-before-colon"),
    pytest.param(H + b"Cont\x00ent-Length: 5\r\n\r\nhello", id="garden-nul-in-name"),
    pytest.param(H + b"Content-Length:5\r\n\r\nhello\r\n", id="garden-ok-control"),
]


def _verdict(pieces: list[bytes]) -> str:
    parser = RequestParser()
    try:
        for piece in pieces:
            parser.feed(piece)
    except HttpProcessingError:
        return "refused"
    return "refused" if parser.error is not None else "accepted"


@pytest.mark.parametrize("data", CLASSES)
def test_smuggling_class_is_refused_at_every_split(
    data: bytes, request: pytest.FixtureRequest
) -> None:
    expected = "accepted" if request.node.callspec.id == "garden-ok-control" else "refused"
    assert _verdict([data]) == expected
    assert _verdict([data[i : i + 1] for i in range(len(data))]) == expected
    for cut in range(1, len(data), max(1, len(data) // 40)):
        assert _verdict([data[:cut], data[cut:]]) == expected, cut
