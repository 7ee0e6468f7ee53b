"""A client and a server connection back to back, at every split point, and against h11.

Whatever pieces the bytes arrive in, each side reads exactly the messages the other sent, and
both sides end up agreeing on the state of the connection.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Sequence

import h11
from hypothesis import given, settings
from hypothesis import strategies as st

from aiohttp._sansio.http1 import Data, EndOfMessage, Event, RequestHead, ResponseHead
from aiohttp._sansio.http1.connection import HttpConnection
from aiohttp._sansio.http1.states import Role, State

from .feeding import merge_data

HOST = ("Host", "example.com")


@dataclasses.dataclass(frozen=True)
class Exchange:
    """One request and the response the server gives it."""

    method: str = "GET"
    body: tuple[bytes, ...] = ()  # pieces of the request body
    chunked: bool = False
    close: bool = False  # the request says close
    expect: bool = False
    interim: int = 0  # 103 responses before the final one
    status: int = 200
    reply: tuple[bytes, ...] = ()
    reply_chunked: bool = False
    reply_close: bool = False


def _framing(pieces: Sequence[bytes], chunked: bool, *, response: bool) -> list[tuple[str, str]]:
    """Framing fields; a response always has some (else its body would run until close)."""
    if chunked:
        return [("Transfer-Encoding", "chunked")]
    size = sum(map(len, pieces))
    return [("Content-Length", str(size))] if size or response else []


def send_request(client: HttpConnection, ex: Exchange, *, body: bool = True) -> bytes:
    headers = [HOST, *_framing(ex.body, ex.chunked, response=False)]
    if ex.close:
        headers.append(("Connection", "close"))
    if ex.expect:
        headers.append(("Expect", "100-continue"))
    out = client.send_request(ex.method, "/x", headers)
    return out + send_request_body(client, ex) if body else out


def send_request_body(client: HttpConnection, ex: Exchange) -> bytes:
    return b"".join(client.send_data(piece) for piece in ex.body) + client.send_end()


def has_reply_body(ex: Exchange) -> bool:
    return ex.method != "HEAD" and ex.status not in (204, 304)


def send_response(server: HttpConnection, ex: Exchange) -> bytes:
    out = b"".join(server.send_response(103, [("Link", "</s.css>")]) for _ in range(ex.interim))
    headers = (
        _framing(ex.reply, ex.reply_chunked, response=True) if ex.status not in (204, 304) else []
    )
    if ex.reply_close:
        headers.append(("Connection", "close"))
    out += server.send_response(ex.status, headers)
    if has_reply_body(ex):
        out += b"".join(server.send_data(piece) for piece in ex.reply)
    return out + server.send_end()


def pieces(data: bytes, cuts: Iterable[int]) -> list[bytes]:
    points = sorted({cut % (len(data) + 1) for cut in cuts})
    edges = [0, *points, len(data)]
    return [data[start:end] for start, end in itertools.pairwise(edges)]


def deliver(receiver: HttpConnection, data: bytes, cuts: Iterable[int]) -> list[Event]:
    events: list[Event] = []
    for piece in pieces(data, cuts):
        events.extend(receiver.receive_data(piece))
    return events


def requests_seen(events: list[Event]) -> list[tuple[str, bytes]]:
    """(method, body) of each whole request in ``events``."""
    out: list[tuple[str, bytes]] = []
    method, body = "", b""
    for event in merge_data(events):
        if isinstance(event, RequestHead):
            method, body = event.method, b""
        elif isinstance(event, Data):
            body = event.data
        elif isinstance(event, EndOfMessage):
            out.append((method, body))
    return out


def responses_seen(events: list[Event]) -> list[tuple[int, bytes]]:
    """(status, body) of each response in ``events`` (interim ones with an empty body)."""
    out: list[tuple[int, bytes]] = []
    status, body = 0, b""
    for event in merge_data(events):
        if isinstance(event, ResponseHead):
            if event.status < 200:
                out.append((event.status, b""))
            status, body = event.status, b""
        elif isinstance(event, Data):
            body = event.data
        elif isinstance(event, EndOfMessage):
            out.append((status, body))
    return out


def expected_responses(exchanges: Sequence[Exchange]) -> list[tuple[int, bytes]]:
    out: list[tuple[int, bytes]] = []
    for ex in exchanges:
        out += [(103, b"")] * ex.interim
        out.append((ex.status, b"".join(ex.reply) if has_reply_body(ex) else b""))
    return out


def run(
    exchanges: Sequence[Exchange], *, pipelined: bool, to_server: list[int], to_client: list[int]
) -> tuple[HttpConnection, HttpConnection, list[Event], list[Event]]:
    """Play ``exchanges`` between a new client and server; return both and what each read."""
    client, server = HttpConnection(Role.CLIENT), HttpConnection(Role.SERVER)
    at_server: list[Event] = []
    at_client: list[Event] = []
    if pipelined:
        wire = b"".join(send_request(client, ex) for ex in exchanges)
        at_server += deliver(server, wire, to_server)
        answered = len(requests_seen(at_server))
        wire = b""
        for ex in exchanges[:answered]:
            wire += send_response(server, ex)
            if ex.reply_close:
                break
        at_client += deliver(client, wire, to_client)
        return client, server, at_server, at_client
    for ex in exchanges:
        if ex.expect:  # the head, then 100 Continue, then the body
            at_server += deliver(server, send_request(client, ex, body=False), to_server)
            assert server.waiting_continue
            at_client += deliver(client, server.send_response(100), to_client)
            assert client.our_state is State.BODY
            at_server += deliver(server, send_request_body(client, ex), to_server)
        else:
            at_server += deliver(server, send_request(client, ex), to_server)
        at_client += deliver(client, send_response(server, ex), to_client)
        if ex.reply_close:
            break
    return client, server, at_server, at_client


@st.composite
def exchange_lists(draw: st.DrawFn, *, expect: bool) -> list[Exchange]:
    """Up to four exchanges; a request or a response that says close may come anywhere."""
    count = draw(st.integers(1, 4))
    close_at = draw(st.integers(0, 5))  # past the end: no request says close
    reply_close_at = draw(st.integers(0, 5))
    out = []
    for index in range(count):
        method = draw(st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE"]))
        has_body = method in ("POST", "PUT")
        body = tuple(draw(st.lists(st.binary(min_size=1, max_size=12), max_size=3)))
        out.append(
            Exchange(
                method=method,
                body=body if has_body else (),
                chunked=has_body and draw(st.booleans()),
                close=index == close_at,
                expect=expect and has_body and bool(body) and draw(st.booleans()),
                interim=draw(st.integers(0, 2)),
                status=draw(st.sampled_from([200, 201, 204, 304, 404, 500])),
                reply=tuple(draw(st.lists(st.binary(min_size=1, max_size=12), max_size=3))),
                reply_chunked=draw(st.booleans()),
                reply_close=index == reply_close_at,
            )
        )
        if index == close_at:  # RFC 9112 §9.6: no request after one that says close
            break
    return out


cuts = st.lists(st.integers(0, 10_000), max_size=6)


def check(
    exchanges: Sequence[Exchange], pipelined: bool, to_server: list[int], to_client: list[int]
) -> None:
    client, server, at_server, at_client = run(
        exchanges, pipelined=pipelined, to_server=to_server, to_client=to_client
    )
    # The server stops after a response that says close: one at a time, so does the client;
    # pipelined, the requests already sent stay unanswered (RFC 9112 §9.6).
    answered = next(
        (index + 1 for index, ex in enumerate(exchanges) if ex.reply_close), len(exchanges)
    )
    sent = exchanges if pipelined else exchanges[:answered]
    assert requests_seen(at_server) == [(ex.method, b"".join(ex.body)) for ex in sent]
    replies = responses_seen(at_client)
    if not pipelined:  # the 100 Continue each waiting request got
        replies = [reply for reply in replies if reply[0] != 100]
    assert replies == expected_responses(exchanges[:answered])
    # Both sides agree on where the connection stands.
    assert client.state.states == server.state.states
    assert client.unanswered == server.unanswered == len(sent) - answered
    closing = any(ex.close or ex.reply_close for ex in sent)
    expected = State.MUST_CLOSE if closing else State.IDLE
    assert client.state.states == {Role.CLIENT: expected, Role.SERVER: expected}


@settings(max_examples=150, deadline=None)
@given(exchange_lists(expect=False), cuts, cuts)
def test_pipelined_exchanges_in_any_pieces(
    exchanges: list[Exchange], to_server: list[int], to_client: list[int]
) -> None:
    check(exchanges, True, to_server, to_client)


@settings(max_examples=150, deadline=None)
@given(exchange_lists(expect=True), cuts, cuts)
def test_one_exchange_at_a_time_in_any_pieces(
    exchanges: list[Exchange], to_server: list[int], to_client: list[int]
) -> None:
    check(exchanges, False, to_server, to_client)


# -- every split point of one transcript --------------------------------------------------

TRANSCRIPT = (
    Exchange("POST", (b"hello", b" world"), chunked=True, interim=1, reply=(b"a", b"bc")),
    Exchange("HEAD", reply=(b"ignored",)),
    Exchange("PUT", (b"xyz",), status=204),
    Exchange("GET", status=200, reply=(b"0123456789",), reply_chunked=True, reply_close=True),
)


def _wires() -> tuple[bytes, bytes]:
    client, server = HttpConnection(Role.CLIENT), HttpConnection(Role.SERVER)
    to_server = b"".join(send_request(client, ex) for ex in TRANSCRIPT)
    server.receive_data(to_server)
    to_client = b"".join(send_response(server, ex) for ex in TRANSCRIPT)
    return to_server, to_client


def test_the_server_reads_the_same_at_every_split_point() -> None:
    to_server, _ = _wires()
    whole = HttpConnection(Role.SERVER)
    expected = merge_data(whole.receive_data(to_server))
    for cut in range(len(to_server) + 1):
        server = HttpConnection(Role.SERVER)
        got = server.receive_data(to_server[:cut]) + server.receive_data(to_server[cut:])
        assert merge_data(got) == expected, cut
        assert server.state.states == whole.state.states, cut
    server = HttpConnection(Role.SERVER)
    got = [
        event
        for byte in range(len(to_server))
        for event in server.receive_data(to_server[byte : byte + 1])
    ]
    assert merge_data(got) == expected


def test_the_client_reads_the_same_at_every_split_point() -> None:
    _, to_client = _wires()

    def fresh() -> HttpConnection:
        client = HttpConnection(Role.CLIENT)
        for ex in TRANSCRIPT:
            send_request(client, ex)
        return client

    whole = fresh()
    expected = merge_data(whole.receive_data(to_client))
    assert [status for status, _ in responses_seen(expected)] == [103, 200, 200, 204, 200]
    assert whole.state.states == {Role.CLIENT: State.MUST_CLOSE, Role.SERVER: State.MUST_CLOSE}
    for cut in range(len(to_client) + 1):
        client = fresh()
        got = client.receive_data(to_client[:cut]) + client.receive_data(to_client[cut:])
        assert merge_data(got) == expected, cut
        assert client.state.states == whole.state.states, cut


# -- against an independent peer ------------------------------------------------------------


def test_our_client_against_h11_s_server() -> None:
    client = HttpConnection(Role.CLIENT)
    peer = h11.Connection(h11.SERVER)
    peer.receive_data(
        client.send_request("POST", "/up", [HOST, ("Transfer-Encoding", "chunked")])
        + client.send_data(b"abc")
        + client.send_end()
    )
    kinds = []
    while (event := peer.next_event()) is not h11.NEED_DATA:
        kinds.append(type(event).__name__)
        if isinstance(event, h11.Data):
            assert event.data == b"abc"
    assert kinds == ["Request", "Data", "EndOfMessage"]
    wire = peer.send(h11.Response(status_code=200, headers=[("Content-Length", "2")]))
    wire += peer.send(h11.Data(data=b"ok")) + peer.send(h11.EndOfMessage())
    events = client.receive_data(wire)
    assert events[1:] == [Data(b"ok"), EndOfMessage()]
    assert client.reusable


def test_h11_s_client_against_our_server() -> None:
    server = HttpConnection(Role.SERVER)
    peer = h11.Connection(h11.CLIENT)
    wire = peer.send(
        h11.Request(method="PUT", target="/", headers=[("Host", "a"), ("Content-Length", "3")])
    )
    wire += peer.send(h11.Data(data=b"xyz")) + peer.send(h11.EndOfMessage())
    assert requests_seen(server.receive_data(wire)) == [("PUT", b"xyz")]
    reply = server.send_response(201, [("Transfer-Encoding", "chunked")])
    reply += server.send_data(b"made") + server.send_end()
    peer.receive_data(reply)
    assert type(peer.next_event()).__name__ == "Response"
    assert peer.next_event().data == b"made"  # type: ignore[union-attr]
    assert type(peer.next_event()).__name__ == "EndOfMessage"
    assert (peer.our_state, peer.their_state) == (h11.DONE, h11.DONE)
    assert server.state.states == {Role.CLIENT: State.IDLE, Role.SERVER: State.IDLE}
