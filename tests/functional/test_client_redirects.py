"""Redirects (RFC 9110 §15.4) against scripted loopback servers."""

from __future__ import annotations

import asyncio
import io
import json

import pytest

import aiohttp
from aiohttp.client import (
    BasicAuth,
    ClientSession,
    NonHttpUrlRedirectClientError,
    TooManyRedirects,
)
from aiohttp.testing.faults import FaultServer, ReceivedRequest


def answer(status: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    fields = {"Content-Length": str(len(body)), **headers}
    head = "".join(f"{k}: {v}\r\n" for k, v in fields.items())
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


def describe(req: ReceivedRequest) -> bytes:
    info = {
        "method": req.head.method,
        "target": req.head.target,
        "body": req.body.decode(),
        "authorization": req.head.headers.get("Authorization"),
        "cookie": req.head.headers.get("Cookie"),
    }
    return answer("200 OK", {"Content-Type": "application/json"}, json.dumps(info).encode())


def redirecting(status: str, location: str):
    def respond(req: ReceivedRequest) -> bytes:
        if req.head.target.startswith("/start"):
            body = b"" if req.head.method == "HEAD" else b"moved"
            return answer(status, {"Location": location}, body)
        return describe(req)

    return respond


@pytest.fixture
async def session(loop):
    async with ClientSession() as s:
        yield s


@pytest.mark.parametrize(
    ("status", "method", "expected_method", "body_kept"),
    [
        pytest.param("301 Moved Permanently", "POST", "GET", False, id="RFC9110-15.4.2-301-post"),
        pytest.param("302 Found", "POST", "GET", False, id="RFC9110-15.4.3-302-post"),
        pytest.param("303 See Other", "PUT", "GET", False, id="RFC9110-15.4.4-303-put"),
        pytest.param("303 See Other", "HEAD", "HEAD", False, id="RFC9110-15.4.4-303-head"),
        pytest.param("307 Temporary Redirect", "POST", "POST", True, id="RFC9110-15.4.8-307-keeps"),
        pytest.param("308 Permanent Redirect", "PUT", "PUT", True, id="RFC9110-15.4.9-308-keeps"),
    ],
)
async def test_method_and_body_after_redirect(
    session, status, method, expected_method, body_kept
) -> None:
    async with FaultServer(redirecting(status, "/landing")) as srv:
        async with session.request(method, srv.make_url("/start"), data=b"payload") as resp:
            assert resp.status == 200
            assert [r.status for r in resp.history] == [int(status[:3])]
            assert resp.url.path == "/landing"
            seen = srv.requests[-1]
        assert seen.head.method == expected_method
        assert (seen.body == b"payload") is body_kept


async def test_relative_location_is_resolved_against_response_url(session) -> None:
    async with (
        FaultServer(redirecting("302 Found", "../landing?x=1")) as srv,
        session.get(srv.make_url("/start/deep")) as resp,
    ):
        assert (await resp.json())["target"] == "/landing?x=1"


async def test_redirect_loop_ends_in_too_many_redirects(session) -> None:
    loop = answer("302 Found", {"Location": "/again"})
    async with FaultServer(lambda req: loop) as srv:
        with pytest.raises(TooManyRedirects) as info:
            await session.get(srv.make_url("/"), max_redirects=5)
        assert len(info.value.history) == 5
        assert len(srv.requests) == 5


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://example.com/x", "data:,x"])
async def test_redirect_to_non_http_scheme_is_refused(session, location) -> None:
    async with FaultServer(lambda req: answer("302 Found", {"Location": location})) as srv:
        with pytest.raises(NonHttpUrlRedirectClientError):
            await session.get(srv.make_url("/"))


async def test_allow_redirects_false_returns_the_redirect(session) -> None:
    async with (
        FaultServer(redirecting("302 Found", "/landing")) as srv,
        session.get(srv.make_url("/start"), allow_redirects=False) as resp,
    ):
        assert resp.status == 302
        assert resp.headers["Location"] == "/landing"
        assert resp.history == ()


def deprecated_basic_auth(login: str, password: str) -> BasicAuth:
    with pytest.warns(DeprecationWarning, match="BasicAuth is deprecated"):
        return BasicAuth(login, password)


AUTH_DEPRECATED = "The 'auth' parameter is deprecated"


async def test_credentials_dropped_when_origin_changes(session) -> None:
    async with FaultServer(describe) as other:
        target = other.make_url("/landing")
        async with FaultServer(redirecting("302 Found", target)) as first:
            with pytest.warns(DeprecationWarning, match=AUTH_DEPRECATED):
                async with session.get(
                    first.make_url("/start"),
                    auth=deprecated_basic_auth("user", "secret"),
                    cookies={"sid": "abc"},
                ) as resp:
                    data = await resp.json()
            assert first.requests[0].head.headers["Authorization"].startswith("Basic ")
            assert first.requests[0].head.headers["Cookie"] == "sid=abc"
    assert data["authorization"] is None
    assert data["cookie"] is None


async def test_credentials_kept_on_same_origin(session) -> None:
    auth = deprecated_basic_auth("u", "p")
    with pytest.warns(DeprecationWarning, match=AUTH_DEPRECATED):
        async with (
            FaultServer(redirecting("302 Found", "/landing")) as srv,
            session.get(srv.make_url("/start"), auth=auth) as resp,
        ):
            data = await resp.json()
    assert data["authorization"] == aiohttp.encode_basic_auth("u", "p", "latin1")


@pytest.mark.parametrize(
    ("status", "method"),
    [
        ("307 Temporary Redirect", "POST"),
        ("308 Permanent Redirect", "POST"),
        ("301 Moved Permanently", "PUT"),
        ("302 Found", "PUT"),
    ],
)
async def test_redirect_that_keeps_a_one_shot_body_raises(session, status, method) -> None:
    # The redirect asks for the body again (RFC 9110 §15.4), a generator cannot give it:
    # 3.x's ClientPayloadError, and nothing is sent to the new location.
    async def gen():
        yield b"once"

    async with FaultServer(redirecting(status, "/landing")) as srv:
        with pytest.raises(aiohttp.ClientPayloadError) as info:
            await session.request(method, srv.make_url("/start"), data=gen())
        assert str(info.value) == "Cannot follow redirect with a consumed request body"
        assert len(srv.requests) == 1


@pytest.mark.parametrize("status", ["307 Temporary Redirect", "308 Permanent Redirect"])
@pytest.mark.parametrize("kind", ["file", "bytesio", "formdata"])
async def test_307_308_send_a_file_or_form_body_again_in_full(
    session, tmp_path, status: str, kind: str
) -> None:
    # RFC 9110 §15.4.8/§15.4.9: the redirected request repeats the body, all of it.
    content = b"This is test file content for upload."
    path = tmp_path / "upload.txt"
    path.write_bytes(content)
    form = aiohttp.FormData()
    form.add_field("upload", io.BytesIO(content), filename="upload.txt")  # multipart
    file = await asyncio.to_thread(path.open, "rb")
    try:
        data = {"file": file, "bytesio": io.BytesIO(content), "formdata": form}[kind]
        async with FaultServer(redirecting(status, "/landing")) as srv:
            async with session.post(srv.make_url("/start"), data=data) as resp:
                assert resp.status == 200
            first, second = srv.requests
    finally:
        file.close()
    assert second.body == first.body
    assert content in second.body
    assert second.head.headers["Content-Length"] == str(len(first.body))


async def test_tracing_reports_the_end_of_a_redirect_chain_at_its_final_url(session) -> None:
    # 3.x: on_request_start names the URL asked for, on_request_redirect the redirected one,
    # on_request_end the URL that gave the final response (with that request's method).
    seen: dict[str, list[tuple[str, str]]] = {"start": [], "redirect": [], "end": []}
    config = aiohttp.TraceConfig()

    def record(kind: str):
        async def on(session: object, ctx: object, params: object) -> None:
            seen[kind].append((params.method, params.url.path_qs))  # type: ignore[attr-defined]

        return on

    config.on_request_start.append(record("start"))
    config.on_request_redirect.append(record("redirect"))
    config.on_request_end.append(record("end"))
    async with (
        FaultServer(redirecting("303 See Other", "/landing?y=1")) as srv,
        ClientSession(trace_configs=[config]) as traced,
        traced.post(srv.make_url("/start?x=0"), data=b"x") as resp,
    ):
        assert resp.status == 200
    assert seen == {
        "start": [("POST", "/start?x=0")],
        "redirect": [("POST", "/start?x=0")],
        "end": [("GET", "/landing?y=1")],
    }
