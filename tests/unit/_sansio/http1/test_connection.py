"""One side of a connection on its own: what it may send, what it accepts, whose fault it is."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from aiohttp._sansio.errors import (
    BadHttpMessage,
    ContentLengthError,
    LocalProtocolError,
    RemoteProtocolError,
)
from aiohttp._sansio.http1 import Data, EndOfMessage, RequestHead, ResponseHead
from aiohttp._sansio.http1.connection import HttpConnection
from aiohttp._sansio.http1.events import HttpVersion10
from aiohttp._sansio.http1.states import Role, State

HOST = ("Host", "example.com")
GET = b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"
UPGRADE = (
    b"GET /chat HTTP/1.1\r\nHost: example.com\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n"
)


def server_with(data: bytes) -> tuple[HttpConnection, list[object]]:
    server = HttpConnection(Role.SERVER)
    return server, list(server.receive_data(data))


def client_after(*requests: tuple[str, list[tuple[str, str]]]) -> HttpConnection:
    client = HttpConnection(Role.CLIENT)
    for method, headers in requests:
        client.send_request(method, "/", [HOST, *headers])
        client.send_end()
    return client


# -- the server side ------------------------------------------------------------------------


def test_a_server_reads_a_request_and_answers_it() -> None:
    server, events = server_with(GET)
    assert [type(event) for event in events] == [RequestHead, EndOfMessage]
    assert (server.their_state, server.our_state, server.unanswered) == (
        State.DONE,
        State.RESPONSE_DUE,
        1,
    )
    assert repr(server) == "<HttpConnection server: response-due, client: done>"
    out = server.send_response(200, [("Content-Length", "2")])
    assert out == b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"
    assert server.send_data(b"ok") == b"ok"
    assert server.send_end() == b""
    assert (server.their_state, server.our_state, server.unanswered) == (State.IDLE, State.IDLE, 0)
    assert server.reusable


def test_a_chunked_body_is_chunked_here_with_its_trailers() -> None:
    server, _ = server_with(GET)
    server.send_response(200, [("Transfer-Encoding", "chunked")])
    assert server.send_data(b"hello") == b"5\r\nhello\r\n"
    assert server.send_data(b"") == b""
    assert server.send_end([("Digest", "x")]) == b"0\r\nDigest: x\r\n\r\n"


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", 200),  # RFC 9112 §6.3 (1)
        (GET, 204),
        (GET, 304),
    ],
)
def test_a_response_without_a_body_takes_none(request_bytes: bytes, status: int) -> None:
    server, _ = server_with(request_bytes)
    server.send_response(status, [("Content-Length", "5")] if status == 200 else [])
    with pytest.raises(LocalProtocolError, match="No body allowed"):
        server.send_data(b"hello")
    assert server.our_state is State.ERROR


def test_content_length_is_counted_both_ways() -> None:
    """RFC 9112 §6.2: the body is exactly Content-Length bytes."""
    server, _ = server_with(GET)
    server.send_response(200, [("Content-Length", "3")])
    server.send_data(b"ab")
    with pytest.raises(LocalProtocolError, match="1 left"):
        server.send_data(b"cd")
    server, _ = server_with(GET)
    server.send_response(200, [("Content-Length", "3")])
    server.send_data(b"ab")
    with pytest.raises(LocalProtocolError, match="1 bytes short"):
        server.send_end()


def test_trailers_need_the_chunked_coding() -> None:
    server, _ = server_with(GET)
    server.send_response(200, [("Content-Length", "0")])
    with pytest.raises(LocalProtocolError, match=r"RFC 9112 §7\.1\.2"):
        server.send_end([("Digest", "x")])


def test_a_response_needs_a_request_waiting_for_it() -> None:
    server = HttpConnection(Role.SERVER)
    with pytest.raises(LocalProtocolError, match=r"RFC 9112 §9\.2"):
        server.send_response(200)
    assert server.our_state is State.ERROR


def test_each_side_sends_only_its_own_messages() -> None:
    with pytest.raises(LocalProtocolError, match="A server does not send that"):
        HttpConnection(Role.SERVER).send_request("GET", "/", [HOST])
    with pytest.raises(LocalProtocolError, match="A client does not send that"):
        HttpConnection(Role.CLIENT).send_response(200)


def test_no_1xx_to_an_http_1_0_client() -> None:
    """RFC 9110 §15.2: "a server MUST NOT send a 1xx response to an HTTP/1.0 client"."""
    server, _ = server_with(b"POST / HTTP/1.0\r\nContent-Length: 1\r\n\r\nx")
    with pytest.raises(LocalProtocolError, match=r"RFC 9110 §15\.2"):
        server.send_response(100)


def test_interim_responses_come_before_the_final_one() -> None:
    server, _ = server_with(GET)
    assert server.send_response(103, [("Link", "</a.css>")]).startswith(b"HTTP/1.1 103 ")
    assert server.our_state is State.RESPONSE_DUE
    server.send_response(200, [("Content-Length", "0")])
    server.send_end()
    assert server.our_state is State.IDLE


def test_a_101_must_answer_an_upgrade_and_name_the_protocol() -> None:
    server, _ = server_with(GET)
    with pytest.raises(LocalProtocolError, match=r"RFC 9110 §7\.8"):
        server.send_response(101, [("Connection", "upgrade"), ("Upgrade", "websocket")])
    server, _ = server_with(UPGRADE)
    with pytest.raises(LocalProtocolError, match=r"RFC 9110 §15\.2\.2"):
        server.send_response(101, [("Connection", "upgrade")])


def test_an_accepted_upgrade_hands_over_the_bytes_behind_it() -> None:
    server, _ = server_with(UPGRADE + b"\x81\x00")
    assert server.their_state is State.MIGHT_SWITCH
    server.send_response(101, [("Connection", "upgrade"), ("Upgrade", "websocket")])
    assert server.send_end() == b""
    assert (server.our_state, server.their_state) == (State.SWITCHED, State.SWITCHED)
    assert server.switch_protocols() == b"\x81\x00"
    with pytest.raises(LocalProtocolError, match="switched"):
        server.receive_data(b"more")
    with pytest.raises(LocalProtocolError, match="switched"):
        server.receive_eof()


def test_a_declined_upgrade_reads_the_requests_held_behind_it() -> None:
    server, events = server_with(UPGRADE + GET)
    assert len(events) == 2  # the second request is held while the switch is pending
    server.send_response(200, [("Content-Length", "0")])
    server.send_end()
    held = server.receive_data(b"")
    assert [type(event) for event in held] == [RequestHead, EndOfMessage]
    assert server.unanswered == 1
    assert server.our_state is State.RESPONSE_DUE


def test_a_declined_upgrade_with_nothing_behind_it_returns_to_idle() -> None:
    server, _ = server_with(UPGRADE)
    server.send_response(426, [("Content-Length", "0"), ("Upgrade", "h2c")])
    server.send_end()
    assert server.receive_data(b"") == []
    assert (server.their_state, server.our_state) == (State.IDLE, State.IDLE)
    assert server.receive_data(GET)[0].method == "GET"  # type: ignore[union-attr]


def test_an_upgrade_declined_before_its_body_ends_reads_the_rest_as_http() -> None:
    head = UPGRADE.replace(b"\r\n\r\n", b"\r\nContent-Length: 2\r\n\r\n")
    server, _ = server_with(head + b"a")
    server.send_response(400, [("Content-Length", "0")])
    server.send_end()
    rest = server.receive_data(b"b" + GET)
    assert [type(event) for event in rest] == [Data, EndOfMessage, RequestHead, EndOfMessage]


def test_a_refused_connect_lets_no_request_follow() -> None:
    """RFC 9110 §9.3.6: bytes sent after a CONNECT may be meant for the tunnel."""
    server, _ = server_with(b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n")
    server.send_response(407, [("Content-Length", "0")])
    server.send_end()
    assert (server.their_state, server.our_state) == (State.MUST_CLOSE, State.MUST_CLOSE)
    with pytest.raises(BadHttpMessage, match="CONNECT"):
        server.receive_data(GET)
    assert server.their_state is State.ERROR


def test_no_request_is_read_after_a_response_that_says_close() -> None:
    """RFC 9112 §9.6: the server "MUST NOT process any further requests"."""
    server, _ = server_with(GET)
    server.send_response(200, [("Content-Length", "0"), ("Connection", "close")])
    server.send_end()
    assert server.receive_data(GET) == []
    assert server.our_state is State.MUST_CLOSE
    server.send_eof()
    assert server.our_state is State.CLOSED


def test_a_body_in_progress_is_still_read_after_a_response_that_says_close() -> None:
    server, _ = server_with(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab")
    server.send_response(413, [("Content-Length", "0"), ("Connection", "close")])
    server.send_end()
    events = server.receive_data(b"cd" + GET)
    assert events == [Data(b"cd"), EndOfMessage()]
    assert server.their_state is State.MUST_CLOSE


def test_an_http_1_0_request_is_the_last_one() -> None:
    server, _ = server_with(b"GET / HTTP/1.0\r\n\r\n")
    assert server.their_state is State.MUST_CLOSE
    server.send_response(200, [("Content-Length", "0")])
    server.send_end()
    assert server.our_state is State.MUST_CLOSE


@pytest.mark.parametrize(
    ("head", "waits"),
    [
        (b"PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n", True),
        (b"PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-Continue\r\n\r\n", True),
        # RFC 9110 §10.1.1: ignored in HTTP/1.0, and meaningless without content.
        (b"PUT / HTTP/1.0\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n", False),
        (b"GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n", False),
    ],
)
def test_the_server_knows_when_a_client_waits_for_100_continue(head: bytes, waits: bool) -> None:
    server, _ = server_with(head)
    assert server.waiting_continue is waits
    if waits:
        server.send_response(100)
        assert server.their_state is State.BODY


def test_a_client_that_sends_its_body_without_waiting_is_read() -> None:
    """RFC 9110 §10.1.1: a client "MAY proceed to send the content" without the 100."""
    server, events = server_with(
        b"PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc"
    )
    assert events[1:] == [Data(b"abc"), EndOfMessage()]
    assert (server.their_state, server.waiting_continue) == (State.DONE, False)


def test_fields_given_as_a_multidict_frame_the_body() -> None:
    server, _ = server_with(GET)
    fields = CIMultiDict([("content-length", "2")])
    server.send_response(200, CIMultiDictProxy(fields))
    with pytest.raises(LocalProtocolError, match="2 left"):
        server.send_data(b"abc")
    client = HttpConnection(Role.CLIENT)
    client.send_request("POST", "/", CIMultiDict([HOST, ("transfer-encoding", "chunked")]))
    assert client.send_data(b"a") == b"1\r\na\r\n"


def test_a_client_that_half_closes_still_gets_its_answer() -> None:
    server, _ = server_with(GET)
    assert server.receive_eof() == []
    assert server.their_state is State.CLOSED
    server.send_response(200, [("Content-Length", "0")])
    server.send_end()
    assert server.our_state is State.MUST_CLOSE


def test_a_client_that_closes_inside_a_body_is_at_fault() -> None:
    server, _ = server_with(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab")
    assert server.body_remaining == 2
    with pytest.raises(ContentLengthError):
        server.receive_eof()
    assert server.their_state is State.ERROR


def test_an_error_behind_complete_events_waits_for_the_next_call() -> None:
    server, events = server_with(GET + b"BAD\r\n\r\n")
    assert len(events) == 2
    assert isinstance(server.error, BadHttpMessage)
    with pytest.raises(BadHttpMessage):
        server.receive_data(b"")
    assert server.their_state is State.ERROR


def test_stopped_says_when_the_next_bytes_are_not_read_as_messages() -> None:
    """One cheap check before looking at the error, the held bytes or the close."""
    server, _ = server_with(GET)
    assert not server.stopped  # keep-alive: the next request is read
    server, _ = server_with(GET + b"BAD\r\n\r\n")
    assert server.stopped
    assert server.error is not None
    server, _ = server_with(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    assert server.stopped  # RFC 9112 §9.6: nothing is read after close
    assert server.error is None
    upgrade = b"GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n"
    server, _ = server_with(upgrade + GET)
    assert server.stopped  # RFC 9110 §7.8: held until the switch is answered
    assert server.holding


def test_a_response_body_that_ends_in_a_later_read_ends_the_exchange() -> None:
    """RFC 9112 §6.3: the framing ends the body, in whichever read its last byte comes."""
    client = client_after(("GET", []))
    events = client.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nok")
    assert [type(event) for event in events] == [ResponseHead, Data]
    assert client.their_state is State.BODY
    assert [type(event) for event in client.receive_data(b"ok")] == [Data, EndOfMessage]
    assert client.their_state is State.IDLE
    assert client.reusable


def test_a_partial_head_is_buffered() -> None:
    server, events = server_with(GET[:10])
    assert events == []
    assert server.buffered == 10
    assert server.unparsed == GET[:10]
    assert not server.reusable
    server.receive_data(GET[10:])
    assert server.unparsed == b""


def test_closing_our_side_inside_a_message_is_refused() -> None:
    server, _ = server_with(GET)
    server.send_response(200, [("Content-Length", "1")])
    with pytest.raises(LocalProtocolError, match="'body'"):
        server.send_eof()


def test_a_bad_field_value_raises_value_error_and_changes_nothing() -> None:
    server, _ = server_with(GET)
    with pytest.raises(ValueError, match="Invalid header"):
        server.send_response(200, [("X-Bad", "a\r\nInjected: 1")])
    assert server.our_state is State.RESPONSE_DUE
    server.send_response(500, [("Content-Length", "0")])  # the error response still goes out


def test_ambiguous_framing_is_our_caller_s_error() -> None:
    server, _ = server_with(GET)
    with pytest.raises(LocalProtocolError, match="Invalid framing"):
        server.send_response(200, [("Content-Length", "1"), ("Transfer-Encoding", "chunked")])


def test_switch_protocols_needs_a_switch() -> None:
    with pytest.raises(LocalProtocolError, match="did not switch"):
        HttpConnection(Role.SERVER).switch_protocols()


def test_data_and_end_need_a_message() -> None:
    with pytest.raises(LocalProtocolError, match="'idle'"):
        HttpConnection(Role.SERVER).send_data(b"x")
    with pytest.raises(LocalProtocolError, match="'idle'"):
        HttpConnection(Role.CLIENT).send_end()


# -- the client side ------------------------------------------------------------------------


def test_an_http_1_1_request_needs_host() -> None:
    """RFC 9112 §3.2: "A client MUST send a Host header field in all HTTP/1.1 request
    messages"."""
    with pytest.raises(LocalProtocolError, match=r"RFC 9112 §3\.2"):
        HttpConnection(Role.CLIENT).send_request("GET", "/")
    assert HttpConnection(Role.CLIENT).send_request("GET", "/", version=HttpVersion10) == (
        b"GET / HTTP/1.0\r\n\r\n"
    )


