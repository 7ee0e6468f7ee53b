"""Differential test against h11: requests from the RFC 9112 grammar, mutated by hypothesis.

Each generated request (a pipeline of one to three, with every framing) is mutated the ways
request smuggling works: duplicate and conflicting framing fields, framing values spelled
oddly, bare CR, LF and NUL, obs-fold, chunk extensions, and arbitrary bytes inserted or
dropped. Then:

- our parser gives the same events and the same verdict fed whole, byte by byte and cut in
  random pieces (RFC 9112 §2.2: a verdict does not depend on the split);
- when our parser accepts a message, h11 (an independent parser) frames it exactly as we do,
  or refuses it: never a second, different reading of the same bytes.

The example count is bounded in the normal run; ``FUZZ_EXAMPLES`` raises it
(``python3 tools/tox.py -e fuzz`` runs 20,000).
"""

from __future__ import annotations

import os
import string
from typing import Any

import h11
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiohttp._sansio.errors import HttpProcessingError
from aiohttp._sansio.http1 import Data, EndOfMessage, RequestHead, RequestParser

from .feeding import bytewise, split_at

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TCHARS = "!#$%&'*+-.^_`|~" + string.ascii_letters + string.digits
tokens = st.text(TCHARS, min_size=1, max_size=8)
methods = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) | tokens
paths = st.text(string.ascii_letters + string.digits + "/?=&%.-_~", max_size=12)
targets = st.builds(lambda p: "/" + p, paths)
values = st.text(string.ascii_letters + string.digits + " ,;=-_./:", max_size=12).map(
    lambda v: v.strip(" ")
)
names = st.sampled_from(["Accept", "User-Agent", "X-Trace", "Cookie", "Via"]) | tokens
plain_fields = st.lists(
    st.tuples(names, values).filter(
        lambda f: (
            f[0].lower() not in {"host", "content-length", "transfer-encoding"}
            and f[0].lower() not in {"connection", "upgrade", "expect"}
        )
    ),
    max_size=4,
)
#: Framing fields beyond the one the body needs: the classic smuggling material.
extra_framing = st.lists(
    st.sampled_from(
        [
            b"Content-Length: 0",
            b"Content-Length: 5",
            b"Content-Length: 05",
            b"Content-Length: 5, 5",
            b"Content-Length: 5, 6",
            b"Content-Length: +5",
            b"Content-Length:5",
            b"Content-Length : 5",
            b"Transfer-Encoding: chunked",
            b"Transfer-Encoding: Chunked",
            b"Transfer-Encoding: chunked, chunked",
            b"Transfer-Encoding: gzip, chunked",
            b"Transfer-Encoding: identity",
            b"Transfer-Encoding: \tchunked",
            b"Transfer-Encoding: chunked\x0b",
            b"Transfer-Encoding:\x00chunked",
            b"Host: other",
            b"Connection: close",
            b"Connection: keep-alive",
            b" X-Folded: yes",
        ]
    ),
    max_size=2,
)
chunk_extensions = st.sampled_from(
    [b"", b";a", b";a=b", b';a="b c"', b"; a = b", b';a="\\""', b";\x00", b";a\nb"]
)


