"""The session's arguments, checked and turned into its attributes (``settings.configure``)."""

from __future__ import annotations

import pytest
from yarl import URL

import aiohttp
from aiohttp.client.auth import basic_auth


async def test_deprecated_session_arguments_warn_at_the_callers_line() -> None:
    with pytest.warns(DeprecationWarning, match="deprecated") as record:
        session = aiohttp.ClientSession(
            read_timeout=3, ssl_shutdown_timeout=1, auth=basic_auth("u", "p")
        )
    await session.close()
    messages = sorted(str(w.message).split(";")[0].split(",")[0] for w in record)
    assert messages == [
        "The 'auth' parameter is deprecated and will be removed in v4",
        "The ssl_shutdown_timeout parameter is deprecated and ignored",
        "read_timeout is deprecated",
    ]
    assert {w.filename for w in record} == {__file__}


async def test_the_arguments_become_the_sessions_attributes() -> None:
    jar = aiohttp.DummyCookieJar()
    timeout = aiohttp.ClientTimeout(total=7)
    connector = aiohttp.TCPConnector()
    async with aiohttp.ClientSession(
        "http://example.com/base/",
        connector=connector,
        headers={"X-A": "1"},
        skip_auto_headers=["User-Agent"],
        cookie_jar=jar,
        timeout=timeout,
        raise_for_status=True,
        connector_owner=False,
        version="1.0",
    ) as session:
        assert session.headers["X-A"] == "1"
        assert session.skip_auto_headers == frozenset({"user-agent"})
        assert session.cookie_jar is jar
        assert session.timeout is timeout
        assert session.raise_for_status is True
        assert session.connector_owner is False
        assert session.version == aiohttp.HttpVersion10
        assert session.auth is None
        assert not session.closed
    assert not connector.closed  # not owned: left open
    await connector.close()


@pytest.mark.parametrize(
    "base_url", ["http://example.com/a", "http://example.com/a/b?x=1", "http://e.org/api#f"]
)
async def test_base_url_with_a_path_must_end_in_a_slash(base_url: str) -> None:
    # Relative URLs join under the last "/" (RFC 3986 §5.2.3): "http://e.org/a" + "b" would
    # be "http://e.org/b", so 3.x refuses such a base.
    with pytest.raises(ValueError, match=r"^base_url must have a trailing '/'$"):
        aiohttp.ClientSession(base_url=base_url)


@pytest.mark.parametrize("base_url", ["http://example.com", "http://e.org/a/", "http://e.org/a/?x"])
async def test_base_url_ending_in_a_slash_is_taken(base_url: str) -> None:
    async with aiohttp.ClientSession(base_url=base_url) as session:
        assert session._base_url == URL(base_url)
