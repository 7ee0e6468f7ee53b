"""The opening handshake of RFC 6455 §4, for both sides, as pure functions over header fields.

The server checks a request and builds the 101 answer (§4.2.1, §4.2.2), negotiating the
subprotocol (§1.9, §11.3.4) and permessage-deflate (RFC 7692 §5). The client builds the request
(§4.1) and checks the answer, failing the connection on anything it did not ask for. Failures raise
:class:`~.errors.HandshakeError` with the HTTP status a server answers with.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import os
from collections.abc import Iterable, Sequence

from multidict import MultiMapping

from ..abnf import lower_token
from .deflate import DeflateParams, client_offer, negotiate_server, validate_client
from .errors import HandshakeError

__all__ = [
    "ClientHandshake",
    "ServerHandshake",
    "accept_key",
    "check_client_response",
    "check_server_request",
    "client_request_headers",
    "new_key",
]

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 §1.3
VERSION = "13"  # RFC 6455 §4.1 item 9


def accept_key(key: str) -> str:
    """The ``Sec-WebSocket-Accept`` value for a ``Sec-WebSocket-Key`` (RFC 6455 §4.2.2 item 5.4)."""
    return base64.b64encode(hashlib.sha1((key + GUID).encode("ascii")).digest()).decode("ascii")


def new_key() -> str:
    """A fresh ``Sec-WebSocket-Key``: 16 random bytes, base64-encoded (RFC 6455 §4.1 item 7)."""
    return base64.b64encode(os.urandom(16)).decode("ascii")


def _tokens(headers: MultiMapping[str], name: str) -> list[str]:
    """The elements of a comma-separated list field, all values joined (RFC 9110 §5.6.1)."""
    return [
        t.strip(" \t") for v in headers.getall(name, ()) for t in v.split(",") if t.strip(" \t")
    ]


def _has_token(headers: MultiMapping[str], name: str, token: str) -> bool:
    """Whether the list field ``name`` names ``token``, compared in ASCII only (RFC 9110
    §5.6.2): ``websoc\u212aet`` with a Kelvin sign is not ``websocket``."""
    return token in (lower_token(t) for t in _tokens(headers, name))


@dataclasses.dataclass(frozen=True, slots=True)
class ServerHandshake:
    """A request accepted by :func:`check_server_request`.

    Attributes:
        protocol: the chosen subprotocol or ``None``.
        deflate: the permessage-deflate parameters in force or ``None``.
        headers: the fields of the 101 response.
    """

    protocol: str | None
    deflate: DeflateParams | None
    headers: tuple[tuple[str, str], ...]


def check_server_request(
    method: str,
    headers: MultiMapping[str],
    *,
    version: tuple[int, int] = (1, 1),
    protocols: Iterable[str] = (),
    compress: bool = True,
) -> ServerHandshake:
    """Validate an opening handshake request (RFC 6455 §4.2.1) and prepare the 101 answer.

    Args:
        method: the request method.
        headers: the request header fields.
        version: the HTTP version.
        protocols: the subprotocols we speak; the client's first one we know is chosen.
        compress: whether to accept permessage-deflate.

    Raises:
        HandshakeError: with ``status`` 405, 400 or 426 (and the fields to send with it).
    """
    if method != "GET":
        raise HandshakeError(405, "WebSocket handshake needs GET", (("Allow", "GET"),))
    if version < (1, 1):
        raise HandshakeError(400, "WebSocket handshake needs HTTP/1.1")
    if not _has_token(headers, "Upgrade", "websocket"):
        raise HandshakeError(400, "No WebSocket UPGRADE hdr")
    if not _has_token(headers, "Connection", "upgrade"):
        raise HandshakeError(400, "No CONNECTION upgrade hdr")
    versions = headers.getall("Sec-WebSocket-Version", ())
    if len(versions) != 1 or versions[0].strip(" \t") != VERSION:
        raise HandshakeError(
            426, "Unsupported WebSocket version", (("Sec-WebSocket-Version", VERSION),)
        )
    keys = headers.getall("Sec-WebSocket-Key", ())
    if len(keys) != 1 or not _valid_key(keys[0].strip(" \t")):
        raise HandshakeError(400, "Handshake error: bad Sec-WebSocket-Key")
    out = [
        ("Upgrade", "websocket"),
        ("Connection", "upgrade"),
        ("Sec-WebSocket-Accept", accept_key(keys[0].strip(" \t"))),
    ]
    ours = list(protocols)
    protocol = next((p for p in _tokens(headers, "Sec-WebSocket-Protocol") if p in ours), None)
    if protocol is not None:
        out.append(("Sec-WebSocket-Protocol", protocol))
    deflate = None
    if compress:
        deflate = negotiate_server(list(headers.getall("Sec-WebSocket-Extensions", ())))
        if deflate is not None:
            out.append(("Sec-WebSocket-Extensions", deflate.header_value()))
    return ServerHandshake(protocol, deflate, tuple(out))


def _valid_key(key: str) -> bool:
    try:
        return len(base64.b64decode(key, validate=True)) == 16
    except binascii.Error:
        return False


def client_request_headers(
    key: str, *, protocols: Sequence[str] = (), compress: int = 15, origin: str | None = None
) -> list[tuple[str, str]]:
    """The fields a client adds to its GET (RFC 6455 §4.1).

    Args:
        key: from :func:`new_key`.
        protocols: subprotocols to offer, in order of preference.
        compress: the permessage-deflate window to offer (9-15), 0 to offer none.
        origin: the ``Origin`` field value, if any.
    """
    out = [
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Version", VERSION),
        ("Sec-WebSocket-Key", key),
    ]
    if protocols:
        out.append(("Sec-WebSocket-Protocol", ", ".join(protocols)))
    if compress:
        out.append(("Sec-WebSocket-Extensions", client_offer(compress)))
    if origin is not None:
        out.append(("Origin", origin))
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class ClientHandshake:
    """A server answer accepted by :func:`check_client_response`.

    Attributes:
        protocol: the subprotocol the server chose, or ``None``.
        deflate: the permessage-deflate parameters in force, or ``None``.
    """

    protocol: str | None
    deflate: DeflateParams | None


def check_client_response(
    status: int,
    headers: MultiMapping[str],
    *,
    key: str,
    protocols: Sequence[str] = (),
    compress: int = 15,
) -> ClientHandshake:
    """Check the server's answer to our opening handshake (RFC 6455 §4.1, §4.2.2).

    Raises:
        HandshakeError: anything the RFC says makes the client fail the connection;
            ``status`` is the response status.
    """
    if status != 101:
        raise HandshakeError(status, "Invalid response status")
    if not _has_token(headers, "Upgrade", "websocket"):
        raise HandshakeError(status, "Invalid upgrade header")
    if not _has_token(headers, "Connection", "upgrade"):
        raise HandshakeError(status, "Invalid connection header")
    if headers.getall("Sec-WebSocket-Accept", ()) != [accept_key(key)]:
        raise HandshakeError(status, "Invalid challenge response")
    chosen = _tokens(headers, "Sec-WebSocket-Protocol")
    if len(chosen) > 1 or (chosen and chosen[0] not in protocols):
        raise HandshakeError(status, "Server chose a subprotocol that was not offered")
    try:
        deflate = validate_client(list(headers.getall("Sec-WebSocket-Extensions", ())), compress)
    except HandshakeError as exc:
        raise HandshakeError(status, str(exc)) from None
    return ClientHandshake(chosen[0] if chosen else None, deflate)
