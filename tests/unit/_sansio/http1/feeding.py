"""Feeding parsers in different splits and comparing what comes out."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable

from aiohttp._sansio.errors import HttpProcessingError
from aiohttp._sansio.http1 import (
    Data,
    EndOfMessage,
    Event,
    RequestParser,
    ResponseParser,
)
from aiohttp._sansio.limits import HttpLimits

Parser = RequestParser | ResponseParser


def client_parser(
    *methods: str, limits: HttpLimits | None = None, lenient: bool = False
) -> ResponseParser:
    """A response parser told about requests sent with ``methods`` (one GET when none)."""
    parser = ResponseParser(limits, lenient=lenient)
    for method in methods or ("GET",):
        parser.expect_response(method)
    return parser


def merge_data(events: Iterable[Event]) -> list[Event]:
    """Join adjacent :class:`Data` events, so splits that cut a body differently compare equal."""
    out: list[Event] = []
    for event in events:
        if isinstance(event, Data) and out and isinstance(out[-1], Data):
            out[-1] = Data(out[-1].data + event.data)
        elif isinstance(event, Data) and not event.data:
            continue
        else:
            out.append(event)
    return out


def feed_pieces(
    parser: Parser, pieces: Iterable[bytes], *, eof: bool = False
) -> tuple[list[Event], type[HttpProcessingError] | None]:
    """Feed ``pieces`` one by one; return the events and the error class raised, if any."""
    events: list[Event] = []
    try:
        for piece in pieces:
            events.extend(parser.feed(piece))
        if eof:
            events.extend(parser.feed_eof())
        else:
            # A deferred error surfaces on the next call.
            events.extend(parser.feed(b""))
    except HttpProcessingError as exc:
        return merge_data(events), type(exc)
    return merge_data(events), None


def bytewise(data: bytes) -> list[bytes]:
    """``data`` one byte at a time."""
    return [data[i : i + 1] for i in range(len(data))]


def split_at(data: bytes, points: Iterable[int]) -> list[bytes]:
    """``data`` cut at the given offsets."""
    cuts = sorted({p for p in points if 0 < p < len(data)})
    bounds = [0, *cuts, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


def parse_all(
    make: Callable[[], Parser], data: bytes, *, eof: bool = False
) -> tuple[list[Event], type[HttpProcessingError] | None]:
    """Events of ``data`` fed whole, after checking a byte-at-a-time feed gives the same."""
    whole = feed_pieces(make(), [data], eof=eof)
    assert feed_pieces(make(), bytewise(data), eof=eof) == whole
    return whole


def only_heads(events: Iterable[Event]) -> list[Event]:
    """The events that are not body data or ends of message."""
    return [e for e in events if not isinstance(e, Data | EndOfMessage)]


def verdict(parser: Parser, pieces: Iterable[bytes]) -> type[HttpProcessingError] | None:
    """The error class the parser has found once ``pieces`` were fed, without any later call.

    ``None`` means the parser accepted everything so far (or is waiting for more bytes).
    """
    try:
        for piece in pieces:
            parser.feed(piece)
    except HttpProcessingError as exc:
        return type(exc)
    error = parser.error
    return None if error is None else type(error)  # type: ignore[return-value]


def two_piece_splits(data: bytes) -> list[list[bytes]]:
    """``data`` cut in two at every point."""
    return [[data[:k], data[k:]] for k in range(1, len(data))]


def assert_same_verdict_everywhere(
    make: Callable[[], Parser], data: bytes, error: type[HttpProcessingError] | None
) -> None:
    """``data`` gets the verdict ``error`` fed whole, byte by byte and cut in two anywhere,
    each time as soon as the last piece is fed (RFC 9112 §2.2)."""
    assert verdict(make(), [data]) is error
    assert verdict(make(), bytewise(data)) is error
    for pieces in two_piece_splits(data):
        assert verdict(make(), pieces) is error, pieces
