"""The server's one-step read: :meth:`HttpConnection.receive_requests` ends where
:meth:`HttpConnection.receive_data` ends.

Whatever the requests and however their bytes are cut, a server reading with
``receive_requests`` returns the same events and stands in the same state as one reading with
``receive_data``; a forbidden move is the client's fault either way.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings

from aiohttp._sansio.errors import BadHttpMessage, RemoteProtocolError
from aiohttp._sansio.http1 import Data, EndOfMessage, RequestHead, ResponseHead, machine
from aiohttp._sansio.http1.connection import HttpConnection
from aiohttp._sansio.http1.states import Role, State

from .test_connection_pair import (
    Exchange,
    cuts,
    exchange_lists,
    pieces,
    send_request,
    send_request_body,
    send_response,
)

GET = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
UPGRADE = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n"
EXPECTING = b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok"


def snapshot(server: HttpConnection) -> tuple[object, ...]:
    """Everything a caller can read of a connection's state."""
    state = server.state
    return (
        repr(server),
        server.unanswered,
        state.proposal,
        state.last(Role.CLIENT),
        state.last(Role.SERVER),
        server.waiting_continue,
        server.stopped,
        server.holding,
        server.buffered,
    )


class Twins:
    """Two servers given the same bytes; one reads with ``receive_data``, the other with
    ``receive_requests``. A client writes the requests' bytes and reads the answers."""

    def __init__(self, to_server: list[int]) -> None:
        self.to_server = to_server
        self.client = HttpConnection(Role.CLIENT)
        self.slow = HttpConnection(Role.SERVER)
        self.fast = HttpConnection(Role.SERVER)

    def read(self, data: bytes) -> None:
        for piece in pieces(data, self.to_server):
            assert self.fast.receive_requests(piece) == self.slow.receive_data(piece)
            assert snapshot(self.fast) == snapshot(self.slow)

    def answer(self, ex: Exchange) -> None:
        data = send_response(self.fast, ex)
        assert send_response(self.slow, ex) == data
        assert snapshot(self.fast) == snapshot(self.slow)
        self.client.receive_data(data)

    def one_at_a_time(self, exchanges: Sequence[Exchange]) -> None:
        for ex in exchanges:
            if ex.expect:  # RFC 9110 §10.1.1: the head, 100 (Continue), then the body
                self.read(send_request(self.client, ex, body=False))
                interim = self.fast.send_response(100)
                assert self.slow.send_response(100) == interim
                self.client.receive_data(interim)
                self.read(send_request_body(self.client, ex))
            else:
                self.read(send_request(self.client, ex))
            self.answer(ex)
            if ex.reply_close:
                break

    def pipelined(self, exchanges: Sequence[Exchange]) -> None:
        """RFC 9112 §9.3.2: all requests first, then the responses in order."""
        self.read(b"".join(send_request(self.client, ex) for ex in exchanges))
        for ex in exchanges:
            self.answer(ex)
            if ex.reply_close:
                break


@settings(max_examples=150, deadline=None)
@given(exchange_lists(expect=True), cuts)
def test_one_step_reads_end_where_move_by_move_reads_end(
    exchanges: list[Exchange], to_server: list[int]
) -> None:
    """RFC 9112 §9.3, §9.6: the connection persists or closes after each exchange."""
    Twins(to_server).one_at_a_time(exchanges)


@settings(max_examples=100, deadline=None)
@given(exchange_lists(expect=False), cuts)
def test_one_step_reads_of_pipelined_requests(
    exchanges: list[Exchange], to_server: list[int]
) -> None:
    Twins(to_server).pipelined(exchanges)


@pytest.mark.parametrize(
    ("request_bytes", "kinds"),
    [
        (GET, [RequestHead, EndOfMessage]),
        (
            b"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok",
            [RequestHead, Data, EndOfMessage],
        ),
        (
            b"PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            [RequestHead, EndOfMessage],
        ),
    ],
)
def test_a_whole_request_in_one_read_leaves_the_client_done(
    request_bytes: bytes, kinds: list[type]
) -> None:
    server = HttpConnection(Role.SERVER)
    assert [type(event) for event in server.receive_requests(request_bytes)] == kinds
    assert (server.their_state, server.our_state, server.unanswered) == (
        State.DONE,
        State.RESPONSE_DUE,
        1,
    )


