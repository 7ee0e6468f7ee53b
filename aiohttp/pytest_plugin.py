"""aiohttp's pytest plugin: the ``loop`` fixture, async tests and the test-server fixtures.

Enable it with ``pytest_plugins = ["aiohttp.pytest_plugin"]`` in ``conftest.py`` (or
``-p aiohttp.pytest_plugin``). It needs nothing beyond pytest:

- ``async def`` test functions are run by the plugin itself, on the loop of the ``loop``
  fixture when the test uses it (directly or through ``aiohttp_client`` and friends), else on a
  fresh loop of their own;
- ``async def`` fixtures (coroutines and async generators) run on that same loop; such a
  fixture must use ``loop`` or be used by a test that does;
- ``loop`` is a fresh event loop per test, set as the current loop and closed afterwards,
  once its pending callbacks have run. ``--aiohttp-loop=pyloop|uvloop|all`` (or a comma
  separated list) chooses the loops each such test runs on, one test id per loop;
  ``--aiohttp-fast`` skips the garbage collection after each test and
  ``--aiohttp-enable-loop-debug`` turns on asyncio's debug mode.

Fixtures: ``loop``, ``proactor_loop`` (Windows), ``fast``, ``loop_debug``,
``aiohttp_unused_port``, ``aiohttp_server``, ``aiohttp_raw_server``, ``aiohttp_client`` and
``aiohttp_client_cls``; the 3.x aliases ``unused_port``, ``test_server``, ``raw_test_server``
and ``test_client`` still work and warn. ``aiohttp_fault_server`` starts a
:class:`~aiohttp.test_utils.FaultServer`.

pytest-asyncio may be installed beside it in strict mode: tests and fixtures it marks are
its own, every other ``async def`` test is run here. The pytest-aiohttp package (fixtures on
pytest-asyncio's loop) is the other way to test an aiohttp application; it works on this
package too, used instead of this plugin.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import warnings
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Protocol, cast, overload

import pytest

from .test_utils import (
    BaseTestServer,
    RawTestServer,
    TestClient,
    TestServer,
    loop_context,
    setup_test_loop,  # noqa: F401 - in 3.x's namespace
    teardown_test_loop,  # noqa: F401 - in 3.x's namespace
)
from .test_utils import unused_port as _unused_port
from .testing.faults import FaultServer
from .web.application import Application
from .web.messages.request import BaseRequest, Request

uvloop: Any
try:
    import uvloop
except ImportError:  # pragma: no cover - uvloop is an optional speed-up
    uvloop = None

__all__ = [
    "AiohttpClient",
    "AiohttpRawServer",
    "AiohttpServer",
    "aiohttp_client",
    "aiohttp_client_cls",
    "aiohttp_fault_server",
    "aiohttp_raw_server",
    "aiohttp_server",
    "aiohttp_unused_port",
    "fast",
    "loop",
    "loop_debug",
    "proactor_loop",
    "pytest_addoption",
    "pytest_fixture_setup",
    "pytest_generate_tests",
    "pytest_pyfunc_call",
    "raw_test_server",
    "test_client",
    "test_server",
    "unused_port",
]

#: The warning 3.x gives for every ``async def`` test this plugin runs.
PLUGIN_DEPRECATION = "aiohttp.pytest_plugin will be removed in v4. Please install pytest-aiohttp."
#: Fixtures whose loop an async test runs on, in order of preference.
_LOOP_FIXTURES = ("proactor_loop", "selector_loop", "uvloop_loop", "loop")
_ASYNC_FIXTURE_NEEDS_LOOP = (
    "Asynchronous fixtures must depend on the 'loop' fixture or be used in tests depending from it."
)


class AiohttpClient(Protocol):
    """The type of the ``aiohttp_client`` fixture (for annotating tests)."""

    @overload
    async def __call__(
        self,
        __param: Application,
        *,
        server_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> TestClient[Request, Application]: ...

    @overload
    async def __call__(
        self,
        __param: BaseTestServer[Any],
        *,
        server_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> TestClient[BaseRequest, None]: ...


class AiohttpServer(Protocol):
    """The type of the ``aiohttp_server`` fixture."""

    def __call__(
        self, app: Application, *, port: int | None = None, **kwargs: Any
    ) -> Awaitable[TestServer]: ...


class AiohttpRawServer(Protocol):
    """The type of the ``aiohttp_raw_server`` fixture."""

    def __call__(
        self, handler: Callable[..., Any], *, port: int | None = None, **kwargs: Any
    ) -> Awaitable[RawTestServer]: ...


# -- options and the loop -------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    """The 3.x command-line options."""
    parser.addoption(
        "--aiohttp-fast",
        action="store_true",
        default=False,
        help="run tests faster by disabling extra checks",
    )
    parser.addoption(
        "--aiohttp-loop",
        action="store",
        default="pyloop",
        help="run tests with specific loop: pyloop, uvloop or all",
    )
    parser.addoption(
        "--aiohttp-enable-loop-debug",
        action="store_true",
        default=False,
        help="enable event loop debug mode",
    )


def _available_loops() -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    loops: dict[str, Callable[[], asyncio.AbstractEventLoop]] = {"pyloop": asyncio.new_event_loop}
    if uvloop is not None:
        loops["uvloop"] = uvloop.new_event_loop
    return loops


def _chosen_loops(option: str) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    """The loop factories ``--aiohttp-loop`` names: ``all``, or a comma-separated list."""
    available = _available_loops()
    if option.strip() == "all":
        return available
    chosen = {}
    for name in (part.strip() for part in option.split(",")):
        if name not in available:
            raise ValueError(f"Unknown loop {name!r}, available loops: {list(available)}")
        chosen[name] = available[name]
    return chosen


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test that uses ``loop`` once per loop chosen by ``--aiohttp-loop``."""
    if "loop_factory" not in metafunc.fixturenames:
        return
    loops = _chosen_loops(metafunc.config.getoption("--aiohttp-loop"))
    metafunc.parametrize("loop_factory", list(loops.values()), ids=list(loops))


