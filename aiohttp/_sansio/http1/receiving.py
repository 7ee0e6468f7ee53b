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
from typing import NoReturn

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
from .machine import (
    _END_C_STEPS,
    _HEARD,
    _KEEP_ON_REQUEST,
    _KEEP_ON_RESPONSE,
    _LAST_C,
    _OWED,
    _PROPOSED,
    _REQ_STEPS,
    _REQ_WHOLE,
    _REQ_WHOLE_STEPS,
    _RESP_WHOLE,
    _RESP_WHOLE_STEPS,
    _UNMET,
    ConnectionState,
    _meet,
)
from .parser import _ACTIVE, _HOLD, RequestParser
from .response_parser import ResponseParser
from .states import Role

__all__ = ["ReceivingSide", "expects_continue"]

_CLIENT, _SERVER = Role.CLIENT, Role.SERVER
_LAST_OWED = _LAST_C | _OWED  # the facts after a request that says close (RFC 9112 §9.6)
_DECLINED = ~_PROPOSED  # the facts after a final response declines a switch (RFC 9110 §7.8)


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
        "_their_body",
        "_their_switched",
        "our_role",
        "state",
        "stopped",
        "their_role",
        "unparsed",
    )

    our_role: Role
    their_role: Role
    state: ConnectionState
    _parser: RequestParser | ResponseParser
    _requests: deque[RequestHead]  # (server) the requests without a final response
    _left: int | None
    _chunked: bool
    _decline: bool
    _their_body: frozenset[int]  # the joint states in which the peer sends a body
    _their_switched: frozenset[int]  # ... in which the peer left HTTP/1.1
    #: The bytes received but not turned into events yet: the parser's own buffer, to read
    #: (its length is ``buffered``) and never to change.
    unparsed: bytearray
    #: Whether the parser stopped reading messages: an ``error`` waits behind the events last
    #: returned, bytes are ``holding``, or no further message is read. A plain attribute, kept
    #: as the parser's state changes, so that the check after each read costs no call.
    stopped: bool

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
        # The parser is never reading once the connection switched (it holds the bytes that
        # follow, or handed them over): the cheap test first.
        if self.stopped and self.state.joint in self._their_switched:
            raise LocalProtocolError("The connection switched protocols: nothing more to parse")
        parser = self._parser
        try:
            events = parser.feed(data)
        except HttpProcessingError:
            self._peer_failed()
            raise
        self._received(events)
        return events

    def check_stopped(self) -> bool:
        """Once :attr:`stopped`: raise the peer's error if one waits behind the events last
        returned (as the next :meth:`receive_data` would), else return whether bytes are held
        behind a request that asks to switch protocols; the two checks a caller makes after
        handling the events, in one call."""
        parser = self._parser
        if parser._error is not None:
            self.receive_data(b"")  # raises it
        return parser._state == _HOLD

    def receive_requests(self, data: bytes) -> list[Event]:
        """(server) :meth:`receive_data`, with the usual request moved in one step.

        A request that ends in ``data`` and is alone there (its head, at most one piece of
        body, its end), that asks for no switch of protocols and whose body does not wait for
        ``100 Continue``, moves the client's state as ``ConnectionState.request`` then
        ``ConnectionState.end`` would, in one lookup. Anything else goes the way of
        :meth:`receive_data`, and so does every call when we are not the server.

        Raises:
            HttpProcessingError: As :meth:`receive_data`.
            LocalProtocolError: As :meth:`receive_data`.
        """
        if self.stopped or self.our_role is not _SERVER:
            return self.receive_data(data)
        parser = self._parser
        try:
            events = parser.feed(data)
        except HttpProcessingError:
            self._peer_failed()
            raise
        if (
            1 < len(events) < 4
            and type(head := events[0]) is RequestHead
            and type(events[-1]) is EndOfMessage
        ):  # one whole request alone: its head, at most one piece of body, its end
            _, _, _, headers, _, keep, upgrade, chunked, _, length = head
            # Neither a switch nor a body that waits for 100 Continue (RFC 9110 §10.1.1).
            if not upgrade and (not (chunked or length) or EXPECT not in headers):
                state = self.state
                facts = state._facts & _KEEP_ON_REQUEST | (_OWED if keep else _LAST_OWED)
                new = _REQ_WHOLE_STEPS[facts][state.joint]
                if new == _UNMET:  # receive_data's way moves a head with a body apart
                    new = _meet(_REQ_WHOLE, facts, state.joint)
                if new >= 0:  # else the way of receive_data raises
                    state.joint, state._facts, state._waiting = new, facts, 0
                    state._requests += 1
                    self._requests.append(head)
                    if parser._state != _ACTIVE:  # RFC 9112 §9.6: it said close
                        self.stopped = True
                    return events
        self._received(events)
        return events

    def receive_responses(self, data: bytes) -> list[Event]:
        """(client) :meth:`receive_data`, with the usual response moved in one step.

        A final response that does not switch protocols and ends in ``data`` (its head, at
        most one piece of body, its end) moves the server's state as
        ``ConnectionState.response`` then ``ConnectionState.end`` would, declining a pending
        switch as they do (RFC 9110 §7.8), in one lookup. Anything else goes the way of
        :meth:`receive_data`, and so does every call when we are not the client.

        Raises:
            HttpProcessingError: As :meth:`receive_data`.
            LocalProtocolError: As :meth:`receive_data`.
        """
        if self.stopped or self.our_role is not _CLIENT:  # (a switched connection is stopped)
            return self.receive_data(data)
        parser = self._parser
        try:
            events = parser.feed(data)
        except HttpProcessingError:
            self._peer_failed()
            raise
        # A final head and its end, with at most one piece of body between them (a final
        # head is followed by its body, then its end): one whole response; and the parser
        # still reading.
        if (
            1 < len(events) < 4
            and type(head := events[0]) is ResponseHead
            and type(events[-1]) is EndOfMessage
            and head.status >= 200
            and not head.upgrade
            and parser._state == _ACTIVE
        ):
            state = self.state
            final = state._final + 1
            facts = state._facts & _KEEP_ON_RESPONSE | (not head.keep_alive) << 1
            last = state._requests == final  # it answers the last request sent
            if not last:
                facts |= _OWED
            elif facts & _PROPOSED:  # which offered a switch: declined
                facts &= _DECLINED
                if state._proposal:  # RFC 9110 §9.3.6: a refused CONNECT is the last request
                    facts |= _LAST_C
            if state._waiting == final:
                facts |= _HEARD
            new = _RESP_WHOLE_STEPS[facts][state.joint]
            if new == _UNMET:  # receive_data's way moves head, body and end one at a time
                new = _meet(_RESP_WHOLE, facts, state.joint)
            if new >= 0:  # else the way of receive_data raises
                state.joint, state._final, state._facts = new, final, facts
                if last:
                    state._proposal = None
                return events
        self._received(events)
        return events

    def _received(self, events: list[Event]) -> None:
        """:meth:`receive_data`'s way with the events of one feed: the peer's state moved
        along them, :attr:`stopped` brought up to date."""
        parser = self._parser
        try:
            if events:
                if self.their_role is _CLIENT:
                    self._requests_received(events)
                else:
                    self._responses_received(events)
            if parser._state != _ACTIVE:
                if self._decline:
                    self._parser_stopped(events)
                else:  # (_parser_stopped's other way, without its call)
                    self.stopped = True
        except HttpProcessingError:
            self._peer_failed()
            raise

    def _peer_failed(self) -> None:
        """The parser raised the peer's error: the peer is in ``ERROR`` for good."""
        self.stopped = self._parser._state != _ACTIVE
        self.state.error(self.their_role)

    def _parser_stopped(self, events: list[Event]) -> None:
        """The parser is not reading: once our response declined a switch, the bytes it held
        are read as HTTP (their events join ``events``); :attr:`stopped` is brought up to date."""
        parser = self._parser
        if self._decline and parser._state == _HOLD:
            self._decline = False
            more = parser.decline_upgrade()  # type: ignore[union-attr]
            if more:
                self._requests_received(more)
                events += more
        self.stopped = parser._state != _ACTIVE

    def _close_after_message(self) -> None:
        """Read no message after the current one (RFC 9112 §9.6)."""
        parser = self._parser
        parser.close_after_message()
        self.stopped = parser._state != _ACTIVE

    def receive_eof(self) -> list[Event]:
        """The peer closed its sending side; return the events that completes.

        A response read until close ends here. A half-close between messages is allowed (a
        server still answers what it was asked, RFC 9112 §9.6); inside a message it is the
        peer's error.

        Raises:
            HttpProcessingError: The connection closed inside a message.
            LocalProtocolError: The connection switched protocols.
        """
        if self.state.joint in self._their_switched:
            raise LocalProtocolError("The connection switched protocols: nothing more to parse")
        self.stopped = True  # the parser reads nothing after the end of the input
        try:
            # A response read until close ends here (a request's body never is, RFC 9112 §6.3).
            events = self._parser.feed_eof()
            if events:
                self._responses_received(events)
            self.state.close(self.their_role)
        except LocalProtocolError as exc:  # the tables refuse the close
            self._their_fault(exc)
        except HttpProcessingError:
            self.state.error(self.their_role)
            raise
        return events

    def _requests_received(self, events: list[Event]) -> None:
        """Move the client's state along the requests read (we are the server)."""
        state = self.state
        try:
            # A request without a body (no framing fields, RFC 9112 §6.3) ends with its head:
            # one move for both, and its end of message is skipped.
            whole = False
            for event in events:
                kind = type(event)
                if kind is RequestHead:  # unpacked: one step, not one lookup per field
                    head: RequestHead = event  # type: ignore[assignment]
                    method, _, version, headers, _, keep, upgrade, chunked, _, length = head
                    whole = not (chunked or length)
                    # The common request (no switch, no Expect, RFC 9110 §10.1.1):
                    # ConnectionState.request's move, in one lookup.
                    if not upgrade and (whole or EXPECT not in headers):
                        facts = state._facts & _KEEP_ON_REQUEST | (_OWED if keep else _LAST_OWED)
                        new = (_REQ_WHOLE_STEPS if whole else _REQ_STEPS)[facts][state.joint]
                        if new >= 0:  # else ConnectionState.request raises below
                            state.joint, state._facts = new, facts
                            if whole:
                                state._waiting = 0
                            state._requests += 1
                            self._requests.append(head)
                            continue
                    switch = None
                    if upgrade:
                        switch = "connect" if method == "CONNECT" else "upgrade"
                    expect = expects_continue(version, headers, not whole)
                    state.request(expect, not keep, switch, whole)
                    self._requests.append(head)
                elif kind is Data:
                    if state.joint not in self._their_body:
                        state.data(_CLIENT)
                elif whole:  # the end of a request whose head's move ended it
                    whole = False
                else:  # the end of a body: ConnectionState.end's move, in one lookup
                    new = _END_C_STEPS[state._facts][state.joint]
                    if new < 0:
                        state.end(_CLIENT)  # a move not met yet, or a forbidden one
                    else:
                        state.joint, state._waiting = new, 0
        except LocalProtocolError as exc:
            self._their_fault(exc)

    def _their_fault(self, exc: LocalProtocolError) -> NoReturn:
        """A move of the peer's that the tables forbid: the peer is in ``ERROR``, and the
        error carries the status to answer it with."""
        self.state.error(self.their_role)
        # The status to answer with (RFC 9110 §15.5.1 for a client's, §15.6.3 for a server's).
        raise RemoteProtocolError(str(exc), code=400 if self.our_role is _SERVER else 502) from None

    def _responses_received(self, events: list[Event]) -> None:
        """Move the server's state along the responses read (we are the client)."""
        state = self.state
        count = len(events)
        index = 0
        try:
            while index < count:
                event = events[index]
                index += 1
                kind = type(event)
                if kind is Data:  # a response's body follows its head: the server is in BODY
                    state.data(_SERVER)
                elif kind is EndOfMessage:
                    state.end(_SERVER)
                else:  # a head; one ended at once (no body) moves in one step
                    whole = index < count and type(events[index]) is EndOfMessage
                    if not self._on_response(event, whole):  # type: ignore[arg-type]
                        index += whole  # a final response: its end of message is in the move
        except LocalProtocolError as exc:
            self._their_fault(exc)

    def _on_response(self, head: ResponseHead, whole: bool) -> bool:
        """Move the server's state along a response head; whether it was interim."""
        status = head.status
        if 100 <= status < 200 and status != 101:
            self.state.interim()
            return True
        switch = None
        if head.upgrade:
            switch = "upgrade" if status == 101 else "connect"
        self.state.response(not head.keep_alive, switch, whole)
        return False
