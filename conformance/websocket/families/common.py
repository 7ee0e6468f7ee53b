"""Helpers the family tables are written with: payload notation, frames, the case builder."""

from __future__ import annotations

from typing import Any

Case = dict[str, Any]
CLEAN = "clean"
TEXT, BINARY, CLOSE, PING, PONG, CONT = 1, 2, 8, 9, 10, 0


def note(data: bytes) -> str:
    """Bytes in the corpus notation: printable ASCII as is, everything else as ``{xHH}``."""
    out = []
    for byte in data:
        if byte in (0x7B, 0x7D):
            out.append(chr(byte) * 2)
        elif 0x20 <= byte <= 0x7E:
            out.append(chr(byte))
        else:
            out.append(f"{{x{byte:02X}}}")
    return "".join(out)


def rep(unit: str, count: int) -> dict[str, Any]:
    """A repeated payload."""
    return {"repeat": unit, "count": count}


def fr(op: int, data: Any = "", **kw: Any) -> dict[str, Any]:
    """A frame step."""
    return {"frame": {"op": op, "data": data, **kw}}


def echo(op: int, data: Any = "") -> dict[str, Any]:
    """An expected message back."""
    return {"op": op, "data": data}


class Builder:
    """Collects the cases of one side with a common id prefix."""

    def __init__(self, side: str) -> None:
        self.side = side
        self.prefix = "ws-srv" if side == "server" else "ws-cli"
        self.cases: list[Case] = []

    def add(  # noqa: PLR0917 - one table row reads best positionally
        self,
        slug: str,
        sections: list[str],
        level: str,
        description: str,
        send: list[dict[str, Any]],
        expect: dict[str, Any],
        **extra: Any,
    ) -> None:
        """Add one case; ``sections`` like ``["6455 §5.2"]``, the first is the main one.

        ``level`` is what the family expects; the keyword of the sentence the case quotes
        (:mod:`conformance.websocket.families.quotes`) decides it in the generated corpus.
        """
        main = sections[0].split("§")[1]
        rfc = sections[0].split(" ")[0]
        self.cases.append(
            {
                "id": f"{self.prefix}-{rfc}-{main}-{slug}",
                "side": self.side,
                "rfc": sections,
                "section": main,
                "level": level,
                "description": description,
                "send": send,
                "expect": expect,
                **extra,
            }
        )