@pytest.fixture
def fast(request: pytest.FixtureRequest) -> bool:
    """Whether ``--aiohttp-fast`` was given (no garbage collection after each test)."""
    return bool(request.config.getoption("--aiohttp-fast"))


@pytest.fixture
def loop_debug(request: pytest.FixtureRequest) -> bool:
    """Whether ``--aiohttp-enable-loop-debug`` was given."""
    return bool(request.config.getoption("--aiohttp-enable-loop-debug"))


@pytest.fixture
def loop(
    loop_factory: Callable[[], asyncio.AbstractEventLoop], fast: bool, loop_debug: bool
) -> Iterator[asyncio.AbstractEventLoop]:
    """A fresh event loop, set as the current loop, closed after the test."""
    with loop_context(loop_factory, fast=fast) as new_loop:
        if loop_debug:
            new_loop.set_debug(True)
        asyncio.set_event_loop(new_loop)
        yield new_loop


@pytest.fixture
def proactor_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """A fresh ``ProactorEventLoop`` (Windows only: ``AttributeError`` elsewhere, as in 3.x)."""
    factory = getattr(asyncio, "ProactorEventLoop")  # noqa: B009 - absent off Windows
    with loop_context(factory) as new_loop:
        asyncio.set_event_loop(new_loop)
        yield new_loop


# -- running async tests and fixtures --------------------------------------------------------


@contextlib.contextmanager
def _fail_on_runtime_warnings() -> Iterator[None]:
    """Turn the RuntimeWarnings of a test (a coroutine never awaited) into its failure.

    Other warnings are passed on, so pytest's own warning capture still sees them.
    """
    with warnings.catch_warnings(record=True) as caught:
        yield
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    for w in caught:
        if w not in runtime:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    if runtime:
        lines = "\n".join(f"{w.filename}:{w.lineno}:{w.message}" for w in runtime)
        plural = "" if len(runtime) == 1 else "s"
        raise RuntimeError(f"{len(runtime)} Runtime Warning{plural},\n{lines}")


@contextlib.contextmanager
def _test_loop(
    existing: asyncio.AbstractEventLoop | None, fast: bool
) -> Iterator[asyncio.AbstractEventLoop]:
    if existing is not None:
        yield existing
        return
    with loop_context(fast=fast) as new_loop:
        yield new_loop


