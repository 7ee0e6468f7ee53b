"""aiohttp 3.14's server API as its users write it, over loopback.

Typed request and response state, JSON encoders returning bytes, the connection's protocol
(``request.protocol``), the access log's compiled format, routing introspection, static
``OPTIONS`` routes, WebSocket options and the Content-Disposition warnings. Every test here
passes against the released 3.14.5 too.
"""

from __future__ import annotations

import asyncio
import json
import logging
import pathlib
from typing import Any

import pytest
from yarl import URL

from aiohttp import WSMsgType, web
from aiohttp.multipart import BadContentDispositionHeader, BadContentDispositionParam
from aiohttp.web_log import AccessLogger, KeyMethod

USER = web.RequestKey("user", str)
TIMING = web.ResponseKey("timing", float)


async def get_once(runner: web.BaseRunner) -> tuple[int, bytes]:
    """Start a site on a free port, send one ``GET /`` and return the port and the answer."""
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    reader, writer = await asyncio.open_connection("127.0.0.1", site.port)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answer = await reader.read()
    writer.close()
    await writer.wait_closed()
    return site.port, answer


def dumps_bytes(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


async def test_request_and_response_keys_carry_state(aiohttp_client: Any) -> None:
    @web.middleware
    async def auth(request: web.Request, handler: Any) -> web.StreamResponse:
        request[USER] = request.headers.get("X-User", "anonymous")
        response = await handler(request)
        response.headers["X-Timing"] = str(response[TIMING])
        return response

    async def handler(request: web.Request) -> web.Response:
        response = web.Response(text=f"hello {request[USER]}")
        response[TIMING] = 0.5
        return response

    app = web.Application(middlewares=[auth])
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    resp = await client.get("/", headers={"X-User": "ann"})
    assert await resp.text() == "hello ann"
    assert resp.headers["X-Timing"] == "0.5"
    assert repr(USER) == f"<RequestKey({__name__}.user, type=str)>"
    assert repr(TIMING) == f"<ResponseKey({__name__}.timing, type=float)>"


def test_str_state_keys_warn_once_per_key() -> None:
    response = web.Response()
    with pytest.warns(web.NotAppKeyWarning, match="web.ResponseKey"):
        response["test_str_state_keys_warn_once_per_key"] = 1
    response["test_str_state_keys_warn_once_per_key"] = 2  # no second warning
    assert response["test_str_state_keys_warn_once_per_key"] == 2


async def test_json_bytes_response(aiohttp_client: Any) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.json_bytes_response({"a": [1, 2]}, dumps=dumps_bytes, status=201)

    app = web.Application()
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    resp = await client.get("/")
    assert resp.status == 201
    assert resp.content_type == "application/json"
    assert await resp.read() == b'{"a":[1,2]}'
    with pytest.raises(ValueError, match="only one of data or body"):
        web.json_bytes_response({}, dumps=dumps_bytes, body=b"{}")
    assert web.json_bytes_response(dumps=dumps_bytes, body=b"[]").body == b"[]"


async def test_request_clone_keeps_match_info(aiohttp_client: Any) -> None:
    async def handler(request: web.Request) -> web.Response:
        clone = request.clone(method="POST", rel_url="/elsewhere", host="example.com")
        assert isinstance(clone, web.Request)
        assert clone.match_info is request.match_info
        return web.Response(text=f"{clone.method} {clone.host}{clone.path} {clone.match_info['n']}")

    app = web.Application()
    app.router.add_get("/items/{n}", handler)
    client = await aiohttp_client(app)
    resp = await client.get("/items/7")
    assert await resp.text() == "POST example.com/elsewhere 7"


async def test_the_connection_protocol_as_3x_exposes_it() -> None:
    seen: dict[str, Any] = {}

    async def handler(request: web.Request) -> web.Response:
        protocol = request.protocol
        seen["peername"] = protocol.peername
        seen["sockname"] = protocol.sockname
        seen["ssl_context"] = protocol.ssl_context
        seen["limits"] = (protocol.max_line_size, protocol.max_headers, protocol.max_field_size)
        seen["logger"] = protocol.logger
        seen["access_log"] = protocol.access_log
        seen["keepalive_timeout"] = protocol.keepalive_timeout
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", handler)
    runner = web.AppRunner(app, keepalive_timeout=12.5, max_line_size=9000, access_log=None)
    try:
        port, answer = await get_once(runner)
    finally:
        await runner.cleanup()
    assert answer.endswith(b"\r\n\r\nok")
    assert seen["peername"][0] == "127.0.0.1"
    assert seen["sockname"][1] == port
    assert seen["ssl_context"] is None
    assert seen["limits"] == (9000, 128, 8190)
    assert seen["logger"] is logging.getLogger("aiohttp.server")
    assert seen["access_log"] is None
    assert seen["keepalive_timeout"] == 12.5


async def test_handle_error_answers_and_closes(aiohttp_client: Any) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        return request.protocol.handle_error(request, 503, message="try later")

    app = web.Application()
    app.router.add_get("/error", handler)
    client = await aiohttp_client(app)
    resp = await client.get("/error")
    assert resp.status == 503
    assert "try later" in await resp.text()
    assert resp.headers["Connection"] == "close"


async def test_server_tracks_connections() -> None:
    made: list[Any] = []
    lost: list[Any] = []

    class Counting(web.Server):
        def connection_made(self, handler: Any, transport: Any) -> None:
            made.append(handler)
            super().connection_made(handler, transport)

        def connection_lost(self, handler: Any, exc: BaseException | None = None) -> None:
            lost.append(handler)
            super().connection_lost(handler, exc)

    async def handler(request: web.BaseRequest) -> web.Response:
        return web.Response(text=str(len(server.connections)))

    server = Counting(handler)
    runner = web.ServerRunner(server)
    try:
        _, answer = await get_once(runner)
        assert answer.endswith(b"\r\n\r\n1")
        assert len(made) == 1
    finally:
        await runner.cleanup()
    assert lost == made


def test_access_logger_compiles_its_format() -> None:
    logger = AccessLogger(logging.getLogger("test.access.3x"), '%a "%{Referer}i" %s')
    template, atoms = logger.compile_format('%a "%{Referer}i" %s')
    assert template == '%s "%s" %s'
    assert [atom.key for atom in atoms] == [
        "remote_address",
        ("request_header", "Referer"),
        "response_status",
    ]
    assert all(isinstance(atom, KeyMethod) for atom in atoms)
    assert AccessLogger.LOG_FORMAT_MAP["a"] == "remote_address"
    assert AccessLogger.FORMAT_RE.search("%{User-Agent}i") is not None


async def test_route_patterns_and_router_introspection(aiohttp_client: Any) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=request.match_info["name"])

    app = web.Application()
    resource = app.router.add_resource("/users/{name}", name="user")
    route = resource.add_route("GET", handler)
    assert list(resource) == [route]
    assert web.DynamicResource.DYN.fullmatch("{name}") is not None
    assert web.DynamicResource.DYN_WITH_RE.fullmatch(r"{id:\d+}") is not None
    assert web.UrlDispatcher.NAME_SPLIT_RE.split("api.users:get") == ["api", "users", "get"]
    client = await aiohttp_client(app)
    assert await (await client.get("/users/ann")).text() == "ann"
    # A variable is one path segment without braces (GOOD), however they were encoded.
    for path in ("/users/a%7Bb", "/users/a%7Db"):
        assert (await client.get(path)).status == 404


