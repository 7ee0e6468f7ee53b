"""Server-side cases: the harness is a raw-socket client against the server under test."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from conformance.http1 import tls
from conformance.http1.checks import response_problem
from conformance.http1.connection import RawConnection
from conformance.http1.reader import Message, ReaderError, read_response
from conformance.model import Case, Result, Verdict, grade, not_applicable, time_scale
from conformance.notation import Await, Pause, Send, Shutdown, Step, joined, parse_segments, render
from conformance.targets import ServerTarget

#: Seconds a server gets to answer (and close, when it must) unless the case says ``within``.
DEFAULT_WITHIN = 2.0
#: How long to keep listening after the expected responses, to catch one a smuggled request made.
SETTLE = 0.15
PROBE = b"GET / HTTP/1.1\r\nHost: %s\r\n\r\n"


@dataclass(slots=True)
class Observed:
    """What the server did on one connection."""

    responses: list[Message] = field(default_factory=list)
    closed: bool = False
    probe: str = ""
    error: str = ""
    received: bytes = b""
    sent: bytes = b""
    consumed: int = 0


def _parse(conn: RawConnection, obs: Observed, heads: list[bool]) -> None:
    obs.received = bytes(conn.received)
    _parse_all(obs, obs.received, heads, conn.closed.is_set())


async def _send_all(conn: RawConnection, steps: list[Step], obs: Observed) -> None:
    for step in steps:
        if isinstance(step, Send):
            obs.sent += step.data
            if not await conn.send(step.data):
                return
        elif isinstance(step, Pause):
            await asyncio.sleep(step.seconds)
        elif isinstance(step, Shutdown):
            conn.shutdown_write()
        elif isinstance(step, Await):
            deadline = time.monotonic() + step.timeout
            while b"HTTP/" not in conn.received and not conn.closed.is_set():
                if not await conn.wait_change(deadline, len(conn.received)):
                    break


async def _collect(
    conn: RawConnection, expect: dict[str, Any], obs: Observed, close_decides: bool
) -> None:
    """Read responses until the expectation can be judged.

    ``close_decides``: an ``also`` alternative wants the connection closed, so one response
    more than ``expect`` wants is not judged before the close (or the time bound): the close
    may come in a later read than the response.
    """
    heads = _heads(expect)
    wanted = len(heads)
    deadline = time.monotonic() + _within(expect)
    settle_until: float | None = None
    while True:
        _parse(conn, obs, heads)
        if obs.error or conn.closed.is_set():
            _parse(conn, obs, heads)
            break
        count = len(obs.responses)
        if count > wanted and not close_decides:
            break
        if count == wanted and expect.get("then", "any") != "close":
            settle_until = settle_until or time.monotonic() + SETTLE
        if not await conn.wait_change(min(deadline, settle_until or deadline), len(conn.received)):
            break
    obs.closed = conn.closed.is_set()


async def _probe(conn: RawConnection, obs: Observed, host: bytes, within: float) -> None:
    """Check the connection is still usable by sending one more request."""
    start = obs.consumed
    if not await conn.send(PROBE % host):
        obs.probe = "closed"
        return
    deadline = time.monotonic() + within
    while True:
        try:
            parsed = read_response(bytes(conn.received), start, eof=conn.closed.is_set())
        except ReaderError as exc:
            obs.probe = f"malformed ({exc})"
            return
        if parsed is not None:
            obs.probe = "answered" if parsed[0].status < 400 else f"answered {parsed[0].status}"
            return
        if conn.closed.is_set():
            obs.probe = "closed"
            return
        if not await conn.wait_change(deadline, len(conn.received)):
            obs.probe = "silent"
            return


async def _await_close(
    conn: RawConnection, obs: Observed, within: float, heads: list[bool]
) -> None:
    """After a response announcing ``close``, give the server its time bound to close."""
    deadline = time.monotonic() + within
    while not conn.closed.is_set():
        if not await conn.wait_change(deadline, len(conn.received)):
            break
    _parse(conn, obs, heads)
    obs.closed = conn.closed.is_set()


def _heads(expect: dict[str, Any]) -> list[bool]:
    return [bool(item.get("head", False)) for item in expect["responses"]]


def _within(expect: dict[str, Any]) -> float:
    return float(expect.get("within", DEFAULT_WITHIN)) * time_scale()


def mismatch(expect: dict[str, Any], obs: Observed) -> str | None:
    """Why the observation does not meet ``expect``; ``None`` when it does."""
    wanted = expect["responses"]
    got = obs.responses
    if len(got) != len(wanted):
        statuses = [msg.status for msg in got]
        extra = (
            " (an extra response: a second request was read from the bytes)"
            if len(got) > len(wanted)
            else ""
        )
        return f"{len(got)} response(s) {statuses} instead of {len(wanted)}{extra}"
    for index, (item, msg) in enumerate(zip(wanted, got, strict=True)):
        problem = response_problem(item, msg)
        if problem:
            return f"response {index + 1}: {problem}"
    then = expect.get("then", "any")
    if then == "close" and not obs.closed:
        return f"connection still open {_within(expect):g} s after the response"
    if then == "open" and obs.probe != "answered":
        return f"connection not kept open (probe request: {obs.probe or 'closed'})"
    return None


def announces_close(msg: Message) -> bool:
    """Whether a response carries the ``close`` connection option (RFC 9112 §9.6)."""
    return "close" in msg.tokens("connection")


def _closed_as_announced(case: Case, obs: Observed) -> tuple[Verdict, str] | None:
    """The verdict when a case relying on a persistent connection met a server that closes.

    A server need not keep connections alive: one that sends ``Connection: close`` and then
    closes does what RFC 9112 §9.3 and §9.6 ask, and is never failed for it. A case marked
    ``"persistent": "incidental"`` is judged on the responses the server gave (they all match
    the first expected ones); ``"required"`` is not applicable; ``"subject"`` (persistence is
    what the case tests) is judged like any other.
    """
    mode = case.data.get("persistent")
    wanted = case.data["expect"]["responses"]
    got = obs.responses
    if mode not in ("incidental", "required") or not got or not obs.closed:
        return None
    if len(got) > len(wanted) or any(announces_close(msg) for msg in got[:-1]):
        return None
    if not announces_close(got[-1]):
        return None
    if any(response_problem(item, msg) for item, msg in zip(wanted, got, strict=False)):
        return None
    closing = (
        f"the server announced Connection: close in response {len(got)} and closed (RFC 9112 §9.6)"
    )
    if mode == "incidental":
        return grade(case.level, True, f"as expected; {closing}, which this case does not test")
    return not_applicable(f"the case needs a persistent connection; {closing}")


def judge(case: Case, obs: Observed) -> tuple[Verdict, str]:
    """The verdict for one server case."""
    if obs.error:
        return Verdict.FAIL, f"malformed response: {obs.error}"
    if obs.responses and announces_close(obs.responses[-1]) and not obs.closed:
        return Verdict.FAIL, (
            "the server announced Connection: close but did not close the connection "
            "(RFC 9112 §9.6: it MUST initiate closure after that response)"
        )
    expect = case.data["expect"]
    problem = mismatch(expect, obs)
    if problem is None:
        return grade(case.level, True, "as expected")
    near = []
    for alt in case.data.get("also", []):
        alt_problem = mismatch(alt, obs)
        if alt_problem is None:
            return Verdict(alt["verdict"]), alt["reason"]
        if alt["verdict"] == "PASS" and alt_problem.startswith("connection"):
            near.append(f"{alt['reason']}, but {alt_problem}")
    if near:  # the responses fit an accepted outcome: the connection is what went wrong
        problem = f"{problem}; or {near[0]}"
    return _closed_as_announced(case, obs) or grade(case.level, False, problem)


async def run_server_case(case: Case, target: ServerTarget) -> Result:
    """Replay one server-side case against ``target``."""
    started = time.monotonic()
    host = target.authority.encode("ascii")
    steps = parse_segments(case.data["send"], {"HOST": host})
    expect = case.data["expect"]
    obs = Observed()
    port, context = target.port, None
    if case.data.get("tls"):
        if target.tls_port is None:
            return Result(case, *not_applicable("the server under test has no TLS endpoint"))
        if "closure" in expect:
            return await _run_closure_case(case, target.host, target.tls_port, steps, started)
        port, context = target.tls_port, tls.client_context()
    try:
        conn = await RawConnection.open(target.host, port, context)
    except (OSError, TimeoutError) as exc:
        return Result(case, Verdict.ERROR, f"cannot connect to the server: {exc}")
    try:
        await _send_all(conn, steps, obs)
        also = case.data.get("also", [])
        await _collect(conn, expect, obs, any(a.get("then") == "close" for a in also))
        if obs.responses and announces_close(obs.responses[-1]) and not obs.closed:
            await _await_close(conn, obs, _within(expect), _heads(expect))
        alternatives = [expect, *also]
        wants_open = any(a.get("then") == "open" for a in alternatives)
        if not obs.closed and not obs.error and wants_open:
            await _probe(conn, obs, host, _within(expect))
    finally:
        await conn.close()
    obs.received = bytes(conn.received)
    verdict, reason = judge(case, obs)
    closing = "closed" if obs.closed else "open"
    if obs.probe:
        closing += f", probe {obs.probe}"
    return Result(
        case,
        verdict,
        reason,
        expected=_describe(case),
        sent=render(obs.sent),
        observed=f"{render(obs.received)}\n[connection: {closing}]",
        duration=time.monotonic() - started,
    )


async def _run_closure_case(
    case: Case, host: str, port: int, steps: list[Step], started: float
) -> Result:
    """A TLS case judged also on how the server ends the connection (RFC 9112 §9.8)."""
    expect = case.data["expect"]
    sent = joined(steps)
    try:
        received, closure = await tls.exchange(host, port, sent, _within(expect))
    except (OSError, ValueError) as exc:
        return Result(case, Verdict.ERROR, f"cannot connect to the server: {exc}")
    obs = Observed(sent=sent, received=received, closed=closure != "open")
    _parse_all(obs, received, _heads(expect), obs.closed)
    verdict, reason = judge(case, obs)
    if verdict is Verdict.PASS and closure != expect["closure"]:
        verdict, reason = grade(case.level, False, f"the server ended with {closure}")
    return Result(
        case,
        verdict,
        reason,
        expected=_describe(case),
        sent=render(sent),
        observed=f"{render(received)}\n[connection: {closure}]",
        duration=time.monotonic() - started,
    )


def _parse_all(obs: Observed, data: bytes, heads: list[bool], eof: bool) -> None:
    """Read every whole response in ``data`` past what ``obs`` already holds."""
    while obs.consumed < len(data):
        index = len(obs.responses)
        head = heads[index] if index < len(heads) else False
        try:
            parsed = read_response(data, obs.consumed, head=head, eof=eof)
        except ReaderError as exc:
            obs.error = str(exc)
            return
        if parsed is None:
            return
        obs.responses.append(parsed[0])
        obs.consumed = parsed[1]


def _describe(case: Case) -> str:
    text = json.dumps(case.data["expect"], sort_keys=True)
    for alt in case.data.get("also", []):
        text += f"\nor ({alt['verdict']}): " + json.dumps(
            {k: v for k, v in alt.items() if k not in ("verdict", "reason")}, sort_keys=True
        )
    return text
