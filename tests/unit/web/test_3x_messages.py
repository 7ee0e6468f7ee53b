"""Warning texts and misuse errors of the server API, worded and typed as aiohttp 3.x has them.

Programs (and their test suites) match these with ``pytest.warns(match=...)`` and
``pytest.raises(...)``, so the words and the exception types are part of the drop-in API.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from aiohttp import web
from aiohttp.test_utils import make_mocked_request


def exactly(text: str) -> str:
    return "^" + re.escape(text) + "$"


async def test_drain_warns_in_3x_words_once_started() -> None:
    resp = web.StreamResponse()
    await resp.prepare(make_mocked_request("GET", "/"))
    with pytest.warns(
        DeprecationWarning, match=exactly("drain method is deprecated, use await resp.write()")
    ):
        await resp.drain()


async def test_drain_before_prepare_is_a_misuse_before_any_warning() -> None:
    with pytest.raises(AssertionError, match="Response has not been started"):
        await web.StreamResponse().drain()


def test_chunk_size_and_boolean_force_warn_in_3x_words() -> None:
    resp = web.StreamResponse()
    with pytest.warns(DeprecationWarning, match=exactly("Chunk size is deprecated #1615")):
        resp.enable_chunked_encoding(chunk_size=10)
    with pytest.warns(
        DeprecationWarning, match=exactly("Using boolean for force is deprecated #3318")
    ):
        resp.enable_compression(True)


def test_application_arguments_warn_in_3x_words() -> None:
    with pytest.warns(DeprecationWarning, match=exactly("debug argument is deprecated")):
        web.Application(debug=True)


async def test_returning_an_http_exception_warns_in_3x_words(aiohttp_client: Any) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        return web.HTTPNoContent()

    app = web.Application()
    app.router.add_get("/", handler)
    client = await aiohttp_client(app)
    words = (
        "returning HTTPException object is deprecated (#2415) and will be removed, "
        "please raise the exception instead"
    )
    with pytest.warns(DeprecationWarning, match=exactly(words)):
        resp = await client.get("/")
    assert resp.status == 204


@pytest.mark.parametrize(
    ("mapping", "url"),
    [(web.Request, "#request-s-storage"), (web.StreamResponse, "#response-s-storage")],
)
def test_plain_string_keys_warn_with_the_docs_link(mapping: type, url: str) -> None:
    kind = "RequestKey" if mapping is web.Request else "ResponseKey"
    holder = make_mocked_request("GET", "/") if mapping is web.Request else web.Response()
    words = (
        f"It is recommended to use web.{kind} instances for keys.\n"
        f"https://docs.aiohttp.org/en/stable/web_advanced.html{url}"
    )
    with pytest.warns(web.NotAppKeyWarning, match=exactly(words)):
        holder[f"test_plain_string_keys_warn_{kind}"] = 1


async def test_misuse_after_or_before_prepare_raises_assertion_error_as_3x() -> None:
    resp = web.StreamResponse()
    with pytest.raises(AssertionError, match="Response has not been started"):
        await resp.write_eof()
    await resp.prepare(make_mocked_request("GET", "/"))
    with pytest.raises(AssertionError, match="after the headers have been sent"):
        resp.set_status(400)
    with pytest.raises(AssertionError, match=r"data argument must be byte-ish \(<class 'int'>\)"):
        await resp.write(123)  # type: ignore[arg-type]
    assert resp.status == 200


def test_assigning_bytes_to_text_raises_assertion_error_and_keeps_the_body() -> None:
    resp = web.Response(text="test")
    with pytest.raises(AssertionError, match="text argument must be str"):
        resp.text = b"123"  # type: ignore[assignment]
    assert resp.body == b"test"
    with pytest.raises(TypeError):
        web.Response(text=b"data")  # type: ignore[arg-type]


def test_charset_without_a_content_type_is_refused_in_3x_words() -> None:
    words = (
        "Setting charset for application/octet-stream doesn't make sense, setup content_type first"
    )
    with pytest.raises(RuntimeError, match=exactly(words)):
        web.StreamResponse().charset = "utf-8"


def test_run_app_of_something_not_an_application_says_so_as_3x() -> None:
    with pytest.raises(
        TypeError, match=exactly("The first argument should be web.Application instance, got 1")
    ):
        web.run_app(1, print=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "sent"),
    [
        ("text/html", "text/html; charset=utf-8"),  # as 3.x: the text's charset is named
        ("text/html; charset=latin-1", "text/html; charset=latin-1"),
        ("application/octet-stream", "text/plain; charset=utf-8"),
    ],
)
def test_text_with_a_content_type_field_gets_its_charset(field: str, sent: str) -> None:
    resp = web.Response(text="é", headers={"Content-Type": field})
    assert resp.headers["Content-Type"] == sent
    assert resp.body == "é".encode(resp.charset or "utf-8")


def test_the_access_logger_is_importable_from_aiohttp_web_as_in_3x() -> None:
    import logging

    from aiohttp.web import access_logger

    assert access_logger is logging.getLogger("aiohttp.access")
    assert "access_logger" not in web.__all__
