"""Cross-check with h11, an independent parser, so a bug shared by our parser and our
serializer cannot hide: h11 reads what we write, and we read what h11 reads."""

from __future__ import annotations

import h11
import pytest

from aiohttp._sansio.http1 import (
    Data,
    EndOfMessage,
    RequestHead,
    RequestParser,
    ResponseHead,
    ResponseParser,
    encode_chunk,
    encode_last_chunk,
    serialize_request_head,
    serialize_response_head,
)

REQUESTS = [
    b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
    b"GET /a/b?c=d&e=%20 HTTP/1.1\r\nHost: h:8080\r\nAccept:  */* \r\nX-Empty:\r\n\r\n",
    b"POST /form HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world",
    b"PUT /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nX-Trailer: yes\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
    b"GET http://h/abs HTTP/1.1\r\nHost: h\r\n\r\n",
    b"GET / HTTP/1.0\r\n\r\n",
    b"DELETE /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\nUser-Agent: a b/c (d)\r\n\r\n",
]

RESPONSES = [
    (b"GET", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
    (b"GET", b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\r\n"),
    (b"GET", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
    (b"HEAD", b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"),
    (b"GET", b"HTTP/1.1 204 No Content\r\n\r\n"),
    (b"GET", b"HTTP/1.0 200 OK\r\nServer: old\r\n\r\nread until close"),
]


def h11_events(conn: h11.Connection, data: bytes) -> list[object]:
    conn.receive_data(data)
    conn.receive_data(b"")
    out: list[object] = []
    for _ in range(100):
        event = conn.next_event()
        if event in (h11.NEED_DATA, h11.PAUSED) or isinstance(event, h11.ConnectionClosed):
            break
        out.append(event)
    return out


def normalise_h11(events: list[object]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for event in events:
        if isinstance(event, h11.Request):
            headers = [(k.lower(), v) for k, v in event.headers]
            out.append(("head", event.method, event.target, headers))
        elif isinstance(event, h11.Response):
            headers = [(k.lower(), v) for k, v in event.headers]
            out.append(("head", event.status_code, event.reason, headers))
        elif isinstance(event, h11.Data):
            if out and out[-1][0] == "data":
                out[-1] = ("data", out[-1][1] + bytes(event.data))
            else:
                out.append(("data", bytes(event.data)))
        elif isinstance(event, h11.EndOfMessage):
            out.append(("end", [(k.lower(), v) for k, v in event.headers]))
    return out


def normalise_ours(events: list[object]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for event in events:
        if isinstance(event, RequestHead):
            headers = [(k.lower(), v) for k, v in event.raw_headers]
            out.append(("head", event.method.encode(), event.target.encode(), headers))
        elif isinstance(event, ResponseHead):
            headers = [(k.lower(), v) for k, v in event.raw_headers]
            out.append(("head", event.status, event.reason.encode(), headers))
        elif isinstance(event, Data):
            if out and out[-1][0] == "data":
                out[-1] = ("data", out[-1][1] + event.data)
            else:
                out.append(("data", event.data))
        elif isinstance(event, EndOfMessage):
            trailers = event.trailers.items() if event.trailers else []
            out.append(("end", [(k.lower().encode(), v.encode()) for k, v in trailers]))
    return out


@pytest.mark.parametrize("data", REQUESTS, ids=range(len(REQUESTS)))
def test_requests_agree_with_h11(data: bytes) -> None:
    theirs = normalise_h11(h11_events(h11.Connection(h11.SERVER), data))
    parser = RequestParser()
    ours = normalise_ours(parser.feed(data) + parser.feed_eof())
    assert ours == theirs


@pytest.mark.parametrize(("method", "data"), RESPONSES, ids=range(len(RESPONSES)))
def test_responses_agree_with_h11(method: bytes, data: bytes) -> None:
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method=method, target="/", headers=[("Host", "h")]))
    conn.send(h11.EndOfMessage())
    theirs = normalise_h11(h11_events(conn, data))
    parser = ResponseParser()
    parser.expect_response(method.decode())
    ours = normalise_ours(parser.feed(data) + parser.feed_eof())
    assert ours == theirs


@pytest.mark.parametrize("chunked", [False, True])
def test_h11_reads_what_we_write(chunked: bool) -> None:
    body = b"x" * 100 + b"y" * 7
    if chunked:
        framing = [("Transfer-Encoding", "chunked")]
        payload = (
            encode_chunk(body[:100])
            + encode_chunk(body[100:])
            + encode_last_chunk([("X-Sum", "107")])
        )
    else:
        framing = [("Content-Length", str(len(body)))]
        payload = body
    request = serialize_request_head(
        "POST", "/path?q=1", [("Host", "h"), ("X-Multi", "a, b"), *framing]
    )
    events = normalise_h11(h11_events(h11.Connection(h11.SERVER), request + payload))
    assert events[0] == (
        "head",
        b"POST",
        b"/path?q=1",
        [
            (b"host", b"h"),
            (b"x-multi", b"a, b"),
            *[(k.lower().encode(), v.encode()) for k, v in framing],
        ],
    )
    assert events[1] == ("data", body)
    assert events[2] == ("end", [(b"x-sum", b"107")] if chunked else [])

    response = serialize_response_head(201, None, [*framing, ("Location", "/new")])
    conn = h11.Connection(h11.CLIENT)
    conn.send(h11.Request(method="GET", target="/", headers=[("Host", "h")]))
    conn.send(h11.EndOfMessage())
    events = normalise_h11(h11_events(conn, response + payload))
    assert events[0][:3] == ("head", 201, b"Created")
    assert events[1] == ("data", body)
