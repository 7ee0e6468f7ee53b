"""The testing kit the aiohttp 3.x way: the ``loop`` fixture, the plugin's fixtures and options,
and :mod:`aiohttp.test_utils`, as a 3.x test suite uses them (no pytest-asyncio markers)."""

from __future__ import annotations

import asyncio
import unittest
from typing import Any

import pytest

import aiohttp
from aiohttp import web
from aiohttp.test_utils import (
    AioHTTPTestCase,
    RawTestServer,
    TestClient,
    TestServer,
    make_mocked_request,
)


async def hello(request: web.Request) -> web.Response:
    return web.Response(text="Hello")


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/", hello)
    return app


# -- the loop fixture ----------------------------------------------------------------------


def test_loop_is_a_fresh_current_loop_not_yet_running(loop: asyncio.AbstractEventLoop) -> None:
    assert asyncio.get_event_loop() is loop
    assert not loop.is_running()
    assert not loop.is_closed()


def test_loop_fixture_is_parametrised_by_the_loop_option(
    loop: asyncio.AbstractEventLoop, request: pytest.FixtureRequest
) -> None:
    # The default --aiohttp-loop is pyloop: one run, on asyncio's own loop.
    assert request.node.callspec.id == "pyloop"
    assert type(loop).__module__.startswith("asyncio")


async def test_async_test_runs_on_the_loop_fixture(loop: asyncio.AbstractEventLoop) -> None:
    assert asyncio.get_running_loop() is loop


async def test_async_test_without_loop_runs_on_a_loop_of_its_own() -> None:
    assert asyncio.get_running_loop().is_running()


@pytest.fixture
async def started_client(loop: asyncio.AbstractEventLoop, aiohttp_client: Any) -> Any:
    return await aiohttp_client(make_app())


@pytest.fixture
async def loop_of_a_generator_fixture(loop: asyncio.AbstractEventLoop) -> Any:
    running = asyncio.get_running_loop()
    yield running
    # The teardown half runs on the same loop, before the loop is closed.
    assert asyncio.get_running_loop() is running


def test_sync_test_drives_async_fixtures_on_its_loop(
    loop: asyncio.AbstractEventLoop, started_client: Any, loop_of_a_generator_fixture: Any
) -> None:
    assert loop_of_a_generator_fixture is loop
    resp = loop.run_until_complete(started_client.get("/"))
    assert resp.status == 200
    assert loop.run_until_complete(resp.text()) == "Hello"


# -- server and client fixtures -------------------------------------------------------------


async def test_aiohttp_client_with_an_application(aiohttp_client: Any) -> None:
    client = await aiohttp_client(make_app())
    assert isinstance(client, TestClient)
    async with client.get("/") as resp:
        assert await resp.text() == "Hello"


async def test_aiohttp_client_with_server_kwargs_and_client_kwargs(aiohttp_client: Any) -> None:
    client = await aiohttp_client(
        make_app(), server_kwargs={"skip_url_asserts": True}, headers={"X-Test": "1"}
    )
    assert client.server.skip_url_asserts
    assert client.session.headers["X-Test"] == "1"


async def test_aiohttp_client_calls_an_app_factory_with_the_loop(
    aiohttp_client: Any, loop: asyncio.AbstractEventLoop
) -> None:
    seen: list[Any] = []

    def factory(factory_loop: asyncio.AbstractEventLoop, *args: Any) -> web.Application:
        seen.append((factory_loop, args))
        return make_app()

    client = await aiohttp_client(factory, 1, 2)
    assert seen == [(loop, (1, 2))]
    assert (await client.get("/")).status == 200


async def test_aiohttp_client_refuses_other_arguments(aiohttp_client: Any) -> None:
    with pytest.raises(ValueError, match="Unknown argument type"):
        await aiohttp_client(42)


async def test_aiohttp_client_refuses_positional_arguments_after_an_app_or_server(
    aiohttp_client: Any, aiohttp_server: Any
) -> None:
    # As in 3.x: only an application factory takes positional arguments.
    with pytest.raises(AssertionError, match="args should be empty"):
        await aiohttp_client(web.Application(), 1, 2)
    server = await aiohttp_server(web.Application())
    with pytest.raises(AssertionError, match="args should be empty"):
        await aiohttp_client(server, 1)


async def test_aiohttp_server_and_raw_server(
    aiohttp_server: Any, aiohttp_raw_server: Any, aiohttp_unused_port: Any
) -> None:
    port = aiohttp_unused_port()
    server = await aiohttp_server(make_app(), port=port)
    assert server.port == port
    raw = await aiohttp_raw_server(hello)
    assert isinstance(raw, RawTestServer)
    async with aiohttp.ClientSession() as session:
        for url in (server.make_url("/"), raw.make_url("/anything")):
            async with session.get(url) as resp:
                assert await resp.text() == "Hello"


class ClientWithMarker(TestClient[Any, Any]):
    marker = "custom"


@pytest.fixture
def aiohttp_client_cls() -> type[TestClient[Any, Any]]:
    return ClientWithMarker


async def test_aiohttp_client_cls_is_the_class_made(aiohttp_client: Any) -> None:
    client = await aiohttp_client(make_app())
    assert client.marker == "custom"


