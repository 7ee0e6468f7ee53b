"""Real curl against the web framework: ranges, conditional requests, compressed siblings, 405."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path
from typing import Any

import pytest

from aiohttp import web

BODY = b"0123456789abcdefghij" * 100


async def curl(*args: str) -> tuple[int, bytes, bytes]:
    proc = await asyncio.create_subprocess_exec(
        "curl", "-sS", "--max-time", "10", *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode is not None
    return proc.returncode, out, err


@pytest.fixture
async def base(aiohttp_server: Any, tmp_path: Path) -> str:
    (tmp_path / "f.txt").write_bytes(BODY)
    (tmp_path / "g.js").write_text("let x = 1;" * 100)
    (tmp_path / "g.js.gz").write_bytes(gzip.compress((tmp_path / "g.js").read_bytes()))

    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="hi")

    app = web.Application()
    app.router.add_get("/hello", hello)
    app.router.add_static("/s", tmp_path)
    server = await aiohttp_server(app)
    return str(server.make_url("")).rstrip("/")


async def test_curl_range(base: str) -> None:
    code, out, _ = await curl("-r", "10-19", f"{base}/s/f.txt")
    assert (code, out) == (0, BODY[10:20])


async def test_curl_conditional_and_head(base: str) -> None:
    code, head, _ = await curl("-I", f"{base}/s/f.txt")
    assert code == 0
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    etag = next(
        line.split(b": ", 1)[1].decode()
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"etag:")
    )
    code, out, _ = await curl(
        "-o", "/dev/null", "-w", "%{http_code}", "-H", f"If-None-Match: {etag}", f"{base}/s/f.txt"
    )
    assert (code, out) == (0, b"304")


async def test_curl_compressed_sibling(base: str) -> None:
    code, out, _ = await curl("--compressed", f"{base}/s/g.js")
    assert (code, out) == (0, b"let x = 1;" * 100)
    code, out, _ = await curl(
        "-H", "Accept-Encoding: gzip", "-D", "-", "-o", "/dev/null", f"{base}/s/g.js"
    )
    assert b"Content-Encoding: gzip" in out


async def test_curl_method_not_allowed(base: str) -> None:
    code, out, _ = await curl("-X", "DELETE", "-D", "-", "-o", "/dev/null", f"{base}/hello")
    assert code == 0
    assert out.startswith(b"HTTP/1.1 405 Method Not Allowed\r\n")
    assert b"Allow: GET,HEAD\r\n" in out


async def test_curl_path_as_is_traversal(base: str) -> None:
    code, out, _ = await curl(
        "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", f"{base}/s/../../etc/passwd"
    )
    assert code == 0
    assert out in (b"403", b"404")
