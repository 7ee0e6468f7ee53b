"""``receive_str/bytes/json`` on a message of the wrong kind raise ``WSMessageTypeError``.

Both ends over loopback: our server's ``web.WebSocketResponse`` and our client's
``ClientWebSocketResponse``. The error is a ``TypeError``, so code catching that keeps working.
"""

from __future__ import annotations

from typing import Any

import pytest

import aiohttp
import aiohttp.client
import aiohttp.client_exceptions
from aiohttp import WSMessageTypeError, web

SEEN = web.AppKey("seen", list)


async def receive_all_wrongly(ws: Any) -> list[BaseException]:
    """Call each typed receive on a message of another kind; collect what each raises."""
    seen: list[BaseException] = []
    for receive in (ws.receive_str, ws.receive_bytes, ws.receive_json):
        try:
            await receive()
        except TypeError as exc:
            seen.append(exc)
    return seen


async def wrong_kinds_handler(request: web.Request) -> web.StreamResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    request.app[SEEN].extend(await receive_all_wrongly(ws))
    await ws.send_bytes(b"not text")
    await ws.send_str("not binary")
    await ws.send_bytes(b"[1]")
    await ws.receive()  # the client's close
    return ws


def check(seen: list[BaseException]) -> None:
    assert [type(exc) for exc in seen] == [WSMessageTypeError] * 3
    assert all(isinstance(exc, TypeError) for exc in seen)
    text, binary, json = (str(exc) for exc in seen)
    assert "not text" in text
    assert text.endswith("is not WSMsgType.TEXT")
    assert "not binary" in binary
    assert binary.endswith("is not WSMsgType.BINARY")
    assert "[1]" in json
    assert json.endswith("is not WSMsgType.TEXT")


async def test_both_ends_raise_ws_message_type_error(aiohttp_server: Any) -> None:
    app = web.Application()
    app[SEEN] = []
    app.router.add_get("/ws", wrong_kinds_handler)
    server = await aiohttp_server(app)
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"http://127.0.0.1:{server.port}/ws") as ws,
    ):
        await ws.send_bytes(b"not text")
        await ws.send_str("not binary")
        await ws.send_bytes(b"[1]")
        client_seen = await receive_all_wrongly(ws)
    check(app[SEEN])
    check(client_seen)


async def test_receive_json_after_close_raises_it_too(aiohttp_server: Any) -> None:
    async def closing_handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.close()
        return ws

    app = web.Application()
    app.router.add_get("/ws", closing_handler)
    server = await aiohttp_server(app)
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"http://127.0.0.1:{server.port}/ws") as ws,
    ):
        with pytest.raises(WSMessageTypeError, match=r"is not WSMsgType\.TEXT$"):
            await ws.receive_json()


def test_one_class_at_the_aiohttp_3x_import_paths() -> None:
    assert issubclass(WSMessageTypeError, TypeError)
    assert not issubclass(WSMessageTypeError, aiohttp.ClientError)
    assert aiohttp.client_exceptions.WSMessageTypeError is WSMessageTypeError
    assert aiohttp.client.WSMessageTypeError is WSMessageTypeError
