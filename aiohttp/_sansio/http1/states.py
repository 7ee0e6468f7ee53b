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
"""

from __future__ import annotations

import enum
from typing import NamedTuple, NoReturn

from ..errors import LocalProtocolError

__all__ = [
    "SETTLE",
    "TRANSITIONS",
    "Condition",
    "ConnectionState",
    "Role",
    "Row",
    "Rule",
    "State",
    "Trigger",
    "joint",
    "joints",
    "parties",
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

_NEXT: dict[tuple[Role, State, Trigger], State] = {
    (row.party, row.state, row.trigger): row.next for row in TRANSITIONS
}
# A head whose message ends with it: its row, then the END row from where it leads. No row of
# SETTLE moves a party out of BODY (or out of WAIT_CONTINUE before the request is answered),
# so settling once after both moves is settling after each.
_WHOLE: dict[tuple[Role, State, Trigger], State] = {
    key: _NEXT[(key[0], new, Trigger.END)]
    for key, new in _NEXT.items()
    if (key[0], new, Trigger.END) in _NEXT
}
_RULES: dict[tuple[Role, State], tuple[tuple[Condition, State], ...]] = {}
for _rule in SETTLE:
    _key = (_rule.party, _rule.state)
    _RULES[_key] = (*_RULES.get(_key, ()), (_rule.condition, _rule.next))
del _rule, _key

_ENDED = frozenset((State.MUST_CLOSE, State.CLOSED, State.ERROR))
# Members read on every move, bound once: an enum attribute lookup costs ten times a global's.
_REQUEST, _REQUEST_EXPECT, _RESPONSE, _END = _T.REQUEST, _T.REQUEST_EXPECT, _T.RESPONSE, _T.END
_BODY = State.BODY

# The facts the conditions read besides the two states, as bits of one int.
_LAST_C, _LAST_S, _OWED, _HEARD, _PROPOSED, _SWITCHED = 1, 2, 4, 8, 16, 32


def _holds(party: Role, condition: Condition, client: State, server: State, facts: int) -> bool:
    """Whether ``condition`` holds for ``party`` in the joint state ``(client, server, facts)``."""
    if condition is Condition.ALWAYS:
        return True
    if condition is Condition.OWED:
        return bool(facts & _OWED)
    if condition is Condition.LAST:
        return bool(facts & (_LAST_C if party is _C else _LAST_S))
    if condition is Condition.PEER_LAST:
        if party is _C:
            return bool(facts & _LAST_S) or server in _ENDED
        return bool(facts & _LAST_C) or client in _ENDED
    if condition is Condition.ANSWERED:
        return not facts & _OWED and server is not State.BODY
    if condition is Condition.HEARD:
        return bool(facts & _HEARD)
    if condition is Condition.PROPOSED:
        return bool(facts & _PROPOSED)
    if condition is Condition.ACCEPTED:
        return bool(facts & _SWITCHED)
    return not facts & (_PROPOSED | _SWITCHED)  # DECLINED


def _settle(client: State, server: State, facts: int) -> tuple[State, State]:
    """Apply :data:`SETTLE` to a joint state until no row matches."""
    moved = True
    while moved:
        moved = False
        for party in (_C, _S):
            for condition, new in _RULES.get((party, client if party is _C else server), ()):
                if _holds(party, condition, client, server, facts):
                    if party is _C:
                        client = new
                    else:
                        server = new
                    moved = True
                    break
    return client, server


# Settled joint states, filled as they are met: at most 10 x 10 states x 64 facts.
_SETTLED: dict[tuple[State, State, int], tuple[State, State]] = {}

# A party's move as one small int: (party, trigger, whole) -> code, and back.
_CODES = {
    (party, trigger, whole): code
    for code, (party, trigger, whole) in enumerate(
        (party, trigger, whole) for party in Role for trigger in Trigger for whole in (False, True)
    )
}
_MOVES = {code: key for key, code in _CODES.items()}
assert len(State) <= 16  # a joint state holds each party's in four bits
_REQ, _REQ_WHOLE = _CODES[_C, _REQUEST, False], _CODES[_C, _REQUEST, True]
_REQ_EXPECT, _REQ_EXPECT_WHOLE = (
    _CODES[_C, _REQUEST_EXPECT, False],
    _CODES[_C, _REQUEST_EXPECT, True],
)
_INTERIM = _CODES[_S, _T.INTERIM, False]
_RESP, _RESP_WHOLE = _CODES[_S, _RESPONSE, False], _CODES[_S, _RESPONSE, True]
_RESP_KEY, _RESP_WHOLE_KEY = _RESP << 14, _RESP_WHOLE << 14  # as they stand in a step's key
_END_OF = {party: _CODES[party, _END, False] for party in Role}
_DATA_OF = {party: _CODES[party, _T.DATA, False] for party in Role}
_CLOSE_OF = {party: _CODES[party, _T.CLOSE, False] for party in Role}
# The facts a request or a response head replaces (the rest carry over).
_KEEP_ON_REQUEST = ~_LAST_C
_KEEP_ON_RESPONSE = ~(_LAST_S | _OWED)

_ORDER = tuple(State)
_INDEX = {state: index for index, state in enumerate(_ORDER)}
_BODY_INDEX = _INDEX[State.BODY]


def joint(client: State, server: State) -> int:
    """Both parties' states as one int: ``client`` in the high four bits, ``server`` low."""
    return _INDEX[client] << 4 | _INDEX[server]


