"""The connection state tables on their own: no bytes, no event loop, no side taken."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from aiohttp._sansio.errors import LocalProtocolError
from aiohttp._sansio.http1.states import (
    SETTLE,
    TRANSITIONS,
    ConnectionState,
    Role,
    State,
    Trigger,
)

C, S = Role.CLIENT, Role.SERVER


def states(machine: ConnectionState) -> tuple[State, State]:
    return machine.states[C], machine.states[S]


def exchange(machine: ConnectionState, *, req_last: bool = False, resp_last: bool = False) -> None:
    """One whole request and its whole response."""
    machine.request(expect=False, last=req_last, switch=None)
    machine.end(C)
    machine.response(last=resp_last, switch=None)
    machine.end(S)


# -- the tables themselves ----------------------------------------------------------------


def test_every_row_cites_the_rfc_section_it_implements() -> None:
    for row in (*TRANSITIONS, *SETTLE):
        assert re.fullmatch(r"RFC 91(10|12) §\d+(\.\d+)*", row.section), row
        assert row.note


def test_a_move_has_one_row_and_settling_rows_are_unique() -> None:
    moves = [(row.party, row.state, row.trigger) for row in TRANSITIONS]
    assert len(moves) == len(set(moves))
    rules = [(rule.party, rule.state, rule.condition) for rule in SETTLE]
    assert len(rules) == len(set(rules))


def test_every_state_a_party_can_be_in_is_named_by_a_row() -> None:
    """No state in the tables is a dead end except the three that end HTTP/1.1."""
    reached = {(row.party, row.next) for row in (*TRANSITIONS, *SETTLE)}
    left = {(row.party, row.state) for row in (*TRANSITIONS, *SETTLE)}
    ends = {State.SWITCHED, State.CLOSED, State.ERROR}
    assert {(party, state) for party, state in reached if state not in ends} <= left


def _move(trigger: Trigger) -> Callable[[ConnectionState, Role], None]:
    def request(machine: ConnectionState, party: Role) -> None:
        assert party is C
        machine.request(expect=trigger is Trigger.REQUEST_EXPECT, last=False, switch=None)

    def interim(machine: ConnectionState, party: Role) -> None:
        assert party is S
        machine.interim()

    def response(machine: ConnectionState, party: Role) -> None:
        assert party is S
        machine.response(last=False, switch=None)

    return {
        Trigger.REQUEST: request,
        Trigger.REQUEST_EXPECT: request,
        Trigger.INTERIM: interim,
        Trigger.RESPONSE: response,
        Trigger.DATA: lambda machine, party: machine.data(party),
        Trigger.END: lambda machine, party: machine.end(party),
        Trigger.CLOSE: lambda machine, party: machine.close(party),
    }[trigger]


_SENDS = {
    C: (Trigger.REQUEST, Trigger.REQUEST_EXPECT, Trigger.DATA, Trigger.END, Trigger.CLOSE),
    S: (Trigger.INTERIM, Trigger.RESPONSE, Trigger.DATA, Trigger.END, Trigger.CLOSE),
}
_ALLOWED = {(row.party, row.state, row.trigger): row.next for row in TRANSITIONS}


@pytest.mark.parametrize("party", [C, S], ids=["client", "server"])
@pytest.mark.parametrize("state", list(State), ids=[state.value for state in State])
def test_what_a_party_may_do_in_each_state_is_exactly_the_table(party: Role, state: State) -> None:
    for trigger in _SENDS[party]:
        machine = ConnectionState()
        machine.states[party] = state
        # The other side is parked where it cannot settle, so only the move itself shows.
        machine.states[S if party is C else C] = State.ERROR if party is C else State.DONE
        if (party, state, trigger) in _ALLOWED:
            _move(trigger)(machine, party)
        else:
            with pytest.raises(LocalProtocolError, match=state.value):
                _move(trigger)(machine, party)


# -- keep-alive and close (RFC 9112 §9.3, §9.6) ---------------------------------------------


def test_a_persistent_connection_returns_to_idle_after_each_exchange() -> None:
    machine = ConnectionState()
    for _ in range(3):
        exchange(machine)
        assert states(machine) == (State.IDLE, State.IDLE)
        assert machine.unanswered == 0


def test_a_request_that_says_close_is_the_last_one_and_the_server_closes_after_answering() -> None:
    machine = ConnectionState()
    machine.request(expect=False, last=True, switch=None)
    machine.end(C)
    # §9.6: "MUST NOT send further requests on that connection"
    assert states(machine) == (State.MUST_CLOSE, State.RESPONSE_DUE)
    assert machine.last(C)
    machine.response(last=False, switch=None)
    machine.end(S)
    # §9.6: "MUST initiate closure ... after it sends the final response"
    assert states(machine) == (State.MUST_CLOSE, State.MUST_CLOSE)


def test_a_response_that_says_close_ends_both_streams_even_with_requests_pipelined() -> None:
    machine = ConnectionState()
    for _ in range(2):
        machine.request(expect=False, last=False, switch=None)
        machine.end(C)
    machine.response(last=True, switch=None)
    # §9.6: "A client that receives a close connection option MUST cease sending requests"
    assert states(machine) == (State.MUST_CLOSE, State.BODY)
    machine.end(S)
    # The second request stays unanswered: §9.6 "MUST NOT process any further requests".
    assert states(machine) == (State.MUST_CLOSE, State.MUST_CLOSE)
    assert machine.unanswered == 1
    with pytest.raises(LocalProtocolError):
        machine.response(last=False, switch=None)


# -- pipelining (RFC 9112 §9.3.2) -------------------------------------------------------------


def test_pipelined_requests_are_answered_in_order() -> None:
    machine = ConnectionState()
    for count in range(1, 4):
        machine.request(expect=False, last=False, switch=None)
        machine.end(C)
        assert machine.unanswered == count
    assert states(machine) == (State.DONE, State.RESPONSE_DUE)
    for left in (2, 1):
        machine.response(last=False, switch=None)
        assert states(machine) == (State.DONE, State.BODY)
        machine.end(S)
        assert states(machine) == (State.DONE, State.RESPONSE_DUE)
        assert machine.unanswered == left
    machine.response(last=False, switch=None)
    machine.end(S)
    assert states(machine) == (State.IDLE, State.IDLE)


def test_the_server_may_answer_before_the_request_body_ends() -> None:
    machine = ConnectionState()
    machine.request(expect=False, last=False, switch=None)
    machine.data(C)
    machine.response(last=False, switch=None)
    machine.end(S)
    assert states(machine) == (State.BODY, State.IDLE)
    machine.end(C)
    assert states(machine) == (State.IDLE, State.IDLE)


def test_a_response_needs_a_request() -> None:
    with pytest.raises(LocalProtocolError, match="server cannot send 'final response'"):
        ConnectionState().response(last=False, switch=None)


# -- 100-continue (RFC 9110 §10.1.1) ------------------------------------------------------------


@pytest.mark.parametrize("answer", ["interim", "final"])
def test_a_response_head_ends_the_wait_for_100_continue(answer: str) -> None:
    machine = ConnectionState()
    machine.request(expect=True, last=False, switch=None)
    assert states(machine) == (State.WAIT_CONTINUE, State.RESPONSE_DUE)
    if answer == "interim":
        machine.interim()
        assert states(machine) == (State.BODY, State.RESPONSE_DUE)
    else:
        machine.response(last=False, switch=None)
        assert states(machine) == (State.BODY, State.BODY)


def test_a_client_may_send_the_body_without_waiting() -> None:
    machine = ConnectionState()
    machine.request(expect=True, last=False, switch=None)
    machine.data(C)
    assert states(machine) == (State.BODY, State.RESPONSE_DUE)


def test_an_interim_answer_to_an_earlier_request_does_not_end_the_wait() -> None:
    machine = ConnectionState()
    machine.request(expect=False, last=False, switch=None)
    machine.end(C)
    machine.request(expect=True, last=False, switch=None)
    machine.interim()  # answers the first request
    assert machine.states[C] is State.WAIT_CONTINUE
    machine.response(last=False, switch=None)
    machine.end(S)
    assert machine.states[C] is State.WAIT_CONTINUE
    machine.interim()  # now the waiting request's
    assert machine.states[C] is State.BODY


# -- switching protocols (RFC 9110 §7.8, §9.3.6, §15.2.2) -------------------------------------


@pytest.mark.parametrize("switch", ["upgrade", "connect"])
def test_an_accepted_switch_takes_both_sides_out_of_http(switch: str) -> None:
    machine = ConnectionState()
    machine.request(expect=False, last=False, switch=switch)
    assert machine.proposal == switch
    machine.end(C)
    assert states(machine) == (State.MIGHT_SWITCH, State.RESPONSE_DUE)
    machine.response(last=False, switch=switch)
    assert states(machine) == (State.SWITCHED, State.BODY)
    machine.end(S)
    assert states(machine) == (State.SWITCHED, State.SWITCHED)
    assert machine.proposal is None


def test_a_declined_upgrade_keeps_the_connection_in_http() -> None:
    machine = ConnectionState()
    machine.request(expect=False, last=False, switch="upgrade")
    machine.end(C)
    machine.response(last=False, switch=None)
    assert states(machine) == (State.DONE, State.BODY)
    machine.end(S)
    assert states(machine) == (State.IDLE, State.IDLE)


def test_a_refused_connect_ends_the_client_stream() -> None:
    machine = ConnectionState()
    machine.request(expect=False, last=False, switch="connect")
    machine.end(C)
    machine.response(last=False, switch=None)  # 407, say
    machine.end(S)
    assert states(machine) == (State.MUST_CLOSE, State.MUST_CLOSE)


def test_a_switch_proposed_in_http_1_0_close_takes_priority_over_closing() -> None:
    machine = ConnectionState()
    machine.request(expect=False, last=True, switch="connect")
    machine.end(C)
    assert machine.states[C] is State.MIGHT_SWITCH


@pytest.mark.parametrize(
    ("proposed", "answer", "whole"),
    [
        (None, "upgrade", True),  # §7.8: "MUST NOT switch to a protocol that was not indicated"
        ("connect", "upgrade", True),  # a 101 is no answer to CONNECT
        ("upgrade", "connect", True),
        ("upgrade", "upgrade", False),  # §7.8: only after the whole request
    ],
)
def test_a_switch_that_was_not_asked_for_is_refused(
    proposed: str | None, answer: str, whole: bool
) -> None:
    machine = ConnectionState()
    machine.request(expect=False, last=False, switch=proposed)
    if whole:
        machine.end(C)
    with pytest.raises(LocalProtocolError, match=r"RFC 9110 §7\.8"):
        machine.response(last=False, switch=answer)
    assert machine.states[S] is State.RESPONSE_DUE  # nothing moved


def test_an_answer_to_an_earlier_request_leaves_the_proposal_pending() -> None:
    machine = ConnectionState()
    machine.request(expect=False, last=False, switch=None)
    machine.end(C)
    machine.request(expect=False, last=False, switch="upgrade")
    machine.end(C)
    machine.response(last=False, switch=None)
    machine.end(S)
    assert states(machine) == (State.MIGHT_SWITCH, State.RESPONSE_DUE)
    assert machine.proposal == "upgrade"


# -- half-close and errors ------------------------------------------------------------------


def test_a_client_half_close_does_not_withdraw_its_requests() -> None:
    """RFC 9112 §9.6: a half-closed connection "does not imply that the client is no longer
    interested in a response"."""
    machine = ConnectionState()
    machine.request(expect=False, last=False, switch=None)
    machine.end(C)
    machine.close(C)
    assert states(machine) == (State.CLOSED, State.RESPONSE_DUE)
    machine.response(last=False, switch=None)
    machine.end(S)
    assert states(machine) == (State.CLOSED, State.MUST_CLOSE)


def test_a_server_may_close_with_a_request_unanswered() -> None:
    """RFC 9112 §9.3.1: "Connections can be closed at any time"; the client may retry."""
    machine = ConnectionState()
    machine.request(expect=False, last=False, switch=None)
    machine.end(C)
    machine.close(S)
    assert states(machine) == (State.MUST_CLOSE, State.CLOSED)
    assert machine.unanswered == 1


def test_closing_inside_a_message_is_refused() -> None:
    machine = ConnectionState()
    machine.request(expect=False, last=False, switch=None)
    with pytest.raises(LocalProtocolError, match="'body'"):
        machine.close(C)


def test_an_error_on_one_side_ends_the_other_side_s_stream() -> None:
    machine = ConnectionState()
    exchange(machine)
    machine.error(S)
    assert states(machine) == (State.MUST_CLOSE, State.ERROR)
    with pytest.raises(LocalProtocolError):
        machine.request(expect=False, last=False, switch=None)