def test_a_client_sends_a_request_with_a_counted_body() -> None:
    client = HttpConnection(Role.CLIENT)
    out = client.send_request("POST", "/", [HOST, ("Content-Length", "2")])
    assert out.startswith(b"POST / HTTP/1.1\r\n")
    assert client.send_data(b"ok") == b"ok"
    assert client.send_end() == b""
    assert (client.our_state, client.their_state) == (State.DONE, State.RESPONSE_DUE)


def test_a_client_waits_for_100_continue_or_sends_anyway() -> None:
    client = HttpConnection(Role.CLIENT)
    client.send_request("PUT", "/", [HOST, ("Content-Length", "1"), ("Expect", "100-continue")])
    assert client.waiting_continue
    client.send_data(b"x")  # RFC 9110 §10.1.1: "MAY proceed to send the content"
    assert client.our_state is State.BODY


def test_a_request_the_tables_refuse_is_the_client_s_fault() -> None:
    """A request out of turn (here after the client said its last, RFC 9112 §9.6) is
    answered 400, bodiless keep-alive or not."""
    for data in (GET, b"PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx"):
        server = HttpConnection(Role.SERVER)
        server.state.states[Role.CLIENT] = State.MUST_CLOSE
        with pytest.raises(RemoteProtocolError) as info:
            server.receive_data(data)
        assert info.value.code == 400
        assert (server.their_state, server.unanswered) == (State.ERROR, 0)