async def test_router_reindexes_a_resource_whose_path_changed(aiohttp_client: Any) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="moved")

    app = web.Application()
    resource = app.router.add_resource("/old")
    resource.add_route("GET", handler)
    app.router.unindex_resource(resource)
    resource.add_prefix("/v2")
    app.router.index_resource(resource)
    client = await aiohttp_client(app)
    assert await (await client.get("/v2/old")).text() == "moved"
    assert (await client.get("/old")).status == 404


async def test_static_options_route(aiohttp_client: Any, tmp_path: pathlib.Path) -> None:
    (tmp_path / "a.txt").write_text("static")

    async def preflight(request: web.Request) -> web.Response:
        return web.Response(headers={"Access-Control-Allow-Origin": "*"})

    app = web.Application()
    resource = app.router.add_static("/static", tmp_path)
    resource.set_options_route(preflight)
    assert resource._routes["OPTIONS"].method == "OPTIONS"  # where CORS libraries look
    assert {route.method for route in resource} == {"GET", "HEAD", "OPTIONS"}
    with pytest.raises(RuntimeError, match="OPTIONS route was set already"):
        resource.set_options_route(preflight)
    assert resource.VERSION_KEY == "v"
    assert str(resource.url_for(filename="a.txt", append_version=True)).startswith(
        "/static/a.txt?v="
    )
    client = await aiohttp_client(app)
    resp = await client.options("/static/a.txt")
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert await (await client.get("/static/a.txt")).text() == "static"
    assert (await client.delete("/static/a.txt")).status == 405


