"""Server-side cases: the harness is a raw-socket WebSocket client against a server under test.

The server under test serves an echo WebSocket at ``/ws``: every text and binary message comes
back unchanged, and a Close is answered (RFC 6455 §7). The harness sends a literal opening
handshake (with a fixed key whose accept value it computes itself), checks the ``101`` answer,
then plays the case (:mod:`conformance.websocket.session`).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from conformance.model import Case, Result, Verdict, grade
from conformance.notation import joined, parse_segments, render
from conformance.targets import ServerTarget
from conformance.websocket.session import Link, converse, observed_text
from conformance.websocket.wire import (
    FIXED_KEY,
    Deflater,
    Inflater,
    accept_for,
    parse_extension_header,
    read_head,
)

PATH = "/ws"


def _request(target: ServerTarget, handshake: dict[str, Any]) -> bytes:
    host = target.authority.encode("ascii")
    if "request" in handshake:
        return joined(parse_segments(handshake["request"], {"HOST": host}))
    lines = [
        f"GET {PATH} HTTP/1.1",
        f"Host: {target.authority}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {FIXED_KEY}",
        "Sec-WebSocket-Version: 13",
    ]
    if handshake.get("extensions"):
        lines.append(f"Sec-WebSocket-Extensions: {handshake['extensions']}")
    if handshake.get("protocols"):
        lines.append(f"Sec-WebSocket-Protocol: {handshake['protocols']}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def _tokens(fields: dict[str, list[str]], name: str) -> list[str]:
    return [t.strip().lower() for v in fields.get(name, []) for t in v.split(",") if t.strip()]


_BITS = {str(n) for n in range(8, 16)}


def deflate_answer_problem(offer: str, answer: list[str]) -> str | None:
    """Why ``answer`` is not a valid acceptance of the ``offer`` (RFC 7692 §5, §7.1), or None."""
    parsed = parse_extension_header(", ".join(answer))
    if len(parsed) != 1 or parsed[0][0] != "permessage-deflate":
        return f"answer {answer!r} is not one permessage-deflate"
    params = parsed[0][1]
    offers = [p for name, p in parse_extension_header(offer) if name == "permessage-deflate"]
    for key, value in params.items():
        if key in ("server_no_context_takeover", "client_no_context_takeover"):
            if value is not None:
                return f"{key} with a value"
        elif key in ("server_max_window_bits", "client_max_window_bits"):
            if value not in _BITS:
                return f"{key}={value} is not 8-15"
        else:
            return f"unknown parameter {key}"
    for offered in offers:  # the answer must fit at least one offer
        if "server_no_context_takeover" in offered and "server_no_context_takeover" not in params:
            continue
        if "client_max_window_bits" in params and "client_max_window_bits" not in offered:
            continue
        smwb = offered.get("server_max_window_bits")
        if smwb and int(params.get("server_max_window_bits") or 15) > int(smwb):
            continue
        return None
    return "the answer fits none of the offers"


def check_extensions(expected: Any, got: list[str], offer: str) -> bool:
    """Whether the answered extensions meet the expectation.

    ``None``: no extension answered; ``"valid"``: none, or a valid acceptance of the offer;
    ``"accepted"``: a valid acceptance; a string or list of strings: exactly one of them.
    """
    parsed = parse_extension_header(", ".join(got)) if got else []
    if expected is None:
        return not parsed
    if expected in ("valid", "accepted"):
        if not parsed:
            return expected == "valid"
        return deflate_answer_problem(offer, got) is None
    options = expected if isinstance(expected, list) else [expected]
    return any(parse_extension_header(option) == parsed for option in options)


def _check_head(
    expect: dict[str, Any], status: int, fields: dict[str, list[str]], offer: str
) -> str | None:
    """Why the 101 (or refusal) is wrong, or ``None``."""
    if status not in expect.get("status", [101]):
        return f"status {status}, expected {expect.get('status', [101])}"
    for name, value in expect.get("fields", {}).items():
        if value not in fields.get(name.lower(), []):
            return f"missing field {name}: {value}"
    if status != 101:
        return None
    if fields.get("sec-websocket-accept") != [accept_for(FIXED_KEY)]:
        return "wrong or missing Sec-WebSocket-Accept (RFC 6455 §4.2.2)"
    if "websocket" not in _tokens(fields, "upgrade"):
        return "no Upgrade: websocket (RFC 6455 §4.2.2)"
    if "upgrade" not in _tokens(fields, "connection"):
        return "no Connection: upgrade (RFC 6455 §4.2.2)"
    if "extensions" in expect and not check_extensions(
        expect["extensions"], fields.get("sec-websocket-extensions", []), offer
    ):
        return f"extensions {fields.get('sec-websocket-extensions')} != {expect['extensions']!r}"
    if (
        "protocol" in expect
        and fields.get("sec-websocket-protocol", [None])[0] != expect["protocol"]
    ):
        return f"subprotocol {fields.get('sec-websocket-protocol')} != {expect['protocol']!r}"
    return None


def deflate_for_client(link: Link, fields: dict[str, list[str]]) -> None:
    """Set the harness's codec from the server's accepted permessage-deflate parameters."""
    for name, params in parse_extension_header(
        ", ".join(fields.get("sec-websocket-extensions", []))
    ):
        if name == "permessage-deflate":
            bits = int(params.get("client_max_window_bits") or 15)
            link.deflater = Deflater(max(bits, 9), "client_no_context_takeover" in params)
            link.inflater = Inflater()
            link.inflate_reset = "server_no_context_takeover" in params


async def run_server_case(case: Case, target: ServerTarget) -> Result:
    """Replay one server-side case."""
    started = time.monotonic()
    data = case.data
    request = _request(target, data.get("handshake", {}))
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(target.host, target.port), 5
        )
    except (OSError, TimeoutError) as exc:
        return Result(case, Verdict.ERROR, f"cannot connect to the server: {exc}")
    link = Link(reader, writer, harness_masks=True)
    try:
        verdict, reason = await _run(case, link, request)
    finally:
        writer.close()
    return Result(
        case,
        verdict,
        reason,
        expected=_expected(data["expect"]),
        sent=render(request + bytes(link.sent)),
        observed=observed_text(link),
        duration=time.monotonic() - started,
    )


async def _run(case: Case, link: Link, request: bytes) -> tuple[Verdict, str]:
    link.writer.write(request)
    expect = case.data["expect"]
    try:
        start_line, fields = await asyncio.wait_for(read_head(link.reader, sink=link.received), 5)
    except (asyncio.IncompleteReadError, ConnectionError, ValueError, TimeoutError) as exc:
        return grade(case.level, False, f"no valid response head: {exc!r}")
    link.observed.append(start_line)
    parts = start_line.split(" ", 2)
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    problem = _check_head(
        expect, status, fields, case.data.get("handshake", {}).get("extensions", "")
    )
    if problem:
        return grade(case.level, False, problem)
    if status != 101:
        return Verdict.PASS, f"refused with {status}"
    deflate_for_client(link, fields)
    return await converse(link, case.data, case.level)


def _expected(expect: dict[str, Any]) -> str:
    parts = [f"{key}={value!r}" for key, value in expect.items() if key != "echo"]
    if expect.get("echo"):
        parts.append(f"echo of {len(expect['echo'])} message(s)")
    return ", ".join(parts)
