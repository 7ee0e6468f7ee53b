"""The client's one-step moves: :meth:`HttpConnection.receive_responses` and
:meth:`HttpConnection.request_sent` end where the move-by-move path ends.

Whatever the exchanges and however their bytes are cut, a client reading with
``receive_responses`` returns the same events and stands in the same state as one reading with
``receive_data``; a forbidden move is the server's fault either way.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp._sansio.errors import BadHttpMessage, LocalProtocolError, RemoteProtocolError
from aiohttp._sansio.http1 import Data, EndOfMessage, ResponseHead
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

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
EMPTY = b"HTTP/1.1 204 No Content\r\n\r\n"


def snapshot(client: HttpConnection) -> tuple[object, ...]:
    """Everything a caller can read of a connection's state."""
    state = client.state
    return (
        repr(client),
        client.unanswered,
        state.proposal,
        state.last(Role.CLIENT),
        state.last(Role.SERVER),
        client.waiting_continue,
        client.reusable,
    )


class Twins:
    """Two clients told the same requests; one reads responses with ``receive_data``, the
    other with ``receive_responses``. A third client writes the requests' bytes."""

    def __init__(self, switch: str | None, to_client: list[int]) -> None:
        self.switch = switch
        self.to_client = to_client
        self.writer = HttpConnection(Role.CLIENT)
        self.server = HttpConnection(Role.SERVER)
        self.slow = HttpConnection(Role.CLIENT)
        self.fast = HttpConnection(Role.CLIENT)

    def request(self, ex: Exchange) -> bool:
        """Tell both clients a request was sent; whether it ended with its head."""
        whole = not (ex.chunked or any(ex.body))
        for client in (self.slow, self.fast):
            client.request_sent(
                ex.method, last=ex.close, expect=ex.expect, switch=self.switch, whole=whole
            )
        return whole

    def end_request(self) -> None:
        for client in (self.slow, self.fast):
            client.send_end()

    def answer(self, data: bytes) -> None:
        self.writer.receive_data(data)
        for piece in pieces(data, self.to_client):
            assert self.fast.receive_responses(piece) == self.slow.receive_data(piece)
            assert snapshot(self.fast) == snapshot(self.slow)

    def one_at_a_time(self, exchanges: Sequence[Exchange]) -> None:
        server = self.server
        for ex in exchanges:
            whole = self.request(ex)
            if ex.expect:  # RFC 9110 §10.1.1: the head, 100 (Continue), then the body
                server.receive_data(send_request(self.writer, ex, body=False))
                self.answer(server.send_response(100))
                server.receive_data(send_request_body(self.writer, ex))
            else:
                server.receive_data(send_request(self.writer, ex))
            if not whole:
                self.end_request()
            self.answer(send_response(server, ex))
            if ex.reply_close:
                break

    def pipelined(self, exchanges: Sequence[Exchange]) -> None:
        """RFC 9112 §9.3.2: all requests first, then the responses in order."""
        wire = b""
        for ex in exchanges:
            if not self.request(ex):
                self.end_request()
            wire += send_request(self.writer, ex)
        self.server.receive_data(wire)
        wire = b""
        for ex in exchanges:
            wire += send_response(self.server, ex)
            if ex.reply_close:
                break
        self.answer(wire)


@settings(max_examples=150, deadline=None)
@given(exchange_lists(expect=True), st.sampled_from([None, "upgrade"]), cuts)
def test_one_step_reads_end_where_move_by_move_reads_end(
    exchanges: list[Exchange], switch: str | None, to_client: list[int]
) -> None:
    """RFC 9110 §7.8: a request may offer a switch the server declines by answering with
    anything else; RFC 9112 §9.3, §9.6: the connection persists or closes after the response."""
    Twins(switch, to_client).one_at_a_time(exchanges)


@settings(max_examples=100, deadline=None)
@given(exchange_lists(expect=False), cuts)
def test_one_step_reads_of_pipelined_responses(
    exchanges: list[Exchange], to_client: list[int]
) -> None:
    Twins(None, to_client).pipelined(exchanges)


@pytest.mark.parametrize(
    ("response", "kinds"),
    [
        (EMPTY, [ResponseHead, EndOfMessage]),
        (OK, [ResponseHead, Data, EndOfMessage]),
    ],
)
def test_a_whole_response_in_one_read_moves_the_client_back_to_idle(
    response: bytes, kinds: list[type]
) -> None:
    """RFC 9112 §9.3: the connection persists; RFC 9110 §7.8: the offered switch is declined."""
    client = HttpConnection(Role.CLIENT)
    client.request_sent("GET", switch="upgrade")
    assert [type(event) for event in client.receive_responses(response)] == kinds
    assert client.state.proposal is None
    assert client.reusable