@pytest.mark.parametrize(
    ("alias", "target"),
    [
        ("unused_port", "aiohttp_unused_port"),
        ("test_client", "aiohttp_client"),
        ("test_server", "aiohttp_server"),
        ("raw_test_server", "aiohttp_raw_server"),
    ],
)
def test_deprecated_fixture_aliases_warn_and_work(
    loop: asyncio.AbstractEventLoop, request: pytest.FixtureRequest, alias: str, target: str
) -> None:
    with pytest.warns(DeprecationWarning, match=f"Deprecated, use {target} fixture instead"):
        value = request.getfixturevalue(alias)
    assert value is request.getfixturevalue(target)


def test_proactor_loop_is_windows_only(request: pytest.FixtureRequest) -> None:
    with pytest.raises(AttributeError, match="ProactorEventLoop"):
        request.getfixturevalue("proactor_loop")


# -- test_utils ---------------------------------------------------------------------------------


def test_make_mocked_request_in_a_plain_synchronous_test() -> None:
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
    req = make_mocked_request("POST", "/path?x=1", headers={"Host": "example.com"})
    assert req.method == "POST"
    assert req.path == "/path"
    assert req.query["x"] == "1"
    assert req.host == "example.com"
    assert req.client_max_size == 1024**2
    assert req.client_max_fields == 1000


def test_make_mocked_request_passes_client_max_fields_on(loop: asyncio.AbstractEventLoop) -> None:
    req = make_mocked_request("GET", "/", client_max_fields=7)
    assert req.client_max_fields == 7
    assert req.clone().client_max_fields == 7
    assert req.clone(client_max_fields=3).client_max_fields == 3


async def test_a_response_to_a_mocked_request_made_outside_the_loop() -> None:
    req = await asyncio.get_running_loop().run_in_executor(
        None, lambda: make_mocked_request("GET", "/")
    )
    resp = web.Response(text="x")
    await resp.prepare(req)
    await resp.write_eof()
    assert bytes(req.transport.buffer).startswith(b"HTTP/1.1 200 OK\r\n")  # type: ignore[union-attr]


@pytest.mark.parametrize(("fields", "status"), [(3, 200), (4, 413)])
async def test_client_max_fields_at_the_limit_and_one_past(
    aiohttp_client: Any, fields: int, status: int
) -> None:
    async def count(request: web.Request) -> web.Response:
        return web.Response(text=str(len(await request.post())))

    app = web.Application(client_max_fields=3)
    app.router.add_post("/", count)
    client = await aiohttp_client(app)
    urlencoded = await client.post("/", data={f"k{i}": "v" for i in range(fields)})
    assert urlencoded.status == status
    form = aiohttp.FormData()
    for i in range(fields):
        form.add_field(f"f{i}", b"x", filename="a.txt")
    multipart = await client.post("/", data=form)
    assert multipart.status == status
    if status == 413:
        assert await multipart.text() == "Maximum number of form fields 3 exceeded."
    else:
        assert await multipart.text() == "3"


@pytest.mark.parametrize("limit", [0, -1], ids=["zero", "negative"])
async def test_client_max_fields_zero_or_less_is_no_limit(aiohttp_client: Any, limit: int) -> None:
    async def count(request: web.Request) -> web.Response:
        return web.Response(text=str(len(await request.post())))

    app = web.Application(client_max_fields=limit)  # as in 3.x: no bound on the count
    app.router.add_post("/", count)
    client = await aiohttp_client(app)
    urlencoded = await client.post("/", data={f"k{i}": "v" for i in range(5)})
    assert (urlencoded.status, await urlencoded.text()) == (200, "5")
    form = aiohttp.FormData()
    for i in range(5):
        form.add_field(f"f{i}", b"x", filename="a.txt")
    multipart = await client.post("/", data=form)
    assert (multipart.status, await multipart.text()) == (200, "5")


async def test_urlencoded_form_is_read_in_its_charset(aiohttp_client: Any) -> None:
    async def echo(request: web.Request) -> web.Response:
        return web.json_response(list((await request.post()).items()))

    app = web.Application()
    app.router.add_post("/", echo)
    client = await aiohttp_client(app)
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=latin-1"}
    resp = await client.post("/", data=b"a=%E9&b=\xe9", headers=headers)
    assert await resp.json() == [["a", "\u00e9"], ["b", "\u00e9"]]


async def test_servers_and_clients_refuse_a_plain_with() -> None:
    server = TestServer(make_app())
    with pytest.raises(TypeError, match="Use async with instead"), server:
        pass
    client = TestClient(server)
    with pytest.raises(TypeError, match="Use async with instead"), client:
        pass
    await client.close()


def test_aiohttp_test_case_without_an_application_says_what_is_missing() -> None:
    class Case(AioHTTPTestCase):
        async def test_nothing(self) -> None:
            """Never reached: set-up fails."""

    result = unittest.TestResult()
    Case("test_nothing").run(result)
    assert len(result.errors) == 1
    assert "Did you forget to define get_application()?" in result.errors[0][1]


def test_aiohttp_test_case_serves_its_application() -> None:
    class Case(AioHTTPTestCase):
        async def get_application(self) -> web.Application:
            return make_app()

        async def test_get(self) -> None:
            async with self.client.get("/") as resp:
                assert resp.status == 200
                assert await resp.text() == "Hello"
            assert self.loop is asyncio.get_running_loop()

    result = unittest.TestResult()
    Case("test_get").run(result)
    assert result.wasSuccessful(), result.failures + result.errors
    assert result.testsRun == 1
