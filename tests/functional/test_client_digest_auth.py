"""DigestAuthMiddleware against servers that check digests with code we did not write.

httpbin's ``/digest-auth/{qop}/{user}/{password}/{algorithm}/{stale_after}`` checks MD5,
SHA-256 and SHA-512 with ``qop`` ``auth`` or ``auth-int`` and answers ``stale=TRUE`` on cue;
Flask-DigestAuth checks MD5-sess (RFC 7616 §3.4.2). Both run as WSGI applications in a
werkzeug server on loopback. The exact bytes of the answer are checked against RFC 7616 §3.9's
examples in ``tests/unit/client/test_digest.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import flask
import httpbin
import pytest
from flask_digest_auth import DigestAuth, make_password_hash
from werkzeug.serving import make_server

import aiohttp
from aiohttp import DigestAuthMiddleware
from aiohttp.client.digest import parse_header_pairs
from aiohttp.testing.faults import FaultServer, ReceivedRequest

WSGIApp = Callable[..., Any]


class Recorded:
    """A WSGI application in front of another that keeps each request's Authorization."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.authorizations: list[str | None] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.authorizations.append(environ.get("HTTP_AUTHORIZATION"))
        return self.app(environ, start_response)


def serve(app: WSGIApp) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def httpbin_app() -> Recorded:
    return Recorded(httpbin.app)


@pytest.fixture
def httpbin_url(httpbin_app: Recorded) -> Iterator[str]:
    yield from serve(httpbin_app)


