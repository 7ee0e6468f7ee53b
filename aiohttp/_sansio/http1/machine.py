"""The tables of :mod:`~aiohttp._sansio.http1.states` compiled for one lookup per move, and
:class:`ConnectionState`, the machine they drive.

A joint state (both parties' :class:`~aiohttp._sansio.http1.states.State`) is one small int
(:func:`joint`); with the facts the settling rows read (whose message is its last, a request
owed an answer, a switch proposed or made) and the move, it keys one dictionary whose entries
are worked out from :data:`~aiohttp._sansio.http1.states.TRANSITIONS` and
:data:`~aiohttp._sansio.http1.states.SETTLE` the first time a move is met. The tables stay the
only statement of what is allowed.
"""

from __future__ import annotations

from typing import NoReturn

from ..errors import LocalProtocolError
from .states import SETTLE, TRANSITIONS, Condition, Role, State, Trigger

__all__ = ["ConnectionState", "joint", "joints", "parties"]

_C, _S = Role.CLIENT, Role.SERVER
_T = Trigger

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


# Each move's steps, filled from the tables as they are met: ``_STEPS[code][facts][joint]`` is
# the settled :func:`joint` state after the move ``code`` from ``joint`` with ``facts`` (as they
# stand after it), ``-1`` when the move is forbidden, or ``_UNMET``. Plain lists, so that a
# move is three index lookups and no arithmetic on a key; a row is made when first written.
_UNMET = -2
_WIDTH = len(_ORDER) << 4  # every joint int is below this
_NOT_MET: list[int] = [_UNMET] * _WIDTH  # shared by the rows not made yet; never written
_STEPS: list[list[list[int]]] = [[_NOT_MET] * 64 for _ in _MOVES]
# The rows of the moves made on every request, bound once.
_REQ_STEPS, _REQ_WHOLE_STEPS = _STEPS[_REQ], _STEPS[_REQ_WHOLE]
_RESP_WHOLE_STEPS, _END_C_STEPS = _STEPS[_RESP_WHOLE], _STEPS[_END_OF[_C]]


def _meet(code: int, facts: int, at: int) -> int:
    """Work out the step of :data:`_STEPS` for ``code`` from ``at`` with ``facts`` and keep it:
    the settled joint state, or ``-1`` if the move is forbidden."""
    rows = _STEPS[code]
    row = rows[facts]
    if row is _NOT_MET:
        row = rows[facts] = [_UNMET] * _WIDTH
    new = _joint_step(*parties(at), code, facts)
    step = row[at] = -1 if new is None else joint(*new)
    return step


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
        new = _STEPS[code][facts][self.joint]
        if new < 0:
            new = self._meet(code, facts)
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
        code = _RESP_WHOLE if whole else _RESP
        new = _STEPS[code][facts][self.joint]
        if new < 0:
            new = self._meet(code, facts)
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
        new = _STEPS[code][self._facts][self.joint]  # _move, without its frame
        if new < 0:
            new = self._meet(code, self._facts)
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
        new = _STEPS[code][facts][self.joint]
        if new < 0:
            new = self._meet(code, facts)
        self.joint = new

    def _meet(self, code: int, facts: int) -> int:
        """The step of a move not met yet, worked out from the tables (see :data:`_STEPS`); a
        forbidden move raises."""
        new = _meet(code, facts, self.joint)
        if new < 0:
            self._refuse(code)
        return new

    def _refuse(self, code: int) -> NoReturn:
        party, trigger, _ = _MOVES[code]
        state = self.client if party is _C else self.server
        raise LocalProtocolError(
            f"The {party.value} cannot send {trigger.value!r} in state {state.value!r}"
        )