def parties(value: int) -> tuple[State, State]:
    """The ``(client, server)`` states of a :func:`joint` int."""
    return _ORDER[value >> 4], _ORDER[value & 15]


def joints(party: Role, *states: State) -> frozenset[int]:
    """Every :func:`joint` int in which ``party`` is in one of ``states``: a party's state
    tested against a few, in one set lookup."""
    return frozenset(
        joint(client, server)
        for client in _ORDER
        for server in _ORDER
        if (client if party is _C else server) in states
    )


_START = joint(State.IDLE, State.IDLE)


def _joint_step(client: State, server: State, code: int, facts: int) -> tuple[State, State] | None:
    """A move of :data:`TRANSITIONS` from ``(client, server)``, then :data:`SETTLE` with
    ``facts`` (as they stand after the move); ``None`` if the move is forbidden."""
    party, trigger, whole = _MOVES[code]
    new = (_WHOLE if whole else _NEXT).get((party, client if party is _C else server, trigger))
    if new is None:
        return None
    if party is _C:
        return _settle(new, server, facts)
    return _settle(client, new, facts)


class _Steps(dict[int, int]):
    """A move and the settling after it in one lookup, filled from the tables as they are
    met: ``joint | facts << 8 | code << 14`` -> the settled :func:`joint` state, or ``-1``
    when the move is forbidden."""

    __slots__ = ()

    def __missing__(self, key: int) -> int:
        new = _joint_step(*parties(key & 255), key >> 14, key >> 8 & 63)
        step = self[key] = -1 if new is None else joint(*new)
        return step


_STEPS = _Steps()


class _StatesView(dict[Role, State]):
    """:attr:`ConnectionState.states`: both states by party; setting one sets the machine's."""

    __slots__ = ("_machine",)

    def __init__(self, machine: ConnectionState) -> None:
        client, server = parties(machine.joint)
        super().__init__(((_C, client), (_S, server)))
        self._machine = machine

    def __setitem__(self, party: Role, state: State) -> None:
        super().__setitem__(party, state)
        self._machine.joint = joint(self[_C], self[_S])