def session(*middlewares: Any) -> aiohttp.ClientSession:
    # httpbin keeps its stale countdown in cookies set for 127.0.0.1, and expects each answer's
    # cookies back on the next request, the digest's second attempt included. As in aiohttp
    # 3.x the jar's cookies are added once, before the middlewares; a middleware inside the
    # digest one keeps them fresh for each attempt (the 3.x recipe).
    jar = aiohttp.CookieJar(unsafe=True)

    async def cookies_per_attempt(
        req: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        req.update_cookies(jar.filter_cookies(req.url))
        resp = await handler(req)
        jar.update_cookies_from_headers(resp.headers.getall("Set-Cookie", []), resp.url)
        return resp

    return aiohttp.ClientSession(middlewares=(*middlewares, cookies_per_attempt), cookie_jar=jar)


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256", "SHA-512"])
@pytest.mark.parametrize("qop", ["auth", "auth-int"])
async def test_httpbin_accepts_the_digest(
    httpbin_url: str, httpbin_app: Recorded, algorithm: str, qop: str
) -> None:
    url = f"{httpbin_url}/digest-auth/{qop}/user/p4ssw0rd/{algorithm}"
    # httpbin's route takes GET only; auth-int hashes whatever body the request has.
    async with (
        session(DigestAuthMiddleware("user", "p4ssw0rd")) as s,
        s.get(url, data=b"the body") as resp,
    ):
        assert resp.status == 200
        assert await resp.json() == {"authenticated": True, "user": "user"}
    first, second = httpbin_app.authorizations
    assert first is None
    assert second is not None
    assert f"qop={qop}," in second
    assert f"algorithm={algorithm}," in second


async def test_both_qop_offered_takes_auth(httpbin_url: str, httpbin_app: Recorded) -> None:
    # An unknown qop in the path makes httpbin offer both: qop="auth, auth-int".
    async with (
        session(DigestAuthMiddleware("user", "pw")) as s,
        s.get(f"{httpbin_url}/digest-auth/both/user/pw/SHA-256") as resp,
    ):
        assert resp.status == 200
    assert "qop=auth," in (httpbin_app.authorizations[-1] or "")


async def test_a_wrong_password_ends_with_the_401_after_one_retry(
    httpbin_url: str, httpbin_app: Recorded
) -> None:
    async with (
        session(DigestAuthMiddleware("user", "wrong")) as s,
        s.get(f"{httpbin_url}/digest-auth/auth/user/right") as resp,
    ):
        assert resp.status == 401
    assert len(httpbin_app.authorizations) == 2


async def test_later_requests_are_preemptive(httpbin_url: str, httpbin_app: Recorded) -> None:
    url = f"{httpbin_url}/digest-auth/auth/user/pw/SHA-256"
    async with session(DigestAuthMiddleware("user", "pw")) as s:
        for _ in range(3):
            async with s.get(url) as resp:
                assert resp.status == 200
    # One challenge, then credentials on every first send, the nonce counted up.
    assert len(httpbin_app.authorizations) == 4
    assert [a is not None for a in httpbin_app.authorizations] == [False, True, True, True]
    counts = [a.split("nc=")[1][:8] for a in httpbin_app.authorizations[1:] if a]
    assert counts == ["00000001", "00000002", "00000003"]


async def test_not_preemptive_waits_for_a_challenge_each_time(
    httpbin_url: str, httpbin_app: Recorded
) -> None:
    url = f"{httpbin_url}/digest-auth/auth/user/pw"
    async with session(DigestAuthMiddleware("user", "pw", preemptive=False)) as s:
        for _ in range(2):
            async with s.get(url) as resp:
                assert resp.status == 200
    assert [a is not None for a in httpbin_app.authorizations] == [False, True, False, True]


async def test_a_stale_nonce_is_answered_with_the_new_one(
    httpbin_url: str, httpbin_app: Recorded
) -> None:
    # stale_after=1: one request succeeds, then the next one's nonce is declared stale.
    url = f"{httpbin_url}/digest-auth/auth/user/pw/MD5/1"
    async with session(DigestAuthMiddleware("user", "pw")) as s:
        async with s.get(url) as resp:
            assert resp.status == 200
        async with s.get(url) as resp:
            assert resp.status == 200
    assert len(httpbin_app.authorizations) == 4  # challenge, ok, stale, ok


async def test_a_nonce_that_is_always_stale_is_retried_once_only(
    httpbin_url: str, httpbin_app: Recorded
) -> None:
    # stale_after=0: every answer with credentials is a stale=TRUE challenge.
    async with (
        session(DigestAuthMiddleware("user", "pw")) as s,
        s.get(f"{httpbin_url}/digest-auth/auth/user/pw/MD5/0") as resp,
    ):
        assert resp.status == 401
    # No credentials, credentials (stale), credentials again (stale): then the 401 is the answer.
    assert [a is not None for a in httpbin_app.authorizations] == [False, True, True]


async def test_credentials_stay_with_their_origin(httpbin_url: str, httpbin_app: Recorded) -> None:
    other = httpbin_url.replace("127.0.0.1", "localhost")
    async with session(DigestAuthMiddleware("user", "pw")) as s:
        async with s.get(f"{httpbin_url}/digest-auth/auth/user/pw") as resp:
            assert resp.status == 200
        async with s.get(f"{other}/digest-auth/auth/user/pw") as resp:
            assert resp.status == 401  # another origin: passed through without an answer
    assert httpbin_app.authorizations[-1] is None


@pytest.fixture
def sess_url() -> Iterator[str]:
    app = flask.Flask("digest-sess")
    app.secret_key = "test"
    auth = DigestAuth(realm="sess-realm")
    auth.algorithm = "MD5-sess"
    auth.init_app(app)

    @auth.register_get_password
    def password_hash(username: str) -> str | None:
        return make_password_hash("sess-realm", "user", "pw") if username == "user" else None

    @auth.register_get_user
    def user(username: str) -> str | None:
        return username if username == "user" else None

    @app.route("/private", methods=["GET", "POST"])
    @auth.login_required
    def private() -> str:
        return f"hello {flask.g.user}"

    yield from serve(app)


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_md5_sess_with_flask_digestauth(sess_url: str, method: str) -> None:
    # Default jar: the session cookie for 127.0.0.1 is refused, so every request is checked.
    async with (
        aiohttp.ClientSession(middlewares=(DigestAuthMiddleware("user", "pw"),)) as s,
        s.request(method, f"{sess_url}/private", data=b"x" if method == "POST" else None) as r,
    ):
        assert r.status == 200
        assert await r.text() == "hello user"


async def test_md5_sess_wrong_password_with_flask_digestauth(sess_url: str) -> None:
    async with (
        aiohttp.ClientSession(middlewares=(DigestAuthMiddleware("user", "no"),)) as s,
        s.get(f"{sess_url}/private") as resp,
    ):
        assert resp.status == 401


# -- RFC 7616 §3.9: the exact bytes of the answer --------------------------------------------


class FixedClientNonce(DigestAuthMiddleware):
    """The client nonce of RFC 7616's examples, so the whole answer can be compared."""

    cnonce = ""

    def _new_cnonce(self) -> str:  # type: ignore[override]
        return self.cnonce


def challenged(challenge: str) -> Callable[[ReceivedRequest], bytes]:
    """A server answering 401 with ``challenge`` until a request carries credentials."""

    def respond(req: ReceivedRequest) -> bytes:
        if "Authorization" in req.head.headers:
            return b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        head = f"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest {challenge}\r\n"
        return head.encode() + b"Content-Length: 0\r\n\r\n"

    return respond


def authorization_bytes(req: ReceivedRequest) -> bytes:
    (value,) = [v for k, v in req.head.raw_headers if k.lower() == b"authorization"]
    return value


RFC_7616_3_9_1 = (
    'realm="http-auth@example.org", qop="auth, auth-int", algorithm={algorithm}, '
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
    'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
)


@pytest.mark.parametrize(
    ("algorithm", "response"),
    [
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ],
)
async def test_rfc_7616_3_9_1_example_byte_for_byte(algorithm: str, response: str) -> None:
    """RFC 7616 §3.9.1: Mufasa's request for /dir/index.html, as the RFC writes the answer."""
    middleware = FixedClientNonce("Mufasa", "Circle of Life")
    middleware.cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
    async with FaultServer(challenged(RFC_7616_3_9_1.format(algorithm=algorithm))) as server:
        session = aiohttp.ClientSession(middlewares=(middleware,))
        async with session, session.get(server.make_url("/dir/index.html")) as resp:
            assert resp.status == 200
    expected = (
        'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", '
        f'algorithm={algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
        'nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, '
        f'response="{response}", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
    )
    assert authorization_bytes(server.requests[1]) == expected.encode()


async def test_rfc_7616_3_9_2_sha_512_256_with_userhash() -> None:
    """RFC 7616 §3.9.2 with the values of its erratum (4897): the example as published hashed
    the user name and computed the response with another encoding of "Jäsøn Doe"."""
    middleware = FixedClientNonce("J\u00e4s\u00f8n Doe", "Secret, or not?")
    middleware.cnonce = "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v"
    challenge = (
        'realm="api@example.org", qop="auth", algorithm=SHA-512-256, '
        'nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", '
        'opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true'
    )
    async with FaultServer(challenged(challenge)) as server:
        session = aiohttp.ClientSession(middlewares=(middleware,))
        async with session, session.get(server.make_url("/doe.json")) as resp:
            assert resp.status == 200
    sent = authorization_bytes(server.requests[1]).decode()
    assert 'username="793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b"' in sent
    assert 'response="3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5"' in sent
    assert sent.endswith(", userhash=true")


async def test_an_unknown_algorithm_is_a_client_error() -> None:
    async with (
        FaultServer(challenged('realm="r", nonce="n", algorithm=SHA3-999')) as server,
        aiohttp.ClientSession(middlewares=(DigestAuthMiddleware("u", "p"),)) as s,
    ):
        with pytest.raises(aiohttp.ClientError, match="Unsupported hash algorithm: SHA3-999"):
            await s.get(server.url)


async def test_auth_int_needs_a_body_in_memory() -> None:
    async def stream() -> Any:
        yield b"streamed"

    async with (
        FaultServer(challenged('realm="r", nonce="n", qop="auth-int"')) as server,
        aiohttp.ClientSession(middlewares=(DigestAuthMiddleware("u", "p"),)) as s,
    ):
        with pytest.raises(aiohttp.ClientError, match="auth-int needs the body in memory"):
            await s.post(server.url, data=stream())


async def test_a_domain_in_the_challenge_takes_other_origins_in() -> None:
    async with FaultServer(challenged('realm="r", nonce="n", qop="auth"')) as other:
        domain = f"/private {other.url}/shared"
        async with (
            FaultServer(challenged(f'realm="r", nonce="n", domain="{domain}"')) as home,
            aiohttp.ClientSession(middlewares=(DigestAuthMiddleware("u", "p"),)) as s,
        ):
            async with s.get(home.make_url("/private/a")) as resp:
                assert resp.status == 200
            async with s.get(other.make_url("/shared/b")) as resp:
                assert resp.status == 200  # preemptive: inside the declared space
            async with s.get(other.make_url("/elsewhere")) as resp:
                assert resp.status == 401  # outside it: passed through untouched
    assert [("Authorization" in r.head.headers) for r in other.requests] == [True, False]


async def test_a_domain_that_is_no_uri_leaves_the_origin_as_the_space() -> None:
    """RFC 7616 §3.3: ``domain`` lists URIs; an entry that is none (here one ``"``) is skipped,
    so the credentials stay preemptive for the whole origin."""
    async with (
        FaultServer(challenged('realm="r", nonce="n", qop="auth", domain="\\""')) as server,
        aiohttp.ClientSession(middlewares=(DigestAuthMiddleware("u", "p"),)) as s,
    ):
        for path in ("/one", "/two"):
            async with s.get(server.make_url(path)) as resp:
                assert resp.status == 200
    assert [("Authorization" in r.head.headers) for r in server.requests] == [False, True, True]


@pytest.mark.parametrize("params", ["", "=invalid, format"])
async def test_a_digest_challenge_without_parameters_is_the_answer(params: str) -> None:
    """Nothing to compute from: the 401 goes to the caller, with no second attempt."""
    async with (
        FaultServer(challenged(params)) as server,
        aiohttp.ClientSession(middlewares=(DigestAuthMiddleware("u", "p"),)) as s,
        s.get(server.url) as resp,
    ):
        assert resp.status == 401
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("challenge", "message"),
    [
        ('nonce="n"', "Malformed Digest auth challenge: Missing 'realm' parameter"),
        ('realm="r", nonce=""', "Security issue: Digest auth challenge contains empty 'nonce'"),
    ],
)
async def test_a_malformed_challenge_is_a_client_error(challenge: str, message: str) -> None:
    """RFC 7616 §3.3: a challenge carries a realm and a nonce; without them (or with an
    empty nonce, which would let one answer be replayed) there is nothing to answer."""
    async with (
        FaultServer(challenged(challenge)) as server,
        aiohttp.ClientSession(middlewares=(DigestAuthMiddleware("u", "p"),)) as s,
    ):
        with pytest.raises(aiohttp.ClientError, match=message):
            await s.get(server.url)