@st.composite
def messages(draw: Any) -> bytes:
    """One request: a request line, fields, framing and a body from RFC 9112's grammar."""
    method = draw(methods)
    version = draw(st.sampled_from([b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.0"]))
    lines = [method.encode() + b" " + draw(targets).encode() + b" " + version]
    lines.append(b"Host: h")
    lines += [f"{n}: {v}".encode() for n, v in draw(plain_fields)]
    body = draw(st.binary(max_size=40))
    framing = draw(st.sampled_from(["none", "length", "chunked"]))
    if framing == "length":
        lines.append(b"Content-Length: %d" % len(body))
        payload = body
    elif framing == "chunked":
        lines.append(b"Transfer-Encoding: chunked")
        pieces, pos = [], 0
        for size in draw(st.lists(st.integers(1, 16), max_size=3)):
            chunk = body[pos : pos + size]
            pos += size
            if chunk:
                ext = draw(chunk_extensions)
                pieces.append(b"%x" % len(chunk) + ext + b"\r\n" + chunk + b"\r\n")
        trailer = draw(st.sampled_from([b"", b"X-Sum: 1\r\n"]))
        payload = b"".join(pieces) + b"0" + draw(chunk_extensions) + b"\r\n" + trailer + b"\r\n"
    else:
        payload = b""
    for extra in draw(extra_framing):
        lines.insert(draw(st.integers(1, len(lines))), extra)
    return b"\r\n".join(lines) + b"\r\n\r\n" + payload


@st.composite
def mutated(draw: Any) -> bytes:
    """A pipeline of requests with a few byte-level mutations."""
    data = b"".join(draw(st.lists(messages(), min_size=1, max_size=3)))
    for _ in range(draw(st.integers(0, 2))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "insert", "delete", "fold"]))
        if op == "insert":
            byte = draw(st.sampled_from([b"\r", b"\n", b"\x00", b" ", b"\t", b"\r\n", b"0", b"x"]))
            data = data[:pos] + byte + data[pos:]
        elif op == "delete":
            data = data[:pos] + data[pos + 1 :]
        else:  # obs-fold: a line break inside the head followed by whitespace
            head_end = data.find(b"\r\n\r\n")
            at = data.find(b"\r\n", min(pos, max(head_end - 1, 0)))
            if 0 <= at < head_end:
                data = data[: at + 2] + b" " + data[at + 2 :]
    return data


def ours(pieces: list[bytes]) -> tuple[list[tuple[object, ...]], bool]:
    """Our events (normalised, bodies joined) and whether we refused the input."""
    parser = RequestParser()
    events: list[object] = []
    try:
        for piece in pieces:
            events += parser.feed(piece)
    except HttpProcessingError:
        return normalise(events), True
    return normalise(events), parser.error is not None


#: Framing fields are compared through the framing itself (the body and end events): h11
#: merges repeated identical Content-Length lines, which frame the same.
_FRAMING = {b"content-length", b"transfer-encoding"}


def _fields(pairs: Any) -> list[tuple[bytes, bytes]]:
    return [(name, value) for name, value in pairs if name not in _FRAMING]


def normalise(events: list[object]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for event in events:
        if isinstance(event, RequestHead):
            fields = _fields((name.lower(), value) for name, value in event.raw_headers)
            out.append(("head", event.method.encode(), event.target.encode(), fields))
        elif isinstance(event, Data):
            if out and out[-1][0] == "data":
                out[-1] = ("data", out[-1][1] + event.data)  # type: ignore[operator]
            elif event.data:
                out.append(("data", event.data))
        elif isinstance(event, EndOfMessage):
            trailers = event.trailers.items() if event.trailers else []
            out.append(("end", [(k.lower().encode(), v.encode()) for k, v in trailers]))
    return out


def theirs(data: bytes) -> tuple[list[tuple[object, ...]], bool]:
    """h11's events for ``data`` as a server (answering each request so it reads the next),
    and whether it refused the input."""
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(data)
    out: list[tuple[object, ...]] = []
    try:
        for _ in range(1000):
            event = conn.next_event()
            if event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed):
                break
            if event is h11.PAUSED:
                if conn.their_state is h11.DONE and conn.our_state is h11.SEND_RESPONSE:
                    conn.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
                    conn.send(h11.EndOfMessage())
                if conn.our_state is h11.DONE and conn.their_state is h11.DONE:
                    conn.start_next_cycle()
                    continue
                break  # closing, or an upgrade or CONNECT: we hold the bytes there too
            if isinstance(event, h11.Request):
                fields = _fields((k.lower(), v) for k, v in event.headers.raw_items())
                out.append(("head", bytes(event.method), bytes(event.target), fields))
            elif isinstance(event, h11.Data):
                if out and out[-1][0] == "data":
                    out[-1] = ("data", out[-1][1] + bytes(event.data))  # type: ignore[operator]
                elif event.data:
                    out.append(("data", bytes(event.data)))
            elif isinstance(event, h11.EndOfMessage):
                out.append(("end", [(k.lower(), v) for k, v in event.headers.raw_items()]))
    except (h11.RemoteProtocolError, h11.LocalProtocolError):
        return out, True
    return out, False


def complete_messages(events: list[tuple[object, ...]]) -> list[list[tuple[object, ...]]]:
    """The events grouped by message, keeping only messages that ended."""
    out: list[list[tuple[object, ...]]] = []
    current: list[tuple[object, ...]] = []
    for event in events:
        current.append(event)
        if event[0] == "end":
            out.append(current)
            current = []
    return out


@SETTINGS
@given(data=mutated(), cuts=st.lists(st.integers(1, 400), max_size=6))
def test_same_events_and_verdict_at_every_split(data: bytes, cuts: list[int]) -> None:
    whole = ours([data])
    assert ours(bytewise(data)) == whole
    assert ours(split_at(data, cuts)) == whole


@SETTINGS
@given(data=mutated())
def test_what_we_accept_h11_frames_the_same_or_refuses(data: bytes) -> None:
    our_events, we_refused = ours([data])
    their_events, they_refused = theirs(data)
    mine, yours = complete_messages(our_events), complete_messages(their_events)
    both = min(len(mine), len(yours))
    # Where both parsers finished a message, they framed it alike: same head, body, trailers.
    assert mine[:both] == yours[:both]
    if not we_refused and not they_refused:
        assert len(mine) == len(yours)
