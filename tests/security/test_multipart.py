"""Advisories about multipart bodies: reading forms on the server, writing them on the client."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import aiohttp
from aiohttp import web

from .wire import exchange, statuses

BOUNDARY = b"xyz"


def form_request(body: bytes, path: bytes = b"/form") -> bytes:
    return (
        b"POST " + path + b" HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
        b"Content-Type: multipart/form-data; boundary=" + BOUNDARY + b"\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body) + body
    )


def part(name: bytes, value: bytes, *, filename: bytes | None = None, extra: bytes = b"") -> bytes:
    disposition = b'form-data; name="' + name + b'"'
    if filename is not None:
        disposition += b'; filename="' + filename + b'"'
    return (
        b"--"
        + BOUNDARY
        + b"\r\nContent-Disposition: "
        + disposition
        + b"\r\n"
        + extra
        + b"\r\n"
        + value
        + b"\r\n"
    )


def close() -> bytes:
    return b"--" + BOUNDARY + b"--\r\n"


async def form_server(aiohttp_server: Any, **app_options: Any) -> Any:
    async def form(request: web.Request) -> web.Response:
        data = await request.post()
        return web.Response(text=f"fields={len(data)}")

    app = web.Application(**app_options)
    app.router.add_post("/form", form)
    return await aiohttp_server(app)


MALFORMED = [
    b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nno closing delimiter',
    b'--xyz\r\nContent-Disposition: form-data; name="a"',  # headers never end
    b"--xyz\r\n\r\n--xyz\r\n\r\n--x",  # parts without headers, a cut delimiter
    b'--xyz\r\nContent-Disposition: form-data; name="a"\r\nContent-Type: multipart/mixed;'
    b" boundary=xyz\r\n\r\n--xyz\r\n",  # a nested part reusing the boundary
    b"garbage before any delimiter",
]


@pytest.mark.parametrize("body", MALFORMED)
async def test_ghsa_5m98_qgg9_wh84_malformed_multipart_ends_with_400(
    aiohttp_server: Any, body: bytes
) -> None:
    """CVE-2024-30251: a malformed multipart body sent request.post() into an endless loop.
    Checks: each malformed body is answered 400 (never hangs: the exchange is bounded)."""
    server = await form_server(aiohttp_server)
    answer = await exchange(server.port, [form_request(body)], limit=5)
    assert statuses(answer) == [400]


@pytest.mark.parametrize(("slack", "status"), [(0, 200), (-1, 413)], ids=["at-limit", "past-limit"])
async def test_ghsa_6jhg_hg63_jvvf_client_max_size_counts_every_field(
    aiohttp_server: Any, slack: int, status: int
) -> None:
    """CVE-2025-69228: client_max_size was checked field by field, so many fields each under
    it were all kept in memory. Checks: the limit applies to the whole body, every field
    together (16 fields of 64 KiB with the limit at the body's size is 200; one byte less is
    413, though each field alone is far under it)."""
    body = b"".join(part(b"f%d" % i, b"v" * 65536) for i in range(16)) + close()
    server = await form_server(aiohttp_server, client_max_size=len(body) + slack)
    answer = await exchange(server.port, [form_request(body)])
    assert statuses(answer) == [status]


def test_ghsa_jj3x_wxrx_4x23_no_assert_guards_input_and_python_o_behaves_the_same() -> None:
    """CVE-2025-69227: checks on request bodies were ``assert`` statements, gone under
    ``python -O``, which let malformed input loop. Checks: the modules that read request
    bodies and forms have no ``assert`` at all, and a malformed form read under -O is
    refused as without it."""
    root = Path(aiohttp.__file__).parent
    for relative in (
        "_sansio/multipart.py",
        "_io/multipart.py",
        "web/messages/form.py",
        "web/messages/request_body.py",
    ):
        tree = ast.parse((root / relative).read_text(encoding="utf-8"))
        asserts = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)]
        assert asserts == [], (relative, asserts)
    script = textwrap.dedent(
        """
        from aiohttp._sansio.multipart import MultipartError, MultipartParser
        parser = MultipartParser("xyz")
        try:
            parser.feed(b"--xyz\\r\\nContent-Disposition: form-data\\r\\n\\r\\nv\\r\\n--x")
            parser.feed_eof()
        except MultipartError:
            print("refused")
        """
    )
    for flags in ([], ["-O"]):
        out = subprocess.run(
            [sys.executable, *flags, "-c", script],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert out.stdout.strip() == "refused", (flags, out.stderr)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain\r\nX-Injected: 1", "text/plain\nX: 1", "text/plain\rX: 1", "text/plain\x00"],
)
def test_ghsa_2vrm_gr82_f7m5_part_content_type_cannot_inject_lines(content_type: str) -> None:
    """CVE-2026-34514: a part's Content-Type was written as given, CR and LF included.
    Checks: MultipartWriter refuses a header value with CR, LF or NUL (ValueError)."""
    writer = aiohttp.MultipartWriter("form-data")
    with pytest.raises(ValueError, match="header"):
        writer.append("x", {"Content-Type": content_type})


@pytest.mark.parametrize(("size", "status"), [(16 * 1024, 200), (16 * 1024 + 1, 413)])
async def test_ghsa_m5qp_6w8w_w647_part_headers_are_limited(
    aiohttp_server: Any, size: int, status: int
) -> None:
    """CVE-2026-34516: a part's header block could grow past its limit. Checks: the limit
    (16 KiB) holds at the limit and one past it, also when the block arrives in pieces."""
    server = await form_server(aiohttp_server, client_max_size=1 << 20)
    disposition = b'Content-Disposition: form-data; name="a"\r\n'
    # The header block is the header lines and the CRLFs between them; each line stays within
    # the per-line limit (8190 bytes with its CRLF, as in 3.x), so the block's limit decides.
    block = disposition
    while len(block) < size:
        name = b"X-Pad-%d: " % len(block)
        block += name + b"p" * min(8000, size - len(block) - len(name)) + b"\r\n"
    assert len(block) - 2 == size  # the last CRLF belongs to the blank line that ends it
    body = b"--" + BOUNDARY + b"\r\n" + block + b"\r\nv\r\n" + close()
    data = form_request(body)
    pieces = [data[i : i + 1000] for i in range(0, len(data), 1000)]
    assert statuses(await exchange(server.port, pieces)) == [status]


async def test_ghsa_3wq7_rqq7_wx6j_a_large_text_field_is_refused_while_it_arrives(
    aiohttp_server: Any,
) -> None:
    """CVE-2026-34517: a non-file field was only measured once read whole. Checks: a text
    field bigger than client_max_size is refused with 413 before the client has sent it
    all (the server answers while 32 MiB are still to come)."""
    server = await form_server(aiohttp_server, client_max_size=1 << 20)
    field_size = 32 * 1024 * 1024
    head = b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="big"\r\n\r\n'
    total = len(head) + field_size + 2 + len(close())
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    sent = 0
    try:
        writer.write(
            b"POST /form HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=xyz"
            b"\r\nContent-Length: %d\r\n\r\n" % total + head
        )
        answer = b""
        while sent < field_size and not answer:
            writer.write(b"v" * 65536)
            sent += 65536
            await writer.drain()
            with contextlib.suppress(TimeoutError):
                answer = await asyncio.wait_for(reader.read(65536), 0.001)
        answer += await asyncio.wait_for(reader.read(65536), 5)
    finally:
        writer.close()
    assert statuses(answer) == [413]
    assert sent < field_size // 2


@pytest.mark.parametrize(
    ("name", "filename"),
    [("a\r\nX-Injected: 1", "f"), ("a", "f\r\nX-Injected: 1"), ("a\nb", "f"), ("a", "f\rg")],
)
def test_ghsa_m6qw_4cw2_hm4m_field_names_and_filenames_cannot_inject_lines(
    name: str, filename: str
) -> None:
    """CVE-2026-50269: CR and LF in a form field's name or file name reached the part's
    headers. Checks: FormData refuses them when the field is added (ValueError), as 3.x."""
    form = aiohttp.FormData()
    with pytest.raises(ValueError, match="character"):
        form.add_field(name, b"v", filename=filename)


async def test_ghsa_9xw5_w5jj_pvcg_file_parts_do_not_hold_file_descriptors(
    aiohttp_server: Any,
) -> None:
    """File descriptors exhausted by a multipart upload of many files (3.14.4). Checks: 900
    small file parts are kept in memory (no descriptor each), and more parts than the part
    limit (1000) are refused with 413 before they are stored."""

    async def files(request: web.Request) -> web.Response:
        before = len(os.listdir("/proc/self/fd"))
        data = await request.post()
        held = len(os.listdir("/proc/self/fd")) - before
        return web.Response(text=f"parts={len(data)} fds={held}")

    app = web.Application(client_max_size=8 << 20)
    app.router.add_post("/form", files)
    server = await aiohttp_server(app)
    many = b"".join(part(b"f", b"x" * 100, filename=b"f%d" % i) for i in range(900)) + close()
    answer = await exchange(server.port, [form_request(many)])
    assert statuses(answer) == [200]
    assert answer.endswith(b"parts=900 fds=0")
    too_many = b"".join(part(b"f", b"x", filename=b"f%d" % i) for i in range(1001)) + close()
    assert statuses(await exchange(server.port, [form_request(too_many)])) == [413]