async def test_every_value_from_the_server_is_sent_back_as_a_quoted_string() -> None:
    """A ``"`` or ``\\`` in the realm, nonce or opaque is escaped (RFC 9110 §5.6.4), so a
    hostile server cannot end the quoted-string early and add parameters of its own."""
    challenge = 'realm="a\\"b", nonce="n\\"x\\\\", opaque="o\\"p", qop="auth"'
    async with (
        FaultServer(challenged(challenge)) as server,
        aiohttp.ClientSession(middlewares=(DigestAuthMiddleware("u", "p"),)) as s,
        s.get(server.url) as resp,
    ):
        assert resp.status == 200
    sent = authorization_bytes(server.requests[1]).decode()
    assert 'realm="a\\"b"' in sent
    assert 'nonce="n\\"x\\\\"' in sent
    assert 'opaque="o\\"p"' in sent
    assert parse_header_pairs(sent)["nonce"] == 'n"x\\'


@pytest.mark.parametrize(
    ("login", "password", "message"),
    [
        (None, "p", "None is not allowed as login"),
        ("u", None, "None is not allowed as password"),
        ("u:v", "p", 'A ":" is not allowed in username'),
    ],
)
def test_bad_credentials_are_refused(login: Any, password: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DigestAuthMiddleware(login, password)
