"""The WebSocket-specific fields of a case (the common ones are in ``conformance.model``).

The specification is the "WebSocket cases" section of ``conformance/cases/FORMAT.md``; in short:

A WebSocket case (``"protocol": "websocket"``) adds::

    "handshake": {"extensions": "...", "protocols": "...", "request": [segments]}   (server side)
    "response":  {"status": "101 Switching Protocols", "fields": [[name, value], ...]}
                 (client side)
    "send":      [{"frame": {...}} | {"raw": "notation"} | {"pause": seconds}, ...]
    "chunk":     N        write everything in pieces of N octets (split points)
    "quote":     {"from": "6455 §5.2", "text": "..."}   the RFC sentence the case tests, verbatim
    "expect":    {"status": [101], "fields": {...}, "extensions": ..., "protocol": ...,
                  "echo": [{"op": 1, "data": ...}], "close": [1002] | "clean",
                  "client_error": true, "within": seconds}

A frame is ``{"op": 1, "fin": true, "rsv": 0, "data": <payload>, "compress": false,
"mask": <role default>, "len": <length field override>}``; a payload is a notation string or
``{"repeat": "a", "count": N}``. In a client-side ``response`` field value, ``<accept>`` stands
for the correct ``Sec-WebSocket-Accept`` of the client's key and ``<bad-accept>`` for a wrong one.
"""

from __future__ import annotations

from typing import Any

from conformance.notation import MAX_REPEAT_BYTES, NotationError, decode

_CASE_KEYS = {"handshake", "response", "send", "chunk", "expect", "quote"}
_FRAME_KEYS = {"op", "fin", "rsv", "data", "compress", "mask", "len", "fragment", "key"}
_EXPECT_KEYS = {
    "status",
    "fields",
    "extensions",
    "protocol",
    "echo",
    "close",
    "client_error",
    "within",
    "limit",
    "exact",
    "tcp_close",
    "fresh_keys",
}


def payload(value: Any) -> bytes:
    """The octets of a payload field.

    Raises:
        NotationError: not a notation string or a repeat object.
    """
    if isinstance(value, str):
        return decode(value)
    if isinstance(value, dict) and set(value) == {"repeat", "count"}:
        unit = decode(value["repeat"])
        count = value["count"]
        if not isinstance(count, int) or count < 0 or len(unit) * count > MAX_REPEAT_BYTES:
            raise NotationError(f"bad repeat {value!r}")
        return unit * count
    raise NotationError(f"a payload is a string or a repeat object, not {value!r}")


def _frame_errors(frame: Any) -> list[str]:
    if not isinstance(frame, dict) or not set(frame) <= _FRAME_KEYS or "op" not in frame:
        return [f"bad frame {frame!r}"]
    errors = []
    if not isinstance(frame["op"], int) or not 0 <= frame["op"] <= 15:
        errors.append("op must be 0-15")
    if not 0 <= frame.get("rsv", 0) <= 7:
        errors.append("rsv must be 0-7")
    try:
        payload(frame.get("data", ""))
        if "key" in frame and len(payload(frame["key"])) != 4:
            errors.append("key must be 4 octets")
    except NotationError as exc:
        errors.append(str(exc))
    if not isinstance(frame.get("fragment", 0), int) or frame.get("fragment", 0) < 0:
        errors.append("fragment must be a size in octets")
    return errors


def validate_case(raw: dict[str, Any]) -> list[str]:
    """Errors in the WebSocket fields of one case (empty when it is well formed)."""
    from conformance.model import common_keys

    errors = []
    extra = set(raw) - common_keys() - _CASE_KEYS
    if extra:
        errors.append(f"unknown keys {sorted(extra)}")
    for item in raw.get("send", []):
        times = item.get("times", 1) if isinstance(item, dict) else 1
        if not isinstance(times, int) or not 1 <= times <= 100000:
            errors.append(f"times must be a count from 1: {item!r}")
        step = item
        if isinstance(item, dict) and "frame" in item and set(item) <= {"frame", "times"}:
            step = {"frame": item["frame"]}
        if not isinstance(step, dict) or len(step) != 1:
            errors.append(f"bad step {step!r}")
        elif step == {"drop": True}:
            pass
        elif "frame" in step:
            errors += _frame_errors(step["frame"])
        elif "raw" in step:
            try:
                decode(step["raw"])
            except NotationError as exc:
                errors.append(str(exc))
        elif "pause" not in step:
            errors.append(f"bad step {step!r}")
    expect = raw.get("expect")
    if not isinstance(expect, dict) or not set(expect) <= _EXPECT_KEYS:
        errors.append("expect must be an object with known keys")
        return errors
    close = expect.get("close")
    if (
        close is not None
        and close != "clean"
        and not (isinstance(close, list) and all(c is None or isinstance(c, int) for c in close))
    ):
        errors.append("close must be 'clean' or a list of codes")
    limit = expect.get("limit", [])
    if not isinstance(limit, list) or not all(isinstance(c, int) for c in limit):
        errors.append("limit must be a list of close codes")
    for item in expect.get("echo", []):
        try:
            payload(item.get("data", ""))
        except (NotationError, AttributeError) as exc:
            errors.append(f"bad echo {item!r}: {exc}")
    if raw.get("side") == "client" and "handshake" in raw:
        errors.append("handshake is for server-side cases")
    if raw.get("side") == "server" and "response" in raw:
        errors.append("response is for client-side cases")
    return errors
