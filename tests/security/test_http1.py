"""Advisories about reading HTTP/1.1 heads and bodies: smuggling, limits, leniency.

Most are checked on the sans-I/O parsers, which every byte the server and client read goes
through (there is no second parser); the ones about how the server answers go over a socket.
"""

from __future__ import annotations

import asyncio
import pathlib
import time
from typing import Any

import pytest

import aiohttp
from aiohttp import web
from aiohttp._sansio import errors
from aiohttp._sansio.http1 import (
    EndOfMessage,
    RequestHead,
    RequestParser,
    ResponseParser,
)
from aiohttp._sansio.limits import HttpLimits

from .wire import exchange, statuses


def parse(data: bytes, limits: HttpLimits | None = None) -> list[object]:
    return RequestParser(limits).feed(data)


def refused(data: bytes, error: type[Exception] = errors.BadHttpMessage) -> bool:
    """Whether the request parser refuses ``data`` with ``error``, fed whole or byte by byte."""
    for pieces in ([data], [data[i : i + 1] for i in range(len(data))]):
        parser = RequestParser()
        try:
            for piece in pieces:
                parser.feed(piece)
        except error:
            continue
        if not isinstance(parser.error, error):
            return False
    return True


def response_refused(data: bytes) -> bool:
    parser = ResponseParser()
    parser.expect_response("GET")
    try:
        parser.feed(data)
    except errors.BadHttpMessage:
        return True
    return isinstance(parser.error, errors.BadHttpMessage)


async def ok(request: web.BaseRequest) -> web.StreamResponse:
    return web.Response(text=f"{request.path} {len(await request.read())}")


def test_ghsa_xx9p_xxvh_7g8j_transfer_encoding_with_content_length_is_refused() -> None:
    """CVE-2023-47641: aiohttp read ``chunked123`` as chunked and ignored Content-Length, a
    front end read Content-Length. Checks: TE with CL is refused (RFC 9112 §6.3 (3)), and a
    coding that is not exactly ``chunked`` never frames a request as chunked."""
    head = b"POST / HTTP/1.1\r\nHost: h\r\n"
    assert refused(head + b"Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n")
    assert refused(head + b"Transfer-Encoding: chunked123\r\n\r\n0\r\n\r\n")
    assert refused(head + b"Transfer-Encoding: chunked123\r\nContent-Length: 4\r\n\r\nabcd")


def test_ghsa_45c4_8wx5_qw6w_bare_cr_in_a_field_value_is_refused() -> None:
    """CVE-2023-37276 (llhttp's CVE-2023-30589): ``X-Abc: \\rxTransfer-Encoding: chunked``
    was read as two fields. Checks: a CR not followed by LF in a head is refused (RFC 9112
    §2.2), never taken as a line end."""
    assert refused(
        b"POST / HTTP/1.1\r\nHost: h\r\nX-Abc: \rxTransfer-Encoding: chunked\r\n\r\n"
        b"1\r\nA\r\n0\r\n\r\n"
    )
    assert refused(b"GET / HTTP/1.1\rHost: h\r\n\r\n")


@pytest.mark.parametrize(
    "fields",
    [
        b"Content-Length : 3\r\n",  # whitespace before the colon (RFC 9112 §5.1)
        b" Content-Length: 3\r\n",  # obs-fold at the start of the section (§5.2)
        b"Content-Length: +3\r\n",  # not 1*DIGIT (RFC 9110 §8.6)
        b"Content-Length: 3 3\r\n",
        b"Content-Length: 0x3\r\n",
        b"Content\x00-Length: 3\r\n",
        b"Content-Length: \x003\r\n",
        b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",  # chunked twice
        b"X: a\r\n\tTransfer-Encoding: chunked\r\n",  # a folded line hiding a field
    ],
)
def test_ghsa_gfw2_4jvh_wgfg_lenient_header_parsing_is_gone(fields: bytes) -> None:
    """CVE-2023-47627: the pure-Python parser accepted malformed field lines (space before
    the colon, folded lines, lengths that are not digits) that other parsers frame
    differently. Checks: each is refused."""
    assert refused(b"POST / HTTP/1.1\r\nHost: h\r\n" + fields + b"\r\nabc")


def test_ghsa_pjjw_qhg8_p2p9_no_bundled_llhttp_and_no_second_parser() -> None:
    """aiohttp's bundled llhttp needed an update to stop smuggling. Does not apply: there is
    no llhttp and no compiled parser; checks that the package ships no extension modules and
    that the server's protocol parses with the one sans-I/O parser (through the connection's
    state machine)."""
    package = pathlib.Path(aiohttp.__file__).parent
    assert [p.name for p in package.rglob("*") if p.suffix in (".so", ".pyd", ".pyx", ".c")] == []
    from aiohttp._sansio.http1 import HttpConnection, Role
    from aiohttp.web.server import protocol

    assert protocol.HttpConnection is HttpConnection
    assert type(HttpConnection(Role.SERVER)._parser) is RequestParser


