"""Streams, payloads and multipart bodies over a real connection, as 3.x programs use them."""

from __future__ import annotations

import gzip
from typing import Any

from aiohttp import web


async def test_request_body_counts_its_bytes_on_the_wire(aiohttp_client: Any) -> None:
    async def handler(request: web.Request) -> web.Response:
        body = await request.read()
        stream = request.content
        counts = [stream.total_bytes, stream.total_raw_bytes, stream.total_compressed_bytes]
        return web.json_response([len(body), *counts])

    app = web.Application()
    app.router.add_post("/", handler)
    client = await aiohttp_client(app)
    plain = b"a" * 5000
    coded = gzip.compress(plain)
    resp = await client.post("/", data=coded, headers={"Content-Encoding": "gzip"})
    assert await resp.json() == [5000, 5000, len(coded), len(coded)]
    resp = await client.post("/", data=plain)
    assert await resp.json() == [5000, 5000, 5000, None]
