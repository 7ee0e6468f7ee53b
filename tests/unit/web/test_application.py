"""The application: state, freezing, signals, cleanup contexts, middleware chains, sub-apps."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from aiohttp import web
from aiohttp.web.application import CleanupError
from aiohttp.web.exceptions import HTTPNotFound, NotAppKeyWarning
from aiohttp.web.server.lowlevel import Server

from .fakes import FakeRequest


class AppRequest(FakeRequest):
    """A request the application can route and run middlewares on."""

    _match_info: Any = None

    @property
    def match_info(self) -> Any:
        return self._match_info

    @property
    def app(self) -> Any:
        return self._match_info.current_app


async def run(app: web.Application, method: str, path: str, **headers: str) -> Any:
    app.freeze()
    request = AppRequest(method, path, headers)
    return await app._handle(request)  # type: ignore[arg-type]


DB_KEY = web.AppKey("db", int)


def test_state_with_app_keys_and_typed_get() -> None:
    key = DB_KEY
    app = web.Application()
    app[key] = 3
    assert app[key] == 3
    assert app.get(key) == 3
    assert app.get(web.AppKey("other", int), 5) == 5
    assert list(app) == [key]
    assert len(app) == 1
    del app[key]
    assert key not in app
    assert "tests.unit.web.test_application.db" in repr(key)
    assert "type=int" in repr(key)


def test_plain_str_key_warns_with_its_own_class() -> None:
    app = web.Application()
    docs = r"AppKey.*\n.*web_advanced\.html#application-s-config"
    with pytest.warns(NotAppKeyWarning, match=docs):
        app["name"] = "value"
    assert app["name"] == "value"


def test_frozen_application_refuses_changes_but_state_only_warns() -> None:
    key = web.AppKey("k", str)
    app = web.Application()
    app.freeze()
    assert app.frozen
    with pytest.warns(DeprecationWarning, match="Changing state of started"):
        app[key] = "x"
    assert app[key] == "x"
    with pytest.raises(RuntimeError):
        app.router.add_get("/", handler_ok)
    with pytest.raises(RuntimeError):
        app.on_startup.append(on_anything)
    with pytest.raises(RuntimeError):
        app.middlewares.append(mw_tag("x"))


def test_deprecated_spellings_warn() -> None:
    with pytest.warns(DeprecationWarning, match="loop argument is deprecated"):
        app = web.Application(loop=asyncio.new_event_loop())
    app._loop.close()  # type: ignore[union-attr]
    with pytest.warns(DeprecationWarning, match="debug argument"):
        web.Application(debug=True)
    with pytest.warns(DeprecationWarning, match="Inheritance"):

        class MyApp(web.Application):
            pass


async def test_make_handler_is_deprecated_and_returns_a_server() -> None:
    app = web.Application()
    with pytest.warns(DeprecationWarning, match="make_handler"):
        server = app.make_handler()
    assert isinstance(server, Server)
    assert app.frozen


async def test_make_handler_refuses_bad_logger_class() -> None:
    with pytest.raises(TypeError, match="access_log_class"):
        web.Application()._make_handler(access_log_class=object)  # type: ignore[arg-type]


async def handler_ok(request: Any) -> web.Response:
    return web.Response(text="ok")


async def on_anything(app: web.Application) -> None:
    pass


def mw_tag(tag: str, log: list[str] | None = None) -> Any:
    @web.middleware
    async def mw(request: Any, handler: Any) -> Any:
        if log is not None:
            log.append(f"{tag}>")
        response = await handler(request)
        if log is not None:
            log.append(f"<{tag}")
        return response

    return mw


async def test_handle_runs_middlewares_in_order() -> None:
    log: list[str] = []
    app = web.Application(middlewares=[mw_tag("a", log), mw_tag("b", log)])
    app.router.add_get("/", handler_ok)
    response = await run(app, "GET", "/")
    assert response.text == "ok"
    assert log == ["a>", "b>", "<b", "<a"]


async def test_middleware_can_short_circuit() -> None:
    @web.middleware
    async def deny(request: Any, handler: Any) -> Any:
        return web.Response(status=401)

    log: list[str] = []
    app = web.Application(middlewares=[deny, mw_tag("inner", log)])
    app.router.add_get("/", handler_ok)
    assert (await run(app, "GET", "/")).status == 401
    assert log == []


async def test_routing_failure_raises_through_middlewares() -> None:
    log: list[str] = []
    app = web.Application(middlewares=[mw_tag("a", log)])
    with pytest.raises(HTTPNotFound):
        await run(app, "GET", "/missing")
    assert log == ["a>"]


async def test_old_style_middleware_works_and_warns() -> None:
    async def factory(app: web.Application, handler: Any) -> Any:
        async def wrapped(request: Any) -> Any:
            response = await handler(request)
            response.headers["X-Old"] = "1"
            return response

        return wrapped

    app = web.Application(middlewares=[factory, mw_tag("new")])
    app.router.add_get("/", handler_ok)
    with pytest.warns(DeprecationWarning, match=r'^old-style middleware "<function .*" deprecated'):
        app.freeze()
    assert (await run(app, "GET", "/")).headers["X-Old"] == "1"


async def test_old_style_middleware_in_a_subapp_only() -> None:
    async def factory(app: web.Application, handler: Any) -> Any:
        async def wrapped(request: Any) -> Any:
            response = await handler(request)
            response.headers["X-Sub"] = "old"
            return response

        return wrapped

    sub = web.Application(middlewares=[factory])
    sub.router.add_get("/x", handler_ok)
    root = web.Application()
    with pytest.warns(DeprecationWarning, match="old-style middleware"):
        root.add_subapp("/sub", sub)
    response = await run(root, "GET", "/sub/x")
    assert response.headers["X-Sub"] == "old"


async def test_subapp_middlewares_and_current_app() -> None:
    seen: list[Any] = []

    @web.middleware
    async def record(request: Any, handler: Any) -> Any:
        seen.append(request.app)
        return await handler(request)

    async def inner_handler(request: Any) -> web.Response:
        seen.append(request.app)
        return web.Response(text=request.match_info["x"])

    sub = web.Application(middlewares=[record])
    sub.router.add_get("/v/{x}", inner_handler)
    root = web.Application(middlewares=[record])
    root.add_subapp("/sub", sub)
    response = await run(root, "GET", "/sub/v/7")
    assert response.text == "7"
    assert seen == [root, sub, sub]
    assert sub.frozen
    with pytest.raises(RuntimeError, match="frozen"):
        root.add_subapp("/other", web.Application())


def test_subapp_argument_checks() -> None:
    root = web.Application()
    with pytest.raises(TypeError):
        root.add_subapp(1, web.Application())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="empty"):
        root.add_subapp("/", web.Application())
    sub = web.Application()
    sub.freeze()
    with pytest.raises(RuntimeError, match="frozen application"):
        root.add_subapp("/s", sub)
    with pytest.raises(TypeError):
        root.add_domain(1, web.Application())  # type: ignore[arg-type]
    for bad in ("", "http://x.org", "-bad-.org"):
        with pytest.raises(ValueError):
            root.add_domain(bad, web.Application())


async def test_domain_subapp_is_chosen_by_host() -> None:
    async def api(request: Any) -> web.Response:
        return web.Response(text="api")

    sub = web.Application()
    sub.router.add_get("/", api)
    root = web.Application()
    root.add_domain("example.com:8080", sub)
    root.router.add_get("/", handler_ok)
    assert (await run(root, "GET", "/", Host="example.com:8080")).text == "api"
    assert (await run(root, "GET", "/", Host="example.com")).text == "ok"


@pytest.mark.parametrize(
    ("rule", "host", "chosen"),
    [
        ("example.com", "example.com:80", True),  # a rule without a port takes any port
        ("example.com", "EXAMPLE.COM:8080", True),
        ("example.com:8080", "example.com:9090", False),
        ("*.example.com", "a.example.com:8080", True),
        ("*.example.com", "a.example.com:81:9", True),
        ("*.example.com", "a:b.example.com", False),  # a wildcard stays within the host name
        ("*.example.com:8080", "a.example.com:9090", False),
        ("*.example.com:8080", "a.example.com:8080", True),
    ],
)
async def test_domain_rule_compares_the_port_only_when_it_names_one(
    rule: str, host: str, chosen: bool
) -> None:
    async def api(request: Any) -> web.Response:
        return web.Response(text="api")

    sub = web.Application()
    sub.router.add_get("/", api)
    root = web.Application()
    root.add_domain(rule, sub)
    root.router.add_get("/", handler_ok)
    assert (await run(root, "GET", "/", Host=host)).text == ("api" if chosen else "ok")


async def test_startup_shutdown_cleanup_and_cleanup_ctx_order() -> None:
    events: list[str] = []

    def ctx(tag: str) -> Any:
        async def gen(app: web.Application) -> AsyncIterator[None]:
            events.append(f"up-{tag}")
            yield
            events.append(f"down-{tag}")

        return gen

    async def signal(tag: str, app: web.Application) -> None:
        events.append(tag)

    sub = web.Application()
    sub.on_startup.append(lambda app: signal("sub-startup", app))
    sub.cleanup_ctx.append(ctx("sub"))
    app = web.Application()
    app.cleanup_ctx.extend([ctx("a"), ctx("b")])
    app.on_startup.append(lambda app: signal("startup", app))
    app.on_shutdown.append(lambda app: signal("shutdown", app))
    app.on_cleanup.append(lambda app: signal("cleanup", app))
    app.add_subapp("/sub", sub)
    app.freeze()
    await app.startup()
    await app.shutdown()
    await app.cleanup()
    assert events == [
        "up-a",
        "up-b",
        "startup",
        "up-sub",
        "sub-startup",
        "shutdown",
        "down-b",
        "down-a",
        "cleanup",
        "down-sub",
    ]


async def test_cleanup_ctx_errors_are_collected() -> None:
    def failing(message: str) -> Any:
        async def gen(app: web.Application) -> AsyncIterator[None]:
            yield
            raise ValueError(message)

        return gen

    async def two_yields(app: web.Application) -> AsyncIterator[None]:
        yield
        yield

    app = web.Application()
    app.cleanup_ctx.extend([failing("one"), failing("two"), two_yields])
    app.freeze()
    await app.startup()
    with pytest.raises(CleanupError) as caught:
        await app.cleanup()
    messages = [str(e) for e in caught.value.exceptions]
    assert messages[1:] == ["two", "one"]
    assert messages[0] == "generator didn't stop"  # 3.x's (contextlib's) words


async def test_cleanup_before_startup_finishes_started_contexts_only() -> None:
    app = web.Application()
    await app.cleanup()  # nothing started: nothing to do, no error


async def test_expect_handler_can_answer_instead_of_the_handler() -> None:
    async def expect(request: Any) -> web.Response:
        return web.Response(status=417, text="no")

    class Writer:
        async def drain(self) -> None:
            return None

    app = web.Application()
    app.router.add_route("POST", "/", handler_ok, expect_handler=expect)
    app.freeze()
    request = AppRequest("POST", "/", {"Expect": "100-continue"})
    request.writer = Writer()  # type: ignore[attr-defined]
    response = await app._handle(request)  # type: ignore[arg-type]
    assert response.status == 417


async def test_middleware_chain_is_cached_per_handler() -> None:
    from aiohttp.web.application import _build_chain

    app = web.Application(middlewares=[mw_tag("a")])
    app.router.add_get("/", handler_ok)
    app.freeze()
    before = _build_chain.cache_info().hits
    await run(app, "GET", "/")
    await run(app, "GET", "/")
    assert _build_chain.cache_info().hits > before


@pytest.mark.parametrize(
    ("options", "shown"), [([], False), (["-W", "default"], True), (["-X", "dev"], True)]
)
def test_not_app_key_warning_is_quiet_unless_asked_for(options: list[str], shown: bool) -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    code = "from aiohttp import web\napp = web.Application()\napp['plain'] = 1\n"
    result = subprocess.run(
        [sys.executable, *options, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=root,
        check=True,
    )
    assert ("NotAppKeyWarning" in result.stderr) is shown


def test_state_keys_sort_typed_keys_first() -> None:
    # As in 3.x, keys of mixed kinds sort: AppKeys by name, then str keys.
    b, c = web.AppKey("b", str), web.AppKey("c", str)
    assert sorted(["d", c, "a", b]) == [b, c, "a", "d"]
    first, second = "a", b  # a str on the left: Python reflects the comparison to the key
    assert first > second
    assert not first < second


@pytest.mark.parametrize("kind", [web.AppKey, web.RequestKey, web.ResponseKey])
def test_key_names_the_module_whose_top_level_code_made_it(kind: type) -> None:
    """As in 3.x: the module running at top level when the key was made, also through
    ``Key[T](...)`` or a helper function of another module."""
    helpers: dict[str, Any] = {"__name__": "helpers_module", "kind": kind}
    exec("def make(name):\n    return kind(name, int)\n", helpers)
    module: dict[str, Any] = {"__name__": "app_module", "kind": kind, "make": helpers["make"]}
    exec(
        "plain = kind('plain', int)\nannotated = kind[int]('annotated')\nmade = make('made')\n",
        module,
    )
    assert module["plain"].name == "app_module.plain"
    assert module["annotated"].name == "app_module.annotated"
    assert module["made"].name == "app_module.made"
    assert repr(module["annotated"]) == f"<{kind.__name__}(app_module.annotated, type=int)>"
