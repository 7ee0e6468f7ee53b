"""``web.Response(body=<payload>)``: the response is framed by the payload's size, as in 3.x.

A payload of known size gets ``Content-Length`` (RFC 9112 §6.2), one of unknown size is sent
chunked (§7.1); either way the connection stays usable for the next request.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from aiohttp import payload, web

THIS_FILE = Path(__file__).read_bytes()


async def chunks() -> Any:
    yield b"hel"
    yield b"lo"


BODIES = {
    "bytesio": lambda: payload.BytesIOPayload(io.BytesIO(b"hello")),
    "string": lambda: payload.StringPayload("hello"),
    "bytes": lambda: payload.BytesPayload(b"hello"),
    "file": lambda: payload.BufferedReaderPayload(open(Path(__file__), "rb")),  # noqa: SIM115
    "async-iterable": lambda: payload.AsyncIterablePayload(chunks()),
}


@pytest.fixture
async def client(aiohttp_client: Any) -> Any:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=BODIES[request.match_info["kind"]]())

    app = web.Application()
    app.router.add_route("*", "/{kind}", handler)
    return await aiohttp_client(app)


@pytest.mark.parametrize("kind", sorted(BODIES))
async def test_payload_body_is_framed_and_the_connection_reused(client: Any, kind: str) -> None:
    expected = THIS_FILE if kind == "file" else b"hello"
    for _ in range(2):  # the second request goes over the same kept-alive connection
        async with client.get(f"/{kind}") as resp:
            assert resp.status == 200
            assert await resp.read() == expected
            if kind == "async-iterable":
                assert resp.headers["Transfer-Encoding"] == "chunked"
            else:
                assert resp.headers["Content-Length"] == str(len(expected))
    assert len(client.session.connector._conns) == 1


async def test_head_of_a_sized_payload_says_its_length(client: Any) -> None:
    async with client.head("/string") as resp:
        assert resp.headers["Content-Length"] == "5"
        assert await resp.read() == b""
