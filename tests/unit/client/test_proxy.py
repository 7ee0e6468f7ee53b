"""Proxy selection from the environment, NO_PROXY and .netrc."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest
from yarl import URL

from aiohttp import ClientSession, InvalidURL, helpers
from aiohttp.client import proxy
from aiohttp.client.proxy import bypassed, netrc_auth, proxy_from_env


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("host", "port", "no_proxy", "expected"),
    [
        ("example.com", 80, "example.com", True),
        ("api.example.com", 80, ".example.com", True),
        ("api.example.com", 80, "example.com", True),
        ("notexample.com", 80, "example.com", False),
        ("example.com", 80, "*", True),
        ("example.com", 8080, "example.com:8080", True),
        ("example.com", 80, "example.com:8080", False),
        ("Example.COM.", 80, " other.org , example.com ", True),
        ("example.com", 80, "", False),
    ],
)
def test_no_proxy_matching(host, port, no_proxy, expected) -> None:
    assert bypassed(host, port, no_proxy) is expected


def test_proxy_by_scheme_with_credentials(monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://user:pw@proxy:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://tls-proxy:3128")
    proxy, auth = proxy_from_env(URL("http://example.com/"))
    assert proxy == URL("http://proxy:3128")
    assert auth == ("user", "pw", "latin1")  # made without BasicAuth's deprecation warning
    assert proxy_from_env(URL("https://example.com/"))[0] == URL("http://tls-proxy:3128")
    assert proxy_from_env(URL("wss://example.com/"))[0] == URL("http://tls-proxy:3128")


def test_no_proxy_and_absent_proxy(monkeypatch) -> None:
    assert proxy_from_env(URL("http://example.com/")) is None
    monkeypatch.setenv("HTTP_PROXY", "http://proxy:3128")
    monkeypatch.setenv("NO_PROXY", "example.com")
    assert proxy_from_env(URL("http://example.com/")) is None
    assert proxy_from_env(URL("http://other.org/")) is not None


def test_socks_proxies_are_not_used(monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "socks5://proxy:1080")
    assert proxy_from_env(URL("http://example.com/")) is None


def test_netrc(tmp_path: Path, monkeypatch) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine example.com login alice password s3cret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert netrc_auth("example.com") == ("alice", "s3cret", "latin1")  # and without a warning
    assert netrc_auth("other.org") is None
    monkeypatch.setenv("NETRC", str(tmp_path / "missing"))
    assert netrc_auth("example.com") is None


@pytest.mark.parametrize(("windows", "name"), [(False, ".netrc"), (True, "_netrc")])
def test_netrc_default_file_is_the_platforms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows: bool, name: str
) -> None:
    # Without $NETRC the file is ~/.netrc, or ~/_netrc on Windows (as curl and 3.x read it).
    (tmp_path / name).write_text("machine example.com login alice password s3cret\n")
    (tmp_path / name).chmod(0o600)
    monkeypatch.delenv("NETRC", raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path))
    monkeypatch.setattr(proxy, "IS_WINDOWS", windows)
    assert netrc_auth("example.com") == ("alice", "s3cret", "latin1")
    monkeypatch.setattr(proxy, "IS_WINDOWS", not windows)
    assert netrc_auth("example.com") is None


def test_platform_flags_have_their_3x_home() -> None:
    assert helpers.IS_WINDOWS is (platform.system() == "Windows")
    assert helpers.IS_MACOS is (platform.system() == "Darwin")


def test_proxy_from_env_takes_its_credentials_from_netrc(tmp_path: Path, monkeypatch) -> None:
    # With trust_env, a proxy named without userinfo gets the netrc entry of its host (3.x);
    # userinfo in the variable wins.
    netrc = tmp_path / "netrc"
    netrc.write_text("machine proxy.example login alice password s3cret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    found = proxy_from_env(URL("http://example.com/"))
    assert found == (URL("http://proxy.example:3128"), ("alice", "s3cret", "latin1"))
    monkeypatch.setenv("HTTP_PROXY", "http://bob:pw@proxy.example:3128")
    found = proxy_from_env(URL("http://example.com/"))
    assert found == (URL("http://proxy.example:3128"), ("bob", "pw", "latin1"))
    monkeypatch.setenv("HTTP_PROXY", "http://other.example:3128")
    assert proxy_from_env(URL("http://example.com/")) == (URL("http://other.example:3128"), None)


@pytest.mark.parametrize("value", ["InvalidUrl", "/relative", "http://[bad"])
def test_a_proxy_that_is_no_absolute_url_is_an_invalid_url(value: str) -> None:
    # 3.x raises InvalidURL (naming the value) before connecting anywhere.
    with pytest.raises(InvalidURL) as info:
        proxy.proxy_with_auth(value, None)
    assert str(info.value) == value


@pytest.mark.parametrize("value", ["InvalidUrl", "http://[bad"])
async def test_a_session_proxy_that_is_no_url_is_refused_by_each_request(value: str) -> None:
    # 3.x makes the session; each request through that proxy raises InvalidURL.
    async with ClientSession(proxy=value) as session:
        for _ in range(2):
            with pytest.raises(InvalidURL) as info:
                await session.get("http://127.0.0.1:1/")
            assert str(info.value) == value
