"""The byte notation of the corpus: how a case writes the octets it sends.

A *segment list* is a JSON list whose items are sent one after the other, each in its own write:

- a string: printable ASCII, with escapes in braces: ``{CRLF}``, ``{CR}``, ``{LF}``, ``{NUL}``,
  ``{SP}``, ``{HTAB}``, ``{xHH}`` (any octet in hex) and ``{{`` / ``}}`` for literal braces. Raw
  CR, LF, NUL or non-ASCII characters are refused so every control octet is visible in the case;
- ``{"repeat": "a", "count": 9000}``: the notation string ``repeat`` written ``count`` times;
- ``{"pause": 0.2}``: wait that many seconds before the next segment (a split point that the peer
  is sure to see as two reads);
- ``{"shutdown": "write"}``: half-close (send FIN, keep reading);
- ``{"await": "response", "timeout": 1.0}``: wait until the peer has sent at least the start of a
  status line (used for ``Expect: 100-continue``).

:func:`parse_segments` turns such a list into ``Step`` values; :func:`render` does the reverse
for reports, so observed bytes are shown in the same notation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

ESCAPES: dict[str, bytes] = {
    "CRLF": b"\r\n",
    "CR": b"\r",
    "LF": b"\n",
    "NUL": b"\x00",
    "SP": b" ",
    "HTAB": b"\t",
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z]+|x[0-9A-Fa-f]{2})\}|[{}]")
#: Escapes a runner fills in per target; the corpus may use them, values come from the runner.
VARIABLES = ("HOST",)
_ALLOWED_RAW = re.compile(r"[\x20-\x7e\t]*")
#: The most octets one repeat may produce; keeps a typo from allocating gigabytes.
MAX_REPEAT_BYTES = 16 * 1024 * 1024


class NotationError(ValueError):
    """A segment is not written in the notation."""


@dataclass(frozen=True, slots=True)
class Send:
    """Octets to write in one ``write()`` call."""

    data: bytes


@dataclass(frozen=True, slots=True)
class Pause:
    """Wait before the next step."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Shutdown:
    """Half-close the connection (FIN) and keep reading."""


@dataclass(frozen=True, slots=True)
class Await:
    """Wait until the peer has started a response, at most ``timeout`` seconds."""

    timeout: float


Step = Send | Pause | Shutdown | Await


def decode(text: str, variables: dict[str, bytes] | None = None) -> bytes:
    """Turn one notation string into octets.

    Args:
        text: printable ASCII with ``{NAME}`` escapes.
        variables: extra upper-case escapes the runner fills in, such as ``{HOST}``.

    Returns:
        The octets it stands for.

    Raises:
        NotationError: on raw control characters, non-ASCII text or an unknown escape.
    """
    if not _ALLOWED_RAW.fullmatch(text):
        bad = next(ch for ch in text if not _ALLOWED_RAW.fullmatch(ch))
        raise NotationError(f"raw character {bad!r} in {text!r}: write it as an escape")
    out = bytearray()
    pos = 0
    for match in _TOKEN.finditer(text):
        out += text[pos : match.start()].encode("ascii")
        token = match.group(0)
        if token in ("{{", "}}"):
            out += token[0].encode("ascii")
        elif match.group(1) is None:
            raise NotationError(f"lone brace at {match.start()} in {text!r}")
        else:
            name = match.group(1)
            if name.startswith("x") and len(name) == 3 and name not in ESCAPES:
                out.append(int(name[1:], 16))
            elif name in ESCAPES:
                out += ESCAPES[name]
            elif name in VARIABLES:
                out += (variables or {}).get(name, b"localhost")
            else:
                raise NotationError(f"unknown escape {{{name}}} in {text!r}")
        pos = match.end()
    out += text[pos:].encode("ascii")
    return bytes(out)


def _number(item: dict[str, Any], key: str, upper: float) -> float:
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= upper:
        raise NotationError(f"{key!r} must be a number from 0 to {upper}: {item!r}")
    return float(value)


def parse_segment(item: object, variables: dict[str, bytes] | None = None) -> Step:
    """Parse one item of a segment list.

    Raises:
        NotationError: when the item is not one of the documented forms.
    """
    if isinstance(item, str):
        return Send(decode(item, variables))
    if not isinstance(item, dict):
        raise NotationError(f"a segment is a string or an object, not {item!r}")
    keys = set(item)
    if keys == {"repeat", "count"}:
        unit, count = item["repeat"], item["count"]
        if not isinstance(unit, str) or not isinstance(count, int) or isinstance(count, bool):
            raise NotationError(f"repeat needs a string and an integer count: {item!r}")
        octets = decode(unit, variables)
        if count < 0 or len(octets) * count > MAX_REPEAT_BYTES:
            raise NotationError(f"repeat count out of range: {item!r}")
        return Send(octets * count)
    if keys == {"pause"}:
        return Pause(_number(item, "pause", 10.0))
    if item == {"shutdown": "write"}:
        return Shutdown()
    if keys == {"await", "timeout"} and item["await"] == "response":
        return Await(_number(item, "timeout", 30.0))
    raise NotationError(f"unknown segment {item!r}")


def parse_segments(items: object, variables: dict[str, bytes] | None = None) -> list[Step]:
    """Parse a segment list; adjacent strings stay separate writes.

    Raises:
        NotationError: when ``items`` is not a list of segments.
    """
    if not isinstance(items, list):
        raise NotationError(f"segments must be a list, not {items!r}")
    return [parse_segment(item, variables) for item in items]


def joined(steps: list[Step]) -> bytes:
    """All the octets a list of steps sends, concatenated."""
    return b"".join(step.data for step in steps if isinstance(step, Send))


_RENDER = {b"\r\n": "{CRLF}", b"\r": "{CR}", b"\n": "{LF}", b"\x00": "{NUL}", b"\t": "{HTAB}"}
_RENDER_SPLIT = re.compile(rb"(\r\n|[\x00-\x1f\x7b\x7d\x7f-\xff])")


def render(data: bytes, limit: int = 4096) -> str:
    """Show octets in the notation (CRLF kept as line breaks' marker), truncated to ``limit``.

    Runs of one repeated octet longer than 32 are shown as ``{repeat "a" x N}``.
    """
    shown = data[:limit]
    parts: list[str] = []
    for piece in _RENDER_SPLIT.split(shown):
        if not piece:
            continue
        if piece in _RENDER:
            parts.append(_RENDER[piece])
        elif piece in (b"{", b"}"):
            parts.append(piece.decode() * 2)
        elif len(piece) == 1 and not 0x20 <= piece[0] <= 0x7E:
            parts.append(f"{{x{piece[0]:02X}}}")
        else:
            parts.append(_squeeze(piece.decode("ascii")))
    text = "".join(parts)
    if len(data) > limit:
        text += f"... ({len(data) - limit} more octets)"
    return text


_RUN = re.compile(r"(.)\1{31,}")


def _squeeze(text: str) -> str:
    return _RUN.sub(lambda m: f'{{repeat "{m.group(1)}" x {len(m.group(0))}}}', text)
