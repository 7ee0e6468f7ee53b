"""Static files over loopback: ranges, validators, pre-compressed siblings, traversal.

Requests come from httpx and from raw sockets (for paths a URL library would normalise away).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import re
from email.utils import formatdate
from pathlib import Path
from typing import Any

import httpx
import pytest

from aiohttp import web

CONTENT = bytes(range(256)) * 40  # 10240 bytes


@pytest.fixture
def files(tmp_path: Path) -> Path:
    root = tmp_path / "public"
    root.mkdir()
    (root / "data.bin").write_bytes(CONTENT)
    (root / "page.html").write_text("<p>hi</p>")
    (root / "style.css").write_text("body { color: red }" * 50)
    (root / "style.css.gz").write_bytes(gzip.compress((root / "style.css").read_bytes()))
    (root / "style.css.br").write_bytes(b"not really brotli")
    (root / "empty.txt").write_bytes(b"")
    (root / "archive.tar.gz").write_bytes(gzip.compress(b"tar"))
    (tmp_path / "secret.txt").write_text("top secret")
    (root / "escape").symlink_to(tmp_path / "secret.txt")
    big = root / "big.bin"
    big.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    return root


@pytest.fixture
async def server(aiohttp_server: Any, files: Path) -> Any:
    app = web.Application()
    app.router.add_static("/static", files, show_index=True)
    return await aiohttp_server(app)


async def get(server: Any, path: str, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=str(server.make_url("")), timeout=20) as client:
        return await client.get(path, headers=headers)


async def test_last_modified_of_a_file_rounds_up_and_validates(server: Any, files: Path) -> None:
    """As 3.x: never earlier than the file's true mtime (RFC 9110 §8.8.2 has whole seconds),
    and the value sent back in If-Modified-Since / If-Range is honoured."""
    os.utime(files / "page.html", (1577836800.5, 1577836800.5))  # 2020-01-01 00:00:00.5
    resp = await get(server, "/static/page.html")
    assert resp.headers["Last-Modified"] == "Wed, 01 Jan 2020 00:00:01 GMT"
    again = await get(
        server, "/static/page.html", **{"If-Modified-Since": resp.headers["Last-Modified"]}
    )
    assert again.status_code == 304
    ranged = await get(
        server,
        "/static/page.html",
        Range="bytes=0-1",
        **{"If-Range": resp.headers["Last-Modified"]},
    )
    assert (ranged.status_code, ranged.content) == (206, b"<p")


@pytest.mark.parametrize(("error", "status"), [(PermissionError, 403), (FileNotFoundError, 404)])
async def test_a_file_that_cannot_be_opened_is_refused_not_dropped(
    server: Any, files: Path, monkeypatch: pytest.MonkeyPatch, error: type, status: int
) -> None:
    """Readable to stat but not to open (permissions, or removed in between): answered as
    3.x answers it (403 for a permission error), the connection kept."""
    real_open = Path.open

    def refusing_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "page.html":
            raise error()
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    resp = await get(server, "/static/page.html")
    assert (resp.status_code, resp.content) == (status, b"")
    assert "ETag" not in resp.headers
    assert (await get(server, "/static/data.bin")).status_code == 200


async def test_whole_file_with_validators(server: Any) -> None:
    resp = await get(server, "/static/data.bin")
    assert resp.status_code == 200
    assert resp.content == CONTENT
    assert resp.headers["Content-Length"] == str(len(CONTENT))
    assert resp.headers["Accept-Ranges"] == "bytes"
    assert re.fullmatch(r'"[0-9a-f]+-2800"', resp.headers["ETag"])
    assert resp.headers["Last-Modified"].endswith(" GMT")
    assert resp.headers["Content-Type"] == "application/octet-stream"


async def test_big_file_arrives_intact(server: Any, files: Path) -> None:
    resp = await get(server, "/static/big.bin")
    assert resp.content == (files / "big.bin").read_bytes()


@pytest.mark.parametrize(
    ("name", "ctype"),
    [
        ("page.html", "text/html"),
        ("archive.tar.gz", "application/gzip"),
        ("empty.txt", "text/plain"),
    ],
)
async def test_content_type_is_guessed(server: Any, name: str, ctype: str) -> None:
    resp = await get(server, f"/static/{name}")
    assert resp.headers["Content-Type"].split(";")[0] == ctype
    assert "Content-Encoding" not in resp.headers


async def test_head_sends_no_body(server: Any) -> None:
    async with httpx.AsyncClient(base_url=str(server.make_url("")), timeout=10) as client:
        resp = await client.head("/static/data.bin")
    assert resp.status_code == 200
    assert resp.headers["Content-Length"] == str(len(CONTENT))
    assert resp.content == b""


async def test_single_range_rfc9110_14_2(server: Any) -> None:
    resp = await get(server, "/static/data.bin", Range="bytes=10-19")
    assert resp.status_code == 206
    assert resp.content == CONTENT[10:20]
    assert resp.headers["Content-Range"] == "bytes 10-19/10240"
    resp = await get(server, "/static/data.bin", Range="bytes=-5")
    assert resp.content == CONTENT[-5:]
    assert resp.headers["Content-Range"] == "bytes 10235-10239/10240"


async def test_multiple_ranges_are_multipart_byteranges_rfc9110_14_6(server: Any) -> None:
    resp = await get(server, "/static/data.bin", Range="bytes=0-3,100-103")
    assert resp.status_code == 206
    ctype = resp.headers["Content-Type"]
    assert ctype.startswith("multipart/byteranges; boundary=")
    boundary = ctype.split("boundary=")[1].encode()
    body = resp.content
    assert len(body) == int(resp.headers["Content-Length"])
    parts = body.split(b"--" + boundary)
    assert parts[0] == b""
    assert parts[-1] == b"--\r\n"
    first = parts[1].split(b"\r\n\r\n", 1)
    second = parts[2].split(b"\r\n\r\n", 1)
    assert b"Content-Range: bytes 0-3/10240" in first[0]
    assert b"Content-Type: application/octet-stream" in first[0]
    assert first[1] == CONTENT[0:4] + b"\r\n"
    assert b"Content-Range: bytes 100-103/10240" in second[0]
    assert second[1] == CONTENT[100:104] + b"\r\n"


async def test_unsatisfiable_range_is_416_rfc9110_15_5_17(server: Any) -> None:
    resp = await get(server, "/static/data.bin", Range="bytes=20000-")
    assert resp.status_code == 416
    assert resp.headers["Content-Range"] == "bytes */10240"


async def test_malformed_range_is_ignored(server: Any) -> None:
    resp = await get(server, "/static/data.bin", Range="bytes=oops")
    assert resp.status_code == 200
    assert resp.content == CONTENT


async def test_if_range_rfc9110_13_1_5(server: Any) -> None:
    etag = (await get(server, "/static/data.bin")).headers["ETag"]
    resp = await get(server, "/static/data.bin", Range="bytes=0-0", **{"If-Range": etag})
    assert (resp.status_code, resp.content) == (206, CONTENT[:1])
    resp = await get(server, "/static/data.bin", Range="bytes=0-0", **{"If-Range": '"stale"'})
    assert (resp.status_code, resp.content) == (200, CONTENT)


async def test_conditional_get_rfc9110_13_2_2(server: Any, files: Path) -> None:
    first = await get(server, "/static/data.bin")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    resp = await get(server, "/static/data.bin", **{"If-None-Match": etag})
    assert (resp.status_code, resp.content) == (304, b"")
    assert resp.headers["ETag"] == etag
    resp = await get(server, "/static/data.bin", **{"If-None-Match": '"other"'})
    assert resp.status_code == 200
    resp = await get(server, "/static/data.bin", **{"If-Modified-Since": modified})
    assert resp.status_code == 304
    old = formatdate(0, usegmt=True)
    resp = await get(server, "/static/data.bin", **{"If-Modified-Since": old})
    assert resp.status_code == 200
    resp = await get(server, "/static/data.bin", **{"If-Match": '"other"'})
    assert resp.status_code == 412
    resp = await get(server, "/static/data.bin", **{"If-Unmodified-Since": old})
    assert resp.status_code == 412
    resp = await get(server, "/static/data.bin", **{"If-Match": etag})
    assert resp.status_code == 200


async def test_precompressed_sibling_when_accepted(server: Any, files: Path) -> None:
    resp = await get(server, "/static/style.css", **{"Accept-Encoding": "gzip"})
    assert resp.headers["Content-Encoding"] == "gzip"
    assert resp.headers["Content-Type"].startswith("text/css")
    assert resp.headers["Vary"] == "Accept-Encoding"
    assert resp.content == (files / "style.css").read_bytes()  # httpx decodes gzip
    async with httpx.AsyncClient(base_url=str(server.make_url("")), timeout=10) as client:
        raw = await client.get("/static/style.css", headers={"Accept-Encoding": "br;q=0, gzip"})
        assert raw.headers["Content-Encoding"] == "gzip"
        plain = await client.get("/static/style.css", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["Vary"] == "Accept-Encoding"
    assert plain.content == (files / "style.css").read_bytes()


async def test_index_page(server: Any) -> None:
    resp = await get(server, "/static/")
    assert resp.status_code == 200
    assert '<a href="/static/data.bin">data.bin</a>' in resp.text


async def raw_get(server: Any, target: str) -> bytes:
    reader, writer = await asyncio.open_connection(server.host, server.port)
    try:
        writer.write(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        return await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()


@pytest.mark.parametrize(
    "target",
    [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E/secret.txt",
        "/static/..%2fsecret.txt",
        "/static/..%5csecret.txt",
        "/static/%2fetc%2fpasswd",
        "/static/data.bin%00",
        "/static/escape",
        "/static/./../secret.txt",
        "/static//../secret.txt",
    ],
)
async def test_traversal_never_leaves_the_root(server: Any, target: str) -> None:
    answer = await raw_get(server, target)
    status = int(answer.split(b" ", 2)[1])
    # 404, as in 3.x, or 400 where the request line itself is refused; never a hint (403).
    assert status in (400, 404)
    assert b"top secret" not in answer


async def test_compressed_file_response_falls_back_to_reads(
    aiohttp_server: Any, files: Path
) -> None:
    @web.middleware
    async def compress(request: web.Request, handler: Any) -> web.StreamResponse:
        response = await handler(request)
        response.enable_compression(web.ContentCoding.gzip)
        return response

    app = web.Application(middlewares=[compress])
    app.router.add_static("/static", files, chunk_size=1000)
    server = await aiohttp_server(app)
    resp = await get(server, "/static/data.bin", **{"Accept-Encoding": "gzip"})
    assert resp.headers["Content-Encoding"] == "gzip"
    assert resp.content == CONTENT


async def test_file_response_from_a_handler(aiohttp_server: Any, files: Path) -> None:
    async def download(request: web.Request) -> web.FileResponse:
        return web.FileResponse(files / "page.html", headers={"Content-Type": "text/x-custom"})

    app = web.Application()
    app.router.add_get("/download", download)
    server = await aiohttp_server(app)
    resp = await get(server, "/download")
    assert resp.text == "<p>hi</p>"
    assert resp.headers["Content-Type"] == "text/x-custom"
    resp = await get(server, "/download", Range="bytes=3-4")
    assert (resp.status_code, resp.content) == (206, b"hi")


async def test_file_response_for_missing_file_or_directory(
    aiohttp_server: Any, files: Path
) -> None:
    async def missing(request: web.Request) -> web.FileResponse:
        return web.FileResponse(files / "nope.bin")

    async def directory(request: web.Request) -> web.FileResponse:
        return web.FileResponse(files)

    app = web.Application()
    app.router.add_get("/missing", missing)
    app.router.add_get("/dir", directory)
    server = await aiohttp_server(app)
    assert (await get(server, "/missing")).status_code == 404
    assert (await get(server, "/dir")).status_code == 403


async def test_too_many_ranges_get_the_whole_file(server: Any) -> None:
    at_limit = ",".join(f"{i * 3}-{i * 3}" for i in range(web.FileResponse.max_ranges))
    resp = await get(server, "/static/data.bin", Range=f"bytes={at_limit}")
    assert resp.status_code == 206
    past = ",".join(f"{i * 3}-{i * 3}" for i in range(web.FileResponse.max_ranges + 1))
    resp = await get(server, "/static/data.bin", Range=f"bytes={past}")
    assert (resp.status_code, resp.content) == (200, CONTENT)


@pytest.fixture
def leaky_siblings(tmp_path: Path) -> Path:
    """A root whose ``notes.txt.gz`` and ``notes.txt.br`` are symlinks to files outside it."""
    root = tmp_path / "leaky"
    root.mkdir()
    (root / "notes.txt").write_text("public notes")
    (tmp_path / "secret.gz").write_bytes(gzip.compress(b"top secret"))
    (tmp_path / "secret.br").write_bytes(b"top secret, brotli")
    (root / "notes.txt.gz").symlink_to(tmp_path / "secret.gz")
    (root / "notes.txt.br").symlink_to(tmp_path / "secret.br")
    (root / "inner.txt").write_text("inner")
    (root / "inner-data.gz").write_bytes(gzip.compress(b"inner"))
    (root / "inner.txt.gz").symlink_to(root / "inner-data.gz")
    return root


@pytest.mark.parametrize("coding", ["gzip", "br", "gzip, br"])
async def test_precompressed_symlink_outside_root_is_not_served(
    aiohttp_server: Any, leaky_siblings: Path, coding: str
) -> None:
    # CVE-2024-42367's class: with follow_symlinks off, a sibling that is a symlink leading out
    # of the root is treated as absent; the plain file is served.
    app = web.Application()
    app.router.add_static("/static", leaky_siblings)
    server = await aiohttp_server(app)
    async with httpx.AsyncClient(base_url=str(server.make_url("")), timeout=10) as client:
        resp = await client.get("/static/notes.txt", headers={"Accept-Encoding": coding})
    assert resp.status_code == 200
    assert "Content-Encoding" not in resp.headers
    assert resp.content == b"public notes"


async def test_precompressed_symlink_inside_root_is_served(
    aiohttp_server: Any, leaky_siblings: Path
) -> None:
    app = web.Application()
    app.router.add_static("/static", leaky_siblings)
    server = await aiohttp_server(app)
    resp = await get(server, "/static/inner.txt", **{"Accept-Encoding": "gzip"})
    assert resp.headers["Content-Encoding"] == "gzip"
    assert resp.content == b"inner"


async def test_precompressed_symlink_outside_root_with_follow_symlinks(
    aiohttp_server: Any, leaky_siblings: Path
) -> None:
    # The application asked for symlinks to be followed: the sibling is served as it is.
    app = web.Application()
    app.router.add_static("/static", leaky_siblings, follow_symlinks=True)
    server = await aiohttp_server(app)
    resp = await get(server, "/static/notes.txt", **{"Accept-Encoding": "gzip"})
    assert resp.headers["Content-Encoding"] == "gzip"
    assert resp.content == b"top secret"


@pytest.mark.parametrize(
    "value",
    [
        "bytes=\u0660-\u0661",  # Arabic-Indic digits
        "bytes=-\u0665",
        "bytes=\uff10-\uff11",  # fullwidth digits
        "bytes=\U0001d7ce-\U0001d7cf",  # mathematical bold digits
    ],
)
async def test_range_with_non_ascii_digits_is_ignored(server: Any, value: str) -> None:
    # RFC 9110 §14.1.1, RFC 5234 B.1: DIGIT is %x30-39. Python's int() and \d read other
    # scripts' digits too (CVE-2025-69225's class); such a Range is malformed and ignored.
    reader, writer = await asyncio.open_connection(server.host, server.port)
    try:
        writer.write(
            b"GET /static/data.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\nRange: "
            + value.encode()
            + b"\r\n\r\n"
        )
        answer = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    assert body == CONTENT


async def test_nosendfile_reads_and_writes_the_file(
    aiohttp_server: Any, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # AIOHTTP_NOSENDFILE (3.x's switch, read at import as web_fileresponse.NOSENDFILE) turns
    # the zero-copy path off: the file is read in chunk_size pieces and written instead.
    from aiohttp import web_fileresponse
    from aiohttp._io.writer import StreamWriter

    calls: list[int] = []

    async def no_sendfile(self: StreamWriter, fobj: Any, offset: int, count: int) -> None:
        calls.append(count)
        raise AssertionError("sendfile used")

    monkeypatch.setattr(StreamWriter, "sendfile", no_sendfile)
    monkeypatch.setattr(web_fileresponse, "NOSENDFILE", True)
    monkeypatch.setattr("aiohttp.web.messages.file_response.NOSENDFILE", True)
    app = web.Application()
    app.router.add_static("/static", files, chunk_size=1000)
    server = await aiohttp_server(app)
    resp = await get(server, "/static/data.bin")
    assert (resp.status_code, resp.content, calls) == (200, CONTENT, [])


def test_nosendfile_comes_from_the_environment() -> None:
    import subprocess
    import sys

    code = "from aiohttp.web_fileresponse import NOSENDFILE; print(NOSENDFILE)"
    env = dict(os.environ)
    out = [
        subprocess.run(
            [sys.executable, "-c", code], env=e, capture_output=True, text=True, check=True
        ).stdout.strip()
        for e in ({**env, "AIOHTTP_NOSENDFILE": "1"}, {**env, "AIOHTTP_NOSENDFILE": ""})
    ]
    assert out == ["True", "False"]


async def test_a_loop_without_sendfile_gets_the_file_read_and_written(
    aiohttp_server: Any, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Event loops (or transports) may not implement sendfile: the file still arrives whole.
    async def no_sendfile(*args: Any, **kwargs: Any) -> int:
        raise NotImplementedError

    monkeypatch.setattr(asyncio.get_running_loop(), "sendfile", no_sendfile)
    app = web.Application()
    app.router.add_static("/static", files, chunk_size=1000)
    server = await aiohttp_server(app)
    resp = await get(server, "/static/data.bin")
    assert (resp.status_code, resp.content) == (200, CONTENT)
    resp = await get(server, "/static/data.bin", Range="bytes=10-19")
    assert (resp.status_code, resp.content) == (206, CONTENT[10:20])


async def test_a_precompressed_sibling_is_never_compressed_again(
    aiohttp_server: Any, files: Path
) -> None:
    # enable_compression() on a file response that picked style.css.gz: the sibling goes out
    # as it is, with its own Content-Encoding (one gzip layer, not two).
    async def handler(request: web.Request) -> web.FileResponse:
        response = web.FileResponse(files / "style.css")
        response.enable_compression(web.ContentCoding.gzip)
        return response

    app = web.Application()
    app.router.add_get("/", handler)
    server = await aiohttp_server(app)
    resp = await get(server, "/", **{"Accept-Encoding": "gzip"})
    assert resp.headers["Content-Encoding"] == "gzip"
    assert resp.content == (files / "style.css").read_bytes()


async def test_if_unmodified_since_with_a_one_digit_day(server: Any) -> None:
    # RFC 9110 §13.1.4 with a mail-style date (RFC 9110 §5.6.7 asks for robust parsing).
    resp = await get(
        server, "/static/data.bin", **{"If-Unmodified-Since": "Mon, 1 Jan 1990 01:01:01 GMT"}
    )
    assert resp.status_code == 412