@pytest.mark.parametrize(
    "line",
    [
        b"G(T / HTTP/1.1",  # a separator in the method (RFC 9110 §9.1: token)
        b"GET / HTTP/1.1 ",
        b"GET  / HTTP/1.1",
        b"GET /\x7f HTTP/1.1",
        b"GET / HTTP/\xd9\xa1.\xd9\xa1",  # Arabic-Indic digits in the version
        b"GET / http/1.1",  # HTTP-name is case-sensitive (RFC 9112 §2.3)
        b"GET /\xc2\xa0 HTTP/1.1",  # NBSP in the target
    ],
)
def test_ghsa_8qpw_xqxj_h4r2_only_the_grammars_characters_are_accepted(line: bytes) -> None:
    """CVE-2024-23829: separators and other characters outside the grammar were accepted
    in the request line. Checks: the request line is matched against RFC 9112 §3 exactly."""
    assert refused(line + b"\r\nHost: h\r\n\r\n")


@pytest.mark.parametrize(
    "chunks",
    [
        b"1;a=b\nc\r\nx\r\n0\r\n\r\n",  # LF inside an extension
        b"1;a=\rb\r\nx\r\n0\r\n\r\n",  # CR inside an extension
        b'1;a="b\r\nc"\r\nx\r\n0\r\n\r\n',  # CRLF inside a quoted extension value
        b"1;\x00\r\nx\r\n0\r\n\r\n",
        b"1 ;\r\nx\r\n0\r\n\r\n;",  # no name after the semicolon
    ],
)
def test_ghsa_8495_4g3g_x7pr_chunk_extensions_follow_the_grammar(chunks: bytes) -> None:
    """CVE-2024-52304: a LF inside a chunk extension ended the size line early for aiohttp
    but not for a front end. Checks: chunk-ext is matched against RFC 9112 §7.1.1."""
    head = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert refused(head + chunks, errors.TransferEncodingError)


def test_ghsa_9548_qrrj_x5pj_trailer_section_is_parsed_strictly_and_kept_apart() -> None:
    """CVE-2025-53643: the trailer section was not parsed, so bytes in it could be read as
    the next request. Checks: trailers are field lines ended by an empty line (RFC 9112
    §7.1.2), a request line in them is refused, and valid ones never reach the head."""
    head = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert refused(head + b"0\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n")
    events = parse(head + b"0\r\nX-Trailer: 1\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n")
    first, end, second = events[0], events[1], events[2]
    assert isinstance(first, RequestHead)
    assert "X-Trailer" not in first.headers
    assert isinstance(end, EndOfMessage)
    assert end.trailers is not None
    assert end.trailers["X-Trailer"] == "1"
    assert isinstance(second, RequestHead)
    assert second.target == "/next"


def test_ghsa_69f9_5gxw_wvc2_header_values_are_not_unicode_processed() -> None:
    """CVE-2025-69224: header values went through Unicode-aware processing (stripping
    Unicode spaces, reading Unicode digits) a front end does not do. Checks: only SP and
    HTAB are optional whitespace, digits are ASCII, and tokens are compared in ASCII."""
    head = b"POST / HTTP/1.1\r\nHost: h\r\n"
    assert refused(head + b"Transfer-Encoding: chunked\xc2\xa0\r\n\r\n0\r\n\r\n")  # NBSP
    assert refused(head + b"Transfer-Encoding: \xc2\x85chunked\r\n\r\n0\r\n\r\n")  # NEL
    assert refused(head + "Content-Length: \u0663\r\n\r\nabc".encode())  # Arabic-Indic 3
    assert refused(head + "Transfer-Encoding: chun\u212aed\r\n\r\n0\r\n\r\n".encode())
    from multidict import CIMultiDict

    from aiohttp._sansio.websocket.errors import HandshakeError
    from aiohttp._sansio.websocket.handshake import check_server_request

    for upgrade in ("websocket\xa0", "\u2003websocket", "websoc\u212aet"):
        fields = CIMultiDict(
            {
                "Upgrade": upgrade,
                "Connection": "Upgrade",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            }
        )
        with pytest.raises(HandshakeError):
            check_server_request("GET", fields)


