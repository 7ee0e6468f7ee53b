"""Client-side cases: the harness is a loopback server that scripts byte-exact responses.

The client under test is asked (through a :class:`~conformance.targets.ClientDriver`) to fetch
URLs on the harness's server. For the n-th request the server reads (across all connections, in
arrival order) it plays ``respond[n]`` (the last entry repeats): optionally ``after_head`` octets as
soon as the head is in, the rest of the request unless ``read_body`` is false, then the ``send``
octets, and then it closes, keeps the connection, half-closes it or holds it open silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from conformance.http1.checks import body_problem, header_problem, status_ok
from conformance.http1.connection import RawConnection
from conformance.http1.reader import Message, ReaderError, head_only, read_request
from conformance.model import Case, Result, Verdict, grade, not_applicable, time_scale
from conformance.notation import Pause, Send, Shutdown, Step, decode, parse_segments, render
from conformance.targets import ClientDriver, FetchRequest, Observation


@dataclass(slots=True)
class Recorded:
    """What the client sent, as seen by the scripted server."""

    requests: list[tuple[int, Message]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    received: list[bytes] = field(default_factory=list)
    sent: list[bytes] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)


class ScriptedServer:
    """The loopback server of one client case."""

    def __init__(self, plans: list[dict[str, Any]], budget: float) -> None:
        self.plans = plans
        self.budget = budget
        self.record = Recorded()
        self._served = 0
        self._conns: list[RawConnection] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        """Listen on a free loopback port and return it."""
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.create_task(self._handle(RawConnection(reader, writer)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        """Stop listening, end every connection, finish the record."""
        if self.server is not None:
            self.server.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for index, conn in enumerate(self._conns):
            self.record.received[index] = bytes(conn.received)
            await conn.close()

    async def _wait_for(
        self, conn: RawConnection, offset: int, full: bool
    ) -> tuple[Message, int] | None:
        deadline = time.monotonic() + self.budget
        reader = read_request if full else head_only
        while True:
            data = bytes(conn.received)
            if data[offset : offset + 1] in (b"\r", b"\n"):
                raise ReaderError("CR or LF before a request line (RFC 9112 §2.2)")
            parsed = reader(data, offset)
            if parsed is not None:
                return parsed
            if conn.closed.is_set():
                if len(data) > offset and head_only(data, offset) is None:
                    raise ReaderError(
                        f"connection closed inside a request head: {render(data[offset:], 200)}"
                    )
                if len(data) > offset:  # a client may give up on a request it is sending
                    self.record.abandoned.append(render(data[offset:], 200))
                return None
            if not await conn.wait_change(deadline, len(data)):
                return None

    async def _play(self, conn: RawConnection, index: int, steps: list[Step]) -> None:
        for step in steps:
            if isinstance(step, Send):
                self.record.sent[index] += step.data
                await conn.send(step.data)
            elif isinstance(step, Pause):
                await asyncio.sleep(step.seconds)
            elif isinstance(step, Shutdown):
                conn.shutdown_write()

    async def _handle(self, conn: RawConnection) -> None:
        index = len(self._conns)
        self._conns.append(conn)
        self.record.received.append(b"")
        self.record.sent.append(b"")
        offset = 0
        try:
            while True:
                head = await self._wait_for(conn, offset, full=False)
                if head is None:
                    return
                plan = self.plans[min(self._served, len(self.plans) - 1)]
                self._served += 1
                await self._play(conn, index, parse_segments(plan.get("after_head", [])))
                if plan.get("read_body", True):
                    whole = await self._wait_for(conn, offset, full=True)
                    if whole is None:  # the client gave up (or never sent it): no request
                        return
                else:
                    whole = head
                self.record.requests.append((index, whole[0]))
                offset = whole[1]
                await self._play(conn, index, parse_segments(plan.get("send", [])))
                then = plan.get("then", "close")
                if then == "close":
                    return
                if then == "shutdown":
                    conn.shutdown_write()
                elif then == "hold":
                    await conn.closed.wait()
                    return
        except ReaderError as exc:
            self.record.errors.append(str(exc))
        finally:
            self.record.received[index] = bytes(conn.received)
            if bytes(conn.received[offset : offset + 1]) in (b"\r", b"\n"):
                self.record.errors.append("CR or LF after the last request (RFC 9112 §2.2)")
            await conn.close()


def _requests(case: Case, port: int) -> list[FetchRequest]:
    out = []
    for item in case.data["requests"]:
        body = decode(item["body"]) if "body" in item else None
        out.append(
            FetchRequest(
                method=item.get("method", "GET"),
                url=f"http://127.0.0.1:{port}{item.get('path', '/')}",
                headers=tuple((name, value) for name, value in item.get("headers", [])),
                body=body,
                timeout=float(item.get("timeout", 2.0)),
                pause=float(item.get("pause", 0.0)),
            )
        )
    return out


def _not_applicable(case: Case, record: Recorded) -> str | None:
    """A reason the client could not be asked what the case needs (a command ignoring env)."""
    for item, (_, msg) in zip(case.data["requests"], record.requests, strict=False):
        method = item.get("method", "GET")
        if msg.method != method:
            return f"the client sent {msg.method} when asked for {method}"
        for name, _value in item.get("headers", []):
            if not msg.get_all(name):
                return f"the client did not send the requested {name} field"
    return None


def _reuse_unobservable(case: Case, driver: ClientDriver, record: Recorded) -> str | None:
    """Why a case about connection reuse cannot be judged on this client, if it cannot.

    A client driven one process per request never has a connection to reuse, and a client
    that announces ``Connection: close`` on its own never reuses one (RFC 9112 §9.6 asks just
    that of it): either way the case would pass without being tested.
    """
    if case.data.get("persistent") not in ("required", "subject"):
        return None
    if not getattr(driver, "keeps_connections", True):
        return "the client driver runs one process per request, so no connection can be reused"
    plans = case.data["respond"]
    for index, (item, (_, msg)) in enumerate(
        zip(case.data["requests"], record.requests, strict=False)
    ):
        asked = any(name.lower() == "connection" for name, _ in item.get("headers", []))
        keep = plans[min(index, len(plans) - 1)].get("then", "close") == "keep"
        if keep and not asked and "close" in msg.tokens("connection"):
            return (
                f"the client announced Connection: close on request {index + 1} itself, so it "
                "never reuses a connection (RFC 9112 §9.6)"
            )
    return None


def _sent_problem(check: dict[str, Any], msg: Message, authority: str) -> str | None:
    for key in ("method", "target"):
        if key in check and getattr(msg, key) != check[key]:
            return f"{key} {getattr(msg, key)!r} instead of {check[key]!r}"
    if "version" in check and f"{msg.version[0]}.{msg.version[1]}" != check["version"]:
        return f"version {msg.version} instead of {check['version']}"
    if "framing" in check and msg.framing != check["framing"]:
        return f"body framing {msg.framing!r} instead of {check['framing']!r}"
    problem = header_problem(
        msg, check.get("headers", {}), check.get("absent", []), {"$authority": authority}
    )
    return problem or body_problem(check.get("body"), msg.body)


def mismatch(
    expect: dict[str, Any], observed: list[Observation], record: Recorded, authority: str
) -> str | None:
    """Why the client's behaviour does not meet ``expect``; ``None`` when it does."""
    within = float(expect.get("within", 3.0)) * time_scale()
    for index, (want, got) in enumerate(zip(expect["results"], observed, strict=True)):
        at = f"request {index + 1}"
        if want["outcome"] != "any" and got.kind != want["outcome"]:
            return f"{at}: the client reported {_said(got)} instead of {want['outcome']}"
        if got.elapsed > within:
            return f"{at}: took {got.elapsed:.2f} s, more than {within:g} s"
        known = got.kind == "response" and "status" in want and got.status is not None
        if known and got.status is not None and not status_ok(got.status, want["status"]):
            return f"{at}: status {got.status} instead of one of {want['status']}"
        problem = body_problem(want.get("body"), got.body) if got.kind == "response" else None
        if problem:
            return f"{at}: {problem}"
    for index, check in enumerate(expect.get("sent", [])):
        if index >= len(record.requests):
            return f"the server received {len(record.requests)} request(s), expected {index + 1}"
        problem = _sent_problem(check, record.requests[index][1], authority)
        if problem:
            return f"request {index + 1} as sent: {problem}"
    if "connections" in expect and len(record.received) != expect["connections"]:
        return f"{len(record.received)} connection(s) instead of {expect['connections']}"
    return None


