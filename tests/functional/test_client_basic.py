"""The client against scripted loopback servers: requests, bodies, keep-alive, errors."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import zlib

import pytest
from multidict import MultiDict

import aiohttp
from aiohttp.client import (
    ClientPayloadError,
    ClientResponseError,
    ClientSession,
    ClientTimeout,
    ContentTypeError,
    ServerDisconnectedError,
    SocketTimeoutError,
    TCPConnector,
)
from aiohttp.testing.faults import Fault, FaultServer, ReceivedRequest


def response(
    body: bytes = b"ok", *, status: str = "200 OK", headers: dict[str, str] | None = None
) -> bytes:
    fields = {"Content-Length": str(len(body))}
    fields.update(headers or {})
    head = "".join(f"{k}: {v}\r\n" for k, v in fields.items())
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


def echo(req: ReceivedRequest) -> bytes:
    """Answer with a JSON description of the request."""
    info = {
        "method": req.head.method,
        "target": req.head.target,
        "headers": [[k, v] for k, v in req.head.headers.items()],
        "body": req.body.decode("latin1"),
    }
    return response(json.dumps(info).encode(), headers={"Content-Type": "application/json"})


@pytest.fixture
async def server(loop):
    async with FaultServer(echo) as srv:
        yield srv


@pytest.fixture
async def session(loop):
    async with ClientSession() as s:
        yield s


async def test_get_returns_status_headers_and_body(server, session) -> None:
    async with session.get(server.make_url("/path?q=1")) as resp:
        assert resp.status == 200
        assert resp.reason == "OK"
        assert resp.headers["Content-Type"] == "application/json"
        data = await resp.json()
    assert data["method"] == "GET"
    assert data["target"] == "/path?q=1"
    names = {k.lower() for k, _ in data["headers"]}
    assert {"host", "accept", "accept-encoding", "user-agent"} <= names


async def test_await_form_and_methods(server, session) -> None:
    for method in ("post", "put", "patch", "delete", "options"):
        resp = await getattr(session, method)(server.make_url("/m"))
        data = await resp.json()
        resp.release()
        assert data["method"] == method.upper()


async def test_head_request_has_no_body(session) -> None:
    async with (
        FaultServer(lambda req: response(b"", headers={"Content-Length": "100"})) as srv,
        session.head(srv.make_url("/")) as resp,
    ):
        assert resp.status == 200
        assert await resp.read() == b""


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"a": "1", "b": "x y"}, "/p?a=1&b=x+y"),
        (MultiDict([("a", "1"), ("a", "2")]), "/p?a=1&a=2"),
        ([("k", "v")], "/p?k=v"),
        ("raw=1", "/p?raw=1"),
    ],
)
async def test_params(server, session, params, expected) -> None:
    async with session.get(server.make_url("/p"), params=params) as resp:
        assert (await resp.json())["target"] == expected


@pytest.mark.parametrize(
    ("data", "body", "ctype"),
    [
        (b"raw bytes", "raw bytes", "application/octet-stream"),  # as in 3.x
        ("text", "text", "text/plain; charset=utf-8"),
        ({"a": "1", "b": "2"}, "a=1&b=2", "application/x-www-form-urlencoded"),
        (io.BytesIO(b"from a file"), "from a file", "application/octet-stream"),
    ],
)
async def test_post_bodies(server, session, data, body, ctype) -> None:
    async with session.post(server.make_url("/"), data=data) as resp:
        got = await resp.json()
    headers = {k.lower(): v for k, v in got["headers"]}
    assert got["body"] == body
    assert headers.get("content-type") == ctype
    assert headers["content-length"] == str(len(body))


async def test_post_json(server, session) -> None:
    async with session.post(server.make_url("/"), json={"x": [1, 2]}) as resp:
        got = await resp.json()
    headers = {k.lower(): v for k, v in got["headers"]}
    assert json.loads(got["body"]) == {"x": [1, 2]}
    assert headers["content-type"] == "application/json"


async def test_async_iterable_body_is_sent_chunked(server, session) -> None:
    async def gen():
        yield b"one,"
        yield b"two"

    async with session.post(server.make_url("/"), data=gen()) as resp:
        got = await resp.json()
    headers = {k.lower(): v for k, v in got["headers"]}
    assert got["body"] == "one,two"
    assert headers["transfer-encoding"] == "chunked"


async def test_chunked_upload_of_bytes(server, session) -> None:
    async with session.post(server.make_url("/"), data=b"abc", chunked=True) as resp:
        got = await resp.json()
    headers = {k.lower(): v for k, v in got["headers"]}
    assert got["body"] == "abc"
    assert headers["transfer-encoding"] == "chunked"


@pytest.mark.parametrize("coding", ["deflate", "gzip"])
async def test_compressed_upload(server, session, coding) -> None:
    async with session.post(server.make_url("/"), data=b"x" * 1000, compress=coding) as resp:
        got = await resp.json()
    headers = {k.lower(): v for k, v in got["headers"]}
    assert headers["content-encoding"] == coding
    raw = got["body"].encode("latin1")
    plain = gzip.decompress(raw) if coding == "gzip" else zlib.decompress(raw)
    assert plain == b"x" * 1000


async def test_keep_alive_reuses_one_connection(server, session) -> None:
    for _ in range(5):
        async with session.get(server.make_url("/")) as resp:
            await resp.read()
    assert server.connections == 1


async def test_connection_released_early_is_not_reused(session) -> None:
    big = b"z" * 200_000
    async with FaultServer(lambda req: response(big)) as srv:
        async with session.get(srv.make_url("/")) as resp:
            await resp.content.read(10)
        async with session.get(srv.make_url("/")) as resp:
            assert await resp.read() == big
        assert srv.connections == 2


async def test_read_until_close_framing_is_never_reused(session) -> None:
    raw = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close"
    async with FaultServer(lambda req: raw) as srv:
        for _ in range(2):
            async with session.get(srv.make_url("/")) as resp:
                assert await resp.read() == b"until close"
        assert srv.connections == 2


async def test_response_arriving_on_an_idle_connection_is_never_an_answer(session) -> None:
    """RFC 9112 §9.2: a response that arrives while no request is outstanding is unsolicited;
    the idle connection it came on is closed and the next request opens a new one."""

    async def first_then_stray():
        yield response(b"hello")
        await asyncio.sleep(0.05)
        yield response(b"SMUGGLE")

    answers = iter([first_then_stray(), response(b"second")])
    async with FaultServer(lambda req: next(answers)) as srv:
        async with session.get(srv.make_url("/")) as resp:
            assert await resp.read() == b"hello"
        await asyncio.sleep(0.3)  # the stray response arrives while the connection is idle
        async with session.get(srv.make_url("/2")) as resp:
            assert await resp.read() == b"second"
        assert srv.connections == 2
        assert [r.head.target for r in srv.requests] == ["/", "/2"]


async def test_idle_connection_broken_after_the_pool_handed_it_out_is_replaced() -> None:
    """RFC 9112 §9.2: the stray response arrives after the pool handed the connection out but
    before the request was written; nothing was sent, so even a POST goes on a new one."""

    async def first_then_stray():
        yield response(b"hello")
        await asyncio.sleep(0.05)
        yield response(b"SMUGGLE")

    async def slow_reuse(session, ctx, params) -> None:
        await asyncio.sleep(0.3)  # the stray response arrives meanwhile

    trace = aiohttp.TraceConfig()
    trace.on_connection_reuseconn.append(slow_reuse)
    answers = iter([first_then_stray(), response(b"second")])
    async with (
        FaultServer(lambda req: next(answers)) as srv,
        ClientSession(trace_configs=[trace]) as session,
    ):
        async with session.get(srv.make_url("/")) as resp:
            assert await resp.read() == b"hello"
        async with session.post(srv.make_url("/2"), data=b"x") as resp:
            assert await resp.read() == b"second"
        assert srv.connections == 2
        assert [(r.head.method, r.body) for r in srv.requests] == [("GET", b""), ("POST", b"x")]


async def test_chunked_response_and_iterators(session) -> None:
    raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    async with FaultServer(lambda req: raw) as srv:
        async with session.get(srv.make_url("/")) as resp:
            pieces = [chunk async for chunk in resp.content.iter_chunked(2)]
        assert b"".join(pieces) == b"abcde"
        async with session.get(srv.make_url("/")) as resp:
            assert await resp.content.readexactly(4) == b"abcd"
            assert await resp.content.read() == b"e"
            assert resp.content.at_eof()


@pytest.mark.parametrize(
    ("ctype", "body", "text"),
    [
        ("text/plain; charset=koi8-r", "привет".encode("koi8-r"), "привет"),
        ("application/json", '{"a": "é"}'.encode("utf-16-le"), '{"a": "é"}'),
        (
            "text/html",
            "<p>héllo wörld, ça va très bien</p>".encode(),
            "<p>héllo wörld, ça va très bien</p>",
        ),
    ],
)
async def test_text_charset_rules(session, ctype, body, text) -> None:
    async with (
        FaultServer(lambda req: response(body, headers={"Content-Type": ctype})) as srv,
        session.get(srv.make_url("/")) as resp,
    ):
        assert await resp.text() == text


async def test_json_content_type_is_checked(session) -> None:
    async with (
        FaultServer(lambda req: response(b"{}", headers={"Content-Type": "text/html"})) as srv,
        session.get(srv.make_url("/")) as resp,
    ):
        with pytest.raises(ContentTypeError):
            await resp.json()
        assert await resp.json(content_type=None) == {}


async def test_raise_for_status_carries_request_info(session) -> None:
    async with (
        FaultServer(lambda req: response(b"no", status="404 Not Found")) as srv,
        session.get(srv.make_url("/missing")) as resp,
    ):
        with pytest.raises(ClientResponseError) as info:
            resp.raise_for_status()
    assert info.value.status == 404
    assert info.value.request_info.url.path == "/missing"
    async with (
        ClientSession(raise_for_status=True) as strict,
        FaultServer(lambda req: response(b"no", status="500 Oops")) as srv,
    ):
        with pytest.raises(ClientResponseError) as info:
            await strict.get(srv.make_url("/"))
    assert info.value.status == 500


async def test_malformed_status_line_is_a_response_error(session) -> None:
    async with FaultServer(lambda req: b"HTTP/1.1 abc\r\n\r\n") as srv:
        with pytest.raises(ClientResponseError):
            await session.get(srv.make_url("/"))


async def test_endless_headers_end_in_typed_error() -> None:
    async def endless(req):
        async def pieces():
            yield b"HTTP/1.1 200 OK\r\n"
            for i in range(100_000):
                yield f"X-Header-{i}: {'v' * 50}\r\n".encode()

        return pieces()

    async with FaultServer(endless) as srv, ClientSession() as s:
        with pytest.raises(ClientResponseError) as info:
            await asyncio.wait_for(s.get(srv.make_url("/")), 10)
    assert info.value.status in (400, 431)


async def test_server_disconnect_before_response(session) -> None:
    async with FaultServer(echo) as srv:
        srv.inject(Fault.drop())
        with pytest.raises(ServerDisconnectedError):
            await session.post(srv.make_url("/"), data=b"x")


async def test_body_cut_short_is_payload_error(session) -> None:
    async with FaultServer(lambda req: response(b"x" * 1000)) as srv:
        srv.inject(Fault.close_mid_body())
        async with session.get(srv.make_url("/")) as resp:
            with pytest.raises(ClientPayloadError):
                await resp.read()


async def test_sock_read_timeout(session) -> None:
    async with FaultServer(echo) as srv:
        srv.inject(Fault.stall(2))
        with pytest.raises(SocketTimeoutError):
            await session.get(srv.make_url("/"), timeout=ClientTimeout(sock_read=0.1))


async def test_sock_read_timeout_starts_once_the_request_body_was_sent(server, session) -> None:
    # 3.x: sock_read bounds the server's silence after the request; a slow upload is not it.
    async def slow_body():
        await asyncio.sleep(0.4)
        yield b"late"

    async with session.put(
        server.make_url("/"), data=slow_body(), timeout=ClientTimeout(sock_read=0.1)
    ) as resp:
        assert (await resp.json())["body"] == "late"


async def test_sock_read_timeout_after_a_slow_upload_still_fires(session) -> None:
    async def slow_body():
        await asyncio.sleep(0.2)
        yield b"x"

    async with FaultServer(echo) as srv:
        srv.inject(Fault.stall(2))
        with pytest.raises(SocketTimeoutError):
            await session.put(
                srv.make_url("/"), data=slow_body(), timeout=ClientTimeout(sock_read=0.1)
            )


async def test_total_timeout_is_server_timeout(session) -> None:
    async with FaultServer(echo) as srv:
        srv.inject(Fault.stall(2))
        with pytest.raises(asyncio.TimeoutError):
            await session.get(srv.make_url("/"), timeout=ClientTimeout(total=0.1))


async def test_limit_per_host_queues_requests() -> None:
    async with FaultServer(echo) as srv:
        async with ClientSession(connector=TCPConnector(limit_per_host=1)) as s:

            async def fetch() -> int:
                async with s.get(srv.make_url("/")) as resp:
                    await resp.read()
                    return resp.status

            assert await asyncio.gather(*(fetch() for _ in range(5))) == [200] * 5
        assert srv.connections == 1


async def test_module_level_request() -> None:
    async with FaultServer(echo) as srv, aiohttp.client.request("GET", srv.make_url("/x")) as resp:
        assert (await resp.json())["target"] == "/x"


async def _expect_server(answer_continue: bool):
    """A raw server: reads the head, answers 100 Continue (or 417 at once), then echoes."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head)
        if not answer_continue and b"100-continue" in head.lower():
            writer.write(b"HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        if b"100-continue" in head.lower():
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        body = await reader.readexactly(length)
        seen.append(body)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, seen


@pytest.mark.parametrize("answer_continue", [True, False])
async def test_expect_100_continue(session, answer_continue) -> None:
    # RFC 9110 §10.1.1: the body waits for 100 Continue; a 417 instead skips it.
    server, seen = await _expect_server(answer_continue)
    port = server.sockets[0].getsockname()[1]
    try:
        async with session.put(
            f"http://127.0.0.1:{port}/", data=b"payload", expect100=True
        ) as resp:
            body = await resp.read()
        assert b"expect: 100-continue" in seen[0].lower()
        assert (resp.status, body) == (200, b"payload")
        if not answer_continue:  # RFC 9110 §10.1.1: 417, then again without the expectation
            assert b"expect:" not in seen[1].lower()
            assert seen[2] == b"payload"
    finally:
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize(
    ("name", "value"), [("verify_ssl", False), ("ssl_context", None), ("fingerprint", None)]
)
async def test_deprecated_tls_arguments_warn(server, session, name, value) -> None:
    import hashlib
    import ssl

    if name == "ssl_context":
        value = ssl.create_default_context()
    elif name == "fingerprint":
        value = hashlib.sha256(b"x").digest()
    with pytest.warns(DeprecationWarning, match=f"{name} is deprecated, use ssl="):
        async with session.get(server.make_url("/"), **{name: value}) as resp:
            assert resp.status == 200


async def test_unknown_request_argument_is_refused(server, session) -> None:
    with pytest.raises(TypeError, match="unexpected keyword"):
        await session.get(server.make_url("/"), nonsense=1)


async def test_closed_session_refuses_requests(server) -> None:
    s = ClientSession()
    await s.close()
    with pytest.raises(RuntimeError, match="closed"):
        await s.get(server.make_url("/"))


async def test_base_url_and_default_headers(server) -> None:
    async with (
        ClientSession(base_url=server.url, headers={"X-Team": "client"}) as s,
        s.get("/rel", headers={"X-Extra": "1"}) as resp,
    ):
        got = await resp.json()
    headers = {k.lower(): v for k, v in got["headers"]}
    assert got["target"] == "/rel"
    assert headers["x-team"] == "client"
    assert headers["x-extra"] == "1"


async def test_cookies_round_trip_through_the_jar(session) -> None:
    def respond(req: ReceivedRequest) -> bytes:
        if req.head.target == "/login":
            return response(b"", headers={"Set-Cookie": "sid=abc; Path=/"})
        return response(req.head.headers.get("Cookie", "").encode())

    async with FaultServer(respond) as srv:
        base = f"http://localhost:{srv.port}"  # the jar keeps no cookies for IP hosts
        async with session.get(base + "/login") as resp:
            assert resp.cookies["sid"].value == "abc"
        async with session.get(base + "/me") as resp:
            assert await resp.read() == b"sid=abc"
        async with session.get(base + "/me", cookies={"extra": "1"}) as resp:
            assert await resp.read() == b"extra=1; sid=abc"  # sorted, as in 3.x
        async with session.get(srv.make_url("/me")) as resp:
            assert await resp.read() == b""


@pytest.mark.parametrize("value", ["a\r\nInjected: 1", "a\nb", "a\x00b"])
async def test_header_injection_is_refused(server, session, value) -> None:
    for _ in range(2):  # the second time the head cache must not let it through either
        with pytest.raises(ValueError):
            await session.get(server.make_url("/"), headers={"X-Value": value})
    assert server.requests == []


async def test_unrequested_protocol_switch_is_refused(session) -> None:
    raw = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
    async with FaultServer(lambda req: raw) as srv:
        with pytest.raises(ClientResponseError) as info:
            await session.get(srv.make_url("/"))
    assert info.value.status == 101