class ConnectionState:
    """Both parties' states, moved by what they do, judged by the tables.

    It does not know which party is local: a forbidden move raises
    :class:`~aiohttp._sansio.errors.LocalProtocolError`, and the caller that knows the move
    was the peer's translates it.
    """

    __slots__ = ("_facts", "_final", "_proposal", "_requests", "_waiting", "joint")

    def __init__(self) -> None:
        #: Both states as one int (see :func:`joint`); :attr:`states` reads them by party.
        self.joint = _START
        # The facts SETTLE reads besides the two states (the _LAST_C ... _SWITCHED bits), kept
        # as they change: whose current message is its last, a request without its final
        # response, the waiting body heard, a switch proposed or made.
        self._facts = 0
        self._requests = 0  # request heads so far
        self._final = 0  # final response heads so far
        self._proposal: bool | None = None  # a pending switch: True for CONNECT
        self._waiting = 0  # the number of the request whose body waits for 100, or 0

    @property
    def states(self) -> dict[Role, State]:
        """Both parties' states by :class:`Role`; setting one moves the machine there."""
        return _StatesView(self)

    @property
    def client(self) -> State:
        """The client's state."""
        return _ORDER[self.joint >> 4]

    @property
    def server(self) -> State:
        """The server's state."""
        return _ORDER[self.joint & 15]

    @property
    def unanswered(self) -> int:
        """Requests whose final response head has not been sent yet."""
        return self._requests - self._final

    @property
    def proposal(self) -> str | None:
        """The pending switch: ``"upgrade"``, ``"connect"``, or ``None``."""
        if self._proposal is None:
            return None
        return "connect" if self._proposal else "upgrade"

    def last(self, party: Role) -> bool:
        """Whether ``party``'s current message is its last (see :attr:`Condition.LAST`)."""
        return bool(self._facts & (_LAST_C if party is _C else _LAST_S))

    # -- what the parties do ------------------------------------------------------------

    def request(self, expect: bool, last: bool, switch: str | None, whole: bool = False) -> None:
        """The client sends a request head.

        Args:
            expect: It asks for ``100 Continue`` before a body (RFC 9110 §10.1.1).
            last: It is the client's last request (RFC 9112 §9.6).
            switch: ``"upgrade"`` or ``"connect"`` when it asks to switch protocols.
            whole: The request has no body and ends with its head: the same as
                ``end(Role.CLIENT)`` next, in one step.
        """
        facts = self._facts & _KEEP_ON_REQUEST | last | _OWED
        if expect:
            facts &= ~_HEARD
            code = _REQ_EXPECT_WHOLE if whole else _REQ_EXPECT
            waiting = 0 if whole else self._requests + 1
        else:
            code = _REQ_WHOLE if whole else _REQ
            waiting = 0 if whole else self._waiting
        if switch is not None:
            facts |= _PROPOSED
        new = _STEPS[self.joint | facts << 8 | code << 14]
        if new < 0:
            self._refuse(code)
        self.joint, self._facts, self._waiting = new, facts, waiting
        self._requests += 1
        if switch is not None:
            self._proposal = switch == "connect"

    def interim(self) -> None:
        """The server sends a 1xx head other than 101 (RFC 9110 §15.2)."""
        facts = self._facts
        if self._waiting == self._final + 1:
            facts |= _HEARD
        self._move(_INTERIM, facts)
        self._facts = facts

    def response(self, last: bool, switch: str | None, whole: bool = False) -> bool:
        """The server sends the final response head to the oldest unanswered request; return
        whether it declines a switch of protocols that request asked for.

        Args:
            last: It is the server's last response (RFC 9112 §9.6).
            switch: ``"upgrade"`` for a 101, ``"connect"`` for a 2xx answer to CONNECT.
            whole: The response ends with its head (or was sent whole): the same as
                ``end(Role.SERVER)`` next, in one step.

        Raises:
            LocalProtocolError: No request waits for a response, or the switch answers a
                request that did not ask for it, or one not sent whole (RFC 9110 §7.8: "MUST
                NOT switch to a protocol that was not indicated by the client"; "a client
                cannot begin using an upgraded protocol ... until it has completely sent the
                request message").
        """
        final = self._final + 1
        facts = self._facts & _KEEP_ON_RESPONSE | last << 1
        if self._requests != final:
            facts |= _OWED
        if self._waiting == final:
            facts |= _HEARD
        if facts & _PROPOSED or switch is not None:
            return self._answer_proposal(final, facts, switch, whole)
        new = _STEPS[self.joint | facts << 8 | (_RESP_WHOLE_KEY if whole else _RESP_KEY)]
        if new < 0:
            self._refuse(_RESP)
        self.joint, self._final, self._facts = new, final, facts
        return False

    def _answer_proposal(self, final: int, facts: int, switch: str | None, whole: bool) -> bool:
        """:meth:`response` when a switch is pending or made (RFC 9110 §7.8)."""
        if switch is not None and not (
            self.unanswered == 1 and self.proposal == switch and self.client is State.MIGHT_SWITCH
        ):
            raise LocalProtocolError(
                f"A switch ({switch}) answers only a whole request that asked for it "
                "(RFC 9110 §7.8)"
            )
        proposal = self._proposal
        declined = False
        if final == self._requests:  # the response answers the request that proposed it
            if switch is not None:
                facts |= _SWITCHED
            else:
                declined = True
                if proposal:  # RFC 9110 §9.3.6: what follows a refused CONNECT may be
                    facts |= _LAST_C  # tunnel bytes, never a request
            facts &= ~_PROPOSED
            proposal = None
        self._move(_RESP_WHOLE if whole else _RESP, facts)
        self._final, self._facts, self._proposal = final, facts, proposal
        return declined

    def data(self, party: Role) -> None:
        """``party`` sends body bytes."""
        state = self.joint >> 4 if party is _C else self.joint & 15
        if state != _BODY_INDEX:
            self._move(_DATA_OF[party], self._facts)

    def end(self, party: Role) -> None:
        """``party`` ends its message."""
        code = _END_OF[party]
        new = _STEPS[self.joint | self._facts << 8 | code << 14]  # _move, without its frame
        if new < 0:
            self._refuse(code)
        self.joint = new
        if party is _C:
            self._waiting = 0

    def close(self, party: Role) -> None:
        """``party`` closes its sending side."""
        self._move(_CLOSE_OF[party], self._facts)

    def error(self, party: Role) -> None:
        """``party`` broke the protocol: it can do nothing more."""
        client, server = parties(self.joint)
        if party is _C:
            self.joint = joint(State.ERROR, server)
        else:
            self.joint = joint(client, State.ERROR)
        self.settle()

    def settle(self) -> None:
        """Apply :data:`SETTLE` until no row matches."""
        key = (*parties(self.joint), self._facts)
        settled = _SETTLED.get(key)
        if settled is None:
            settled = _SETTLED[key] = _settle(*key)
        self.joint = joint(*settled)

    # -- the tables ---------------------------------------------------------------------

    def _move(self, code: int, facts: int) -> None:
        """Make the move ``code`` along :data:`TRANSITIONS` and settle with ``facts`` (as they
        stand after it), in one lookup; a forbidden move changes nothing and raises."""
        new = _STEPS[self.joint | facts << 8 | code << 14]
        if new < 0:
            self._refuse(code)
        self.joint = new

    def _refuse(self, code: int) -> NoReturn:
        party, trigger, _ = _MOVES[code]
        state = self.client if party is _C else self.server
        raise LocalProtocolError(
            f"The {party.value} cannot send {trigger.value!r} in state {state.value!r}"
        )
