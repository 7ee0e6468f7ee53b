"""Advisories about the client: what it sends, to whom, and what it keeps."""

from __future__ import annotations

import pickle
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from yarl import URL

import aiohttp
from aiohttp import web
from aiohttp._sansio.websocket.connection import WebSocketConnection
from aiohttp._sansio.websocket.frames import RSV1, build_frame
from aiohttp.http import WSMsgType


def test_ghsa_q3qx_c6g2_7pw2_the_version_cannot_inject_lines() -> None:
    """CVE-2023-49081: a ``version`` with CRLF was written into the request line. Checks:
    the request line's version is written from a pair of single digits (RFC 9112 §2.3), and
    anything else is refused."""
    from aiohttp._sansio.http1 import HttpVersion, serialize_request_head

    head = serialize_request_head("GET", "/", [("Host", "h")], HttpVersion(1, 1))
    assert head.startswith(b"GET / HTTP/1.1\r\n")
    for version in (HttpVersion(10, 1), ("1", "1\r\nX: y"), "1.1\r\nX: y"):
        with pytest.raises((ValueError, TypeError)):
            serialize_request_head("GET", "/", [("Host", "h")], version)  # type: ignore[arg-type]


async def test_ghsa_qvrw_v9rv_5rjx_the_method_cannot_inject_lines(aiohttp_raw_server: Any) -> None:
    """CVE-2023-49082: a method with CRLF split the request. Checks: a method that is not a
    token (RFC 9110 §9.1) raises ValueError and no request reaches the server."""
    received: list[str] = []

    async def record(request: web.BaseRequest) -> web.Response:
        received.append(request.method)
        return web.Response()

    server = await aiohttp_raw_server(record)
    async with aiohttp.ClientSession() as session:
        for method in ("GET / HTTP/1.1\r\nX: y\r\n\r\nGET", "GET\n", "G T", "GET\x00"):
            with pytest.raises(ValueError, match="method"):
                await session.request(method, server.make_url("/"))
    assert received == []


@pytest.fixture
async def two_origins(aiohttp_server: Any) -> Any:
    """A redirector on one origin and the target on another (127.0.0.1 and localhost)."""
    seen: list[dict[str, str]] = []

    async def target(request: web.Request) -> web.Response:
        seen.append(dict(request.headers))
        return web.Response(text="target")

    other = web.Application()
    other.router.add_get("/t", target)
    other_server = await aiohttp_server(other)
    target_url = str(other_server.make_url("/t")).replace("127.0.0.1", "localhost")

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(target_url)

    app = web.Application()
    app.router.add_get("/r", redirect)
    server = await aiohttp_server(app)
    return server, seen


async def test_ghsa_966j_vmvw_g2g9_credentials_stay_on_their_origin(two_origins: Any) -> None:
    """CVE-2026-34518: Cookie and Proxy-Authorization were sent to the other origin after a
    redirect. Checks: Authorization, Cookie and Proxy-Authorization are dropped when a
    redirect leaves the origin."""
    server, seen = two_origins
    secrets = {"Authorization": "Basic eDp5", "Cookie": "a=1", "Proxy-Authorization": "Basic eQ=="}
    async with (
        aiohttp.ClientSession() as session,
        session.get(server.make_url("/r"), headers=secrets) as resp,
    ):
        assert resp.status == 200
    assert [name for name in secrets if name in seen[-1]] == []


async def test_ghsa_hg6j_4rv6_33pg_per_request_cookies_stay_on_their_origin(
    two_origins: Any,
) -> None:
    """CVE-2026-47265: cookies passed with ``cookies=`` to one request followed a redirect to
    another origin. Checks: they are not sent there."""
    server, seen = two_origins
    async with (
        aiohttp.ClientSession() as session,
        session.get(server.make_url("/r"), cookies={"session": "s3cr3t"}) as resp,
    ):
        assert resp.status == 200
    assert "s3cr3t" not in seen[-1].get("Cookie", "")


async def test_ghsa_hpj7_wq8m_9hgp_digest_credentials_stay_with_their_origin() -> None:
    """CVE-2026-54276: DigestAuthMiddleware answered challenges from another origin after a
    redirect. Checks: a redirect from the origin the credentials were given for to another one
    that challenges too gets no ``Authorization`` there; the 401 is the answer."""
    from aiohttp.testing.faults import FaultServer, ReceivedRequest

    def challenge(realm: str) -> bytes:
        return (
            b'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="%s", '
            b'nonce="n", qop="auth"\r\nContent-Length: 0\r\n\r\n' % realm.encode()
        )

    def elsewhere(req: ReceivedRequest) -> bytes:
        return challenge("evil")

    async with FaultServer(elsewhere) as evil:

        def home(req: ReceivedRequest) -> bytes:
            if "Authorization" not in req.head.headers:
                return challenge("home")
            return (
                b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n"
                % evil.make_url("/steal").encode()
            )

        async with (
            FaultServer(home) as origin,
            aiohttp.ClientSession(
                middlewares=(aiohttp.DigestAuthMiddleware("user", "secret"),)
            ) as session,
            session.get(origin.make_url("/start")) as resp,
        ):
            assert resp.status == 401
    assert [("Authorization" in r.head.headers) for r in evil.requests] == [False]


