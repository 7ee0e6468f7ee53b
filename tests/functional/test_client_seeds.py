"""The seed documents' client examples, run unchanged (old spellings warn)."""

from __future__ import annotations

import asyncio
import base64
import inspect
import io
import types
from typing import Any
from unittest import mock

import pytest

import aiohttp
from aiohttp.client import ClientSession
from aiohttp.testing.faults import FaultServer, ReceivedRequest

BODY = b"<html>seed</html>"


def page(req: ReceivedRequest) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(BODY), BODY)


def test_readme_0_18_client_example() -> None:
    """The 0.18.4 README example: a session made outside the loop, closed without await."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = FaultServer(page)
    loop.run_until_complete(server.start())
    try:

        async def get_body(client, url):
            async with client.get(url) as response:
                return await response.read()

        with pytest.warns(DeprecationWarning, match="loop argument is deprecated"):
            client = aiohttp.client.ClientSession(loop=loop)
        raw_html = loop.run_until_complete(get_body(client, server.make_url("/")))
        assert raw_html == BODY
        # The example's last line, ``client.close()`` without await, only makes a coroutine
        # (as in 3.x, where close() is a coroutine function): nothing is closed until it is
        # awaited, and Python warns when it is dropped.
        pending = client.close()
        assert not client.closed
        loop.run_until_complete(pending)
        assert client.closed
    finally:
        loop.run_until_complete(server.close())
        asyncio.set_event_loop(None)
        loop.close()


async def test_early_readme_await_request_and_read_and_close() -> None:
    async with FaultServer(page) as server:
        with pytest.warns(DeprecationWarning, match="async with aiohttp.request"):
            response = await aiohttp.client.request("GET", server.make_url("/"))
        with pytest.warns(DeprecationWarning, match="read_and_close"):
            body = await response.read_and_close()
        assert body == BODY
        assert response.closed


async def test_close_is_a_coroutine_function_as_in_3x() -> None:
    """Test suites patch ``ClientSession.close``; mock makes an AsyncMock only for coroutines."""
    assert inspect.iscoroutinefunction(ClientSession.close)
    with mock.patch.object(ClientSession, "close") as patched:
        session = ClientSession()
        await session.close()
    patched.assert_awaited_once()
    assert not session.closed
    await session.close()
    assert session.closed


async def test_close_never_awaited_leaves_the_session_open_and_warns() -> None:
    session = ClientSession()
    pending = session.close()
    assert not session.closed
    with pytest.warns(RuntimeWarning, match="was never awaited"):
        del pending
    await session.close()
    assert session.closed


async def test_unclosed_session_warns_and_tells_the_loop() -> None:
    seen: list[dict[str, object]] = []
    asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: seen.append(ctx))
    session = ClientSession()
    with pytest.warns(ResourceWarning, match="^Unclosed client session <aiohttp.client.Cl"):
        del session
    assert seen[0]["message"] == "Unclosed client session"


async def test_numeric_timeout_of_the_request_function_is_deprecated() -> None:
    async with FaultServer(page) as server:
        with pytest.warns(DeprecationWarning, match="ClientTimeout"):
            async with aiohttp.request("GET", server.make_url("/"), timeout=5) as resp:
                assert await resp.read() == BODY


async def test_readme_signature_with_every_option() -> None:
    """The earlier README's ``request()`` call: ``encoding``, ``version=(1, 1)``, ``files``..."""
    async with FaultServer(page) as server:
        with pytest.warns(DeprecationWarning, match="deprecated") as caught:
            async with aiohttp.request(
                "POST",
                server.make_url("/upload"),
                params={"q": "1"},
                data={"field": "value"},
                headers={"X-Seed": "yes"},
                cookies={"c": "v"},
                files={"report": io.BytesIO(b"file contents")},
                auth=("user", "secret"),
                allow_redirects=True,
                max_redirects=10,
                encoding="utf-8",
                version=(1, 1),
                timeout=None,
                compress=None,
                chunked=None,
                expect100=False,
                read_until_eof=True,
            ) as resp:
                assert await resp.read() == BODY
    messages = " ".join(str(w.message) for w in caught)
    assert "files is deprecated" in messages
    assert "aiohttp.FormData" in messages
    assert "encode_basic_auth" in messages
    received = server.requests[0]
    assert received.head.target == "/upload?q=1"
    assert received.head.headers["X-Seed"] == "yes"
    assert received.head.headers["Cookie"] == "c=v"
    expected = base64.b64encode(b"user:secret").decode()
    assert received.head.headers["Authorization"] == f"Basic {expected}"
    assert received.head.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    body = received.body
    assert b'name="field"\r\n\r\nvalue\r\n' in body
    assert b'name="report"; filename="report"' in body
    assert b"\r\n\r\nfile contents\r\n" in body


