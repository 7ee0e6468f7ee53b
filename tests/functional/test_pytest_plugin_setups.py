"""The three ways of testing an aiohttp application, each run as a user would, in a subprocess.

1. ``aiohttp.pytest_plugin`` alone, with nothing beyond pytest (pytest-asyncio not importable);
2. the plugin beside pytest-asyncio in strict mode (and every other installed plugin);
3. the pytest-aiohttp package instead of the plugin (pytest-asyncio in auto mode).

The same user module runs in all three; the setups with the plugin add a module that uses the
``loop`` fixture and run with ``--aiohttp-loop=all``, so each loop test runs on asyncio's loop
and on uvloop.
"""

from __future__ import annotations

from pathlib import Path

import pytest

COMMON = """
import asyncio

import pytest

import aiohttp
from aiohttp import web


async def hello(request):
    return web.Response(text="Hello, " + request.match_info.get("name", "world"))


@pytest.fixture
async def app():
    application = web.Application()
    application.router.add_get("/", hello)
    application.router.add_get("/{name}", hello)
    yield application


async def test_client_fixture(aiohttp_client, app):
    client = await aiohttp_client(app)
    resp = await client.get("/you")
    assert resp.status == 200
    assert await resp.text() == "Hello, you"


async def test_server_fixture(aiohttp_server, app):
    server = await aiohttp_server(app)
    async with aiohttp.ClientSession() as session:
        async with session.get(server.make_url("/")) as resp:
            assert await resp.text() == "Hello, world"


async def test_raw_server_fixture(aiohttp_raw_server, aiohttp_client):
    async def handler(request):
        return web.Response(text=request.method + " " + request.path)

    server = await aiohttp_raw_server(handler)
    client = await aiohttp_client(server)
    resp = await client.post("/raw")
    assert await resp.text() == "POST /raw"
"""

WITH_LOOP = """
import asyncio

import pytest

from aiohttp import web


@pytest.fixture
async def counter(loop):
    state = {"loop": asyncio.get_running_loop(), "count": 0}
    yield state
    assert state["count"] == 1


async def test_async_test_runs_on_the_loop_fixture(loop, counter):
    assert asyncio.get_running_loop() is loop
    assert counter["loop"] is loop
    counter["count"] += 1


def test_sync_test_drives_the_loop(loop, aiohttp_client):
    app = web.Application()
    client = loop.run_until_complete(aiohttp_client(app))
    resp = loop.run_until_complete(client.get("/missing"))
    assert resp.status == 404
    assert asyncio.get_event_loop() is loop
    assert not loop.is_running()


def test_loop_matches_its_id(loop, request):
    kind = request.node.callspec.id
    assert kind in ("pyloop", "uvloop")
    assert type(loop).__module__.startswith("uvloop") == (kind == "uvloop")


async def test_without_loop_gets_a_loop_of_its_own():
    await asyncio.sleep(0)


def test_options_are_off_by_default(fast, loop_debug):
    assert fast is False
    assert loop_debug is False
"""

CONFTEST = 'pytest_plugins = ["aiohttp.pytest_plugin"]\n'

STRICT_EXTRA = """
import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def asyncio_value():
    await asyncio.sleep(0)
    return 42


@pytest.mark.asyncio
async def test_pytest_asyncio_still_runs_its_own_tests(asyncio_value):
    assert asyncio_value == 42
"""

NO_PYTEST_ASYNCIO = """
import pytest


def test_pytest_asyncio_is_not_importable():
    with pytest.raises(ImportError):
        import pytest_asyncio  # noqa: F401
"""

DEPRECATION = "aiohttp.pytest_plugin will be removed in v4"


def _write_user_project(pytester: pytest.Pytester, ini: str, *, plugin: bool) -> None:
    pytester.makeini(f"[pytest]\n{ini}")
    pytester.makepyfile(test_common=COMMON)
    if plugin:
        pytester.makeconftest(CONFTEST)
        pytester.makepyfile(test_with_loop=WITH_LOOP)


@pytest.mark.timeout(180)
def test_plugin_alone_without_pytest_asyncio(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "pytest_asyncio.py").write_text(
        "raise ImportError(\"No module named 'pytest_asyncio'\")\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(blocker))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    _write_user_project(pytester, "", plugin=True)
    pytester.makepyfile(test_env=NO_PYTEST_ASYNCIO)

    result = pytester.runpytest_subprocess("--aiohttp-loop=all", "-v", timeout=150)

    # Every test that uses a loop runs once per loop: 3 common + 3 loop tests, twice each,
    # plus the loop-less async test, the options check and the environment check.
    result.assert_outcomes(passed=15)
    result.stdout.fnmatch_lines(["*test_client_fixture?uvloop? PASSED*"])
    assert "asyncio-" not in result.stdout.str()  # pytest-asyncio was not loaded
    assert DEPRECATION in result.stdout.str()  # the warning 3.x gives for each async test


@pytest.mark.timeout(180)
def test_plugin_beside_pytest_asyncio_in_strict_mode(pytester: pytest.Pytester) -> None:
    _write_user_project(
        pytester,
        "asyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n",
        plugin=True,
    )
    pytester.makepyfile(test_strict_extra=STRICT_EXTRA)

    result = pytester.runpytest_subprocess("--aiohttp-loop=all", "-v", timeout=150)

    result.assert_outcomes(passed=15)
    result.stdout.fnmatch_lines(
        [
            "plugins:*asyncio-*",
            "*test_pytest_asyncio_still_runs_its_own_tests PASSED*",
            "*test_sync_test_drives_the_loop?uvloop? PASSED*",
        ]
    )


@pytest.mark.timeout(180)
def test_the_pytest_aiohttp_package(pytester: pytest.Pytester) -> None:
    _write_user_project(
        pytester,
        "asyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n",
        plugin=False,
    )

    result = pytester.runpytest_subprocess("-v", "-W", "error", timeout=150)

    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["plugins:*aiohttp-1.*"])


MISUSE = """
import asyncio

import pytest


async def forgotten():
    pass


async def test_a_coroutine_never_awaited_fails_the_test(loop):
    forgotten()


@pytest.fixture
async def loopless():
    return 1


def test_an_async_fixture_needs_the_loop(loopless):
    pass


@pytest.fixture
async def yields_twice(loop):
    yield 1
    yield 2


def test_an_async_generator_fixture_yields_once(yields_twice):
    pass


def test_options_reach_their_fixtures(loop, fast, loop_debug):
    assert fast is True
    assert loop_debug is True
    assert loop.get_debug()
"""


@pytest.mark.timeout(180)
def test_the_plugin_reports_misuse_as_3x_does(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_misuse=MISUSE)

    result = pytester.runpytest_subprocess(
        "--aiohttp-fast", "--aiohttp-enable-loop-debug", timeout=150
    )

    result.assert_outcomes(passed=2, failed=1, errors=2)
    result.stdout.fnmatch_lines_random(
        [
            "*RuntimeError: 1 Runtime Warning,*",
            "*coroutine 'forgotten' was never awaited*",
            "*Asynchronous fixtures must depend on the 'loop' fixture*",
            "*fixture 'yields_twice' yields more than once*",
        ]
    )


@pytest.mark.timeout(180)
def test_an_unknown_loop_name_is_an_error(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_one="def test_one(loop):\n    pass\n")

    result = pytester.runpytest_subprocess("--aiohttp-loop=tokio", timeout=150)

    assert result.ret != 0
    result.stdout.fnmatch_lines(["*ValueError: Unknown loop 'tokio', available loops: *"])
