"""The WebSocket corpus against our server and client, and proof that the harness can fail."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from conformance.model import Result, Verdict
from conformance.registry import Target, load_cases
from conformance.targets import ServerTarget
from conformance.websocket import run_case
from conformance.websocket.adapters.aiohttp_ws import AiohttpWSClient, serve
from conformance.websocket.generate import main as generate_main
from conformance.websocket.wire import accept_for, read_head
from tests.rfc.known import known_failures, reason_for

CASES = load_cases(protocols=("websocket",))


async def run_all(side: str, target: Target, jobs: int = 8) -> list[Result]:
    gate = asyncio.Semaphore(jobs)

    async def one(case: object) -> Result:
        async with gate:
            return await run_case(case, target)  # type: ignore[arg-type]

    return await asyncio.gather(*(one(c) for c in CASES if c.side == side))


def test_corpus_is_broad_and_generated_from_its_tables() -> None:
    sides = collections.Counter(case.side for case in CASES)
    assert sides["server"] >= 225
    assert sides["client"] >= 225
    sections = {case.section for case in CASES}
    assert {"5.2", "5.4", "5.5", "5.5.1", "7.4.1", "8.1", "7.1", "7.2"} <= sections
    assert generate_main(["--check"]) == 0


@pytest.mark.parametrize("side", ["server", "client"])
async def test_every_case_passes_on_our_side(side: str) -> None:
    async with serve() as server:
        results = await run_all(side, Target(server=server, client=AiohttpWSClient()))
    known = known_failures()
    bad = [
        (r.case.id, r.verdict.value, r.reason)
        for r in results
        if r.verdict in (Verdict.FAIL, Verdict.NON_STRICT, Verdict.ERROR)
        and reason_for(r.case.id, known) is None
    ]
    assert bad == []
    # Recorded only: a MAY, or a message past the library's 4 MiB default limit (RFC 6455 §10.4).
    recorded = [r for r in results if r.verdict is Verdict.INFORMATIONAL]
    assert all(r.case.level == "MAY" or "size limit" in r.reason for r in recorded)


Play = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def toy_server(play: Play) -> AsyncIterator[ServerTarget]:
    """A toy WebSocket server: answers any opening handshake with 101 (checking nothing but the
    key), then lets ``play`` talk frames until it returns or the peer goes."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            _, fields = await read_head(reader)
            accept = accept_for(fields["sec-websocket-key"][0])
            writer.write(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept.encode() + b"\r\n\r\n"
            )
            await play(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError, KeyError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield ServerTarget("127.0.0.1", server.sockets[0].getsockname()[1], "toy")
    finally:
        server.close()


async def _frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """One masked frame from the harness: (first octet, unmasked payload)."""
    b0, b1 = await reader.readexactly(2)
    n = b1 & 0x7F
    if n >= 126:
        n = int.from_bytes(await reader.readexactly(2 if n == 126 else 8), "big")
    key = await reader.readexactly(4)
    return b0, bytes(b ^ key[i % 4] for i, b in enumerate(await reader.readexactly(n)))


async def lenient_echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Echoes raw frame payloads and checks nothing: the harness must fail it."""
    while True:
        b0, data = await _frame(reader)
        op = b0 & 0x0F
        if op == 8:
            writer.write(b"\x88\x02\x03\xe8")
            return
        writer.write(bytes([0x80 | op, len(data)]) + data if len(data) < 126 else b"")


async def test_the_harness_fails_a_lenient_server() -> None:
    wanted = {
        "ws-srv-6455-5.2-rsv1-text",
        "ws-srv-6455-5.2-opcode-3",
        "ws-srv-6455-8.1-invalid-fe",
        "ws-srv-6455-7.4.1-invalid-code-1005",
    }
    picked = [c for c in CASES if c.id in wanted]
    assert len(picked) == len(wanted)
    async with toy_server(lenient_echo) as server:
        results = [await run_case(c, Target(server=server)) for c in picked]
    assert {r.case.id: r.verdict for r in results} == dict.fromkeys(wanted, Verdict.FAIL)


def failing(echo: bool, code: int | None) -> Play:
    """Echoes valid frames (when ``echo``) and answers the first bad one (RSV bits or an unknown
    opcode) with a Close of ``code``, or by dropping TCP when ``code`` is None."""

    async def play(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            b0, data = await _frame(reader)
            if b0 & 0x70 or (b0 & 0x0F) not in (1, 2):
                if code is not None:
                    writer.write(b"\x88\x02" + code.to_bytes(2, "big"))
                return
            if echo:
                writer.write(bytes([b0, len(data)]) + data)

    return play


@pytest.mark.parametrize(
    ("echo", "code", "verdict", "reason"),
    [
        (True, 1002, Verdict.PASS, "closed with 1002"),
        # Autobahn's NON-STRICT: the right close, but the valid message before it was lost.
        (False, 1002, Verdict.NON_STRICT, "without echoing"),
        # Failing the connection is the MUST; the code that says why is a SHOULD (RFC 6455 §7.1.7).
        (True, 1007, Verdict.NON_STRICT, "a SHOULD"),
        (True, None, Verdict.NON_STRICT, "without a Close frame"),
        # A normal closure means the bad frame was not noticed.
        (True, 1000, Verdict.FAIL, "closed with 1000"),
    ],
)
async def test_a_failed_connection_is_judged_on_echo_and_code(
    echo: bool, code: int | None, verdict: Verdict, reason: str
) -> None:
    (case,) = [c for c in CASES if c.id == "ws-srv-6455-5.2-rsv1-text"]
    async with toy_server(failing(echo, code)) as server:
        result = await run_case(case, Target(server=server))
    assert (result.verdict, reason in result.reason) == (verdict, True), result.reason


async def test_server_cases_show_the_octets_observed() -> None:
    (case,) = [c for c in CASES if c.id == "ws-srv-6455-5.2-opcode-3"]
    async with serve() as server:
        result = await run_case(case, Target(server=server))
    assert "HTTP/1.1 101 Switching Protocols{CRLF}" in result.observed
    assert "[octets]" in result.observed
    assert "{x88}{x02}{x03}{xEA}" in result.observed  # the Close frame, 1002
