"""The state of one HTTP/1.1 connection, as two tables that do not know which side we are on.

A connection carries two streams of messages: the requests the **client** sends and the
responses the **server** sends. Each party has a :class:`State`; what a party does (a
:class:`Trigger`: a head, body data, the end of a message, closing its sending side) moves it
along :data:`TRANSITIONS`, and anything a table does not list is forbidden. After every move,
:data:`SETTLE` is applied until nothing changes: these rows couple the two parties (a
response ends the client's wait for ``100 Continue``, a ``close`` from either side ends the
other's stream, a request owed an answer puts the server to work).

Neither table says "we" or "the peer": the same rows judge our own messages and the peer's.
:class:`~aiohttp._sansio.http1.connection.HttpConnection` decides whose fault a forbidden move is.
Every row cites the section of RFC 9112 (HTTP/1.1) or RFC 9110 (HTTP semantics) it implements,
and ``docs/internals.rst`` prints both tables from this module.

Requests may be pipelined (RFC 9112 §9.3.2): the client may send its next request as soon as
the previous one is complete, and the server answers them in order, so the client stream can be
several messages ahead of the server stream. :attr:`ConnectionState.unanswered` counts the
requests that have no final response yet.

:class:`ConnectionState`, the machine these tables drive, is in
:mod:`~aiohttp._sansio.http1.machine` (importable from here).
"""

from __future__ import annotations

import enum
from typing import NamedTuple

__all__ = [
    "SETTLE",
    "TRANSITIONS",
    "Condition",
    "Role",
    "Row",
    "Rule",
    "State",
    "Trigger",
]


class Role(enum.Enum):
    """A party to the connection."""

    __hash__ = object.__hash__  # members are singletons: hash them as fast as ints

    CLIENT = "client"
    """Sends requests (RFC 9110 §3.3)."""
    SERVER = "server"
    """Sends responses."""


class State(enum.Enum):
    """Where one party's stream of messages stands."""

    __hash__ = object.__hash__  # members are singletons: hash them as fast as ints

    IDLE = "idle"
    """Between messages, with nothing owed: the client may send a request."""
    WAIT_CONTINUE = "wait-continue"
    """A request head asked for ``100 Continue`` (RFC 9110 §10.1.1); its body waits."""
    RESPONSE_DUE = "response-due"
    """A request waits for its response; interim (1xx) responses may be sent first."""
    BODY = "body"
    """A head was sent; the body follows until the end of the message."""
    DONE = "done"
    """A message ended; the rows of :data:`SETTLE` say what comes next."""
    MIGHT_SWITCH = "might-switch"
    """A request that asks to switch protocols (Upgrade or CONNECT) ended; nothing more is
    sent until the server answers it."""
    SWITCHED = "switched"
    """The connection left HTTP/1.1 (101, or a 2xx answer to CONNECT)."""
    MUST_CLOSE = "must-close"
    """The party sends no further message on this connection (RFC 9112 §9.6)."""
    CLOSED = "closed"
    """The party closed its sending side."""
    ERROR = "error"
    """The party broke the protocol; the connection cannot be used any more."""


class Trigger(enum.Enum):
    """What a party does."""

    __hash__ = object.__hash__  # members are singletons: hash them as fast as ints

    REQUEST = "request"
    """A request head."""
    REQUEST_EXPECT = "request, expect 100-continue"
    """A request head with ``Expect: 100-continue`` and a body to follow (RFC 9110 §10.1.1)."""
    INTERIM = "1xx response"
    """An interim response head: 1xx other than 101 (RFC 9110 §15.2)."""
    RESPONSE = "final response"
    """A final response head (101 and a 2xx answer to CONNECT included)."""
    DATA = "data"
    """Body bytes."""
    END = "end of message"
    """The end of the message (RFC 9112 §6.3), with trailers when chunked."""
    CLOSE = "close"
    """The party closed its sending side (a half-close, RFC 9112 §9.6)."""