def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run an ``async def`` test on its loop fixture's loop (or a fresh one)."""
    if not inspect.iscoroutinefunction(pyfuncitem.function):
        return None
    warnings.warn(PLUGIN_DEPRECATION, DeprecationWarning, stacklevel=1)
    funcargs = pyfuncitem.funcargs
    existing = cast(
        "asyncio.AbstractEventLoop | None",
        next((funcargs[name] for name in _LOOP_FIXTURES if funcargs.get(name)), None),
    )
    fast_run = bool(pyfuncitem.config.getoption("--aiohttp-fast"))
    with _fail_on_runtime_warnings(), _test_loop(existing, fast_run) as test_loop:
        kwargs = {name: funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        test_loop.run_until_complete(pyfuncitem.obj(**kwargs))
    return True


def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any]) -> None:
    """Make ``async def`` fixtures (coroutines and async generators) run on ``loop``.

    The fixture function is replaced, once, by a synchronous one that runs it on the loop.
    Fixtures another plugin already turned synchronous (pytest-asyncio's) are left alone.
    """
    func = fixturedef.func
    runner: Callable[[asyncio.AbstractEventLoop, pytest.FixtureRequest, Any], Any]
    if inspect.isasyncgenfunction(func):
        runner = _run_async_generator_fixture
    elif inspect.iscoroutinefunction(func):
        runner = _run_coroutine_fixture
    else:
        return
    wants_request = "request" in fixturedef.argnames
    if not wants_request:
        fixturedef.argnames += ("request",)  # type: ignore[misc]

    def on_loop(*args: Any, **kwargs: Any) -> Any:
        request: pytest.FixtureRequest = (
            kwargs["request"] if wants_request else kwargs.pop("request")
        )
        if "loop" not in request.fixturenames:
            raise Exception(_ASYNC_FIXTURE_NEEDS_LOOP)  # the exception 3.x raises
        fixture_loop: asyncio.AbstractEventLoop = request.getfixturevalue("loop")
        return runner(fixture_loop, request, func(*args, **kwargs))

    fixturedef.func = on_loop  # type: ignore[misc]


def _run_coroutine_fixture(
    loop: asyncio.AbstractEventLoop, request: pytest.FixtureRequest, coro: Any
) -> Any:
    return loop.run_until_complete(coro)


def _run_async_generator_fixture(
    loop: asyncio.AbstractEventLoop, request: pytest.FixtureRequest, agen: Any
) -> Any:
    value = loop.run_until_complete(agen.__anext__())

    def finish() -> None:
        try:
            loop.run_until_complete(agen.__anext__())
        except StopAsyncIteration:
            return
        loop.run_until_complete(agen.aclose())
        pytest.fail(f"fixture {request.fixturename!r} yields more than once", pytrace=False)

    request.addfinalizer(finish)
    return value


# -- servers and clients ---------------------------------------------------------------------


def _close_all(loop: asyncio.AbstractEventLoop, items: list[Any]) -> None:
    async def close() -> None:
        while items:
            await items.pop().close()

    loop.run_until_complete(close())


@pytest.fixture
def aiohttp_unused_port() -> Callable[[], int]:
    """A function returning a free TCP port of 127.0.0.1."""
    return _unused_port


@pytest.fixture
def aiohttp_server(loop: asyncio.AbstractEventLoop) -> Iterator[AiohttpServer]:
    """Start a :class:`~aiohttp.test_utils.TestServer` for an application.

    ``await aiohttp_server(app, *, host="127.0.0.1", port=None, **kwargs)``; the keyword
    arguments go to the server's runner. Every server is closed after the test.
    """
    servers: list[TestServer] = []

    async def go(
        app: Application, *, host: str = "127.0.0.1", port: int | None = None, **kwargs: Any
    ) -> TestServer:
        server = TestServer(app, host=host, port=port)
        await server.start_server(loop=loop, **kwargs)
        servers.append(server)
        return server

    yield go
    _close_all(loop, servers)


