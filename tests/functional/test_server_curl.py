"""The server driven by real curl: keep-alive, uploads, compression, 100-continue, HTTP/1.0."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web


async def curl(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        "curl",
        "-sS",
        "--max-time",
        "20",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode is not None
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


async def echo(request: web.BaseRequest) -> web.StreamResponse:
    body = await request.read()
    major, minor = request.version
    return web.Response(text=f"{request.method} {request.path_qs} {len(body)} {major}.{minor}")


async def test_curl_reuses_one_keep_alive_connection(aiohttp_raw_server: Any) -> None:
    server = await aiohttp_raw_server(echo)
    url = str(server.make_url("/"))
    code, out, err = await curl("-v", url + "a", url + "b?x=1", url + "c")
    assert code == 0
    assert out == "GET /a 0 1.1GET /b?x=1 0 1.1GET /c 0 1.1"
    assert err.count("Re-using existing connection") == 2


async def test_curl_post_and_chunked_upload(aiohttp_raw_server: Any) -> None:
    server = await aiohttp_raw_server(echo)
    url = str(server.make_url("/up"))
    code, out, _ = await curl("--data-binary", "x" * 5000, url)
    assert (code, out) == (0, "POST /up 5000 1.1")
    code, out, _ = await curl("-H", "Transfer-Encoding: chunked", "--data-binary", "y" * 70000, url)
    assert (code, out) == (0, "POST /up 70000 1.1")


async def test_curl_expect_100_continue_large_upload(aiohttp_server: Any, tmp_path: Any) -> None:
    async def size(request: web.Request) -> web.Response:
        return web.Response(text=str(len(await request.read())))

    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.router.add_post("/", size)
    server = await aiohttp_server(app)
    path = tmp_path / "big.bin"
    path.write_bytes(b"z" * (2 * 1024 * 1024))
    code, out, err = await curl(
        "-v", "-H", "Expect: 100-continue", "--data-binary", f"@{path}", str(server.make_url("/"))
    )
    assert code == 0
    assert out == str(2 * 1024 * 1024)
    assert "HTTP/1.1 100 Continue" in err


async def test_curl_compressed_response(aiohttp_raw_server: Any) -> None:
    async def big(request: web.BaseRequest) -> web.StreamResponse:
        resp = web.Response(text="compress me " * 200)
        resp.enable_compression()
        return resp

    server = await aiohttp_raw_server(big)
    code, out, err = await curl("-v", "--compressed", str(server.make_url("/")))
    assert code == 0
    assert out == "compress me " * 200
    coding = [line for line in err.lower().splitlines() if line.startswith("< content-encoding:")]
    assert len(coding) == 1
    assert coding[0].split(":")[1].strip() in ("gzip", "deflate", "br", "zstd")


async def test_curl_http10_and_head(aiohttp_raw_server: Any) -> None:
    server = await aiohttp_raw_server(echo)
    url = str(server.make_url("/old"))
    code, out, _ = await curl("--http1.0", url)
    assert (code, out) == (0, "GET /old 0 1.0")
    code, out, _ = await curl("-I", url)
    assert code == 0
    assert out.startswith("HTTP/1.1 200 OK")
    assert "Content-Length: 15" in out  # "HEAD /old 0 1.1"


async def test_curl_streamed_chunked_response(aiohttp_raw_server: Any) -> None:
    async def stream(request: web.BaseRequest) -> web.StreamResponse:
        resp = web.StreamResponse()
        await resp.prepare(request)
        for i in range(50):
            await resp.write(b"%d," % i)
        await resp.write_eof()
        return resp

    server = await aiohttp_raw_server(stream)
    code, out, _ = await curl(str(server.make_url("/")))
    assert (code, out) == (0, "".join(f"{i}," for i in range(50)))