async def test_files_with_file_names_and_a_session() -> None:
    async with FaultServer(page) as server, ClientSession() as session:
        with pytest.warns(DeprecationWarning, match="files"):
            async with session.post(
                server.make_url("/"),
                files=[("doc", ("notes.txt", io.BytesIO(b"abc"))), ("raw", io.BytesIO(b"xyz"))],
            ) as resp:
                assert resp.status == 200
    body = server.requests[0].body
    assert b'name="doc"; filename="notes.txt"' in body
    assert b'name="raw"; filename="raw"' in body
    assert b"\r\n\r\nabc\r\n" in body
    assert b"\r\n\r\nxyz\r\n" in body


async def test_auth_tuple_is_basic_auth() -> None:
    async with FaultServer(page) as server, ClientSession() as session:
        with pytest.warns(DeprecationWarning, match="auth tuple") as by_session:
            async with session.get(server.make_url("/"), auth=("u", "p")) as resp:
                assert resp.status == 200
        with pytest.warns(DeprecationWarning, match="auth tuple") as by_request:
            async with aiohttp.request("GET", server.make_url("/"), auth=("u", "p")) as resp:
                assert resp.status == 200
    # One warning each, naming today's spelling (not 3.14's BasicAuth and auth= ones too).
    message = (
        "An auth tuple is deprecated, use headers={'Authorization': "
        "aiohttp.encode_basic_auth(login, password)}"
    )
    assert [str(w.message) for w in (*by_session, *by_request)] == [message] * 2
    assert [r.head.headers["Authorization"] for r in server.requests] == ["Basic dTpw"] * 2


class RawRecorder:
    """A server that keeps the request bytes exactly as they arrived."""

    def __init__(self) -> None:
        self.data = b""
        self.done = asyncio.Event()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while not self.data.endswith(b"0\r\n\r\n"):
            chunk = await reader.read(65536)
            if not chunk:
                break
            self.data += chunk
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()
        self.done.set()


@pytest.mark.parametrize("size", [4, 3])
async def test_chunked_with_a_size_sends_chunks_of_that_size(size: int) -> None:
    recorder = RawRecorder()
    server = await asyncio.start_server(recorder.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with ClientSession() as session:
            with pytest.warns(DeprecationWarning, match="chunked=True"):
                async with session.post(
                    f"http://127.0.0.1:{port}/", data=b"0123456789", chunked=size
                ) as resp:
                    assert resp.status == 200
    finally:
        server.close()
        await server.wait_closed()
    head, _, body = recorder.data.partition(b"\r\n\r\n")
    assert b"Transfer-Encoding: chunked" in head
    pieces = [b"0123456789"[i : i + size] for i in range(0, 10, size)]
    expected = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
    assert body == expected


async def test_yield_from_request_in_a_generator_based_coroutine() -> None:
    """The earlier README: ``response = yield from aiohttp.request('GET', url)``."""

    @types.coroutine
    def get_body(url: str) -> Any:
        response = yield from aiohttp.request("GET", url)
        return (yield from response.read_and_close())

    async with FaultServer(page) as server:
        with pytest.warns(DeprecationWarning, match="deprecated") as caught:
            body = await get_body(server.make_url("/"))
    assert body == BODY
    messages = " ".join(str(w.message) for w in caught)
    assert "async with aiohttp.request" in messages


async def test_socket_connector_is_the_tcp_connector() -> None:
    with pytest.warns(DeprecationWarning, match=r"aiohttp\.TCPConnector"):
        from aiohttp.connector import SocketConnector
    async with FaultServer(page) as server:
        connector = SocketConnector()
        assert isinstance(connector, aiohttp.TCPConnector)
        async with aiohttp.request("GET", server.make_url("/"), connector=connector) as resp:
            assert await resp.read() == BODY
        await connector.close()


async def test_proxy_connector_sends_every_request_through_the_proxy() -> None:
    with pytest.warns(DeprecationWarning, match="proxy="):
        proxy_connector = aiohttp.connector.ProxyConnector
    async with FaultServer(page) as proxy:
        with pytest.warns(DeprecationWarning, match="BasicAuth is deprecated"):
            credentials = aiohttp.BasicAuth("p", "q")
        connector = proxy_connector(proxy.url, proxy_auth=credentials)
        async with (
            ClientSession(connector=connector) as session,
            session.get("http://origin.invalid/path") as resp,
        ):
            assert await resp.read() == BODY
    head = proxy.requests[0].head
    assert head.target == "http://origin.invalid/path"
    assert head.headers["Proxy-Authorization"] == "Basic cDpx"


async def test_close_gives_3x_callers_a_coroutine() -> None:
    """3.x's ``close()`` is ``async def``: its callers await it, schedule it or gather it."""
    session = ClientSession()
    pending = session.close()
    assert inspect.isawaitable(pending)
    assert asyncio.iscoroutine(pending)
    await pending
    assert session.closed
    scheduled = ClientSession()
    await asyncio.create_task(scheduled.close())
    gathered = ClientSession()
    await asyncio.gather(gathered.close())
    assert scheduled.closed
    assert gathered.closed
