"""Proxy headers: ``Forwarded`` (RFC 7239) and the de-facto ``X-Forwarded-*`` fields.

:func:`parse_forwarded` reads every ``Forwarded`` field into one mapping per hop, client side
first, as :attr:`aiohttp.web.BaseRequest.forwarded` exposes them.

:class:`TrustedProxies` decides which peers may speak for their clients. A request's
``remote``, ``scheme`` and ``host`` are taken from proxy headers **only** when the connection
comes from a configured trusted address; the headers are then read from the right (the hop
nearest to us) leftwards, skipping hops that are themselves trusted, and the first untrusted
hop is the client. Its ``proto`` and ``host`` (as recorded by the proxy that saw it) give the
scheme and host. From any other peer the headers are ignored, so a client cannot pretend to
be someone else::

    web.run_app(app, trusted_proxies=["127.0.0.1", "10.0.0.0/8"])
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import NamedTuple

from multidict import CIMultiDictProxy

__all__ = ["UNIX", "ProxyView", "TrustedProxies", "parse_forwarded"]

# forwarded-pair = token "=" value; value = token / quoted-string (RFC 7239 §4). A token
# value may end in a port, ``for=1.2.3.4:80``, which §6 says to quote but 3.x takes as it is.
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_QUOTED = r'"(?:[\t !#-\[\]-~\x80-\xff]|\\[\t !-~\x80-\xff])*"'
FORWARDED_PAIR_RE = re.compile(rf"[ \t]*({_TOKEN})=({_TOKEN}(?::[0-9]{{1,4}})?|{_QUOTED})[ \t]*")
_ELEMENT_RE = re.compile(rf'((?:{_QUOTED}|[^,"])*)(,|$)')
_BALANCED_RE = re.compile(rf'(?:{_QUOTED}|[^,"])*')
_QUOTED_PAIR_RE = re.compile(r"\\([\t !-~\x80-\xff])")

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _unquote(value: str) -> str:
    if value.startswith('"'):
        return _QUOTED_PAIR_RE.sub(r"\1", value[1:-1])
    return value


def _parse_element(text: str) -> dict[str, str] | None:
    elem: dict[str, str] = {}
    for pair in text.split(";"):
        if not pair.strip(" \t"):
            continue
        match = FORWARDED_PAIR_RE.fullmatch(pair)
        if match is None:
            return None
        elem.setdefault(match.group(1).lower(), _unquote(match.group(2)))
    return elem


def parse_forwarded(values: Iterable[str]) -> tuple[Mapping[str, str], ...]:
    """Parse ``Forwarded`` field values into one read-only mapping per element (RFC 7239 §4).

    Parameter names are lower-cased, quoted values unquoted; a malformed element becomes an
    empty mapping so the hop count stays right. A quote left open spoils only its own pair:
    the next element starts after the next comma (so an element a proxy appended is kept).
    """
    elems: list[Mapping[str, str]] = []
    for value in values:
        pos = 0
        while True:
            # Commas inside quoted strings do not separate elements.
            match = _ELEMENT_RE.match(value, pos)
            if match is None:  # an unbalanced quote: it spoils its own pair only (as 3.x)
                end = _BALANCED_RE.match(value, pos).end()  # type: ignore[union-attr]
                kept = value[pos:end].rpartition(";")[0]
                elems.append(MappingProxyType(_parse_element(kept) or {}))
                pos = value.find(",", end) + 1
                if not pos:
                    break
                continue
            elems.append(MappingProxyType(_parse_element(match.group(1)) or {}))
            if not match.group(2):
                break
            pos = match.end()
    return tuple(elems)


def _node_address(node: str) -> str:
    """The address of an RFC 7239 §6 node: ``1.2.3.4:80``, ``"[2001:db8::1]:80"``, ``_hidden``."""
    if node.startswith("["):
        return node[1 : node.find("]")] if "]" in node else node
    if node.count(":") == 1:
        return node.partition(":")[0]
    return node


class ProxyView(NamedTuple):
    """What trusted proxy headers say about the client (``None``: not stated)."""

    remote: str | None
    scheme: str | None
    host: str | None


#: In ``trusted_proxies``: trust every peer connected over a Unix domain socket.
UNIX = "unix"


class TrustedProxies:
    """The peer addresses (single addresses or networks) whose proxy headers are believed.

    Args:
        networks: Addresses or CIDR networks, e.g. ``["127.0.0.1", "10.0.0.0/8", "::1"]``;
            the name ``"unix"`` trusts peers on Unix domain sockets (a proxy on the same
            host, such as nginx with ``proxy_pass http://unix:...``).
    """

    def __init__(self, networks: Iterable[str]) -> None:
        names = list(networks)
        self._unix = UNIX in names
        self._networks: tuple[_Network, ...] = tuple(
            ipaddress.ip_network(n, strict=False) for n in names if n != UNIX
        )

    def __bool__(self) -> bool:
        return bool(self._networks) or self._unix

    def trusts(self, address: str | None) -> bool:
        """Whether ``address`` is a trusted proxy (``""``: a Unix socket peer)."""
        if not address:
            return self._unix and address == ""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self._networks)

    def resolve(self, peer: str | None, headers: CIMultiDictProxy[str]) -> ProxyView | None:
        """What the proxy headers say, or ``None`` when ``peer`` is not trusted."""
        if not self.trusts(peer):
            return None
        if "Forwarded" in headers:
            elems = parse_forwarded(headers.getall("Forwarded"))
            for elem in reversed(elems):
                node = elem.get("for")
                address = _node_address(node) if node is not None else None
                if address is None or not self.trusts(address):
                    return ProxyView(address, elem.get("proto"), elem.get("host"))
            return ProxyView(None, None, None)
        return self._x_forwarded(headers)

    def _x_forwarded(self, headers: CIMultiDictProxy[str]) -> ProxyView:
        hops = _list(headers, "X-Forwarded-For")
        protos = _list(headers, "X-Forwarded-Proto")
        hosts = _list(headers, "X-Forwarded-Host")
        index = None
        for i in range(len(hops) - 1, -1, -1):
            if not self.trusts(hops[i]):
                index = i
                break
        remote = hops[index] if index is not None else None
        return ProxyView(remote, _pick(protos, index, len(hops)), _pick(hosts, index, len(hops)))


def _list(headers: CIMultiDictProxy[str], name: str) -> list[str]:
    values = headers.getall(name, ())
    return [v.strip(" \t") for value in values for v in value.split(",") if v.strip(" \t")]


def _pick(values: list[str], index: int | None, hops: int) -> str | None:
    """The value recorded for hop ``index``; the nearest proxy's when the lists don't align."""
    if not values:
        return None
    if index is not None and len(values) == hops:
        return values[index]
    return values[-1]
