"""Compact tables the WebSocket corpus is generated from, one family per Autobahn category.

Each ``family_*`` function adds the cases of one side to a ``Builder``; ``generate.py`` writes
them to ``conformance/cases/websocket/<side>-<topic>.json``. The tables are the readable source;
the JSON files are the corpus other stacks reuse.
"""

from __future__ import annotations

from collections.abc import Callable

from conformance.rfctext import levels
from conformance.websocket.families.common import Builder, Case
from conformance.websocket.families.exchange import (
    family_data,
    family_failing,
    family_large,
    family_masking,
)
from conformance.websocket.families.frames import (
    family_fragmentation,
    family_framing,
    family_opcodes,
    family_pings,
    family_reserved_bits,
)
from conformance.websocket.families.handshake import (
    family_deflate_client,
    family_deflate_server,
    family_handshake_client,
    family_handshake_server,
)
from conformance.websocket.families.quotes import quote_for
from conformance.websocket.families.text import family_close, family_limits, family_utf8

__all__ = ["FAMILIES", "build"]

FAMILIES: dict[str, list[Callable[[Builder], None]]] = {
    "framing": [family_framing],
    "pings": [family_pings],
    "reserved-bits": [family_reserved_bits],
    "opcodes": [family_opcodes],
    "fragmentation": [family_fragmentation],
    "utf8": [family_utf8],
    "close": [family_close],
    "limits": [family_limits],
    "masking": [family_masking],
    "data": [family_data],
    "failing": [family_failing],
    "large": [family_large],
}


def build(side: str) -> dict[str, list[Case]]:
    """Every case of ``side``, grouped by topic (one file each)."""
    out: dict[str, list[Case]] = {}
    topics = dict(FAMILIES)
    if side == "server":
        topics["handshake"] = [family_handshake_server]
        topics["deflate"] = [family_deflate_server]
    else:
        topics["handshake"] = [family_handshake_client]
        topics["deflate"] = [family_deflate_client]
    for topic, makers in topics.items():
        b = Builder(side)
        for make in makers:
            make(b)
        out[topic] = [with_quote(case) for case in b.cases]
    return out


def with_quote(case: Case) -> Case:
    """The case with the sentence it tests (:mod:`.quotes`), whose keyword sets its level.

    The citation is added to ``rfc`` when the family did not list it. A case no rule names is
    left without a quote, which the corpus check refuses.
    """
    found = quote_for(case["id"])
    if found is None:
        return case
    source, text = found
    out: Case = {}
    for key, value in case.items():
        out[key] = value
        if key == "description":
            out["quote"] = {"from": source, "text": text}
    if source not in out["rfc"]:
        out["rfc"] = [*out["rfc"], source]
    found_levels = levels(text)
    if len(found_levels) == 1:
        out["level"] = next(iter(found_levels))
    return out
