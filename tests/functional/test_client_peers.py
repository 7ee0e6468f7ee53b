"""The client against real peers: nginx (static files, keep-alive, gzip, reverse proxy), a
strict h11 server, and forward proxies (absolute-form and CONNECT)."""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from pathlib import Path

import h11
import pytest
import trustme

import aiohttp
from aiohttp.client import (
    BasicAuth,
    ClientHttpProxyError,
    ClientProxyConnectionError,
    ClientSession,
)
from aiohttp.testing.faults import FaultServer, ReceivedRequest
from tests.functional.nginx import nginx_factory  # noqa: F401 - the fixture

pytestmark = pytest.mark.needs_nginx


# -- nginx ----------------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "small.txt").write_bytes(b"hello from nginx\n")
    (tmp_path / "big.bin").write_bytes(bytes(range(256)) * 40_000)  # ~10 MB
    (tmp_path / "page.html").write_bytes(b"<p>" + b"compressible " * 5000 + b"</p>")
    return tmp_path


async def test_nginx_static_files_keep_alive(nginx_factory, files) -> None:  # noqa: F811
    nginx = nginx_factory(lambda n: n.add_static("/", files))
    async with ClientSession() as s:
        for _ in range(3):
            async with s.get(nginx.url("/small.txt")) as resp:
                assert resp.status == 200
                assert await resp.read() == b"hello from nginx\n"
        digest = hashlib.sha256()
        async with s.get(nginx.url("/big.bin")) as resp:
            async for chunk in resp.content.iter_chunked(65536):
                digest.update(chunk)
        assert digest.digest() == hashlib.sha256((files / "big.bin").read_bytes()).digest()
        async with s.get(nginx.url("/missing")) as resp:
            assert resp.status == 404
        assert s.connector is not None
        assert s.connector._pool is not None
        assert s.connector._pool.idle_count() == 1


async def test_nginx_gzip_and_range(nginx_factory, files) -> None:  # noqa: F811
    nginx = nginx_factory(
        lambda n: n.add_static("/", files),
        extra_http="gzip on; gzip_min_length 10; gzip_types text/html;",
    )
    async with ClientSession() as s:
        async with s.get(nginx.url("/page.html")) as resp:
            assert resp.headers["Content-Encoding"] == "gzip"
            assert await resp.read() == (files / "page.html").read_bytes()
        async with s.get(nginx.url("/small.txt"), headers={"Range": "bytes=0-4"}) as resp:
            assert resp.status == 206
            assert await resp.read() == b"hello"


async def test_nginx_reverse_proxy_chunked_upstream(nginx_factory) -> None:  # noqa: F811
    def chunked(req: ReceivedRequest) -> bytes:
        return (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        )

    async with FaultServer(chunked) as upstream:
        nginx = nginx_factory(lambda n: n.add_proxy("/", f"127.0.0.1:{upstream.port}"))
        async with ClientSession() as s:
            for _ in range(3):
                async with s.post(nginx.url("/app"), data=b"x" * 1000) as resp:
                    assert await resp.read() == b"hello world"
        assert [r.body for r in upstream.requests] == [b"x" * 1000] * 3


# -- h11 ------------------------------------------------------------------------------------


