"""Client behaviours that aiohttp 3.x programs rely on, each tried over loopback as a user would.

Every expectation was checked by running the same code against the released aiohttp 3.14.5.
"""

from __future__ import annotations

import asyncio
import base64
import socket
import ssl
import warnings
from typing import Any

import pytest
import trustme
from yarl import URL

import aiohttp
from aiohttp import web
from aiohttp.client.resolver import AbstractResolver, ResolveResult
from aiohttp.testing.faults import FaultServer, ReceivedRequest

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def ok(req: ReceivedRequest) -> bytes:
    return OK


class UnspecifiedFamilyResolver(AbstractResolver):
    """A resolver that, like some third-party ones, leaves the family as 0 (AF_UNSPEC)."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(hostname=host, host="127.0.0.1", port=port, family=0, proto=0, flags=0)
        ]

    async def close(self) -> None:
        pass


async def test_resolver_family_0_takes_the_family_from_the_address() -> None:
    async with FaultServer(ok) as server:
        connector = aiohttp.TCPConnector(resolver=UnspecifiedFamilyResolver())
        async with (
            aiohttp.ClientSession(connector=connector) as session,
            session.get(f"http://service.invalid:{server.port}/") as resp,
        ):
            assert await resp.read() == b"ok"
        assert server.requests[0].head.headers["Host"] == f"service.invalid:{server.port}"


@pytest.mark.parametrize("version", ["1.1", "1.0"])
async def test_version_as_a_string(version: str) -> None:
    async with (
        FaultServer(ok) as server,
        aiohttp.ClientSession(version=version) as session,  # type: ignore[arg-type]
        session.get(server.url) as resp,
    ):
        assert resp.status == 200
    assert server.requests[0].head.version == tuple(int(p) for p in version.split("."))


async def test_version_string_that_is_no_version() -> None:
    with pytest.raises(ValueError, match="Can not parse http version number"):
        aiohttp.ClientSession(version="one")  # type: ignore[arg-type]


async def test_session_timeout_as_a_number_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match=r"please use 'timeout=ClientTimeout\(...\)'"):
        aiohttp.ClientSession(timeout=5.0)  # type: ignore[arg-type]


async def test_request_timeout_as_a_number_works_quietly() -> None:
    """3.x turns a number into ``ClientTimeout(total=...)`` without a warning."""
    async with FaultServer(ok) as server, aiohttp.ClientSession() as session:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            async with session.get(server.url, timeout=5.0) as resp:  # type: ignore[arg-type]
                assert await resp.read() == b"ok"


async def test_seed_request_function_timeout_as_a_number_warns_and_works() -> None:
    async with FaultServer(ok) as server:
        with pytest.warns(DeprecationWarning, match=r"timeout=aiohttp\.ClientTimeout"):
            async with aiohttp.request("GET", server.url, timeout=5.0) as resp:
                assert await resp.read() == b"ok"


async def test_session_read_timeout_and_conn_timeout_are_deprecated() -> None:
    with pytest.warns(DeprecationWarning, match="read_timeout is deprecated"):
        session = aiohttp.ClientSession(read_timeout=7)
    assert session.timeout.total == 7
    await session.close()
    with pytest.warns(DeprecationWarning, match="conn_timeout is deprecated"):
        session = aiohttp.ClientSession(conn_timeout=3)
    assert session.timeout.connect == 3
    await session.close()


async def test_loop_argument_naming_the_running_loop_does_not_warn() -> None:
    loop = asyncio.get_running_loop()
    async with FaultServer(ok) as server:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            async with (
                aiohttp.ClientSession(loop=loop) as session,
                session.get(server.url) as resp,
            ):
                assert resp.status == 200
            connector = aiohttp.TCPConnector(loop=loop)
            await connector.close()
            async with aiohttp.request("GET", server.url, loop=loop) as resp:
                assert resp.status == 200


@pytest.mark.parametrize(
    "url",
    ["example.com/path", "/relative", "", "http:///no-host", "http://:/", "http://e.org:port/"],
)
async def test_url_without_scheme_or_host_is_invalid_url_client_error(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.InvalidUrlClientError) as info:
            await session.get(url)
    assert isinstance(info.value, aiohttp.InvalidURL)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(url)


def _proxy_answer(req: ReceivedRequest) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nvia"


async def test_credentials_in_the_proxy_url_are_sent_to_the_proxy() -> None:
    async with FaultServer(_proxy_answer) as proxy, aiohttp.ClientSession() as session:
        proxy_url = f"http://us%20er:p%40ss@127.0.0.1:{proxy.port}"
        async with session.get("http://origin.invalid/x", proxy=proxy_url) as resp:
            assert await resp.read() == b"via"
    head = proxy.requests[0].head
    assert head.target == "http://origin.invalid/x"
    expected = base64.b64encode(b"us er:p@ss").decode()
    assert head.headers["Proxy-Authorization"] == f"Basic {expected}"


async def test_credentials_in_the_session_proxy_url_are_sent_to_the_proxy() -> None:
    async with FaultServer(_proxy_answer) as proxy:
        session = aiohttp.ClientSession(proxy=f"http://u:p@127.0.0.1:{proxy.port}")
        async with session, session.get("http://origin.invalid/y") as resp:
            assert resp.status == 200
    assert proxy.requests[0].head.headers["Proxy-Authorization"] == "Basic dTpw"


@pytest.mark.parametrize("scheme", ["socks5", "socks4", "socks5h", "socks4a"])
async def test_socks_proxy_is_a_clear_error_naming_aiohttp_socks(scheme: str) -> None:
    async with FaultServer(ok) as server, aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.InvalidUrlClientError, match="aiohttp-socks"):
            await session.get(server.url, proxy=f"{scheme}://127.0.0.1:{server.port}")
        assert server.requests == []  # nothing was sent to the SOCKS port as HTTP


async def test_headers_sent_and_chunk_received_trace_signals_fire() -> None:
    seen: list[tuple[str, Any]] = []

    async def on_headers(session: Any, ctx: Any, params: Any) -> None:
        seen.append(("headers", params))

    async def on_chunk(session: Any, ctx: Any, params: Any) -> None:
        seen.append(("chunk", params))

    config = aiohttp.TraceConfig()
    config.on_request_headers_sent.append(on_headers)
    config.on_response_chunk_received.append(on_chunk)
    async with FaultServer(ok) as server, aiohttp.ClientSession(trace_configs=[config]) as session:
        url = URL(server.make_url("/p"))
        async with session.post(url, data=b"body") as resp:
            assert [kind for kind, _ in seen] == ["headers"]
            assert await resp.read() == b"ok"
    (_, headers_params), (_, chunk_params) = seen
    assert isinstance(headers_params, aiohttp.TraceRequestHeadersSentParams)
    assert headers_params.method == "POST"
    assert headers_params.url == url
    assert headers_params.headers["Content-Length"] == "4"
    assert isinstance(chunk_params, aiohttp.TraceResponseChunkReceivedParams)
    assert (chunk_params.method, chunk_params.chunk) == ("POST", b"ok")


@pytest.mark.parametrize(
    ("kwargs", "message", "expected"),
    [
        ({"verify_ssl": False}, "verify_ssl is deprecated, use ssl=False instead", False),
        (
            {"fingerprint": b"\x01" * 32},
            r"fingerprint is deprecated, use ssl=Fingerprint\(fingerprint\) instead",
            aiohttp.Fingerprint(b"\x01" * 32),
        ),
    ],
)
async def test_legacy_tls_arguments_of_tcp_connector(
    kwargs: dict[str, Any], message: str, expected: Any
) -> None:
    with pytest.warns(DeprecationWarning, match=message):
        connector = aiohttp.TCPConnector(**kwargs)
    assert connector._ssl == expected
    await connector.close()


async def test_legacy_ssl_context_argument_of_tcp_connector_is_used() -> None:
    context = ssl.create_default_context()
    with pytest.warns(DeprecationWarning, match="ssl_context is deprecated, use ssl=context"):
        connector = aiohttp.TCPConnector(ssl_context=context)
    assert connector._ssl is context
    await connector.close()


async def test_legacy_tls_arguments_and_ssl_together_are_refused() -> None:
    with (
        pytest.warns(DeprecationWarning, match="verify_ssl is deprecated"),
        pytest.raises(ValueError, match="mutually exclusive"),
    ):
        aiohttp.TCPConnector(verify_ssl=False, ssl=False)


@pytest.fixture
async def tls_server(loop: asyncio.AbstractEventLoop) -> Any:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
    async with FaultServer(ok, ssl=context) as server:
        yield server


async def test_verify_ssl_false_reaches_a_self_signed_server(tls_server: FaultServer) -> None:
    with pytest.warns(DeprecationWarning, match="verify_ssl"):
        connector = aiohttp.TCPConnector(verify_ssl=False)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.get(tls_server.url) as resp,
    ):
        assert await resp.read() == b"ok"


async def close_gracefully(session: aiohttp.ClientSession) -> int:
    """The session-closing workaround published in aiohttp's tracker (issue 1925) and shipped
    by widely used libraries: wait until every pooled TLS connection has really closed."""
    transports = 0
    all_is_lost = asyncio.Event()
    if len(session.connector._conns) == 0:  # type: ignore[union-attr]
        all_is_lost.set()
    for conn in session.connector._conns.values():  # type: ignore[union-attr]
        for handler, _ in conn:
            proto = getattr(handler.transport, "_ssl_protocol", None)
            if proto is None:
                continue
            transports += 1
            orig_lost = proto.connection_lost

            def connection_lost(exc: BaseException | None, orig_lost: Any = orig_lost) -> None:
                nonlocal transports
                orig_lost(exc)
                transports -= 1
                if transports == 0:
                    all_is_lost.set()

            proto.connection_lost = connection_lost
    await session.close()
    await asyncio.wait_for(all_is_lost.wait(), 2)
    return transports


async def test_connector_conns_mapping_of_the_session_closing_workaround(
    tls_server: FaultServer,
) -> None:
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False))
    async with session.get(tls_server.url) as resp:
        assert await resp.read() == b"ok"
    conns = session.connector._conns  # type: ignore[union-attr]
    assert len(conns) == 1
    ((key, idle),) = conns.items()
    assert key.port == tls_server.port
    assert [handler.transport is not None for handler, _ in idle] == [True]
    assert await close_gracefully(session) == 0
    assert len(conns) == 0


async def test_connector_conns_is_empty_before_any_request() -> None:
    session = aiohttp.ClientSession()
    assert await close_gracefully(session) == 0


async def ws_echo(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for msg in ws:
        await ws.send_str(msg.data)
    return ws


@pytest.fixture
async def ws_url(aiohttp_server: Any) -> URL:
    app = web.Application()
    app.router.add_get("/ws", ws_echo)
    server = await aiohttp_server(app)
    return URL(server.make_url("/ws"))


async def test_sending_on_a_closed_websocket_is_client_connection_reset_error(ws_url: URL) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(ws_url)
        await ws.close()
        sends = (lambda: ws.send_str("x"), lambda: ws.send_bytes(b"x"), ws.ping)
        for send in sends:
            with pytest.raises(aiohttp.ClientConnectionResetError) as info:
                await send()
            assert isinstance(info.value, aiohttp.ClientError)
            assert isinstance(info.value, ConnectionResetError)


async def test_receive_after_close_is_closed(ws_url: URL) -> None:
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(ws_url)
        await ws.close()
        for _ in range(2):
            msg = await ws.receive()
            assert msg.type is aiohttp.WSMsgType.CLOSED
            assert msg.data is None


async def test_closing_the_session_awaits_its_connectors_close() -> None:
    """A connector subclass that overrides ``close()`` is closed through it, as in 3.x; one
    the session does not own is left open."""
    closed: list[str] = []

    class Recording(aiohttp.TCPConnector):
        async def close(self, *, abort_ssl: bool = False) -> None:
            closed.append("connector")
            await super().close(abort_ssl=abort_ssl)

    owned = Recording()
    await aiohttp.ClientSession(connector=owned).close()
    assert closed == ["connector"]
    assert owned.closed
    shared = Recording()
    await aiohttp.ClientSession(connector=shared, connector_owner=False).close()
    assert closed == ["connector"]
    await shared.close()
