"""Redirect rules (RFC 9110 §15.4, §10.2.2)."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict
from yarl import URL

import aiohttp.client
from aiohttp.client.exceptions import InvalidUrlRedirectClientError, NonHttpUrlRedirectClientError
from aiohttp.client.redirects import next_hop, redirect_headers, same_origin

BASE = URL("http://example.com/a/b?q=1")


@pytest.mark.parametrize(
    ("status", "method", "new_method", "keep_body"),
    [
        pytest.param(301, "POST", "GET", False, id="RFC9110-15.4.2"),
        pytest.param(302, "POST", "GET", False, id="RFC9110-15.4.3"),
        pytest.param(302, "DELETE", "DELETE", True, id="RFC9110-15.4.3-only-post-becomes-get"),
        pytest.param(301, "PUT", "PUT", True, id="RFC9110-15.4.2-only-post-becomes-get"),
        pytest.param(303, "PUT", "GET", False, id="RFC9110-15.4.4-put"),
        pytest.param(303, "POST", "GET", False, id="RFC9110-15.4.4"),
        pytest.param(303, "HEAD", "HEAD", False, id="RFC9110-15.4.4-head"),
        pytest.param(307, "POST", "POST", True, id="RFC9110-15.4.8"),
        pytest.param(308, "PATCH", "PATCH", True, id="RFC9110-15.4.9"),
        pytest.param(307, "HEAD", "HEAD", True, id="RFC9110-15.4.8-head"),
    ],
)
def test_method_rules(status, method, new_method, keep_body) -> None:
    hop = next_hop(status, method, BASE, "/next")
    assert (hop.method, hop.keep_body) == (new_method, keep_body)


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        pytest.param("/abs", "http://example.com/abs", id="RFC9110-10.2.2-absolute-path"),
        pytest.param("rel", "http://example.com/a/rel", id="RFC9110-10.2.2-relative"),
        pytest.param("../up", "http://example.com/up", id="RFC9110-10.2.2-dot-dot"),
        pytest.param("//other.org/x", "http://other.org/x", id="RFC3986-4.2-network-path"),
        pytest.param("https://e.org/", "https://e.org/", id="absolute"),
        pytest.param("/caf%C3%A9", "http://example.com/caf%C3%A9", id="encoded-kept"),
        # RFC 3986 §5.2.2: a non-strict reader drops a scheme equal to the base's when no
        # authority follows, as browsers (and 3.x) do.
        pytest.param("http:/ok", "http://example.com/ok", id="RFC3986-5.2.2-same-scheme-path"),
        pytest.param("http:ok", "http://example.com/a/ok", id="RFC3986-5.2.2-same-scheme-rel"),
        pytest.param("http:/", "http://example.com/", id="RFC3986-5.2.2-same-scheme-root"),
    ],
)
def test_location_resolution(location, expected) -> None:
    assert str(next_hop(302, "GET", BASE, location).url) == expected


def test_fragment_is_inherited() -> None:
    # RFC 9110 §10.2.2: a Location without a fragment inherits the request's.
    hop = next_hop(302, "GET", URL("http://e.org/a#frag"), "/b")
    assert hop.url.fragment == "frag"


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://e.org/", "javascript:x"])
def test_non_http_targets_refused(location) -> None:
    with pytest.raises(NonHttpUrlRedirectClientError):
        next_hop(302, "GET", BASE, location)


NOT_A_URL = "Server attempted redirecting to a location that does not look like a URL"
NO_ORIGIN = "Invalid redirect URL origin"


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://[bad", NOT_A_URL),
        ("http:///nohost", NO_ORIGIN),
        ("https:/ok", NO_ORIGIN),
        ("http:\\\\e.org/x", NO_ORIGIN),
        ("http://e.org:port/", NOT_A_URL),
        ("http://e.org:999999/", NOT_A_URL),
        ("http://:/", NO_ORIGIN),
    ],
)
def test_invalid_targets_refused(location: str, message: str) -> None:
    # 3.x's messages, after the location: "<location> - <why>".
    with pytest.raises(InvalidUrlRedirectClientError) as info:
        next_hop(302, "GET", BASE, location)
    assert str(info.value) == f"{location} - {message}"


def test_same_origin() -> None:
    assert same_origin(URL("http://a/x"), URL("http://a:80/y"))
    assert not same_origin(URL("http://a/"), URL("https://a/"))
    assert not same_origin(URL("http://a/"), URL("http://b/"))
    assert not same_origin(URL("http://a:8080/"), URL("http://a/"))


def test_credentials_dropped_across_origins_only() -> None:
    headers = CIMultiDict(
        {"Authorization": "x", "Cookie": "c", "Proxy-Authorization": "p", "X-Keep": "1"}
    )
    other = redirect_headers(headers, next_hop(307, "POST", BASE, "http://evil.org/"))
    assert set(other) == {"X-Keep"}
    same = redirect_headers(headers, next_hop(307, "POST", BASE, "/same"))
    assert set(same) == set(headers)


def test_body_headers_dropped_when_body_is() -> None:
    headers = CIMultiDict({"Content-Type": "text/plain", "Content-Length": "3", "X": "1"})
    assert set(redirect_headers(headers, next_hop(303, "POST", BASE, "/"))) == {"X"}


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("http:/ok", True),
        ("http:ok", True),
        ("http:", True),
        ("http://example.com/", False),
        ("  http://example.com/", False),  # leading C0 controls and spaces are dropped
        ("http:/\t/example.com", False),  # tabs and newlines are dropped
        ("http:\\\\example.com", False),  # a backslash reads as a slash
        ("http:\\/example.com", False),
    ],
)
def test_has_no_authority_as_browsers_read_it(location: str, expected: bool) -> None:
    assert aiohttp.client._has_no_authority(location, "http") is expected
