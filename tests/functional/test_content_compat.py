"""Streams, payloads and multipart bodies over a real connection, as 3.x programs use them."""

from __future__ import annotations

import gzip
from typing import Any

from aiohttp import ChainMapProxy, web


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


async def test_request_config_dict_is_a_chain_map_proxy(aiohttp_client: Any) -> None:
    name = web.AppKey("name", str)
    level = web.AppKey("level", str)

    async def handler(request: web.Request) -> web.Response:
        config = request.config_dict
        assert isinstance(config, ChainMapProxy)
        return web.Response(text=f"{config[name]} {config[level]}")

    app = web.Application()
    app[name] = "outer"
    app[level] = "outer"
    sub = web.Application()
    sub[level] = "inner"
    sub.router.add_get("/", handler)
    app.add_subapp("/sub", sub)
    client = await aiohttp_client(app)
    resp = await client.get("/sub/")
    assert await resp.text() == "outer inner"
