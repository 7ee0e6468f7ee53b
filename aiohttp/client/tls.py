"""TLS settings for the client: the ``ssl=`` argument, default contexts and :class:`Fingerprint`."""

from __future__ import annotations

import functools
import hashlib
import ssl
import warnings
from typing import Any

from .exceptions import ServerFingerprintMismatch

__all__ = (
    "Fingerprint",
    "SSLSetting",
    "check_fingerprint",
    "check_setting",
    "context_for",
    "merge_ssl_params",
)


class Fingerprint:
    """Pin a server certificate by the SHA-256 digest of its DER form.

    Verification of the chain is turned off when a fingerprint is given: the pin is the trust.

    Args:
        fingerprint: The 32-byte SHA-256 digest of the certificate.

    Raises:
        ValueError: For an MD5 or SHA-1 digest (insecure) or any other length.
    """

    __slots__ = ("_fingerprint",)

    HASHFUNC_BY_DIGESTLEN = {16: hashlib.md5, 20: hashlib.sha1, 32: hashlib.sha256}  # noqa: RUF012
    """The hash of each digest length (3.x's table; only SHA-256 pins are accepted)."""

    def __init__(self, fingerprint: bytes) -> None:
        digestlen = len(fingerprint)
        if digestlen in (16, 20):
            raise ValueError("md5 and sha1 are insecure and not supported. Use sha256.")
        if digestlen != 32:
            raise ValueError("fingerprint has invalid length")
        self._fingerprint = fingerprint

    @property
    def fingerprint(self) -> bytes:
        """The pinned digest."""
        return self._fingerprint

    def matches(self, der_certificate: bytes) -> bool:
        """Whether a DER certificate has the pinned digest."""
        return hashlib.sha256(der_certificate).digest() == self._fingerprint

    def digest_of(self, der_certificate: bytes) -> bytes:
        """The SHA-256 digest of a DER certificate."""
        return hashlib.sha256(der_certificate).digest()

    def check(self, transport: Any) -> None:
        """Compare the certificate the server sent over ``transport`` with the pin; a
        transport without TLS has none, and passes (as in 3.x: the connector never pins one).

        Raises:
            ServerFingerprintMismatch: The digests differ (or no certificate was sent).
        """
        if transport is None or not transport.get_extra_info("sslcontext"):
            return
        peer = transport.get_extra_info("peername")
        host, port = (peer[0], peer[1]) if peer else ("", 0)
        check_fingerprint(transport, self, host, port)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fingerprint) and other._fingerprint == self._fingerprint

    def __hash__(self) -> int:
        return hash(self._fingerprint)

    def __repr__(self) -> str:
        return f"<Fingerprint {self._fingerprint.hex()}>"


SSLSetting = bool | ssl.SSLContext | Fingerprint
"""What ``ssl=`` accepts: ``True`` (verify), ``False`` (don't), a context, or a pin."""


_ALPN = ("http/1.1",)  # offered by the library's own contexts, as 3.x does (RFC 7301 §3.1)


@functools.cache
def _verified_context() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.set_alpn_protocols(_ALPN)
    return ctx


@functools.cache
def _unverified_context() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(_ALPN)
    return ctx


def merge_ssl_params(ssl: Any, verify_ssl: bool | None, ssl_context: Any, fingerprint: Any) -> Any:
    """The ``ssl=`` setting, taking the deprecated ``verify_ssl``, ``ssl_context`` and
    ``fingerprint`` arguments into account (each warns, as in 3.x).

    Raises:
        ValueError: A deprecated argument given with ``ssl`` or with another one.
        TypeError: The resulting setting is none of bool, SSLContext or Fingerprint.
    """
    if ssl is None:
        ssl = True
    legacy: tuple[tuple[bool, str, str, Any], ...] = (
        (verify_ssl is not None and not verify_ssl, "verify_ssl", "ssl=False", False),
        (ssl_context is not None, "ssl_context", "ssl=context", ssl_context),
        (fingerprint is not None, "fingerprint", "ssl=Fingerprint(fingerprint)", fingerprint),
    )
    for given, name, modern, value in legacy:
        if not given:
            continue
        warnings.warn(
            f"{name} is deprecated, use {modern} instead", DeprecationWarning, stacklevel=3
        )
        if ssl is not True:
            raise ValueError(
                "verify_ssl, ssl_context, fingerprint and ssl parameters are mutually exclusive"
            )
        ssl = Fingerprint(value) if name == "fingerprint" else value
    check_setting(ssl)
    return ssl


def check_setting(setting: Any) -> None:
    """Refuse an ``ssl=`` value that is none of bool, SSLContext or Fingerprint.

    Raises:
        TypeError: For any other value.
    """
    if not (setting is None or isinstance(setting, bool | ssl.SSLContext | Fingerprint)):
        raise TypeError(_wrong_type(setting))


def _wrong_type(setting: Any) -> str:
    return f"ssl should be SSLContext, bool, Fingerprint or None, got {setting!r} instead."


def context_for(setting: Any) -> ssl.SSLContext:
    """The SSL context to use for an ``ssl=`` setting on an https connection.

    Raises:
        TypeError: When the setting is none of bool, SSLContext or Fingerprint.
    """
    if setting is True or setting is None:
        return _verified_context()
    if isinstance(setting, ssl.SSLContext):
        return setting
    if setting is False or isinstance(setting, Fingerprint):
        return _unverified_context()
    raise TypeError(_wrong_type(setting))


def check_fingerprint(transport: Any, fingerprint: Fingerprint, host: str, port: int) -> None:
    """Compare the certificate the server sent over ``transport`` with the pin.

    Raises:
        ServerFingerprintMismatch: The digests differ (or no certificate was sent).
    """
    ssl_object = transport.get_extra_info("ssl_object") if transport is not None else None
    der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    if not der or not fingerprint.matches(der):
        got = fingerprint.digest_of(der) if der else b""
        raise ServerFingerprintMismatch(fingerprint.fingerprint, got, host, port)
