"""Client-side cases: the harness is a raw-socket WebSocket server against a client under test.

The client under test is asked (through its driver) to open ``ws://127.0.0.1:PORT/ws`` and echo
every message. The harness checks the opening handshake request (RFC 6455 §4.1), answers with
the case's response (a correct ``101`` unless the case scripts a bad one), plays the case's
frames unmasked, and judges the client's frames: masked (§5.3), echoes right, closes right.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import time
from typing import Any

from conformance.model import Case, Result, Verdict, grade, not_applicable, time_scale
from conformance.notation import render
from conformance.targets import Observation
from conformance.websocket.drivers import WSClientDriver
from conformance.websocket.session import Link, converse, observed_text
from conformance.websocket.wire import (
    Deflater,
    Inflater,
    accept_for,
    parse_extension_header,
    read_head,
)


def check_request(start_line: str, fields: dict[str, list[str]]) -> str | None:
    """Why the client's opening handshake breaks RFC 6455 §4.1, or ``None``."""
    method, _, rest = start_line.partition(" ")
    if method != "GET" or not rest.endswith("HTTP/1.1"):
        return f"request line {start_line!r} is not GET ... HTTP/1.1"
    if "websocket" not in [
        t.strip().lower() for v in fields.get("upgrade", []) for t in v.split(",")
    ]:
        return "no Upgrade: websocket"
    if "upgrade" not in [
        t.strip().lower() for v in fields.get("connection", []) for t in v.split(",")
    ]:
        return "no Connection: Upgrade"
    if fields.get("sec-websocket-version") != ["13"]:
        return "Sec-WebSocket-Version is not 13"
    keys = fields.get("sec-websocket-key", [])
    try:
        if len(keys) != 1 or len(base64.b64decode(keys[0], validate=True)) != 16:
            return "Sec-WebSocket-Key is not 16 base64-encoded octets"
    except binascii.Error:
        return "Sec-WebSocket-Key is not base64"
    if "host" not in fields:
        return "no Host field"
    return None


def _response(case_data: dict[str, Any], key: str) -> tuple[bytes, list[str]]:
    spec = case_data.get("response", {})
    fields = spec.get(
        "fields",
        [["Upgrade", "websocket"], ["Connection", "Upgrade"], ["Sec-WebSocket-Accept", "<accept>"]],
    )
    lines = [f"HTTP/1.1 {spec.get('status', '101 Switching Protocols')}"]
    extensions = []
    for name, template in fields + spec.get("extra_fields", []):
        value = template.replace("<accept>", accept_for(key)).replace(
            "<bad-accept>", accept_for(key + "x")
        )
        lines.append(f"{name}: {value}")
        if name.lower() == "sec-websocket-extensions":
            extensions.append(value)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii"), extensions


def _codecs(link: Link, extensions: list[str]) -> None:
    for name, params in parse_extension_header(", ".join(extensions)):
        if name == "permessage-deflate":
            bits = int(params.get("server_max_window_bits") or 15)
            link.deflater = Deflater(max(bits, 9), "server_no_context_takeover" in params)
            link.inflater = Inflater()
            link.inflate_reset = "client_no_context_takeover" in params


async def run_client_case(case: Case, driver: Any) -> Result:
    """Replay one client-side case through ``driver``."""
    if not hasattr(driver, "ws_echo") or not getattr(driver, "speaks_websocket", True):
        return Result(case, *not_applicable("the client driver does not speak WebSocket"))
    started = time.monotonic()
    outcome: asyncio.Future[tuple[Verdict, str, Link | None]] = (
        asyncio.get_running_loop().create_future()
    )

    connected: list[bool] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.append(True)
        if outcome.done():
            writer.close()
            return
        link = Link(reader, writer, harness_masks=False)
        try:
            verdict, reason = await _serve_one(case, link)
        except Exception as exc:  # a harness bug must show as a result, not hang the case
            verdict, reason = Verdict.ERROR, f"harness error: {exc!r}"
        finally:
            writer.close()
        if not outcome.done():
            outcome.set_result((verdict, reason, link))

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    within = float(case.data["expect"].get("within", 5.0)) * time_scale()
    drive = asyncio.ensure_future(_drive(driver, f"ws://127.0.0.1:{port}/ws", within + 3))
    try:
        verdict, reason, link = await _settle(case, outcome, drive, within + 5, connected)
    finally:
        server.close()
        if not drive.done():
            drive.cancel()
    return Result(
        case,
        verdict,
        reason,
        expected=str(case.data["expect"]),
        sent=render(bytes(link.sent)) if link else "",
        observed=observed_text(link) if link else "",
        duration=time.monotonic() - started,
    )


async def _drive(driver: WSClientDriver, url: str, limit: float) -> Observation:
    return await driver.ws_echo(url, limit)


async def _settle(
    case: Case,
    outcome: asyncio.Future[tuple[Verdict, str, Link | None]],
    drive: asyncio.Future[Observation],
    limit: float,
    connected: list[bool],
) -> tuple[Verdict, str, Link | None]:
    try:
        async with asyncio.timeout(limit):
            await asyncio.wait([outcome, drive], return_when=asyncio.FIRST_COMPLETED)
            if not outcome.done() and connected:
                await outcome  # the client finished first; the harness is still judging
            if not outcome.done():
                observation = drive.result()
                reason = f"the client never connected: {observation.error}"
                return (*grade(case.level, False, reason), None)
            verdict, reason, link = outcome.result()
            if case.data["expect"].get("client_error"):
                observation = await drive
                if observation.kind != "error":
                    verdict, reason = grade(
                        case.level, False, "the client accepted a bad handshake"
                    )
            else:
                await asyncio.wait([drive], timeout=2)
            return verdict, reason, link
    except TimeoutError:
        return (*grade(case.level, False, "the case did not finish in time"), None)


async def _serve_one(case: Case, link: Link) -> tuple[Verdict, str]:
    try:
        start_line, fields = await asyncio.wait_for(read_head(link.reader, sink=link.received), 5)
    except (asyncio.IncompleteReadError, ValueError, TimeoutError) as exc:
        return Verdict.FAIL, f"no valid handshake request: {exc!r}"
    link.observed.append(start_line)
    problem = check_request(start_line, fields)
    if problem:
        return Verdict.FAIL, f"bad opening handshake (RFC 6455 §4.1): {problem}"
    response, extensions = _response(case.data, fields["sec-websocket-key"][0])
    offered = any(
        name == "permessage-deflate"
        for name, _ in parse_extension_header(", ".join(fields.get("sec-websocket-extensions", [])))
    )
    expect = case.data["expect"]
    if extensions and not offered and not expect.get("client_error"):
        return Verdict.INFORMATIONAL, "the client did not offer permessage-deflate"
    link.writer.write(response)
    link.sent += response
    if expect.get("client_error"):
        try:
            async with asyncio.timeout(float(expect.get("within", 5.0))):
                await link.reader.read()  # the client should give up and close
        except (TimeoutError, ConnectionError):
            pass
        return Verdict.PASS, "the client closed after the bad handshake"
    _codecs(link, extensions)
    return await converse(link, case.data, case.level)
