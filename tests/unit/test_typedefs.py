"""aiohttp.typedefs: the names 3.x programs annotate with."""

from __future__ import annotations

import typing

import multidict

from aiohttp import typedefs, web


def test_multidict_names_import_from_typedefs() -> None:
    assert typedefs.MultiDict is multidict.MultiDict
    assert typedefs.MultiDictProxy is multidict.MultiDictProxy


async def test_middleware_is_a_protocol_a_middleware_function_satisfies() -> None:
    assert typing.Protocol in typedefs.Middleware.__mro__

    async def passthrough(request: web.Request, handler: typedefs.Handler) -> web.StreamResponse:
        return await handler(request)

    middleware: typedefs.Middleware = passthrough
    app = web.Application(middlewares=[middleware])
    assert list(app.middlewares) == [passthrough]