@pytest.fixture
def aiohttp_raw_server(loop: asyncio.AbstractEventLoop) -> Iterator[AiohttpRawServer]:
    """Start a :class:`~aiohttp.test_utils.RawTestServer` for a low-level handler.

    ``await aiohttp_raw_server(handler, *, port=None, **kwargs)``.
    """
    servers: list[RawTestServer] = []

    async def go(
        handler: Callable[..., Any], *, port: int | None = None, **kwargs: Any
    ) -> RawTestServer:
        server = RawTestServer(handler, port=port)
        await server.start_server(loop=loop, **kwargs)
        servers.append(server)
        return server

    yield go
    _close_all(loop, servers)


@pytest.fixture
def aiohttp_client_cls() -> type[TestClient[Any, Any]]:
    """The client class ``aiohttp_client`` makes (override it to use a subclass)."""
    return TestClient


@pytest.fixture
def aiohttp_client(
    loop: asyncio.AbstractEventLoop, aiohttp_client_cls: type[TestClient[Any, Any]]
) -> Iterator[AiohttpClient]:
    """Make a started :class:`~aiohttp.test_utils.TestClient`.

    ``await aiohttp_client(app_or_server, *, server_kwargs=None, **client_kwargs)`` takes an
    :class:`~aiohttp.web.Application` (served by a new test server made with
    ``server_kwargs``) or a test server; a callable is called as ``factory(loop, *args)`` to
    make the application, as in aiohttp 2.x. Every client is closed after the test.
    """
    clients: list[TestClient[Any, Any]] = []

    async def go(
        __param: Application | BaseTestServer[Any] | Callable[..., Any],
        *args: Any,
        server_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> TestClient[Any, Any]:
        if callable(__param) and not isinstance(__param, (Application, BaseTestServer)):
            __param = __param(loop, *args)
            kwargs = {}
        elif args:
            raise AssertionError("args should be empty")  # as 3.x's fixture asserts
        if isinstance(__param, Application):
            server: BaseTestServer[Any] = TestServer(__param, loop=loop, **(server_kwargs or {}))
        elif isinstance(__param, BaseTestServer):
            server = __param
        else:
            raise ValueError(f"Unknown argument type: {type(__param)!r}")
        client = aiohttp_client_cls(server, loop=loop, **kwargs)
        await client.start_server()
        clients.append(client)
        return client

    yield go
    _close_all(loop, clients)


@pytest.fixture
def aiohttp_fault_server(
    loop: asyncio.AbstractEventLoop,
) -> Iterator[Callable[..., Awaitable[FaultServer]]]:
    """Start a :class:`~aiohttp.test_utils.FaultServer` (a responder, or ``upstream=``)."""
    servers: list[FaultServer] = []

    async def go(responder: Callable[..., Any] | None = None, **kwargs: Any) -> FaultServer:
        server = FaultServer(responder, **kwargs)
        await server.start()
        servers.append(server)
        return server

    yield go
    _close_all(loop, servers)


def _warn_deprecated(fixture: str) -> None:
    warnings.warn(f"Deprecated, use {fixture} fixture instead", DeprecationWarning, stacklevel=3)


@pytest.fixture
def unused_port(aiohttp_unused_port: Callable[[], int]) -> Callable[[], int]:
    """Deprecated alias of ``aiohttp_unused_port``."""
    _warn_deprecated("aiohttp_unused_port")
    return aiohttp_unused_port


@pytest.fixture
def test_server(aiohttp_server: AiohttpServer) -> AiohttpServer:
    """Deprecated alias of ``aiohttp_server``."""
    _warn_deprecated("aiohttp_server")
    return aiohttp_server


@pytest.fixture
def raw_test_server(aiohttp_raw_server: AiohttpRawServer) -> AiohttpRawServer:
    """Deprecated alias of ``aiohttp_raw_server``."""
    _warn_deprecated("aiohttp_raw_server")
    return aiohttp_raw_server


@pytest.fixture
def test_client(aiohttp_client: AiohttpClient) -> AiohttpClient:
    """Deprecated alias of ``aiohttp_client``."""
    _warn_deprecated("aiohttp_client")
    return aiohttp_client
