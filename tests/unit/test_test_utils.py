"""make_mocked_request, loop helpers, and the fixtures' argument checks (no sockets)."""

from __future__ import annotations

import asyncio
import warnings
from unittest import mock

import pytest

from aiohttp import web
from aiohttp._sansio.http1.events import HttpVersion10
from aiohttp.test_utils import (
    TestClient,
    loop_context,
    make_mocked_request,
    setup_test_loop,
    teardown_test_loop,
    unused_port,
)


async def test_mocked_request_defaults() -> None:
    req = make_mocked_request("GET", "/a?b=1", {"Host": "h", "X": "y"})
    assert (req.method, req.path, req.query["b"]) == ("GET", "/a", "1")
    assert req.headers["X"] == "y"
    assert req.raw_headers == ((b"Host", b"h"), (b"X", b"y"))
    assert req.remote == "127.0.0.1"
    assert req.keep_alive
    assert req.match_info == {}
    assert isinstance(req.app, web.Application)


async def test_mocked_request_closing_and_version() -> None:
    req = make_mocked_request("GET", "/", closing=True)
    assert not req.keep_alive
    req10 = make_mocked_request("GET", "/", version=HttpVersion10)
    assert req10.version == (1, 0)
    assert not req10.keep_alive


async def test_response_to_a_mocked_request_is_captured() -> None:
    req = make_mocked_request("GET", "/")
    resp = web.Response(text="captured")
    await resp.prepare(req)
    await resp.write_eof()
    assert bytes(req.transport.buffer).endswith(b"\r\n\r\ncaptured")  # type: ignore[union-attr]


async def test_a_response_to_a_mocked_request_on_a_mock_protocol() -> None:
    """3.x suites pass ``protocol=mock.Mock()``; responding to such a request must work."""
    req = make_mocked_request("GET", "/", protocol=mock.Mock())
    resp = web.StreamResponse()
    writer = await resp.prepare(req)
    assert writer is not None
    await resp.write(b"body")
    await resp.write_eof()
    assert resp.prepared
    writer.write_headers.assert_called_once()
    assert writer.write_headers.call_args.args[0] == "HTTP/1.1 200 OK"


async def test_mocked_request_with_match_info_and_app() -> None:
    app = web.Application()
    req = make_mocked_request("GET", "/u/7", match_info={"id": "7"}, app=app)
    assert req.match_info["id"] == "7"
    assert req.app is app


def test_loop_context_makes_and_closes_a_loop() -> None:
    with loop_context() as loop:
        assert loop.run_until_complete(asyncio.sleep(0, result=5)) == 5
    assert loop.is_closed()


def test_setup_and_teardown_cancel_leftover_tasks() -> None:
    loop = setup_test_loop()
    task = loop.create_task(asyncio.sleep(30))
    teardown_test_loop(loop)
    assert task.cancelled()
    assert loop.is_closed()


def test_unused_port_is_a_port() -> None:
    assert 0 < unused_port() < 65536


async def test_test_client_needs_a_test_server() -> None:
    with pytest.raises(TypeError):
        TestClient(object())  # type: ignore[arg-type]


async def test_aiohttp_client_rejects_other_arguments(aiohttp_client: object) -> None:
    with pytest.raises(ValueError, match="Unknown argument type"):
        await aiohttp_client(object())  # type: ignore[operator]


def test_test_server_and_client_are_generic_as_in_3x() -> None:
    # Annotations such as ``TestClient[Request, Application]`` are evaluated at run time by
    # pytest-aiohttp's plugin and by user code.
    from typing import get_origin

    from aiohttp.test_utils import BaseTestServer, RawTestServer, TestClient, TestServer

    assert get_origin(TestClient[web.Request, web.Application]) is TestClient
    assert get_origin(TestClient[web.BaseRequest, None]) is TestClient
    assert get_origin(BaseTestServer[web.Request]) is BaseTestServer
    assert issubclass(TestServer, BaseTestServer)
    assert issubclass(RawTestServer, BaseTestServer)