class Condition(enum.Enum):
    """What the rows of :data:`SETTLE` look at, besides a party's own state."""

    __hash__ = object.__hash__  # members are singletons: hash them as fast as ints

    ALWAYS = "always"
    """No condition."""
    HEARD = "heard"
    """A response head (interim or final) answers the request whose body waits."""
    PROPOSED = "proposed"
    """The client's last request asks to switch protocols, and no final response answered it."""
    ACCEPTED = "accepted"
    """The final response switched protocols: 101 to an Upgrade, a 2xx to CONNECT."""
    DECLINED = "declined"
    """The final response to a request that asked to switch protocols did not switch."""
    LAST = "last"
    """The party's current message is its last (``close``, an HTTP/1.0 message without
    ``keep-alive``, a body read until close, a CONNECT that opened no tunnel)."""
    PEER_LAST = "peer last"
    """The other party sends no further message: its message is its last, or it is in
    ``MUST_CLOSE``, ``CLOSED`` or ``ERROR``."""
    OWED = "owed"
    """A request has no final response yet."""
    ANSWERED = "answered"
    """Every request has its whole response."""


class Row(NamedTuple):
    """One move of :data:`TRANSITIONS`: ``party`` in ``state`` does ``trigger``."""

    party: Role
    state: State
    trigger: Trigger
    next: State
    section: str
    note: str


class Rule(NamedTuple):
    """One row of :data:`SETTLE`: ``party`` in ``state`` moves when ``condition`` holds."""

    party: Role
    state: State
    condition: Condition
    next: State
    section: str
    note: str


_C, _S = Role.CLIENT, Role.SERVER
_T = Trigger

TRANSITIONS: tuple[Row, ...] = (
    Row(_C, State.IDLE, _T.REQUEST, State.BODY, "RFC 9112 §2.1", "a request starts"),
    Row(
        _C, State.IDLE, _T.REQUEST_EXPECT, State.WAIT_CONTINUE, "RFC 9110 §10.1.1",
        "the body waits for 100 (Continue) or a final response",
    ),
    Row(
        _C, State.DONE, _T.REQUEST, State.BODY, "RFC 9112 §9.3.2",
        "pipelining: the next request before the responses",
    ),
    Row(
        _C, State.DONE, _T.REQUEST_EXPECT, State.WAIT_CONTINUE, "RFC 9112 §9.3.2",
        "a pipelined request that expects 100-continue",
    ),
    Row(
        _C, State.WAIT_CONTINUE, _T.DATA, State.BODY, "RFC 9110 §10.1.1",
        "a client MAY send the content without waiting",
    ),
    Row(
        _C, State.WAIT_CONTINUE, _T.END, State.DONE, "RFC 9112 §7.1",
        "a chunked body may be empty",
    ),
    Row(_C, State.BODY, _T.DATA, State.BODY, "RFC 9112 §6", "the body"),
    Row(_C, State.BODY, _T.END, State.DONE, "RFC 9112 §6.3", "the framing ends the body"),
    Row(
        _S, State.RESPONSE_DUE, _T.INTERIM, State.RESPONSE_DUE, "RFC 9110 §15.2",
        "any number of 1xx before the final response",
    ),
    Row(
        _S, State.RESPONSE_DUE, _T.RESPONSE, State.BODY, "RFC 9112 §9.2",
        "the final response answers the oldest request",
    ),
    Row(_S, State.BODY, _T.DATA, State.BODY, "RFC 9112 §6", "the body"),
    Row(_S, State.BODY, _T.END, State.DONE, "RFC 9112 §6.3", "the framing ends the body"),
    # Closing the sending side between messages (RFC 9112 §9.6). Inside a message it would
    # leave the message incomplete: the sender aborts instead, and the recipient's parser
    # reports the cut.
    *(
        Row(party, state, _T.CLOSE, State.CLOSED, "RFC 9112 §9.6", "half-close")
        for party, state in (
            (_C, State.IDLE),
            (_C, State.DONE),
            (_C, State.MIGHT_SWITCH),
            (_C, State.MUST_CLOSE),
            (_C, State.CLOSED),
            (_S, State.IDLE),
            (_S, State.MUST_CLOSE),
            (_S, State.CLOSED),
        )
    ),
    Row(
        _S, State.RESPONSE_DUE, _T.CLOSE, State.CLOSED, "RFC 9112 §9.3.1",
        "a connection may close at any time; the request stays unanswered",
    ),
)  # fmt: skip
"""Every move a party may make: ``(party, state, trigger) -> next``. Nothing else is allowed."""

