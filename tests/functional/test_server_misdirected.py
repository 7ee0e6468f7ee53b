"""RFC 9110 §7.4: an "https" target is rejected unless it came over a secured connection.

"a request for an "https" resource MUST be rejected unless it has been received over a
connection that has been secured via a certificate valid for that target URI's origin". The
server answers 421 (Misdirected Request, §15.5.20) without running the handler.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import pytest
import trustme

from aiohttp import web

HANDLED: list[str] = []


async def handler(request: web.Request) -> web.Response:
    HANDLED.append(request.path)
    return web.Response(text=f"{request.scheme} {request.host}{request.path}")


async def exchange(port: int, head: bytes, context: ssl.SSLContext | None = None) -> bytes:
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", port, ssl=context, server_hostname="localhost" if context else None
    )
    writer.write(head)
    data = await asyncio.wait_for(reader.read(65536), 5)
    writer.close()
    return data


def request_for(target: str, *fields: str) -> bytes:
    lines = [f"GET {target} HTTP/1.1", "Host: example.com", "Connection: close", *fields]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@pytest.fixture
async def server(aiohttp_server: Any) -> Any:
    HANDLED.clear()
    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    return await aiohttp_server(app)


@pytest.mark.parametrize("scheme", ["https", "HTTPS", "Https"])
async def test_https_target_over_cleartext_is_421_rfc9110_7_4(server: Any, scheme: str) -> None:
    data = await exchange(server.port, request_for(f"{scheme}://example.com/secret"))
    assert data.startswith(b"HTTP/1.1 421 Misdirected Request\r\n")
    assert HANDLED == []


@pytest.mark.parametrize("target", ["/secret", "http://example.com/secret"])
async def test_other_targets_over_cleartext_are_served(server: Any, target: str) -> None:
    data = await exchange(server.port, request_for(target))
    assert data.startswith(b"HTTP/1.1 200 OK\r\n")
    assert data.endswith(b"http example.com/secret")


async def test_https_target_over_tls_is_served(aiohttp_server: Any) -> None:
    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    server = await aiohttp_server(app, ssl=server_ctx)

    data = await exchange(server.port, request_for("https://example.com/secret"), client_ctx)

    assert data.startswith(b"HTTP/1.1 200 OK\r\n")
    assert data.endswith(b"https example.com/secret")


async def test_a_trusted_proxy_that_terminated_tls_counts_as_secured(
    aiohttp_server: Any,
) -> None:
    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    server = await aiohttp_server(app, trusted_proxies=["127.0.0.1"])

    target = "https://example.com/secret"
    forwarded = await exchange(server.port, request_for(target, "X-Forwarded-Proto: https"))
    plain = await exchange(server.port, request_for(target))

    assert forwarded.startswith(b"HTTP/1.1 200 OK\r\n")
    assert plain.startswith(b"HTTP/1.1 421 Misdirected Request\r\n")