def test_ghsa_mqqc_3gqh_h2x8_protocol_regexes_match_ascii_only() -> None:
    """CVE-2025-69225: regexes with ``\\d``, ``\\s`` or IGNORECASE matched non-ASCII digits,
    spaces and letters (a Range of Arabic-Indic digits was honoured). Checks: every such
    compiled pattern in the package has the ASCII flag, and a Range with Unicode digits is
    ignored."""
    import importlib
    import inspect
    import pkgutil
    import re

    unflagged = []
    for info in pkgutil.walk_packages(aiohttp.__path__, "aiohttp."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        spaces = [vars(module)] + [vars(c) for c in vars(module).values() if inspect.isclass(c)]
        for space in spaces:
            for name, value in list(space.items()):
                if not isinstance(value, re.Pattern) or not isinstance(value.pattern, str):
                    continue
                unicode_aware = re.search(r"\\[dDwWsSb]", value.pattern) or (
                    value.flags & re.IGNORECASE
                )
                if unicode_aware and not value.flags & re.ASCII:
                    unflagged.append(f"{info.name}.{name}")
    assert unflagged == []
    from aiohttp.web.messages.conditional import parse_range

    assert parse_range("bytes=\u0660-\u0669", 100) is None


@pytest.mark.parametrize(("count", "accepted"), [(128, True), (129, False)], ids=["at", "past"])
def test_ghsa_w2fm_2cpv_w7v5_trailer_fields_are_limited(count: int, accepted: bool) -> None:
    """CVE-2026-22815: any number of trailer fields was kept. Checks: trailers obey the field
    count limit (max_fields, 431 past it) and the byte limit (max_trailer_size)."""
    trailers = b"".join(b"T%d: v\r\n" % i for i in range(count))
    data = b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + trailers
    data += b"\r\n"
    if accepted:
        end = parse(data)[-1]
        assert isinstance(end, EndOfMessage)
        assert end.trailers is not None
        assert len(end.trailers) == count
    else:
        assert refused(data, errors.HeaderSectionTooLarge)
    big = b"T: " + b"v" * 20000 + b"\r\n"
    assert refused(data.replace(b"0\r\n", b"0\r\n" + big, 1), errors.HeaderSectionTooLarge)


@pytest.mark.parametrize(
    "field",
    [b"X: a\x00b", b"X: a\x01b", b"X: a\x7fb", b"X: a\rb", b"X: a\x0bb", b"X: a\x1bb"],
)
def test_ghsa_63hf_3vf5_4wqf_controls_in_response_field_values_are_refused(field: bytes) -> None:
    """CVE-2026-34520: the C parser accepted NUL and other controls in response header
    values. Checks: the response parser refuses them (RFC 9110 §5.5: field-vchar, SP, HTAB
    only)."""
    assert response_refused(b"HTTP/1.1 200 OK\r\n" + field + b"\r\nContent-Length: 0\r\n\r\n")


async def test_ghsa_c427_h43c_vf67_duplicate_host_is_400(aiohttp_raw_server: Any) -> None:
    """CVE-2026-34525: a request with two Host fields was accepted. Checks: it is answered
    400 and the connection closes (RFC 9112 §3.2), also when the values agree."""
    server = await aiohttp_raw_server(ok)
    for hosts in (b"Host: a\r\nHost: b\r\n", b"Host: a\r\nHost: a\r\n", b"Host: a, b\r\n"):
        answer = await exchange(server.port, [b"GET / HTTP/1.1\r\n" + hosts + b"\r\n"])
        assert statuses(answer) == [400], hosts


async def test_ghsa_4fvr_rgm6_gqmc_pipelined_requests_queue_is_bounded(
    aiohttp_raw_server: Any,
) -> None:
    """CVE-2026-54273: pipelined requests were parsed and queued without limit behind a slow
    handler. Checks: at most max_pipelined_requests wait (plus those of one socket read);
    reading pauses until the handler catches up."""
    gate = asyncio.Event()

    async def gated(request: web.BaseRequest) -> web.StreamResponse:
        await gate.wait()
        return web.Response(text="ok")

    server = await aiohttp_raw_server(gated, max_pipelined_requests=4)
    _reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        request = b"GET / HTTP/1.1\r\nHost: h\r\nX-Pad: " + b"p" * 2000 + b"\r\n\r\n"
        for _ in range(200):
            writer.write(request * 10)
            try:
                await asyncio.wait_for(writer.drain(), 0.2)
            except TimeoutError:
                break
        await asyncio.sleep(0.1)
        [conn] = server.handler.connections
        # One 64 KiB read holds at most 31 of these heads, on top of the 4 + 1 in hand.
        assert conn.requests_queued <= 4 + 1 + 32
        assert conn.transport is not None
        assert not conn.transport.is_reading()
        gate.set()
    finally:
        writer.close()


@pytest.mark.parametrize(("size", "status"), [(8190, 200), (8191, 431)], ids=["at", "past"])
async def test_ghsa_63hw_fmq6_xxg2_fragmented_lines_obey_the_line_limits(
    aiohttp_raw_server: Any, size: int, status: int
) -> None:
    """CVE-2026-54277: a field line longer than max_field_size passed when it arrived in
    pieces. Checks: the same limit holds whether the line comes in one write or in
    100-byte pieces (431 one byte past it), and a request line cut in pieces gets 414."""
    server = await aiohttp_raw_server(ok)
    line = b"X-Long: " + b"v" * (size - 8)
    data = b"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n" + line + b"\r\n\r\n"
    pieces = [data[i : i + 100] for i in range(0, len(data), 100)]
    assert statuses(await exchange(server.port, pieces)) == [status]
    request_line = b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: h\r\n\r\n"
    pieces = [request_line[i : i + 100] for i in range(0, len(request_line), 100)]
    assert statuses(await exchange(server.port, pieces)) == [414]


async def test_ghsa_mfx4_hv73_q22v_an_upgrade_requests_body_is_never_a_request(
    aiohttp_raw_server: Any,
) -> None:
    """CVE-2026-69243: an upgrade request carrying a body let the body be read as another
    request when the upgrade did not happen. Checks: the body is read as the body (its
    framing applies first, RFC 9112 §6.3), and only bytes after it are held or parsed."""
    server = await aiohttp_raw_server(ok)
    smuggled = b"GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n"
    data = (
        b"POST /up HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, close\r\nUpgrade: websocket\r\n"
        b"Content-Length: %d\r\n\r\n" % len(smuggled) + smuggled
    )
    answer = await exchange(server.port, [data])
    assert statuses(answer) == [200]
    assert b"/up %d" % len(smuggled) in answer
    assert b"/smuggled" not in answer


def test_ghsa_cq5v_8q36_5273_malformed_chunked_response_is_a_typed_error() -> None:
    """CVE-2026-69244: an out-of-bounds read in the C response parser's error path for a
    malformed chunked response. Does not apply: there is no C parser (see
    GHSA-pjjw-qhg8-p2p9's test); checks that such responses raise the typed error."""
    for body in (b"zz\r\n", b"5\r\nabc\r\n0\r\n\r\n", b"1\r\nab", b"\xff\xff\r\n"):
        parser = ResponseParser()
        parser.expect_response("GET")
        data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body
        try:
            parser.feed(data)
        except errors.TransferEncodingError:
            continue
        assert isinstance(parser.error, errors.TransferEncodingError), body


def test_ghsa_2g87_pp6c_29x5_cost_per_byte_is_bounded() -> None:
    """Excessive or unbounded memory and CPU use (3.14.4; the advisory's details were not in
    the sources consulted). Checks the property it names for the parser: fed one byte at a
    time, an endless head keeps at most max_head_size bytes and is refused one byte past it,
    and the work per byte does not grow with what is buffered (a scan restarts only where
    the last one stopped: 64 KiB in single bytes parses in well under a second here)."""
    limits = HttpLimits(max_head_size=65536)
    parser = RequestParser(limits)
    start = time.process_time()
    start_line = b"GET / HTTP/1.1\r\nHost: h\r\n"
    parser.feed(start_line)
    fed = len(start_line)
    refused_at = None
    while refused_at is None and fed < 1_000_000:
        piece = b"\r\n" if fed % 50 == 49 else b"X"
        try:
            parser.feed(piece)
        except errors.HeaderSectionTooLarge:
            refused_at = fed + len(piece)
        fed += len(piece)
        assert parser.buffered <= 65536
    assert refused_at in (65537, 65538)  # one byte past the limit (or the CRLF that crosses it)
    assert time.process_time() - start < 5  # quadratic work would take minutes


async def test_ghsa_5wr8_gcqf_gqf3_a_silent_or_slow_head_times_out(
    aiohttp_raw_server: Any,
) -> None:
    """No initial request or header timeout on the server (3.14.5). Checks: a connection that
    sends nothing is closed after head_timeout, and a head that does not finish in time is
    answered 408 (the default is 20 s; configured small here)."""
    server = await aiohttp_raw_server(ok, head_timeout=0.2)
    start = time.monotonic()
    assert await exchange(server.port, []) == b""
    assert time.monotonic() - start < 3
    answer = await exchange(server.port, [b"GET / HTTP/1.1\r\nHost: h\r\n"])
    assert statuses(answer) == [408]
