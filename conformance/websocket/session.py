"""Play a case's frames to the peer and judge what comes back (both sides share this).

After the opening handshake the harness writes the case's frames, then reads the peer's frames
with its own strict reader until the expectation is settled: the echoed messages (data in order,
pongs in order; the two kinds may interleave), then either the peer's Close with one of the
listed codes, or, for ``"clean"``, our Close 1000 answered by the peer's.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from conformance.model import Verdict, grade, time_scale
from conformance.notation import render
from conformance.websocket.schema import payload
from conformance.websocket.wire import (
    Deflater,
    Frame,
    FrameError,
    Inflater,
    close_code_of,
    encode_frame,
    read_frame,
)

DEFAULT_WITHIN = 5.0
_NAMES = {0: "CONT", 1: "TEXT", 2: "BINARY", 8: "CLOSE", 9: "PING", 10: "PONG"}


@dataclass(slots=True)
class Link:
    """An open WebSocket connection to the peer under test.

    Attributes:
        reader, writer: the TCP streams.
        harness_masks: whether the harness masks (it does when it plays the client).
        deflater, inflater: set when permessage-deflate was negotiated.
        inflate_reset: reset the inflater after each message (peer's no_context_takeover).
        sent, received: every octet written and read, for the report.
        observed: one line per frame the peer sent, for the report.
    """

    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    harness_masks: bool
    deflater: Deflater | None = None
    inflater: Inflater | None = None
    inflate_reset: bool = False
    sent: bytearray = field(default_factory=bytearray)
    observed: list[str] = field(default_factory=list)
    received: bytearray = field(default_factory=bytearray)
    dropped: bool = False
    fresh_keys: bool = False
    keys: set[bytes] = field(default_factory=set)


def expanded(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` with every ``"times": N`` item written out N times."""
    out: list[dict[str, Any]] = []
    for item in items:
        out += [item] * int(item.get("times", 1))
    return out


def build_steps(link: Link, steps: list[dict[str, Any]]) -> list[bytes | float]:
    """The octets (and pauses, and ``"drop"`` marks) of a case's ``send`` list."""
    out: list[bytes | float] = []
    for step in expanded(steps):
        if "pause" in step:
            out.append(float(step["pause"]))
        elif "raw" in step:
            out.append(payload(step["raw"]))
        elif "drop" in step:
            out.append(-1.0)
        else:
            out += _frames(link, step["frame"])
    return out


def _frames(link: Link, spec: dict[str, Any]) -> list[bytes | float]:
    """One frame, or with ``"fragment": N`` one message in N-octet fragments."""
    data = payload(spec.get("data", ""))
    rsv = spec.get("rsv", 0)
    if spec.get("compress"):
        if link.deflater is None:
            raise LookupError("compression was not negotiated")
        data = link.deflater.compress(data)
        rsv |= 4
    mask = spec.get("mask", link.harness_masks)
    size = int(spec.get("fragment", 0))
    if not size or len(data) <= size:
        return [
            encode_frame(
                spec["op"], data, fin=spec.get("fin", True), rsv=rsv, mask=mask,
                length=spec.get("len"), key=_key(spec),
            )
        ]  # fmt: skip
    pieces = [data[i : i + size] for i in range(0, len(data), size)]
    last = len(pieces) - 1
    return [
        encode_frame(
            spec["op"] if i == 0 else 0, piece, fin=i == last, rsv=rsv if i == 0 else 0,
            mask=mask, key=_key(spec),
        )
        for i, piece in enumerate(pieces)
    ]  # fmt: skip


def _key(spec: dict[str, Any]) -> bytes | None:
    key = spec.get("key")
    return None if key is None else payload(key)


async def write_steps(link: Link, pieces: list[bytes | float], chunk: int) -> None:
    """Write the pieces, split into ``chunk``-octet writes when asked.

    Without ``chunk``, frames between two pauses go out in one write, so the peer reads them
    together (as one TCP segment when small): what a case sends does not depend on timing.
    """
    if not chunk:
        pieces = _coalesced(pieces)
    for piece in pieces:
        if isinstance(piece, float) and piece < 0:  # {"drop": true}: the connection is lost
            link.dropped = True
            link.writer.transport.abort()
            return
        if isinstance(piece, float):
            await asyncio.sleep(piece)
            continue
        link.sent += piece
        if chunk:
            for i in range(0, len(piece), chunk):
                link.writer.write(piece[i : i + chunk])
                await link.writer.drain()
                # Small pieces wait a moment so the peer reads them apart; large ones need not.
                await asyncio.sleep(0.001 if chunk < 1024 else 0)
        else:
            link.writer.write(piece)
            await link.writer.drain()


def _coalesced(pieces: list[bytes | float]) -> list[bytes | float]:
    out: list[bytes | float] = []
    run: list[bytes] = []
    for piece in pieces:
        if isinstance(piece, bytes | bytearray):
            run.append(piece)
            continue
        if run:
            out.append(b"".join(run))
            run = []
        out.append(piece)
    if run:
        out.append(b"".join(run))
    return out


@dataclass(slots=True)
class _Tally:
    data: list[tuple[int, bytes]] = field(default_factory=list)
    pongs: list[bytes] = field(default_factory=list)
    close: int | bool | None = False  # False: no Close seen; None: empty Close
    partial: list[bytes] = field(default_factory=list)
    partial_op: int = 0
    partial_rsv: int = 0
    checked_data: int = 0


def _note(link: Link, frame: Frame) -> None:
    name = _NAMES.get(frame.opcode, f"OP{frame.opcode}")
    shown = frame.payload[:40]
    link.observed.append(
        f"{name}{'' if frame.fin else '(more)'}{' rsv' + str(frame.rsv) if frame.rsv else ''}"
        f"{' masked' if frame.masked else ''} {shown!r}{'...' if len(frame.payload) > 40 else ''}"
        f" [{len(frame.payload)}]"
    )


def _absorb(link: Link, tally: _Tally, frame: Frame) -> str | None:
    """Take one peer frame; return a reason when the peer broke the protocol."""
    if frame.masked == link.harness_masks:
        return "the peer masked wrongly (RFC 6455 §5.1, §5.3)"
    if link.fresh_keys:
        if frame.key in link.keys:
            return "the client used a masking key twice (RFC 6455 §5.3: a fresh key per frame)"
        link.keys.add(frame.key)
    if frame.opcode in (1, 2, 0):
        if frame.opcode and tally.partial_op:
            return "the peer started a message inside another (§5.4)"
        if not frame.opcode and not tally.partial_op:
            return "the peer sent a continuation with no message (§5.4)"
        if frame.opcode:
            tally.partial_op, tally.partial_rsv = frame.opcode, frame.rsv
        tally.partial.append(frame.payload)
        if frame.fin:
            data = b"".join(tally.partial)
            if tally.partial_rsv & 4:
                if link.inflater is None:
                    return "the peer set RSV1 without permessage-deflate (§5.2)"
                data = link.inflater.decompress(data, reset=link.inflate_reset)
            tally.data.append((tally.partial_op, data))
            tally.partial, tally.partial_op = [], 0
        return None
    if frame.opcode == 10:
        tally.pongs.append(frame.payload)
    elif frame.opcode == 9:
        link.writer.write(encode_frame(10, frame.payload, mask=link.harness_masks))
    elif frame.opcode == 8:
        tally.close = close_code_of(frame.payload)
    else:
        return f"the peer sent reserved opcode {frame.opcode} (§5.2)"
    return None


@dataclass(slots=True)
class _Wanted:
    """The expected echoes, decoded once."""

    data: list[tuple[int, bytes]]
    pongs: list[bytes]
    exact: bool

    @classmethod
    def of(cls, expect: dict[str, Any]) -> _Wanted:
        items = expanded(expect.get("echo", []))
        return cls(
            [(e["op"], payload(e.get("data", ""))) for e in items if e["op"] != 10],
            [payload(e.get("data", "")) for e in items if e["op"] == 10],
            bool(expect.get("exact")),
        )


def _echo_matches(want: _Wanted, tally: _Tally) -> tuple[bool, bool, str]:
    """(complete, consistent, reason) of the echoes seen so far against the expected ones."""
    for index in range(tally.checked_data, min(len(tally.data), len(want.data))):
        got, wanted = tally.data[index], want.data[index]
        if got != wanted:
            return False, False, f"echo {got[1][:40]!r} differs from {wanted[1][:40]!r}"
    tally.checked_data = min(len(tally.data), len(want.data))
    for got_p, want_p in zip(tally.pongs, want.pongs, strict=False):
        if got_p != want_p:
            return False, False, f"pong {got_p[:40]!r} differs from {want_p[:40]!r}"
    if len(tally.data) > len(want.data):
        return False, False, "the peer sent more messages than expected"
    if want.exact and len(tally.pongs) > len(want.pongs):
        return False, False, "the peer answered a Ping it should not have processed"
    done = len(tally.data) == len(want.data) and len(tally.pongs) >= len(want.pongs)
    return done, True, ""


async def converse(link: Link, case_data: dict[str, Any], level: str) -> tuple[Verdict, str]:
    """Send the case's frames and judge the peer's answer."""
    expect = case_data["expect"]
    close = expect.get("close")
    within = float(expect.get("within", DEFAULT_WITHIN)) * time_scale()
    try:
        pieces = build_steps(link, case_data.get("send", []))
    except LookupError as exc:
        return Verdict.INFORMATIONAL, f"cannot run: {exc}"
    link.fresh_keys = bool(expect.get("fresh_keys"))
    want = _Wanted.of(expect)
    deadline = time.monotonic() + within
    writer_task = asyncio.ensure_future(write_steps(link, pieces, int(case_data.get("chunk", 0))))
    writer_task.add_done_callback(_quiet)
    tally = _Tally()
    frames = _FrameReader(link)
    we_closed = False
    done = False
    try:
        while True:
            done, ok, reason = _echo_matches(want, tally)
            if not ok:
                return grade(level, False, reason)
            if tally.close is not False:
                return await _closed(link, expect, level, tally, (done, we_closed))
            if not writer_task.done():  # the bound counts from the last octet the harness sent
                deadline = time.monotonic() + within
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if done and close in (None, "clean") and not we_closed:
                async with asyncio.timeout(remaining):  # all our frames go out first
                    await asyncio.shield(writer_task)
                if close is None:
                    return Verdict.PASS, "echoed as expected"
                link.writer.write(encode_frame(8, b"\x03\xe8", mask=link.harness_masks))
                we_closed = True
            frame = await frames.next(writer_task, remaining)
            if frame is None:
                continue  # the writer finished first: the bound starts now
            _note(link, frame)
            problem = _absorb(link, tally, frame)
            if problem:
                return Verdict.FAIL, problem
    except TimeoutError:
        what = "a Close" if done or close is None else "the expected echoes"
        return grade(level, False, f"no answer in {within:g} s (waiting for {what})")
    except (asyncio.IncompleteReadError, ConnectionError):
        return _lost(link, close, level, done, _echo_matches(want, tally)[1])
    except (FrameError, ValueError) as exc:
        return Verdict.FAIL, f"unreadable frame from the peer: {exc}"
    finally:
        writer_task.cancel()
        frames.cancel()


class _FrameReader:
    """Reads the peer's frames one at a time without ever abandoning one half-read."""

    def __init__(self, link: Link) -> None:
        self._link = link
        self._task: asyncio.Future[Frame] | None = None

    async def next(self, writer: asyncio.Future[None], timeout: float) -> Frame | None:  # noqa: ASYNC109
        """The next frame; ``None`` when ``writer`` finished first (while still writing).

        Raises:
            TimeoutError: nothing happened within ``timeout`` seconds.
        """
        if self._task is None:
            self._task = asyncio.ensure_future(
                read_frame(self._link.reader, sink=self._link.received)
            )
        waiting = {self._task} if writer.done() else {self._task, writer}
        await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if self._task.done():
            task, self._task = self._task, None
            return task.result()
        if writer.done():
            return None
        raise TimeoutError

    def cancel(self) -> None:
        """Stop reading."""
        if self._task is not None:
            self._task.cancel()
            self._task.add_done_callback(_quiet_frame)


def _quiet_frame(task: asyncio.Future[Frame]) -> None:
    if not task.cancelled():
        task.exception()


async def _closed(
    link: Link, expect: dict[str, Any], level: str, tally: _Tally, state: tuple[bool, bool]
) -> tuple[Verdict, str]:
    """The verdict once the peer's Close is in (``state``: echoes done, we closed first)."""
    done, we_closed = state
    if not done and tally.close in expect.get("limit", []):
        return Verdict.INFORMATIONAL, (
            f"refused with {tally.close}: a message size limit below this message (RFC 6455 §10.4)"
        )
    verdict, reason = _judge_close(level, expect.get("close"), tally, done, we_closed)
    bound = expect.get("tcp_close")
    if verdict is Verdict.PASS and bound:
        try:
            async with asyncio.timeout(float(bound) * time_scale()):
                while await link.reader.read(65536):
                    pass
        except TimeoutError:
            return grade(level, False, f"TCP stayed open {bound:g} s after the closing handshake")
        except ConnectionError:
            pass
    return verdict, reason


def _lost(link: Link, close: Any, level: str, done: bool, consistent: bool) -> tuple[Verdict, str]:
    """The verdict when the connection ended without the peer's Close frame."""
    if link.dropped:
        return grade(level, done, "the harness dropped the connection after the echoes")
    if isinstance(close, list) and _fails(close) and consistent:
        return _short_of(level), (
            "the peer dropped the TCP connection without a Close frame (the Close is a "
            "SHOULD: RFC 6455 §7.1.7)"
        )
    return grade(level, False, "the peer closed the connection early")


def observed_text(link: Link) -> str:
    """The report's "observed": one line per frame, then the octets in the notation."""
    return "\n".join([*link.observed, f"[octets] {render(bytes(link.received))}"])


def _quiet(task: asyncio.Future[None]) -> None:
    """Writes stop when the peer closes first; that is the point of many cases."""
    if not task.cancelled():
        task.exception()


#: Close codes of a normal closure (``None``: a Close without a code).
_NORMAL = (1000, 1001, None)


def _short_of(level: str) -> Verdict:
    return Verdict.INFORMATIONAL if level == "MAY" else Verdict.NON_STRICT


def _judge_close(
    level: str, close: Any, tally: _Tally, done: bool, we_closed: bool
) -> tuple[Verdict, str]:
    code = tally.close
    if close == "clean":
        if not done:
            return grade(level, False, f"the peer closed ({code}) before echoing everything")
        if not we_closed:
            return grade(level, False, f"the peer closed ({code}) unprompted")
        return grade(level, code == 1000, f"Close answered with {code}")
    if not isinstance(close, list):
        return grade(level, False, f"unexpected Close ({code})")
    if code in close:
        if not done:
            return _short_of(level), (
                f"closed with {code} as expected, but without echoing what was sent before "
                "the frame that ended the connection"
            )
        return grade(level, True, f"closed with {code}")
    if _fails(close) and code not in _NORMAL:
        return _short_of(level), (
            f"failed the connection with {code}, where {close} is the appropriate code "
            "(a SHOULD: RFC 6455 §7.1.7)"
        )
    return grade(level, False, f"closed with {code}, expected one of {close}")


def _fails(close: list[int | None]) -> bool:
    """Whether the expectation is that the peer fails the connection (RFC 6455 §7.1.7)."""
    return all(code not in _NORMAL for code in close)
