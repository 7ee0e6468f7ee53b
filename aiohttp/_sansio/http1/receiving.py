"""The receiving half of :class:`~aiohttp._sansio.http1.connection.HttpConnection`: the
peer's bytes in, events out, and the peer's state moved along the tables.

Every head, body piece and end of message the parser returns moves the peer's state along
:data:`~aiohttp._sansio.http1.states.TRANSITIONS`; what the peer may not send raises
:class:`~aiohttp._sansio.errors.RemoteProtocolError` (or the parser's own
:class:`~aiohttp._sansio.errors.HttpProcessingError`) with the status to answer, and leaves the
peer in ``ERROR``.
"""

from __future__ import annotations

from collections import deque

from multidict import CIMultiDictProxy

from ..errors import HttpProcessingError, LocalProtocolError, RemoteProtocolError
from ..hdrs import EXPECT
from .events import (
    Data,
    EndOfMessage,
    Event,
    HttpVersion,
    HttpVersion11,
    RequestHead,
    ResponseHead,
)
from .framing import list_options
from .parser import RequestParser, ResponseParser
from .states import ConnectionState, Role, State

__all__ = ["ReceivingSide", "expects_continue"]

_BODY, _SWITCHED = State.BODY, State.SWITCHED


def expects_continue(version: HttpVersion, headers: CIMultiDictProxy[str], body: bool) -> bool:
    """Whether a request waits for ``100 Continue`` before its body (RFC 9110 §10.1.1).

    Only an HTTP/1.1 request with a body does: "A server that receives a 100-continue
    expectation in an HTTP/1.0 request MUST ignore that expectation", and the expectation
    means nothing without content. The field value is a case-insensitive list.
    """
    if not body or version < HttpVersion11:
        return False
    values = headers.getall(EXPECT, None)
    return values is not None and "100-continue" in list_options(values)


class ReceivingSide:
    """Reads the peer's messages: the state both halves of a connection share, and the
    receiving methods of :class:`~aiohttp._sansio.http1.connection.HttpConnection`."""

    __slots__ = (
        "_chunked",
        "_decline",
        "_left",
        "_parser",
        "_requests",
        "_status",
        "our_role",
        "state",
        "their_role",
    )

    our_role: Role
    their_role: Role
    state: ConnectionState
    _parser: RequestParser | ResponseParser
    _requests: deque[tuple[str, HttpVersion]]
    _left: int | None
    _chunked: bool
    _decline: bool
    _status: int

    def receive_data(self, data: bytes) -> list[Event]:
        """Parse the peer's next bytes; return the events they complete, in order.

        ``receive_data(b"")`` returns the events of bytes held back while a switch of
        protocols was pending, once our response declined it.

        Raises:
            HttpProcessingError: The peer broke the protocol (a
                :class:`~aiohttp._sansio.errors.RemoteProtocolError` when the message was
                well formed but out of turn); the peer's side is then in ``ERROR``.
            LocalProtocolError: The connection switched protocols: its bytes are no longer
                HTTP (take them with :meth:`switch_protocols`).
        """
        if self.state.states[self.their_role] is _SWITCHED:
            raise LocalProtocolError("The connection switched protocols: nothing more to parse")
        parser = self._parser
        try:
            events = parser.feed(data)
            if events:
                self._received(events)
            if self._decline and parser.holding:
                self._decline = False
                more = parser.decline_upgrade()  # type: ignore[union-attr]
                if more:
                    self._received(more)
                    events += more
        except HttpProcessingError:
            self.state.error(self.their_role)
            raise
        return events

    def receive_eof(self) -> list[Event]:
        """The peer closed its sending side; return the events that completes.

        A response read until close ends here. A half-close between messages is allowed (a
        server still answers what it was asked, RFC 9112 §9.6); inside a message it is the
        peer's error.

        Raises:
            HttpProcessingError: The connection closed inside a message.
            LocalProtocolError: The connection switched protocols.
        """
        if self.state.states[self.their_role] is _SWITCHED:
            raise LocalProtocolError("The connection switched protocols: nothing more to parse")
        try:
            events = self._parser.feed_eof()
            self._received(events, eof=True)
        except HttpProcessingError:
            self.state.error(self.their_role)
            raise
        return events

    def _received(self, events: list[Event], *, eof: bool = False) -> None:
        """Move the peer's state along ``events`` (and its half-close after them)."""
        their = self.their_role
        state = self.state
        count = len(events)
        index = 0
        try:
            while index < count:
                event = events[index]
                index += 1
                kind = type(event)
                if kind is Data:
                    if state.states[their] is not _BODY:
                        state.data(their)
                elif kind is EndOfMessage:
                    state.end(their)
                else:  # a head; one ended at once (no body) moves in one step
                    whole = index < count and type(events[index]) is EndOfMessage
                    if kind is RequestHead:
                        self._on_request(event, whole)  # type: ignore[arg-type]
                    elif self._on_response(event, whole):  # type: ignore[arg-type]
                        continue  # interim: no end of message follows it
                    index += whole
            if eof:
                state.close(their)
        except LocalProtocolError as exc:
            state.error(their)
            raise RemoteProtocolError(str(exc), code=self._status) from None

    def _on_request(self, head: RequestHead, whole: bool) -> None:
        body = head.chunked or bool(head.content_length)
        method = head.method
        self.state.request(
            expect=body and expects_continue(head.version, head.headers, body),
            last=not head.keep_alive,
            switch=("connect" if method == "CONNECT" else "upgrade") if head.upgrade else None,
            whole=whole,
        )
        self._requests.append((method, head.version))

    def _on_response(self, head: ResponseHead, whole: bool) -> bool:
        """Move the server's state along a response head; whether it was interim."""
        status = head.status
        if 100 <= status < 200 and status != 101:
            self.state.interim()
            return True
        switch = None
        if head.upgrade:
            switch = "upgrade" if status == 101 else "connect"
        self.state.response(last=not head.keep_alive, switch=switch, whole=whole)
        self._requests.popleft()
        return False
