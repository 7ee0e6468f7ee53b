"""Building requests: URL checks, automatic headers, body framing, request-target forms."""

from __future__ import annotations

import io

import pytest
from yarl import URL

from aiohttp._sansio.http1 import HttpVersion10
from aiohttp.client.auth import basic_auth, encode_basic_auth
from aiohttp.client.exceptions import InvalidUrlClientError, NonHttpUrlClientError
from aiohttp.client.headers import merge_headers
from aiohttp.client.request import ClientRequest


def make(method: str = "GET", url: str = "http://example.com/p?q=1", **kwargs) -> ClientRequest:
    return ClientRequest(method, URL(url), **kwargs)


def test_automatic_headers() -> None:
    req = make()
    assert req.headers["Host"] == "example.com"
    assert req.headers["Accept"] == "*/*"
    assert "gzip" in req.headers["Accept-Encoding"]
    assert req.headers["User-Agent"].startswith("Python/")
    assert "Content-Length" not in req.headers


@pytest.mark.parametrize(
    ("url", "host"),
    [
        pytest.param("http://example.com:8080/", "example.com:8080", id="RFC9110-7.2-port"),
        pytest.param("https://example.com:443/", "example.com", id="RFC9110-7.2-default-port"),
        pytest.param("http://[::1]:81/", "[::1]:81", id="RFC9110-7.2-ipv6"),
        # The absolute form of a name (a trailing dot, RFC 1034 §3.1) names the same host;
        # virtual hosts are configured without it, so it is left out as 3.x does.
        pytest.param("http://python.org./", "python.org", id="fqdn-dot"),
        pytest.param("http://python.org...:99/", "python.org:99", id="fqdn-dots-port"),
        pytest.param("http://príklad.example.org.:99/", "xn--prklad-4va.example.org:99", id="idna"),
    ],
)
def test_host_header(url: str, host: str) -> None:
    assert make(url=url).headers["Host"] == host


def test_skip_auto_headers_and_caller_headers_win() -> None:
    req = make(skip_auto_headers=["user-agent", "Accept-Encoding"], headers={"Accept": "text/html"})
    assert "User-Agent" not in req.headers
    assert "Accept-Encoding" not in req.headers
    assert req.headers["Accept"] == "text/html"


def test_skip_auto_headers_read_once_from_an_iterator() -> None:
    req = make(skip_auto_headers=(name for name in ["User-Agent", "host"]))
    assert "User-Agent" not in req.headers
    assert "Host" not in req.headers
    assert req.skip_auto_headers == {"user-agent", "host"}


def test_update_auto_headers_with_an_empty_skip_adds_them_all() -> None:
    req = make(skip_auto_headers=["User-Agent"])
    del req.headers["Accept"]
    req.update_auto_headers([])
    assert req.headers["User-Agent"].startswith("Python/")
    assert req.headers["Accept"] == "*/*"


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ftp://example.com/", NonHttpUrlClientError),
        ("file:///etc/passwd", NonHttpUrlClientError),
        ("http:///path", InvalidUrlClientError),
    ],
)
def test_unusable_urls(url: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        make(url=url)


def test_fragment_is_not_sent_but_kept() -> None:
    req = make(url="http://e.org/p#frag")
    assert req.request_target() == "/p"
    assert req.original_url.fragment == "frag"
    assert req.request_info.real_url.fragment == "frag"


def test_request_target_forms() -> None:
    # RFC 9112 §3.2.1 origin-form, §3.2.2 absolute-form to a proxy, §3.2.3 authority-form.
    assert make().request_target() == "/p?q=1"
    proxied = make(proxy=URL("http://proxy:3128"))
    assert proxied.request_target() == "http://example.com/p?q=1"
    tunnelled = make(url="https://example.com/x", proxy=URL("http://proxy:3128"))
    assert tunnelled.request_target() == "/x"
    assert make("CONNECT", "http://example.com:443/").request_target() == "example.com:443"


def test_params_extend_the_query() -> None:
    assert make(params={"a": "b c"}).url.raw_query_string == "q=1&a=b+c"


@pytest.mark.parametrize(
    ("method", "data", "length"),
    [
        ("GET", None, None),
        ("POST", None, "0"),
        ("POST", b"abc", "3"),
        ("PUT", "é", "2"),
        ("POST", {"a": "1"}, "3"),
    ],
)
def test_content_length(method, data, length) -> None:
    assert make(method, data=data).headers.get("Content-Length") == length


def test_unknown_length_body_is_chunked() -> None:
    async def gen():
        yield b"x"

    req = make("POST", data=gen())
    assert req.headers["Transfer-Encoding"] == "chunked"
    assert not req.body.resendable


def test_file_body_has_its_length() -> None:
    req = make("POST", data=io.BytesIO(b"12345"))
    assert req.headers["Content-Length"] == "5"
    assert req.body.resendable


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"chunked": True, "headers": {"Content-Length": "3"}}, "Content-Length"),
        ({"chunked": True, "version": HttpVersion10}, "HTTP/1.0"),
        ({"compress": "gzip", "headers": {"Content-Encoding": "br"}}, "Content-Encoding"),
        ({"chunked": True, "headers": {"Transfer-Encoding": "gzip"}}, "Transfer-Encoding"),
    ],
)
def test_conflicting_framing_is_refused(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        make("POST", data=b"abc", **kwargs)


def test_compress_implies_chunked() -> None:
    req = make("POST", data=b"abc", compress=True)
    assert req.headers["Content-Encoding"] == "deflate"
    assert req.headers["Transfer-Encoding"] == "chunked"


def test_expect_continue_both_ways() -> None:
    assert make("POST", data=b"x", expect100=True).headers["Expect"] == "100-continue"
    assert make("POST", data=b"x", headers={"Expect": "100-continue"}).expect100


def test_auth_from_argument_or_url() -> None:
    auth = basic_auth("u", "p")
    assert make(auth=auth).headers["Authorization"] == encode_basic_auth("u", "p")
    assert make(url="http://a:b@e.org/").headers["Authorization"] == encode_basic_auth("a", "b")
    explicit = make(auth=auth, headers={"Authorization": "Bearer t"})
    assert explicit.headers["Authorization"] == "Bearer t"


def test_cookies_join_the_cookie_field_sorted_by_name_as_in_3x() -> None:
    req = make(cookies="a=1", headers={"Cookie": "b=2"})
    assert req.headers["Cookie"] == "a=1; b=2"
    # A cookie given replaces the field's pair of the same name.
    assert make(cookies={"b": "3"}, headers={"Cookie": "b=2; c=1"}).headers["Cookie"] == "b=3; c=1"


def test_connection_key_separates_tls_and_proxies() -> None:
    plain = make(url="http://e.org/").connection_key
    tls = make(url="https://e.org/").connection_key
    proxied = make(url="http://e.org/", proxy=URL("http://p:1")).connection_key
    assert len({plain, tls, proxied}) == 3
    assert make(url="http://e.org/x").connection_key == plain


def test_merge_headers_replaces_names() -> None:
    merged = merge_headers({"A": "1", "B": "2"}, [("a", "3"), ("a", "4")], None)
    assert merged.getall("A") == ["3", "4"]
    assert merged["B"] == "2"


def test_an_explicit_host_header_is_kept_as_given() -> None:
    req = make(url="http://python.org.:99/", headers={"Host": "example.com.:99"})
    assert req.headers["Host"] == "example.com.:99"
