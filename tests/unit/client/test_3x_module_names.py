"""Names aiohttp 3.x's client modules hold beyond ``__all__``, which its test suite and
extensions import: each is the object that does that job here."""

from __future__ import annotations

import ssl
import warnings

import pytest

from aiohttp import client_middleware_digest_auth, client_reqrep, connector, resolver
from aiohttp.client import digest, headers, tls
from aiohttp.client.resolver import DnsCache, ResolveResult


def test_ssl_contexts_are_the_ones_connections_use() -> None:
    verified = connector._SSL_CONTEXT_VERIFIED
    unverified = connector._SSL_CONTEXT_UNVERIFIED
    assert verified is tls.context_for(True)
    assert unverified is tls.context_for(False)
    assert verified.verify_mode is ssl.CERT_REQUIRED
    assert verified.check_hostname
    assert unverified.verify_mode is ssl.CERT_NONE
    assert not unverified.check_hostname


def test_merge_ssl_params_turns_the_deprecated_arguments_into_ssl() -> None:
    merge = client_reqrep._merge_ssl_params
    with pytest.warns(DeprecationWarning, match="verify_ssl is deprecated"):
        assert merge(True, False, None, None) is False
    digest_ = b"\x00" * 32
    with pytest.warns(DeprecationWarning, match="fingerprint is deprecated"):
        assert merge(None, None, None, digest_) == tls.Fingerprint(digest_)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert merge(None, None, None, None) is True


def test_default_accept_encoding_is_what_requests_send() -> None:
    value = client_reqrep._gen_default_accept_encoding()
    assert value == headers.ACCEPT_ENCODING
    assert value.startswith("gzip, deflate")


def test_digest_header_pairs_pattern_finds_each_auth_param() -> None:
    found = client_middleware_digest_auth._HEADER_PAIRS_PATTERN.findall(
        'realm="a, b", nonce=abc, qop="auth"'
    )
    assert [name for name, *_ in found] == ["realm", "nonce", "qop"]
    assert client_middleware_digest_auth._HEADER_PAIRS_PATTERN is digest._PAIR


def test_resolver_module_names_the_result_type() -> None:
    assert resolver.ResolveResult is ResolveResult


async def test_dns_cache_table_is_the_connectors_dns_cache() -> None:
    conn = connector.TCPConnector(ttl_dns_cache=None, dns_cache_max_size=2)
    try:
        assert type(conn._cache) is connector._DNSCacheTable is DnsCache
    finally:
        await conn.close()


def test_address_and_socket_factory_types_are_exported_as_in_3x() -> None:
    import aiohttp

    assert aiohttp.AddrInfoType is connector.AddrInfoType
    assert aiohttp.SocketFactoryType is connector.SocketFactoryType
    assert "AddrInfoType" in aiohttp.__all__
    assert "SocketFactoryType" in aiohttp.__all__


def test_basic_auth_without_the_deprecation_warning_has_its_3x_name() -> None:
    from aiohttp import helpers

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        auth = helpers._basic_auth_no_warn("user", "pass")
    assert isinstance(auth, helpers.BasicAuth)
    assert tuple(auth) == ("user", "pass", "latin1")
