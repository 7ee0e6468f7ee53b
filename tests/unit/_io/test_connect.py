"""Address ordering for Happy Eyeballs (RFC 8305 §4)."""

from __future__ import annotations

import socket

from aiohttp._io.connect import AddrInfo, interleave_families

V4 = [AddrInfo(socket.AF_INET, socket.SOCK_STREAM, 6, (f"10.0.0.{i}", 80)) for i in range(3)]
V6 = [AddrInfo(socket.AF_INET6, socket.SOCK_STREAM, 6, (f"fd00::{i}", 80, 0, 0)) for i in range(2)]


def test_rfc8305_4_families_alternate_starting_with_the_first() -> None:
    ordered = interleave_families([V6[0], V6[1], V4[0], V4[1], V4[2]])
    assert ordered == [V6[0], V4[0], V6[1], V4[1], V4[2]]


def test_one_family_keeps_its_order() -> None:
    assert interleave_families(V4) == V4
    assert interleave_families([]) == []