async def _h11_conversation(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    conn = h11.Connection(h11.SERVER)
    try:
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                data = await reader.read(65536)
                conn.receive_data(data)
                if not data:
                    return
                continue
            if isinstance(event, h11.Request):
                body = b""
                while not isinstance(event, h11.EndOfMessage):
                    event = conn.next_event()
                    if event is h11.NEED_DATA:
                        conn.receive_data(await reader.read(65536))
                    elif isinstance(event, h11.Data):
                        body += event.data
                reply = b"strict:" + body
                writer.write(
                    conn.send(
                        h11.Response(status_code=200, headers=[("Content-Length", str(len(reply)))])
                    )
                    + conn.send(h11.Data(data=reply))
                    + conn.send(h11.EndOfMessage())
                )
                await writer.drain()
                conn.start_next_cycle()
            elif isinstance(event, h11.ConnectionClosed):
                return
    except h11.RemoteProtocolError as exc:  # the test fails on any protocol error we cause
        writer.write(f"HTTP/1.1 400 Bad\r\nContent-Length: {len(str(exc))}\r\n\r\n{exc}".encode())
    finally:
        writer.close()


async def test_against_strict_h11_server() -> None:
    server = await asyncio.start_server(_h11_conversation, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with ClientSession() as s:
            for data in (b"", b"abc"):
                async with s.post(f"http://127.0.0.1:{port}/", data=data) as resp:
                    assert resp.status == 200
                    assert await resp.read() == b"strict:" + data

            async def gen():
                yield b"chunk-1 "
                yield b"chunk-2"

            async with s.put(f"http://127.0.0.1:{port}/", data=gen()) as resp:
                assert await resp.read() == b"strict:chunk-1 chunk-2"
            async with s.get(f"http://127.0.0.1:{port}/?q=1", params={"x": "y"}) as resp:
                assert resp.status == 200
    finally:
        server.close()
        await server.wait_closed()


# -- forward proxies ------------------------------------------------------------------------


class ForwardProxy:
    """A small forward proxy: absolute-form requests and CONNECT tunnels (RFC 9110 §9.3.6)."""

    def __init__(self, *, require_auth: BasicAuth | None = None) -> None:
        self.require_auth = require_auth
        self.seen: list[bytes] = []
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> ForwardProxy:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            self.seen.append(head)
            line = head.split(b"\r\n", 1)[0].decode()
            method, target, _ = line.split(" ")
            if self.require_auth is not None and (
                f"Proxy-Authorization: {self.require_auth.encode()}".encode() not in head
            ):
                writer.write(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"
                )
                return
            if method == "CONNECT":
                host, port = target.rsplit(":", 1)
                up_reader, up_writer = await asyncio.open_connection(host, int(port))
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
                return
            from yarl import URL

            url = URL(target)
            up_reader, up_writer = await asyncio.open_connection(url.host, url.port)
            rest = head.split(b"\r\n", 1)[1]
            up_writer.write(f"{method} {url.raw_path_qs} HTTP/1.1\r\n".encode() + rest)
            response = await up_reader.readuntil(b"\r\n\r\n")
            length = int(response.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            writer.write(response + await up_reader.readexactly(length))
            up_writer.close()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


def plain(req: ReceivedRequest) -> bytes:
    body = f"{req.head.method} {req.head.target}".encode()
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def deprecated_basic_auth(login: str, password: str) -> BasicAuth:
    with pytest.warns(DeprecationWarning, match="BasicAuth is deprecated"):
        return BasicAuth(login, password)


PROXY_AUTH_DEPRECATED = "The 'proxy_auth' parameter is deprecated"


async def test_http_proxy_absolute_form_with_auth() -> None:
    auth = deprecated_basic_auth("proxyuser", "proxypass")
    async with FaultServer(plain) as origin, ForwardProxy(require_auth=auth) as proxy:
        async with ClientSession() as s:
            with pytest.warns(DeprecationWarning, match=PROXY_AUTH_DEPRECATED):
                async with s.get(
                    origin.make_url("/x?y=1"), proxy=proxy.url, proxy_auth=auth
                ) as resp:
                    assert await resp.read() == b"GET /x?y=1"
            # The modern spelling: the header itself.
            headers = {"Proxy-Authorization": aiohttp.encode_basic_auth(*auth[:2], auth[2])}
            async with s.get(origin.make_url("/h"), proxy=proxy.url, proxy_headers=headers) as resp:
                assert await resp.read() == b"GET /h"
            async with s.get(origin.make_url("/x"), proxy=proxy.url) as resp:
                assert resp.status == 407
        assert proxy.seen[0].startswith(f"GET {origin.url}/x?y=1 HTTP/1.1".encode())


async def test_https_through_connect_tunnel() -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    auth = deprecated_basic_auth("u", "p")
    async with (
        FaultServer(plain, ssl=server_ctx) as origin,
        ForwardProxy(require_auth=auth) as proxy,
    ):
        async with ClientSession() as s:
            with pytest.warns(DeprecationWarning, match=PROXY_AUTH_DEPRECATED):
                async with s.get(
                    origin.make_url("/secret"), proxy=proxy.url, proxy_auth=auth, ssl=client_ctx
                ) as resp:
                    assert await resp.read() == b"GET /secret"
            with pytest.raises(ClientHttpProxyError) as info:
                await s.get(origin.make_url("/"), proxy=proxy.url, ssl=client_ctx)
            assert info.value.status == 407
        assert proxy.seen[0].startswith(f"CONNECT 127.0.0.1:{origin.port} HTTP/1.1".encode())


async def test_unreachable_proxy() -> None:
    async with ForwardProxy() as proxy:
        url = proxy.url
    async with ClientSession() as s:
        with pytest.raises(ClientProxyConnectionError):
            await s.get("http://example.invalid/", proxy=url)


async def test_proxy_from_environment(monkeypatch) -> None:
    async with FaultServer(plain) as origin, ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with ClientSession(trust_env=True) as s, s.get(origin.make_url("/env")) as resp:
            assert await resp.read() == b"GET /env"
        assert len(proxy.seen) == 1
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        async with ClientSession(trust_env=True) as s, s.get(origin.make_url("/direct")) as resp:
            assert await resp.read() == b"GET /direct"
        assert len(proxy.seen) == 1