async def test_websocket_decode_text_false_and_send_json_bytes(aiohttp_client: Any) -> None:
    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(decode_text=False)
        await ws.prepare(request)
        data = await ws.receive_str()
        assert data == "héllo".encode()
        msg = await ws.receive()
        assert (msg.type, msg.data) == (WSMsgType.TEXT, b'{"n":1}')
        await ws.send_json_bytes({"got": data.decode()}, dumps=dumps_bytes)
        await ws.close(drain=False)
        return ws

    app = web.Application()
    app.router.add_get("/ws", handler)
    client = await aiohttp_client(app)
    ws = await client.ws_connect("/ws")
    await ws.send_str("héllo")
    await ws.send_str('{"n":1}')
    msg = await ws.receive()
    assert (msg.type, msg.data) == (WSMsgType.BINARY, '{"got":"héllo"}'.encode())
    msg = await ws.receive()
    assert msg.type is WSMsgType.CLOSE
    await ws.close()


def test_small_3x_signatures() -> None:
    @web.middleware
    async def mw(request: web.Request, handler: Any) -> web.StreamResponse:
        return await handler(request)

    assert web.middleware(f=mw) is mw
    exc = web.HTTPRequestEntityTooLarge(max_size=10)
    assert exc.status == 413
    assert "10" in exc.text
    assert URL("/x").path == "/x"


async def test_malformed_content_disposition_warns(aiohttp_client: Any) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text="x", headers={"Content-Disposition": request.query["cd"]})

    app = web.Application()
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    resp = await client.get("/", params={"cd": "attachment; file name=a.txt"})
    with pytest.warns(BadContentDispositionParam, match="file name=a.txt"):
        _ = resp.content_disposition
    resp = await client.get("/", params={"cd": "attachment; filename"})
    with pytest.warns(BadContentDispositionHeader, match="attachment; filename"):
        assert resp.content_disposition.type is None


async def test_multipart_parts_are_held_to_client_max_size(aiohttp_client: Any) -> None:
    # 3.x: request.multipart() parts read past the application's client_max_size give a 413.
    import aiohttp

    async def handler(request: web.Request) -> web.Response:
        reader = await request.multipart()
        part = await reader.next()
        assert isinstance(part, aiohttp.BodyPartReader)
        return web.Response(text=str(len(await part.text())))

    app = web.Application(client_max_size=1000)
    app.router.add_post("/", handler)
    client = await aiohttp_client(app)
    for size, status in ((1000, 200), (1001, 413)):
        with aiohttp.MultipartWriter() as writer:
            writer.append("A" * size)
        async with client.post("/", data=writer) as resp:
            assert resp.status == status