def test_ghsa_4m7w_qmgq_4wj5_server_hostname_is_part_of_the_pool_key() -> None:
    """CVE-2026-54275: a connection made for one ``server_hostname`` (SNI and certificate
    name) was reused for a request asking for another. Checks: the pool key differs."""
    from aiohttp.client.request import ClientRequest

    def key(server_hostname: str | None) -> object:
        request = ClientRequest("GET", URL("https://192.0.2.1/"), server_hostname=server_hostname)
        return request.connection_key

    assert key("a.example") != key("b.example")
    assert key("a.example") == key("a.example")
    assert key(None) != key("a.example")


async def test_ghsa_2fqr_mr3j_6wp8_host_only_cookies_stay_host_only(tmp_path: Path) -> None:
    """CVE-2026-54279: a host-only cookie became a domain cookie after save() and load(),
    and was then sent to subdomains. Checks: it is still host-only after the round trip."""
    jar = aiohttp.CookieJar()
    jar.update_cookies(SimpleCookie("host=1; Path=/"), URL("http://example.com/"))
    jar.update_cookies(
        SimpleCookie("dom=1; Domain=example.com; Path=/"), URL("http://example.com/")
    )
    path = tmp_path / "jar"
    jar.save(path)
    loaded = aiohttp.CookieJar()
    loaded.load(path)
    assert sorted(loaded.filter_cookies(URL("http://example.com/"))) == ["dom", "host"]
    assert sorted(loaded.filter_cookies(URL("http://sub.example.com/"))) == ["dom"]


async def test_ghsa_jg22_mg44_37j8_cookie_jar_load_never_unpickles(tmp_path: Path) -> None:
    """CVE-2026-34993: CookieJar.load() unpickled its file, running any code in it. Checks:
    a pickle is refused (the jar is JSON) and what it would have run does not run."""
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (Path.touch, (str(marker),))  # type: ignore[return-value]

    path = tmp_path / "jar.pickle"
    path.write_bytes(pickle.dumps(Exploit()))
    with pytest.raises((ValueError, UnicodeDecodeError)):
        aiohttp.CookieJar().load(path)
    assert not marker.exists()


async def test_ghsa_494j_54xm_rwp3_a_shared_secure_cookie_is_not_sent_over_http() -> None:
    """Secure attribute not enforced for a shared cookie (3.14.5): a cookie added without a
    response URL (sent to every host) went out over plain http although marked Secure.
    Checks: it is sent to https URLs only (RFC 6265 §5.4)."""
    jar = aiohttp.CookieJar()
    jar.update_cookies(SimpleCookie("token=1; Secure"))
    jar.update_cookies({"plain": "2"})
    assert sorted(jar.filter_cookies(URL("http://a.example/"))) == ["plain"]
    assert sorted(jar.filter_cookies(URL("https://a.example/"))) == ["plain", "token"]


@pytest.mark.parametrize(("size", "kept"), [(1000, 1000), (1001, 1000)], ids=["at", "past"])
async def test_ghsa_hcc4_c3v8_rx92_the_dns_cache_is_bounded(size: int, kept: int) -> None:
    """CVE-2026-34513: TCPConnector's DNS cache grew with every host name. Checks: it keeps
    at most ``dns_cache_max_size`` entries (1000 by default), dropping the oldest."""
    from aiohttp.client.resolver import DnsCache

    cache = DnsCache(ttl=None)
    for i in range(size):
        cache.add((f"h{i}.example", 80), [])
    assert len(cache) == kept
    assert (cache.get(("h0.example", 80)) is None) is (size > kept)
    assert cache.get((f"h{size - 1}.example", 80)) == []
    connector = aiohttp.TCPConnector(dns_cache_max_size=10)
    try:
        assert connector._cache.max_size == 10
    finally:
        await connector.close()


def test_ghsa_mq44_7p77_q5h7_compressed_frames_need_permessage_deflate() -> None:
    """CVE-2026-59881: the client decompressed frames with RSV1 set although no
    permessage-deflate was negotiated. Checks: such a frame fails the connection with 1002
    (RFC 6455 §5.2) on either side."""
    for is_client in (True, False):
        conn = WebSocketConnection(is_client=is_client)
        mask = None if is_client else b"\x00\x00\x00\x00"
        frame = build_frame(0x2, b"x", rsv=RSV1, mask=mask)
        [msg] = conn.receive_data(frame)
        assert msg.type is WSMsgType.ERROR
        assert conn.error is not None
        assert conn.error.code == 1002


@pytest.mark.timeout(20)
def test_a_hostile_digest_challenge_is_parsed_in_linear_time() -> None:
    """A server's ``WWW-Authenticate`` value is parsed by a regular expression. A long run of
    token characters that never reaches ``=`` made it backtrack once per shorter prefix at every
    start, and so did a long run of spaces: about 10**10 steps for these values, a client hung
    for many minutes. Checks: they parse (within the test's timeout, with seconds to spare at
    linear cost), and neither run is a parameter."""
    from aiohttp.client.digest import parse_header_pairs

    hostile = "0" * 200_000 + "\\0=a"
    assert parse_header_pairs(hostile) == {"0": "a"}
    assert parse_header_pairs(" " * 200_000 + "\\") == {}  # a search from every space
    assert parse_header_pairs("a" + " " * 200_000 + "\\") == {}
    assert parse_header_pairs('Digest realm="r\\"q", qop=auth, x, nonce=""') == {
        "realm": 'r"q',
        "qop": "auth",
        "nonce": "",
    }