def _said(obs: Observation) -> str:
    if obs.kind == "response":
        body = render(obs.body or b"", 80)
        return f"a response (status {obs.status}, body {body!r})"
    if obs.kind == "error":
        return f"an error ({obs.error[:160]})"
    return "nothing (it hung)"


async def _drive(
    driver: ClientDriver, requests: list[FetchRequest], cap: float
) -> list[Observation]:
    started = time.monotonic()
    try:
        return await asyncio.wait_for(driver.fetch_all(requests), cap)
    except TimeoutError:
        elapsed = time.monotonic() - started
        return [Observation("hang", error=f"no outcome after {cap:.1f} s", elapsed=elapsed)] * len(
            requests
        )


async def run_client_case(case: Case, driver: ClientDriver) -> Result:
    """Replay one client-side case against the client behind ``driver``."""
    if not getattr(driver, "speaks_http", True):
        return Result(case, *not_applicable("the client driver does not make HTTP requests"))
    started = time.monotonic()
    expect = case.data["expect"]
    within = float(expect.get("within", 3.0)) * time_scale()
    pauses = sum(float(item.get("pause", 0.0)) for item in case.data["requests"])
    budget = within * len(case.data["requests"]) + 1.0 + pauses
    server = ScriptedServer(case.data["respond"], budget=budget)
    port = await server.start()
    requests = _requests(case, port)
    try:
        observed = await _drive(driver, requests, budget)
    finally:
        await server.stop()
    record = server.record
    authority = f"127.0.0.1:{port}"
    verdict, reason = _judge(case, observed, record, authority)
    if not record.errors:  # a malformed request fails whatever else happened
        unobservable = _reuse_unobservable(case, driver, record)
        if unobservable:
            verdict, reason = not_applicable(unobservable)
    return Result(
        case,
        verdict,
        reason,
        expected=_describe(case),
        sent=_connections(record.sent),
        observed=_connections(record.received)
        + "\n"
        + "\n".join(f"[client, request {i + 1}: {_said(o)}]" for i, o in enumerate(observed)),
        duration=time.monotonic() - started,
    )


def _judge(
    case: Case, observed: list[Observation], record: Recorded, authority: str
) -> tuple[Verdict, str]:
    if record.errors:
        return Verdict.FAIL, f"the client sent a malformed request: {record.errors[0]}"
    skip = _not_applicable(case, record)
    if skip:
        return Verdict.INFORMATIONAL, f"not applicable to this client: {skip}"
    problem = mismatch(case.data["expect"], observed, record, authority)
    if problem is None:
        return grade(case.level, True, "as expected")
    for alt in case.data.get("also", []):
        if mismatch(alt, observed, record, authority) is None:
            return Verdict(alt["verdict"]), alt["reason"]
    return grade(case.level, False, problem)


def _connections(parts: list[bytes]) -> str:
    return "\n".join(f"[connection {i + 1}] {render(data)}" for i, data in enumerate(parts))


def _describe(case: Case) -> str:
    text = json.dumps(case.data["expect"], sort_keys=True)
    for alt in case.data.get("also", []):
        text += f"\nor ({alt['verdict']}): " + json.dumps(
            {k: v for k, v in alt.items() if k not in ("verdict", "reason")}, sort_keys=True
        )
    return text
