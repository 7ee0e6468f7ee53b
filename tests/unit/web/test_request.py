"""BaseRequest/Request: the request line, header views, body reading, proxies, cloning."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

import pytest
from yarl import URL

from aiohttp import web
from aiohttp._io.streams import StreamReader
from aiohttp.test_utils import make_mocked_request
from aiohttp.web.messages.forwarded import TrustedProxies
from aiohttp.web.messages.headers import ETag


class Flow:
    reading_paused = False

    def pause_reading(self) -> None:
        self.reading_paused = True

    def resume_reading(self) -> None:
        self.reading_paused = False


def body(data: bytes) -> StreamReader:
    reader = StreamReader(Flow(), 2**16, loop=asyncio.get_running_loop())
    reader.feed_data(data)
    reader.feed_eof()
    return reader


async def test_request_line_views() -> None:
    req = make_mocked_request("GET", "/path%20x/y?a=1&b=2&a=3", {"Host": "example.com:8080"})
    assert req.method == "GET"
    assert req.version == (1, 1)
    assert req.path == "/path x/y"
    assert req.raw_path == "/path%20x/y?a=1&b=2&a=3"
    assert req.rel_url == URL("/path%20x/y?a=1&b=2&a=3")
    assert req.path_qs == "/path%20x/y?a=1&b=2&a=3"
    assert req.query.getall("a") == ["1", "3"]
    assert req.query_string == "a=1&b=2&a=3"
    assert req.host == "example.com:8080"
    assert req.url == URL("http://example.com:8080/path%20x/y?a=1&b=2&a=3")
    assert req.scheme == "http"
    assert not req.secure
    assert req.remote == "127.0.0.1"
    assert req.keep_alive


async def test_double_slash_path_is_not_an_authority() -> None:
    req = make_mocked_request("GET", "//a//b/", {"Host": "h"})
    assert req.path == "//a//b/"
    assert req.host == "h"


async def test_absolute_form_target_gives_the_host() -> None:
    req = make_mocked_request("GET", "http://other:81/p?q=1")
    assert req.path == "/p"
    assert req.host == "other:81"


async def test_tls_means_https() -> None:
    req = make_mocked_request("GET", "/", {"Host": "h"}, sslcontext=object())
    assert req.scheme == "https"
    assert req.secure
    assert req.url.scheme == "https"


async def test_cookies_and_conditional_headers() -> None:
    req = make_mocked_request(
        "GET",
        "/",
        {
            "Cookie": 'a=1; b="two"; junk',
            "If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT",
            "If-Unmodified-Since": "garbage",
            "If-Match": '"x", W/"y"',
            "If-None-Match": "*",
            "If-Range": "Sun, 06 Nov 1994 08:49:37 GMT",
        },
    )
    assert dict(req.cookies) == {"a": "1", "b": "two", "junk": ""}  # a bare name, as 3.x
    when = datetime.datetime(1994, 11, 6, 8, 49, 37, tzinfo=datetime.UTC)
    assert req.if_modified_since == when
    assert req.if_unmodified_since is None
    assert req.if_range == when
    assert req.if_match == (ETag("x"), ETag("y", is_weak=True))
    assert req.if_none_match == (ETag("*"),)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("bytes=0-99", slice(0, 100, 1), id="rfc9110-14.1.2-first-last"),
        pytest.param("bytes=100-", slice(100, None, 1), id="rfc9110-14.1.2-open"),
        pytest.param("bytes=-50", slice(-50, None, 1), id="rfc9110-14.1.2-suffix"),
    ],
)
async def test_http_range(value: str, expected: slice) -> None:
    # step 1, as 3.x: code comparing with slice(a, b, 1) or reading .step keeps working
    assert make_mocked_request("GET", "/", {"Range": value}).http_range == expected


@pytest.mark.parametrize(
    "value",
    [
        "bytes=5-1",
        "items=1-2",
        "bytes=-",
        # RFC 5234 B.1: DIGIT is %x30-39; Arabic-Indic digits are no range (CVE-2025-69225).
        "bytes=\u0660-\u0669",
        "bytes=-\u0665",
    ],
)
async def test_http_range_malformed(value: str) -> None:
    with pytest.raises(ValueError):
        _ = make_mocked_request("GET", "/", {"Range": value}).http_range


async def test_no_range_is_the_whole_slice() -> None:
    assert make_mocked_request("GET", "/").http_range == slice(None, None, 1)


async def test_read_text_json() -> None:
    data = b'{"a": [1, 2]}'
    req = make_mocked_request("POST", "/", {"Content-Length": str(len(data))}, payload=body(data))
    assert req.body_exists
    assert req.can_read_body
    assert await req.read() == data
    assert await req.text() == data.decode()
    assert await req.json() == {"a": [1, 2]}
    assert not req.can_read_body


async def test_text_uses_the_charset() -> None:
    req = make_mocked_request(
        "POST",
        "/",
        {"Content-Type": "text/plain; charset=latin-1"},
        payload=body("é".encode("latin-1")),
    )
    assert await req.text() == "é"
    assert req.charset == "latin-1"
    assert req.content_type == "text/plain"


async def test_client_max_size_at_the_limit_and_past_it() -> None:
    ok = make_mocked_request("POST", "/", payload=body(b"x" * 10), client_max_size=10)
    assert len(await ok.read()) == 10
    over = make_mocked_request("POST", "/", payload=body(b"x" * 11), client_max_size=10)
    with pytest.raises(web.HTTPRequestEntityTooLarge) as info:
        await over.read()
    assert info.value.status == 413


async def test_declared_length_past_the_limit_is_refused_before_reading() -> None:
    req = make_mocked_request(
        "POST", "/", {"Content-Length": "1000000"}, payload=body(b""), client_max_size=10
    )
    with pytest.raises(web.HTTPRequestEntityTooLarge):
        await req.read()


async def test_post_urlencoded() -> None:
    req = make_mocked_request(
        "POST",
        "/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        payload=body(b"a=1&b=&a=%C3%A9"),
    )
    form = await req.post()
    assert form.getall("a") == ["1", "é"]
    assert form["b"] == ""
    assert await req.post() is form


async def test_post_multipart_with_a_file_field() -> None:
    data = (
        b'--B\r\nContent-Disposition: form-data; name="t"\r\n\r\nhello\r\n'
        b'--B\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nfile body\r\n--B--\r\n"
    )
    req = make_mocked_request(
        "POST", "/", {"Content-Type": "multipart/form-data; boundary=B"}, payload=body(data)
    )
    form = await req.post()
    assert form["t"] == "hello"
    field = form["f"]
    assert isinstance(field, web.FileField)
    assert (field.name, field.filename, field.content_type) == ("f", "a.txt", "text/plain")
    assert field.file.read() == b"file body"
    req._finish()
    assert field.file.closed


async def test_post_multipart_past_the_limit_is_413() -> None:
    data = (
        b'--B\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\n'
        + b"x" * 100
        + b"\r\n--B--\r\n"
    )
    req = make_mocked_request(
        "POST",
        "/",
        {"Content-Type": "multipart/form-data; boundary=B"},
        payload=body(data),
        client_max_size=50,
    )
    with pytest.raises(web.HTTPRequestEntityTooLarge):
        await req.post()


async def test_post_malformed_multipart_is_400() -> None:
    req = make_mocked_request(
        "POST",
        "/",
        {"Content-Type": "multipart/form-data; boundary=B"},
        payload=body(b"--B\r\nno end"),
    )
    with pytest.raises(web.HTTPBadRequest):
        await req.post()


async def test_post_for_get_or_other_types_is_empty() -> None:
    assert len(await make_mocked_request("GET", "/").post()) == 0
    req = make_mocked_request(
        "POST", "/", {"Content-Type": "application/json"}, payload=body(b"{}")
    )
    assert len(await req.post()) == 0


async def test_forwarded_is_parsed_but_not_trusted_by_default() -> None:
    req = make_mocked_request(
        "GET",
        "/",
        {"Host": "h", "Forwarded": 'for=1.2.3.4;proto=https;host="x.org", for=5.6.7.8'},
    )
    assert [dict(e) for e in req.forwarded] == [
        {"for": "1.2.3.4", "proto": "https", "host": "x.org"},
        {"for": "5.6.7.8"},
    ]
    assert req.remote == "127.0.0.1"
    assert req.scheme == "http"
    assert req.host == "h"


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ("1.2.3.4:1234", {"for": "1.2.3.4:1234"}),  # RFC 7239 §6 wants it quoted; 3.x takes it
        ('"[2001:db8::17]:1234"', {"for": "[2001:db8::17]:1234"}),
        ("1.2.3.4:123456", {}),  # no port has six digits: malformed, the hop is still counted
    ],
)
async def test_an_unquoted_node_with_a_port_is_read_as_3x_reads_it(
    node: str, expected: dict[str, str]
) -> None:
    req = make_mocked_request("GET", "/", {"Forwarded": f"for={node}"})
    assert [dict(e) for e in req.forwarded] == [expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # A proxy appending its element to a client's unbalanced quote: the pairs before the
        # quote are kept and the appended element is recovered, as 3.x does.
        ('for=_injected;by=", for=_real', [{"for": "_injected"}, {"for": "_real"}]),
        ('for=a;by="x, for=b, for=c', [{"for": "a"}, {"for": "b"}, {"for": "c"}]),
        ('for=a, by="open', [{"for": "a"}, {}]),
    ],
)
async def test_an_unbalanced_quote_spoils_only_its_own_pair(
    value: str, expected: list[dict[str, str]]
) -> None:
    req = make_mocked_request("GET", "/", {"Forwarded": value})
    assert [dict(e) for e in req.forwarded] == expected


def trusted(networks: list[str], headers: dict[str, str], peer: str = "127.0.0.1") -> Any:
    req = make_mocked_request("GET", "/", {"Host": "h", **headers})
    req.protocol.trusted_proxies = TrustedProxies(networks)
    req.transport._extra_info["peername"] = (peer, 1000)
    return req


async def test_rfc7239_forwarded_from_a_trusted_proxy() -> None:
    req = trusted(["127.0.0.1"], {"Forwarded": 'for=9.9.9.9;proto=https;host="pub.example"'})
    assert (req.remote, req.scheme, req.host) == ("9.9.9.9", "https", "pub.example")
    assert req.url == URL("https://pub.example/")


async def test_forwarded_chain_skips_trusted_hops_from_the_right() -> None:
    req = trusted(
        ["127.0.0.1", "10.0.0.0/8"],
        {"Forwarded": "for=6.6.6.6, for=1.2.3.4;proto=https, for=10.0.0.2;proto=http"},
    )
    assert (req.remote, req.scheme) == ("1.2.3.4", "https")


async def test_forwarded_ipv6_node() -> None:
    req = trusted(["127.0.0.1"], {"Forwarded": 'for="[2001:db8::1]:4711"'})
    assert req.remote == "2001:db8::1"


async def test_x_forwarded_headers_from_a_trusted_proxy() -> None:
    req = trusted(
        ["127.0.0.1"],
        {
            "X-Forwarded-For": "6.6.6.6, 1.2.3.4",
            "X-Forwarded-Proto": "http, https",
            "X-Forwarded-Host": "spoof, real.example",
        },
    )
    assert (req.remote, req.scheme, req.host) == ("1.2.3.4", "https", "real.example")


async def test_proxy_headers_from_an_untrusted_peer_are_ignored() -> None:
    req = trusted(["10.0.0.1"], {"X-Forwarded-For": "1.2.3.4", "X-Forwarded-Proto": "https"})
    assert (req.remote, req.scheme, req.host) == ("127.0.0.1", "http", "h")


async def test_unix_socket_peers_trusted_by_name() -> None:
    req = trusted(["unix"], {"X-Forwarded-For": "1.2.3.4"}, peer="")
    req.transport._extra_info["peername"] = ""
    assert req.remote == "1.2.3.4"


async def test_clone_replaces_fields_and_shares_the_body() -> None:
    state = web.RequestKey("state", int)
    req = make_mocked_request("GET", "/a?x=1", {"Host": "h", "A": "1"})
    req[state] = 1
    new = req.clone(method="POST", rel_url="/b", headers={"B": "2"}, remote="9.9.9.9")
    assert (new.method, new.path, new.remote) == ("POST", "/b", "9.9.9.9")
    assert dict(new.headers) == {"B": "2"}
    assert new[state] == 1
    assert new.content is req.content
    assert new.match_info is req.match_info


async def test_clone_to_an_absolute_url_is_taken_as_3x_takes_it() -> None:
    req = make_mocked_request("GET", "/a?x=1", {"Host": "h"})
    new = req.clone(rel_url="http://other:81/b?y=2")
    assert (str(new.rel_url), str(new.url)) == ("/b?y=2", "http://other:81/b?y=2")
    assert (new.path, new.query_string) == ("/b", "y=2")


async def test_clone_after_read_is_refused() -> None:
    req = make_mocked_request("POST", "/", payload=body(b"x"))
    await req.read()
    with pytest.raises(RuntimeError):
        req.clone()


async def test_state_mapping_and_identity() -> None:
    key = web.RequestKey("k", str)
    req = make_mocked_request("GET", "/")
    req[key] = "v"
    assert dict(req) == {key: "v"}
    del req[key]
    assert len(req) == 0
    with pytest.warns(web.NotAppKeyWarning, match="web.RequestKey"):
        req["test_state_mapping_and_identity"] = "v"
    req["test_state_mapping_and_identity"] = "w"  # warned once per key
    assert req["test_state_mapping_and_identity"] == "w"
    assert req != make_mocked_request("GET", "/")
    assert bool(req)
    assert repr(req) == "<Request GET / >"
    assert req.get_extra_info("peername") == ("127.0.0.1", 12345)


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("/%D0%BF%20x?y=1", "/\\u043f x"),  # 3.x: the decoded path, escaped to ASCII
        ("http://h/p?q", "/p"),
        ("/a%0Ab", "/a\\nb"),  # a control character is escaped too: no line breaks in logs
    ],
)
async def test_repr_shows_the_decoded_path_as_3x(target: str, shown: str) -> None:
    assert repr(make_mocked_request("GET", target)) == f"<Request GET {shown} >"


async def test_request_app_and_config_dict() -> None:
    key = web.AppKey("x", int)
    app = web.Application()
    app[key] = 1
    req = make_mocked_request("GET", "/", app=app, match_info={"name": "n"})
    assert req.app is app
    assert req.match_info["name"] == "n"
    assert req.config_dict[key] == 1


async def test_has_body_is_deprecated() -> None:
    req = make_mocked_request("GET", "/")
    with pytest.warns(DeprecationWarning, match="can_read_body"):
        assert not req.has_body


class _Transport:
    def __init__(self, sockname: Any) -> None:
        self.sockname = sockname

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.sockname if name == "sockname" else default

    def is_closing(self) -> bool:
        return False


@pytest.mark.parametrize(
    ("sockname", "host"),
    [
        (("127.0.0.1", 8080), "127.0.0.1"),
        (("::1", 80, 0, 0), "[::1]"),
        ("/run/app.sock", "/run/app.sock"),
        (None, ""),
    ],
)
def test_without_host_the_host_is_the_local_address(sockname: Any, host: str) -> None:
    # An HTTP/1.0 request may come without Host: the listening address stands in for it,
    # never a reverse DNS lookup of this machine's name (which would block the event loop).
    request = make_mocked_request("GET", "/", transport=_Transport(sockname))
    assert request.host == host


def test_absolute_form_target_gives_host_and_url_rfc9112_3_2_2() -> None:
    # "the origin server MUST ignore the received Host header field (if any) and instead use
    # the host information of the request-target"; the scheme stays the connection's own.
    request = make_mocked_request("GET", "https://a.example:81/p?q=1", headers={"Host": "b"})
    assert request.host == "a.example:81"
    assert request.url == URL("http://a.example:81/p?q=1")
    assert request.rel_url == URL("/p?q=1")
    assert make_mocked_request("GET", "http://a.example/p").host == "a.example"


def test_range_unit_is_case_insensitive_rfc9110_14_1() -> None:
    request = make_mocked_request("GET", "/", headers={"Range": "Bytes=0-499"})
    assert request.http_range == slice(0, 500, 1)


def test_3x_deprecations_of_message_and_loop() -> None:
    request = make_mocked_request("GET", "/")
    with pytest.warns(DeprecationWarning, match=r"^Request\.message is deprecated$"):
        assert request.message.method == "GET"
    with pytest.warns(DeprecationWarning, match=r"^request\.loop property is deprecated$"):
        request.loop  # noqa: B018
