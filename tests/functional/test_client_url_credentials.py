"""Credentials in a URL's userinfo (RFC 3986 §3.2.1) and how they meet ``auth=`` and an
``Authorization`` field the caller set (aiohttp 3.x's rules)."""

from __future__ import annotations

import json

import pytest

import aiohttp
from aiohttp.client import BasicAuth, ClientSession
from aiohttp.testing.faults import FaultServer, ReceivedRequest

AUTH_DEPRECATED = "The 'auth' parameter is deprecated"
URL_CONFLICT = "^Cannot combine AUTH argument with credentials encoded in URL$"
HEADER_CONFLICT = (
    "^Cannot combine AUTHORIZATION header with AUTH argument or credentials encoded in URL$"
)


def answer(status: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    fields = {"Content-Length": str(len(body)), **headers}
    head = "".join(f"{k}: {v}\r\n" for k, v in fields.items())
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


def echo_authorization(req: ReceivedRequest) -> bytes:
    if req.head.target == "/start":
        return answer("302 Found", {"Location": req.head.headers["X-Next"]})
    body = json.dumps({"authorization": req.head.headers.get("Authorization")}).encode()
    return answer("200 OK", {"Content-Type": "application/json"}, body)


def basic(login: str, password: str) -> BasicAuth:
    with pytest.warns(DeprecationWarning, match="BasicAuth is deprecated"):
        return BasicAuth(login, password)


def with_userinfo(url: str, userinfo: str) -> str:
    return url.replace("http://", f"http://{userinfo}@", 1)


async def test_userinfo_is_sent_as_basic_and_left_out_of_the_response_url() -> None:
    async with FaultServer(echo_authorization) as srv, ClientSession() as session:
        url = with_userinfo(srv.make_url("/x"), "user:secret")
        async with session.get(url) as resp:
            data = await resp.json()
    assert data["authorization"] == aiohttp.encode_basic_auth("user", "secret")
    for shown in (resp.url, resp.real_url, resp.request_info.url, resp.request_info.real_url):
        assert shown.user is None
        assert shown.password is None
    assert "secret" not in repr(resp)


async def test_userinfo_and_auth_argument_together_are_refused() -> None:
    auth = basic("other", "pass")
    async with FaultServer(echo_authorization) as srv, ClientSession() as session:
        with (
            pytest.warns(DeprecationWarning, match=AUTH_DEPRECATED),
            pytest.raises(ValueError, match=URL_CONFLICT),
        ):
            await session.get(with_userinfo(srv.make_url("/x"), "user:secret"), auth=auth)
        assert srv.requests == []


@pytest.mark.parametrize("where", ["request", "session"])
async def test_authorization_field_and_userinfo_together_are_refused(where: str) -> None:
    field = {"Authorization": "Bearer t"}
    kwargs = {"headers": field} if where == "session" else {}
    async with FaultServer(echo_authorization) as srv, ClientSession(**kwargs) as session:
        url = with_userinfo(srv.make_url("/x"), "user:secret")
        with pytest.raises(ValueError, match=HEADER_CONFLICT):
            await session.get(url, headers=None if where == "session" else field)
        assert srv.requests == []


async def test_authorization_field_and_session_auth_together_are_refused() -> None:
    auth = basic("user", "pass")
    async with FaultServer(echo_authorization) as srv:
        with pytest.warns(DeprecationWarning, match=AUTH_DEPRECATED):
            session = ClientSession(auth=auth)
        async with session:
            with pytest.raises(ValueError, match=HEADER_CONFLICT):
                await session.get(srv.make_url("/x"), headers={"authorization": "Bearer t"})
        assert srv.requests == []


async def test_userinfo_wins_over_the_session_auth() -> None:
    auth = basic("session", "pass")
    async with FaultServer(echo_authorization) as srv:
        with pytest.warns(DeprecationWarning, match=AUTH_DEPRECATED):
            session = ClientSession(auth=auth)
        async with session, session.get(with_userinfo(srv.make_url("/x"), "u:p")) as resp:
            data = await resp.json()
    assert data["authorization"] == aiohttp.encode_basic_auth("u", "p", "latin1")


async def test_userinfo_of_a_redirect_replaces_the_auth_argument() -> None:
    auth = basic("user", "pass")
    async with FaultServer(echo_authorization) as srv, ClientSession() as session:
        target = with_userinfo(srv.make_url("/landing"), "other")
        with pytest.warns(DeprecationWarning, match=AUTH_DEPRECATED):
            async with session.get(
                srv.make_url("/start"), auth=auth, headers={"X-Next": target}
            ) as resp:
                data = await resp.json()
    assert data["authorization"] == aiohttp.encode_basic_auth("other", "", "latin1")
    assert resp.url.user is None
    assert len(resp.history) == 1