def test_a_close_the_tables_refuse_is_the_peer_s_fault() -> None:
    """A half-close is allowed between messages only (RFC 9112 §9.6): one the tables refuse
    (here with the client's state inside a body) is answered 400."""
    server = HttpConnection(Role.SERVER)
    server.state.states[Role.CLIENT] = State.BODY
    with pytest.raises(RemoteProtocolError) as info:
        server.receive_eof()
    assert info.value.code == 400
    assert server.their_state is State.ERROR


def test_a_101_that_nobody_asked_for_is_the_server_s_fault() -> None:
    """RFC 9110 §7.8: "A server MUST NOT switch to a protocol that was not indicated by the
    client"; a gateway would answer 502."""
    client = client_after(("GET", []))
    with pytest.raises(RemoteProtocolError) as info:
        client.receive_data(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n")
    assert info.value.code == 502
    assert client.their_state is State.ERROR
    assert client.our_state is State.MUST_CLOSE


def test_an_accepted_connect_opens_a_tunnel() -> None:
    client = HttpConnection(Role.CLIENT)
    client.send_request("CONNECT", "a:443", [("Host", "a:443")])
    client.send_end()
    assert client.our_state is State.MIGHT_SWITCH
    client.receive_data(b"HTTP/1.1 200 Connection established\r\n\r\n\x16\x03")
    assert (client.our_state, client.their_state) == (State.SWITCHED, State.SWITCHED)
    assert client.switch_protocols() == b"\x16\x03"


def test_a_response_that_says_close_stops_further_requests() -> None:
    client = client_after(("GET", []))
    client.receive_data(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
    assert client.our_state is State.MUST_CLOSE
    with pytest.raises(LocalProtocolError, match="'must-close'"):
        client.send_request("GET", "/", [HOST])


def test_a_body_read_until_close_ends_with_the_connection() -> None:
    client = client_after(("GET", []))
    assert client.receive_data(b"HTTP/1.1 200 OK\r\n\r\nabc")[1:] == [Data(b"abc")]
    assert client.receive_eof() == [EndOfMessage()]
    assert (client.our_state, client.their_state) == (State.MUST_CLOSE, State.CLOSED)


def test_a_server_that_closes_before_answering_leaves_the_request_unanswered() -> None:
    """RFC 9112 §9.3.1: the client may retry it (on a new connection)."""
    client = client_after(("GET", []))
    assert client.receive_eof() == []
    assert (client.our_state, client.their_state, client.unanswered) == (
        State.MUST_CLOSE,
        State.CLOSED,
        1,
    )


def test_a_response_with_no_request_is_refused_by_the_parser() -> None:
    client = HttpConnection(Role.CLIENT)
    with pytest.raises(BadHttpMessage, match="no request pending"):
        client.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    assert client.their_state is State.ERROR


def test_interim_responses_reach_the_client_before_the_final_one() -> None:
    client = client_after(("GET", []))
    events = client.receive_data(
        b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    )
    assert [event.status for event in events if isinstance(event, ResponseHead)] == [103, 200]
    assert client.reusable


# -- a server whose responses are written by another serializer -----------------------------


def test_a_response_sent_elsewhere_moves_the_state_as_if_sent_here() -> None:
    server, _ = server_with(GET + GET)
    assert server.unanswered == 2
    assert server.response_sent(200, keep_alive=True) is True
    assert (server.our_state, server.unanswered) == (State.RESPONSE_DUE, 1)
    assert server.response_sent(200, keep_alive=True) is True
    assert (server.their_state, server.our_state, server.unanswered) == (State.IDLE, State.IDLE, 0)
    with pytest.raises(LocalProtocolError, match="No request waits"):
        server.response_sent(200, keep_alive=True)


EXPECTING = b"PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"


@pytest.mark.parametrize(
    ("received", "status", "keep_alive"),
    [
        (GET, 200, True),
        (GET + GET, 200, False),
        # RFC 9110 §10.1.1: a final status instead of 100, the body still unsent.
        (EXPECTING, 417, True),
        (EXPECTING, 417, False),
        (UPGRADE + GET, 426, False),  # declines the switch and closes (RFC 9112 §9.6)
    ],
)
def test_a_response_sent_elsewhere_moves_as_send_response_and_send_end(
    received: bytes, status: int, keep_alive: bool
) -> None:
    elsewhere, _ = server_with(received)
    here, _ = server_with(received)
    fields = [("Content-Length", "0")] + ([] if keep_alive else [("Connection", "close")])
    here.send_response(status, fields)
    here.send_end()
    assert elsewhere.response_sent(status, keep_alive) is (
        keep_alive and here.our_state is State.IDLE
    )
    assert repr(elsewhere) == repr(here)
    assert (elsewhere.unanswered, elsewhere.waiting_continue) == (
        here.unanswered,
        here.waiting_continue,
    )
    assert elsewhere.receive_data(GET) == here.receive_data(GET)


def test_a_response_sent_elsewhere_while_one_is_in_progress_is_our_error() -> None:
    server, _ = server_with(GET + GET)
    server.send_response(200, [("Content-Length", "1")])
    with pytest.raises(LocalProtocolError, match="'body'"):
        server.response_sent(200, keep_alive=True)
    assert server.our_state is State.ERROR


def test_a_response_sent_elsewhere_that_says_close_stops_further_requests() -> None:
    """RFC 9112 §9.6: the server "MUST NOT process any further requests"."""
    server, _ = server_with(GET)
    assert server.response_sent(200, keep_alive=False) is False
    assert server.our_state is State.MUST_CLOSE
    assert server.receive_data(GET) == []


def test_a_101_sent_elsewhere_switches_and_a_refusal_reads_what_was_held() -> None:
    server, _ = server_with(UPGRADE + b"\x81\x00")
    assert server.holding
    assert server.response_sent(101, keep_alive=True) is False
    assert (server.our_state, server.their_state) == (State.SWITCHED, State.SWITCHED)
    assert server.switch_protocols() == b"\x81\x00"

    server, _ = server_with(UPGRADE + GET)
    assert server.response_sent(426, keep_alive=True) is True
    assert [type(event) for event in server.receive_data(b"")] == [RequestHead, EndOfMessage]
    assert not server.holding


def test_a_2xx_sent_elsewhere_to_connect_opens_the_tunnel() -> None:
    server, _ = server_with(b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\nTLS")
    assert server.response_sent(200, keep_alive=True) is False
    assert server.our_state is State.SWITCHED
    assert server.switch_protocols() == b"TLS"


def test_a_refused_connect_sent_elsewhere_lets_no_request_follow() -> None:
    """RFC 9110 §9.3.6: bytes sent after a CONNECT may be meant for the tunnel."""
    server, _ = server_with(b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n")
    assert server.response_sent(407, keep_alive=True) is True  # the server could go on...
    assert server.their_state is State.MUST_CLOSE  # ...but the client sends no request
    with pytest.raises(BadHttpMessage, match="CONNECT"):
        server.receive_data(GET)


def test_a_101_sent_elsewhere_nobody_asked_for_is_our_error() -> None:
    """RFC 9110 §7.8: a server "MUST NOT switch to a protocol that was not indicated"."""
    server, _ = server_with(GET)
    with pytest.raises(LocalProtocolError, match="switch"):
        server.response_sent(101, keep_alive=True)
    assert server.our_state is State.ERROR
    client = HttpConnection(Role.CLIENT)
    with pytest.raises(LocalProtocolError, match="does not send"):
        client.response_sent(200, keep_alive=True)


# -- a request written elsewhere (the client's own serializer) ------------------------------


@pytest.mark.parametrize(
    ("method", "headers", "options"),
    [
        ("GET", [], {}),
        ("GET", [("Connection", "close")], {"last": True}),  # RFC 9112 §9.6
        ("PUT", [("Content-Length", "0")], {}),
        ("GET", [("Connection", "upgrade"), ("Upgrade", "x")], {"switch": "upgrade"}),
        ("CONNECT", [], {"switch": "connect"}),  # RFC 9110 §9.3.6
    ],
)
def test_a_request_sent_elsewhere_moves_as_send_request_and_send_end(
    method: str, headers: list[tuple[str, str]], options: dict[str, object]
) -> None:
    here = client_after((method, headers))
    elsewhere = HttpConnection(Role.CLIENT)
    elsewhere.request_sent(method, **options)  # type: ignore[arg-type]
    assert repr(elsewhere) == repr(here)
    response = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    assert elsewhere.receive_data(response) == here.receive_data(response)
    assert repr(elsewhere) == repr(here)


def test_a_request_sent_elsewhere_with_a_body_ends_with_send_end() -> None:
    """RFC 9110 §10.1.1: the body waits for 100 (Continue); the request ends at its end."""
    client = HttpConnection(Role.CLIENT)
    client.request_sent("PUT", expect=True, whole=False)
    assert client.waiting_continue
    client.receive_data(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert client.our_state is State.BODY
    assert client.send_end() == b""
    client.receive_data(b"HTTP/1.1 204 No Content\r\n\r\n")
    assert client.reusable


def test_a_request_sent_elsewhere_out_of_turn_is_our_error() -> None:
    """RFC 9110 §7.8: nothing more is sent until the server answers the switch."""
    client = HttpConnection(Role.CLIENT)
    client.request_sent("GET", switch="upgrade")
    with pytest.raises(LocalProtocolError, match="'might-switch'"):
        client.request_sent("GET")
    assert client.our_state is State.ERROR
    with pytest.raises(LocalProtocolError, match="server does not send"):
        HttpConnection(Role.SERVER).request_sent("GET")


def test_check_stopped_raises_the_error_behind_the_events() -> None:
    server = HttpConnection(Role.SERVER)
    events = server.receive_data(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nBad\r\n\r\n")
    assert [type(e) for e in events] == [RequestHead, EndOfMessage]
    assert server.stopped
    with pytest.raises(BadHttpMessage):
        server.check_stopped()
    assert server.their_state is State.ERROR


def test_check_stopped_says_whether_bytes_are_held() -> None:
    server = HttpConnection(Role.SERVER)
    server.receive_data(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert server.stopped
    assert not server.check_stopped()
    server = HttpConnection(Role.SERVER)
    upgrade = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\n"
    server.receive_data(upgrade + b"early")
    assert server.stopped
    assert server.check_stopped()
