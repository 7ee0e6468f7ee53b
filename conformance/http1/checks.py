"""Comparing what a peer did with what a case expects (shared by both sides)."""

from __future__ import annotations

from typing import Any

from conformance.http1.reader import Message
from conformance.notation import decode, joined, parse_segment, render


def status_ok(status: int, allowed: list[int | str]) -> bool:
    """Whether ``status`` is one of the codes or ``"4xx"`` classes listed."""
    for item in allowed:
        if isinstance(item, int) and status == item:
            return True
        if isinstance(item, str) and item.endswith("xx") and status // 100 == int(item[0]):
            return True
        if isinstance(item, str) and item.isdigit() and status == int(item):
            return True
    return False


def body_problem(expected: str | dict[str, object] | None, body: bytes | None) -> str | None:
    """Why ``body`` is not the expected one (``None`` when it is, or nothing is expected).

    ``expected`` is a notation string, ``"*"`` (any body) or a repeat segment.
    """
    if expected is None or expected == "*":
        return None
    want = decode(expected) if isinstance(expected, str) else joined([parse_segment(expected)])
    if body != want:
        got = "nothing" if body is None else render(body, 200)
        return f"body {got!r} instead of {render(want, 200)!r}"
    return None


def header_problem(
    msg: Message, present: dict[str, str], absent: list[str], variables: dict[str, str]
) -> str | None:
    """Why ``msg``'s fields do not match: a required value differs or a banned field is there.

    A value ``"*"`` only requires presence; ``"$authority"`` stands for the URL's host:port.
    """
    for name, given in present.items():
        values = msg.get_all(name)
        if not values:
            return f"no {name} field"
        want = variables.get(given, given)
        if want != "*" and (len(values) != 1 or values[0] != want):
            return f"{name}: {', '.join(values)!r} instead of {want!r}"
    for name in absent:
        if msg.get_all(name):
            return f"{name} field present ({msg.get(name)!r}) but must not be"
    return None


def response_problem(expect: dict[str, Any], msg: Message) -> str | None:
    """Why one response does not match one response expectation of a server case."""
    if not status_ok(msg.status, expect["status"]):
        return f"status {msg.status} instead of one of {expect['status']}"
    if "version" in expect and f"{msg.version[0]}.{msg.version[1]}" != expect["version"]:
        return f"HTTP/{msg.version[0]}.{msg.version[1]} instead of HTTP/{expect['version']}"
    if "interim" in expect and msg.interim != expect["interim"]:
        return f"1xx responses {msg.interim} instead of {expect['interim']}"
    problem = header_problem(msg, expect.get("headers", {}), expect.get("absent", []), {})
    if problem:
        return problem
    return body_problem(expect.get("body"), msg.body)