def test_a_refused_connect_is_the_client_s_last_request() -> None:
    """RFC 9110 §9.3.6: what follows a refused CONNECT may be tunnel bytes, never a request."""
    client = HttpConnection(Role.CLIENT)
    client.request_sent("CONNECT", switch="connect")
    client.receive_responses(
        b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"
    )
    assert (client.our_state, client.their_state) == (State.MUST_CLOSE, State.MUST_CLOSE)


def test_a_response_that_says_close_ends_the_connection() -> None:
    """RFC 9112 §9.6: a client that receives close MUST cease sending requests."""
    client = HttpConnection(Role.CLIENT)
    client.request_sent("GET")
    client.receive_responses(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
    assert (client.our_state, client.their_state) == (State.MUST_CLOSE, State.MUST_CLOSE)


def test_the_first_of_two_pipelined_responses_leaves_one_owed() -> None:
    """RFC 9112 §9.3.2: responses answer the requests in order; the offered switch belongs
    to the second request and stays pending."""
    client = HttpConnection(Role.CLIENT)
    client.request_sent("GET")
    client.request_sent("GET", switch="upgrade")
    client.receive_responses(OK)
    assert (client.unanswered, client.state.proposal) == (1, "upgrade")
    assert client.their_state is State.RESPONSE_DUE
    client.receive_responses(OK)
    assert (client.unanswered, client.state.proposal, client.reusable) == (0, None, True)


def test_a_final_response_ends_the_wait_for_100_continue() -> None:
    """RFC 9110 §10.1.1: a final response ends the wait; the body may still be sent."""
    client = HttpConnection(Role.CLIENT)
    client.request_sent("PUT", expect=True, whole=False)
    client.receive_responses(b"HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n")
    assert (client.our_state, client.their_state, client.unanswered) == (
        State.BODY,
        State.IDLE,
        0,
    )


@pytest.mark.parametrize(
    "pieces_in",
    [
        [OK[:10], OK[10:]],  # nothing, then a whole response
        [OK[:-1], OK[-1:]],  # the head and part of the body, then the rest
        [b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + EMPTY],  # RFC 9110 §15.2
    ],
)
def test_a_response_in_other_pieces_reads_as_with_receive_data(
    pieces_in: list[bytes],
) -> None:
    slow, fast = HttpConnection(Role.CLIENT), HttpConnection(Role.CLIENT)
    for client in (slow, fast):
        client.request_sent("GET", switch="upgrade")
    for piece in pieces_in:
        assert fast.receive_responses(piece) == slow.receive_data(piece)
        assert snapshot(fast) == snapshot(slow)
    assert fast.reusable


def test_a_101_switches_and_then_nothing_more_is_parsed() -> None:
    """RFC 9110 §7.8: after the 101 the bytes belong to the new protocol."""
    client = HttpConnection(Role.CLIENT)
    client.request_sent("GET", switch="upgrade")
    client.receive_responses(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\nhi")
    assert client.our_state is State.SWITCHED
    with pytest.raises(LocalProtocolError, match="switched protocols"):
        client.receive_responses(b"more")
    assert client.switch_protocols() == b"hi"


def test_a_malformed_response_is_the_server_s_error() -> None:
    client = HttpConnection(Role.CLIENT)
    client.request_sent("GET")
    with pytest.raises(BadHttpMessage):
        client.receive_responses(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")
    assert client.their_state is State.ERROR


def test_a_response_the_tables_refuse_is_the_server_s_fault() -> None:
    """A response after the server said its last (RFC 9112 §9.6) is answered 502."""
    client = HttpConnection(Role.CLIENT)
    client.request_sent("GET")
    client.state.states[Role.SERVER] = State.MUST_CLOSE
    with pytest.raises(RemoteProtocolError) as info:
        client.receive_responses(OK)
    assert info.value.code == 502
    assert client.their_state is State.ERROR


def test_a_server_reads_with_receive_responses_as_with_receive_data() -> None:
    server = HttpConnection(Role.SERVER)
    events = server.receive_responses(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    assert [type(event).__name__ for event in events] == ["RequestHead", "EndOfMessage"]
    assert server.unanswered == 1


@pytest.mark.parametrize("switch", [None, "upgrade"])
def test_a_pipelined_request_sent_elsewhere_moves_as_send_request(switch: str | None) -> None:
    """RFC 9112 §9.3.2: a request may follow the previous one before its response."""
    here, elsewhere = HttpConnection(Role.CLIENT), HttpConnection(Role.CLIENT)
    here.send_request("GET", "/", [("Host", "a")])
    here.send_end()
    elsewhere.request_sent("GET")
    headers = [("Host", "a")]
    if switch is not None:
        headers += [("Connection", "upgrade"), ("Upgrade", "x")]
    here.send_request("GET", "/", headers)
    here.send_end()
    elsewhere.request_sent("GET", switch=switch)
    assert snapshot(elsewhere) == snapshot(here)
    for client in (here, elsewhere):
        client.receive_data(OK + OK)
    assert snapshot(elsewhere) == snapshot(here)
    assert here.reusable