def test_web_protocol_exposes_the_request_handler_alias() -> None:
    # pytest-aiohttp imports ``_RequestHandler`` from ``aiohttp.web_protocol``.
    from aiohttp.web_protocol import _RequestHandler

    async def handler(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response()

    checked: _RequestHandler = handler
    assert checked is handler


def test_fixture_types_are_importable_from_the_plugin() -> None:
    # aiohttp-sse and other extensions annotate their tests with these 3.x names.
    from typing import Protocol

    from aiohttp.pytest_plugin import AiohttpClient, AiohttpRawServer, AiohttpServer

    for kind in (AiohttpClient, AiohttpServer, AiohttpRawServer):
        assert Protocol in kind.__mro__


async def test_make_mocked_coro_returns_or_raises_and_records_calls() -> None:
    from aiohttp.test_utils import make_mocked_coro

    returns = make_mocked_coro(7)
    assert await returns(1, key="v") == 7
    assert returns.call_count == 1
    assert returns.call_args.args == (1,)
    raises = make_mocked_coro(raise_exception=ValueError("no"))
    with pytest.raises(ValueError, match="no"):
        await raises()
    assert await make_mocked_coro()() is None


def test_unittest_run_loop_is_a_deprecated_no_op() -> None:
    from aiohttp.test_utils import unittest_run_loop

    async def test_method() -> None:
        pass

    with pytest.warns(DeprecationWarning, match="no longer needed"):
        assert unittest_run_loop(test_method) is test_method


def test_aiohttp_test_case_runs_set_up_async_and_tear_down_async() -> None:
    # 3.x test cases override setUpAsync/tearDownAsync (calling super()) around each test.
    import unittest

    from aiohttp.test_utils import AioHTTPTestCase

    events: list[str] = []

    class Case(AioHTTPTestCase):
        async def get_application(self) -> web.Application:
            return web.Application()

        async def setUpAsync(self) -> None:
            await super().setUpAsync()
            events.append(f"set up, client started: {self.client.port is not None}")

        async def tearDownAsync(self) -> None:
            events.append("tear down")
            await super().tearDownAsync()

        async def test_get(self) -> None:
            async with self.client.get("/") as resp:
                events.append(f"test {resp.status}")

    result = unittest.TestResult()
    Case("test_get").run(result)
    assert (result.errors, result.failures) == ([], [])
    assert events == ["set up, client started: True", "test 404", "tear down"]


def test_test_server_and_client_take_the_3x_loop_argument() -> None:
    # webtest-aiohttp (used by webargs' test suite) builds both outside a running loop with
    # ``loop=`` and drives them with ``loop.run_until_complete``.
    from aiohttp.test_utils import TestServer

    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="hi")

    app = web.Application()
    app.router.add_get("/", hello)
    with loop_context() as loop:
        client = TestClient(TestServer(app, loop=loop), loop=loop)
        loop.run_until_complete(client.start_server())
        try:
            resp = loop.run_until_complete(client.get("/"))
            assert (resp.status, loop.run_until_complete(resp.text())) == (200, "hi")
        finally:
            loop.run_until_complete(client.close())


def test_loop_context_closes_its_loop_when_the_body_raises() -> None:
    with pytest.raises(ZeroDivisionError), loop_context() as loop:
        1 / 0  # noqa: B018
    assert loop.is_closed()


def test_the_made_up_app_of_a_mocked_request_takes_str_keys_quietly() -> None:
    # 3.x's mocked request has a mock application, which never warns NotAppKeyWarning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        request = make_mocked_request("GET", "/")
        request.app["db"] = "conn"
    assert request.app["db"] == "conn"
    with pytest.warns(web.NotAppKeyWarning):
        web.Application()["db"] = "conn"  # a real application still warns
