"""TLS: verification against a local CA (trustme), hostname mismatch, fingerprint pinning."""

from __future__ import annotations

import hashlib
import ssl

import pytest
import trustme

from aiohttp.client import (
    ClientConnectorCertificateError,
    ClientSession,
    Fingerprint,
    ServerFingerprintMismatch,
    TCPConnector,
)
from aiohttp.testing.faults import FaultServer, ReceivedRequest


def ok(req: ReceivedRequest) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecure"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def cert(ca: trustme.CA) -> trustme.LeafCert:
    return ca.issue_cert("localhost", "127.0.0.1")


@pytest.fixture
async def server(loop, cert):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    async with FaultServer(ok, ssl=ctx) as srv:
        yield srv


@pytest.fixture
def client_ctx(ca) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ca.configure_trust(ctx)
    return ctx


async def test_verified_request(server, client_ctx) -> None:
    async with ClientSession() as s, s.get(server.make_url("/"), ssl=client_ctx) as resp:
        assert await resp.read() == b"secure"


async def test_connector_wide_context(server, client_ctx) -> None:
    async with (
        ClientSession(connector=TCPConnector(ssl=client_ctx)) as s,
        s.get(server.make_url("/")) as resp,
    ):
        assert resp.status == 200


async def test_untrusted_certificate_is_refused(server) -> None:
    async with ClientSession() as s:
        with pytest.raises(ClientConnectorCertificateError) as info:
            await s.get(server.make_url("/"))
    assert isinstance(info.value.certificate_error, ssl.SSLCertVerificationError)


async def test_hostname_mismatch_is_refused(server, client_ctx) -> None:
    async with ClientSession() as s:
        with pytest.raises(ClientConnectorCertificateError):
            await s.get(server.make_url("/"), ssl=client_ctx, server_hostname="example.org")


async def test_ssl_false_skips_verification(server) -> None:
    async with ClientSession() as s, s.get(server.make_url("/"), ssl=False) as resp:
        assert await resp.read() == b"secure"


async def test_fingerprint_pin_matches(server, cert) -> None:
    der = ssl.PEM_cert_to_DER_cert(cert.cert_chain_pems[0].bytes().decode())
    pin = Fingerprint(hashlib.sha256(der).digest())
    async with ClientSession() as s, s.get(server.make_url("/"), ssl=pin) as resp:
        assert resp.status == 200


async def test_fingerprint_mismatch(server) -> None:
    pin = Fingerprint(hashlib.sha256(b"another certificate").digest())
    async with ClientSession() as s:
        with pytest.raises(ServerFingerprintMismatch) as info:
            await s.get(server.make_url("/"), ssl=pin)
    assert info.value.expected == pin.fingerprint


@pytest.mark.parametrize("digest", [hashlib.md5(b"x").digest(), hashlib.sha1(b"x").digest()])
def test_weak_fingerprints_are_refused(digest: bytes) -> None:
    with pytest.raises(ValueError, match="insecure"):
        Fingerprint(digest)


class _Transport:
    def __init__(self, **extra: object) -> None:
        self._extra = extra

    def get_extra_info(self, name: str, default: object = None) -> object:
        return self._extra.get(name, default)


class _TLSObject:
    def getpeercert(self, binary_form: bool = False) -> bytes:
        return b"the certificate"


def test_fingerprint_check_of_a_transport() -> None:
    # 3.x's Fingerprint.check(): a plain transport has no certificate to compare; over TLS
    # the peer's certificate must have the pinned digest.
    pin = Fingerprint(hashlib.sha256(b"the certificate").digest())
    assert pin.check(_Transport()) is None
    tls = _Transport(
        sslcontext=ssl.create_default_context(),
        ssl_object=_TLSObject(),
        peername=("192.0.2.1", 8443),
    )
    assert pin.check(tls) is None
    other = Fingerprint(hashlib.sha256(b"another certificate").digest())
    with pytest.raises(ServerFingerprintMismatch) as info:
        other.check(tls)
    assert (info.value.host, info.value.port) == ("192.0.2.1", 8443)


def unfinished(req: ReceivedRequest) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsec"


@pytest.mark.parametrize("setting", [False, "fingerprint"])
async def test_the_client_offers_http_1_1_by_alpn(cert, setting) -> None:
    # RFC 7301 §3.1: as 3.x, the library's own TLS contexts offer "http/1.1".
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    async with FaultServer(unfinished, ssl=ctx) as srv, ClientSession() as s:
        if setting == "fingerprint":
            der = ssl.PEM_cert_to_DER_cert(cert.cert_chain_pems[0].bytes().decode())
            setting = Fingerprint(hashlib.sha256(der).digest())
        async with s.get(srv.make_url("/"), ssl=setting) as resp:
            assert resp.connection is not None
            tls = resp.connection.transport.get_extra_info("ssl_object")
            assert tls.selected_alpn_protocol() == "http/1.1"