def test_a_request_that_says_close_stops_the_parser() -> None:
    # RFC 9112 §9.6: no request is read after one that says close.
    server = HttpConnection(Role.SERVER)
    server.receive_requests(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + GET)
    assert server.stopped
    assert server.state.last(Role.CLIENT)
    assert server.unanswered == 1


@pytest.mark.parametrize(
    "request_bytes",
    [
        UPGRADE,  # RFC 9110 §7.8: held until the switch is answered
        EXPECTING,  # RFC 9110 §10.1.1: the body waits for 100 Continue
        GET + GET,  # two requests in one read: pipelined (RFC 9112 §9.3.2)
        GET[:10],  # part of a head: no event yet
    ],
)
def test_other_reads_go_move_by_move(request_bytes: bytes) -> None:
    fast, slow = HttpConnection(Role.SERVER), HttpConnection(Role.SERVER)
    assert fast.receive_requests(request_bytes) == slow.receive_data(request_bytes)
    assert snapshot(fast) == snapshot(slow)


def test_a_client_reads_responses_move_by_move() -> None:
    client = HttpConnection(Role.CLIENT)
    client.request_sent("GET")
    events = client.receive_requests(b"HTTP/1.1 204 No Content\r\n\r\n")
    assert [type(event) for event in events] == [ResponseHead, EndOfMessage]
    assert client.reusable


def test_a_stopped_server_reads_move_by_move() -> None:
    server = HttpConnection(Role.SERVER)
    server.receive_requests(UPGRADE)
    assert server.stopped
    assert server.receive_requests(b"early") == []  # held, not parsed (RFC 9110 §7.8)
    assert server.buffered == len(b"early")


def test_a_broken_request_is_the_client_s_error() -> None:
    server = HttpConnection(Role.SERVER)
    with pytest.raises(BadHttpMessage):
        server.receive_requests(b"GET / HTTP/1.1\r\nBad\r\n\r\n")
    assert server.their_state is State.ERROR


def test_a_forbidden_request_is_the_client_s_fault_either_way() -> None:
    for read in ("receive_requests", "receive_data"):
        server = HttpConnection(Role.SERVER)
        server.state.states[Role.CLIENT] = State.MUST_CLOSE  # after its last request
        with pytest.raises(RemoteProtocolError) as info:
            getattr(server, read)(GET)
        assert info.value.code == 400
        assert server.their_state is State.ERROR


def test_a_step_met_first_by_the_one_step_read_comes_from_the_tables() -> None:
    # The step rows are filled as moves are met; whichever read meets a move first works it
    # out from the tables, so both must.
    rows = machine._STEPS[machine._REQ_WHOLE]
    facts = machine._OWED
    kept = rows[facts]
    rows[facts] = row = [machine._UNMET] * len(machine._NOT_MET)
    try:
        server = HttpConnection(Role.SERVER)
        server.receive_requests(GET)
    finally:
        rows[facts] = kept
    assert (server.their_state, server.our_state) == (State.DONE, State.RESPONSE_DUE)
    assert row[machine.joint(State.IDLE, State.IDLE)] == server.state.joint


def test_a_declined_switch_with_nothing_held_reads_on() -> None:
    # RFC 9110 §7.8: any final response other than 101 declines the switch; HTTP goes on.
    server = HttpConnection(Role.SERVER)
    server.receive_requests(UPGRADE)
    assert server.response_sent(200, keep_alive=True)
    assert server.receive_data(b"") == []
    assert not server.stopped
    assert [type(event) for event in server.receive_requests(GET)] == [RequestHead, EndOfMessage]


def test_a_response_to_a_request_that_said_close_is_the_last() -> None:
    # RFC 9112 §9.6: the parser already stopped at the request; the response ends it all.
    server = HttpConnection(Role.SERVER)
    server.receive_requests(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert not server.response_sent(200, keep_alive=False)
    assert (server.their_state, server.our_state) == (State.MUST_CLOSE, State.MUST_CLOSE)


def test_a_declined_switch_whose_body_breaks_reads_no_further() -> None:
    # RFC 9110 §7.8: declined before the request's body ended; the body then breaks.
    server = HttpConnection(Role.SERVER)
    server.receive_requests(
        b"POST / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: x\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    assert server.response_sent(200, keep_alive=True)
    events = server.receive_requests(b"2\r\nok\r\nzz\r\n")
    assert [type(event) for event in events] == [Data]
    assert server.stopped
    assert isinstance(server.error, BadHttpMessage)