SETTLE: tuple[Rule, ...] = (
    Rule(
        _C, State.WAIT_CONTINUE, Condition.HEARD, State.BODY, "RFC 9110 §10.1.1",
        "100 (Continue) or a final response ends the wait",
    ),
    Rule(
        _C, State.DONE, Condition.PROPOSED, State.MIGHT_SWITCH, "RFC 9110 §7.8",
        "nothing more until the server answers the switch",
    ),
    Rule(
        _C, State.DONE, Condition.LAST, State.MUST_CLOSE, "RFC 9112 §9.6",
        "no request after one that says close",
    ),
    Rule(
        _C, State.DONE, Condition.PEER_LAST, State.MUST_CLOSE, "RFC 9112 §9.6",
        "a client that receives close MUST cease sending requests",
    ),
    Rule(
        _C, State.DONE, Condition.ANSWERED, State.IDLE, "RFC 9112 §9.3",
        "the connection persists",
    ),
    Rule(
        _C, State.IDLE, Condition.PEER_LAST, State.MUST_CLOSE, "RFC 9112 §9.6",
        "the server is closing the connection",
    ),
    Rule(
        _C, State.MIGHT_SWITCH, Condition.ACCEPTED, State.SWITCHED, "RFC 9110 §7.8",
        "101, or a 2xx answer to CONNECT (RFC 9110 §9.3.6)",
    ),
    Rule(
        _C, State.MIGHT_SWITCH, Condition.DECLINED, State.DONE, "RFC 9110 §7.8",
        "a server MAY ignore Upgrade",
    ),
    Rule(
        _S, State.IDLE, Condition.OWED, State.RESPONSE_DUE, "RFC 9112 §9.2",
        "a request waits for its response",
    ),
    Rule(
        _S, State.IDLE, Condition.PEER_LAST, State.MUST_CLOSE, "RFC 9112 §9.6",
        "the client sends no further request",
    ),
    Rule(
        _S, State.DONE, Condition.ACCEPTED, State.SWITCHED, "RFC 9110 §15.2.2",
        "the response switched protocols",
    ),
    Rule(
        _S, State.DONE, Condition.LAST, State.MUST_CLOSE, "RFC 9112 §9.6",
        "a server that sends close MUST close after that response",
    ),
    Rule(
        _S, State.DONE, Condition.OWED, State.RESPONSE_DUE, "RFC 9112 §9.3.2",
        "pipelining: answered in the order received",
    ),
    Rule(
        _S, State.DONE, Condition.PEER_LAST, State.MUST_CLOSE, "RFC 9112 §9.6",
        "closure after the final response to the last request",
    ),
    Rule(
        _S, State.DONE, Condition.ALWAYS, State.IDLE, "RFC 9112 §9.3",
        "the connection persists",
    ),
)  # fmt: skip
"""Moves that follow from the joint state, tried in order after every move."""

_MACHINE = frozenset(("ConnectionState", "joint", "joints", "parties"))


def __getattr__(name: str) -> object:
    """The machine the tables drive, importable from here too (it lives in ``machine``, which
    reads these tables)."""
    if name in _MACHINE:
        from . import machine  # noqa: PLC0415 - machine imports this module

        return getattr(machine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
