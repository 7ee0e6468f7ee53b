"""One HTTP/1.1 connection, for either side: bytes in, events out; what to send in, bytes out.

:class:`HttpConnection` puts the parser (:mod:`~aiohttp._sansio.http1.parser`), the serializers
(:mod:`~aiohttp._sansio.http1.serializer`) and the state tables
(:mod:`~aiohttp._sansio.http1.states`) together for one side of one connection::

    server = HttpConnection(Role.SERVER)
    events = server.receive_data(data)           # RequestHead, Data..., EndOfMessage
    out = server.send_response(200, [("Content-Length", "2")])
    out += server.send_data(b"ok") + server.send_end()

    client = HttpConnection(Role.CLIENT)
    out = client.send_request("GET", "/", [("Host", "example.com")]) + client.send_end()
    events = client.receive_data(data)           # ResponseHead, Data..., EndOfMessage

Every head, body piece and end of message, sent or received, moves the connection's state along
:data:`~aiohttp._sansio.http1.states.TRANSITIONS`. What our caller may not send raises
:class:`~aiohttp._sansio.errors.LocalProtocolError` and sends nothing; what the peer may not send
raises :class:`~aiohttp._sansio.errors.RemoteProtocolError` (or the parser's own
:class:`~aiohttp._sansio.errors.HttpProcessingError`) with the status to answer. After an
error, the party at fault is in ``ERROR`` for good.

The body we send is framed by the head we sent: ``Content-Length`` is counted (more or fewer
bytes raise), a chunked body is chunked here, a response with no body (to HEAD, 1xx, 204, 304)
takes none. There is no clock and no I/O: timeouts and flow control belong to the caller.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import NoReturn, TypeVar

from multidict import CIMultiDict, CIMultiDictProxy

from ..errors import HttpProcessingError, LocalProtocolError
from ..hdrs import CONNECTION, HOST, UPGRADE
from ..limits import HttpLimits
from .events import HttpVersion, HttpVersion11, RequestHead
from .framing import (
    Framing,
    asks_to_switch,
    keep_alive,
    list_options,
    request_framing,
    response_framing,
)
from .machine import (
    _HEARD,
    _KEEP_ON_REQUEST,
    _KEEP_ON_RESPONSE,
    _LAST_S,
    _OWED,
    _PROPOSED,
    _REQ_WHOLE_STEPS,
    _RESP_WHOLE_STEPS,
    ConnectionState,
    joints,
)
from .parser import _HOLD, RequestParser
from .receiving import ReceivingSide, expects_continue
from .response_parser import ResponseParser
from .serializer import (
    Fields,
    encode_chunk,
    encode_last_chunk,
    serialize_request_head,
    serialize_response_head,
)
from .states import Role, State

__all__ = ["HttpConnection", "expects_continue"]

_F = TypeVar("_F")
_CLIENT, _SERVER = Role.CLIENT, Role.SERVER
_BODY, _SWITCHED = State.BODY, State.SWITCHED
# The joint states in which a party sends a body, or has left HTTP/1.1.
_IN_BODY = {role: joints(role, _BODY) for role in Role}
_SWITCHED_AWAY = {role: joints(role, _SWITCHED) for role in Role}
# By our role: the peer's role, and the joint states in which it sends a body or has switched.
_PEER = {
    ours: (theirs, _IN_BODY[theirs], _SWITCHED_AWAY[theirs])
    for ours, theirs in ((_SERVER, _CLIENT), (_CLIENT, _SERVER))
}


def _persists(version: HttpVersion, fields: CIMultiDictProxy[str]) -> bool:
    """Whether the connection persists after a message we send (RFC 9112 §9.3)."""
    values = fields.getall(CONNECTION, None)
    if values is None:
        return version >= HttpVersion11
    return keep_alive(version, list_options(values))


def _state_of(state: ConnectionState, role: Role) -> State:
    return state.client if role is _CLIENT else state.server


def _view(headers: Fields) -> CIMultiDictProxy[str]:
    """The fields as a case-insensitive multidict, to read the framing from."""
    if isinstance(headers, CIMultiDictProxy):
        return headers
    return CIMultiDictProxy(headers if isinstance(headers, CIMultiDict) else CIMultiDict(headers))


class HttpConnection(ReceivingSide):
    """The HTTP/1.1 state of one connection, as one of its two parties.

    Args:
        our_role: Which side we are: :attr:`Role.SERVER` reads requests and sends responses,
            :attr:`Role.CLIENT` the other way round.
        limits: The parser's size limits.
        lenient: (client) Read a response with both Transfer-Encoding and Content-Length as
            chunked instead of rejecting it (see
            :class:`~aiohttp._sansio.http1.response_parser.ResponseParser`).
    """

    __slots__ = ()

    def __init__(
        self, our_role: Role, limits: HttpLimits | None = None, *, lenient: bool = False
    ) -> None:
        self.our_role = our_role
        self.their_role, self._their_body, self._their_switched = _PEER[our_role]
        self.state = ConnectionState()
        self._parser: RequestParser | ResponseParser = (
            RequestParser(limits)
            if our_role is _SERVER
            else ResponseParser(limits, lenient=lenient)
        )
        self.unparsed = self._parser._buf  # the parser changes it in place, never replaces it
        self.stopped = False
        # (server) Each request received without a final response, oldest first.
        self._requests: deque[RequestHead] = deque()
        self._left: int | None = 0  # body bytes we still owe; None: not counted
        self._chunked = False  # our body is chunked
        self._decline = False  # (server) a refused switch: the parser's held bytes are HTTP

    def __repr__(self) -> str:
        return (
            f"<HttpConnection {self.our_role.value}: {self.our_state.value}, "
            f"{self.their_role.value}: {self.their_state.value}>"
        )

    # -- state ------------------------------------------------------------------------------

    @property
    def our_state(self) -> State:
        """Our stream's state."""
        return _state_of(self.state, self.our_role)

    @property
    def their_state(self) -> State:
        """The peer's stream's state."""
        return _state_of(self.state, self.their_role)

    @property
    def unanswered(self) -> int:
        """Requests sent or received that have no final response yet."""
        return self.state.unanswered

    @property
    def reusable(self) -> bool:
        """Whether both sides are idle between messages with nothing buffered: the connection
        may carry a new exchange from a clean start (a client's pool asks this)."""
        state = self.state
        return (
            state.client is State.IDLE and state.server is State.IDLE and not self._parser.buffered
        )

    @property
    def waiting_continue(self) -> bool:
        """Whether the client holds a body back until ``100 Continue`` (RFC 9110 §10.1.1)."""
        return self.state.client is State.WAIT_CONTINUE

    @property
    def buffered(self) -> int:
        """Bytes received but not turned into events yet (see ``MessageParser.buffered``)."""
        return len(self.unparsed)

    @property
    def holding(self) -> bool:
        """Whether the bytes behind a request that asks to switch protocols are held, not
        parsed, until our answer to it (see ``MessageParser.holding``)."""
        return self._parser._state == _HOLD  # the parser's property, without a second call

    @property
    def body_remaining(self) -> int | None:
        """Body bytes the peer still owes for its current message, if the framing says."""
        return self._parser.body_remaining

    @property
    def error(self) -> BaseException | None:
        """The peer's error found behind the events last returned; raised by the next call."""
        return self._parser._error  # the parser's property, without a second call

    # -- sending ----------------------------------------------------------------------------

    def send_request(
        self,
        method: str,
        target: str,
        headers: Fields = (),
        version: HttpVersion = HttpVersion11,
    ) -> bytes:
        """Start a request; return its head's bytes (see ``serialize_request_head``).

        Its body, if ``Content-Length`` or ``Transfer-Encoding: chunked`` announces one, follows
        with :meth:`send_data`; :meth:`send_end` ends it. A request may be sent while responses
        to earlier ones are still due (pipelining, RFC 9112 §9.3.2).

        Raises:
            LocalProtocolError: The client may not send a request now (one is in progress, a
                switch of protocols is pending, the connection is closing), the framing is
                invalid, or an HTTP/1.1 request has no ``Host`` (RFC 9112 §3.2).
            ValueError: The method, target or a field is invalid (nothing changes).
        """
        self._must_be(_CLIENT)
        fields = _view(headers)
        chunked, length = self._framing(request_framing, version, fields)
        if version >= HttpVersion11 and HOST not in fields:
            self._misuse("An HTTP/1.1 request MUST have a Host field (RFC 9112 §3.2)")
        options = list_options(fields.getall(CONNECTION, []))
        data = serialize_request_head(method, target, headers, version)
        state = self.state
        try:
            state.request(
                expect=expects_continue(version, fields, chunked or bool(length)),
                last=not keep_alive(version, options),
                switch=_switch(method, version, options, fields),
            )
        except LocalProtocolError:
            state.error(_CLIENT)
            raise
        self._parser.expect_response(method)  # type: ignore[union-attr]
        self._left, self._chunked = (None if chunked else length), chunked
        return data

    def send_response(
        self,
        status: int,
        headers: Fields = (),
        reason: str | None = None,
        version: HttpVersion = HttpVersion11,
    ) -> bytes:
        """Answer the oldest request waiting for a response; return the head's bytes.

        A 1xx other than 101 is interim: the final response follows. A final response's body
        follows with :meth:`send_data` and ends with :meth:`send_end` (also when it has none).
        A 101 to a request that asked to upgrade, or a 2xx to CONNECT, switches protocols once
        it ends (take the held bytes with :meth:`switch_protocols`); any other final response
        to such a request declines the switch, and ``receive_data(b"")`` then returns the
        requests that arrived behind it.

        Raises:
            LocalProtocolError: No request waits for a response, a response is in progress, a
                1xx answers an HTTP/1.0 request (RFC 9110 §15.2), a 101 answers a request that
                did not ask to upgrade or names no ``Upgrade`` (§7.8, §15.2.2), or the framing
                is invalid.
            ValueError: The status, reason or a field is invalid (nothing changes).
        """
        self._must_be(_SERVER)
        requests = self._requests
        if not requests:
            self._misuse("No request waits for a response (RFC 9112 §9.2)")
        method, request_version = requests[0].method, requests[0].version
        state = self.state
        if 100 <= status < 200 and status != 101:
            if request_version < HttpVersion11:
                self._misuse("A 1xx response to an HTTP/1.0 client (RFC 9110 §15.2)")
            data = serialize_response_head(status, reason, headers, version)
            self._ours(lambda _: state.interim())
            return data
        fields = _view(headers)
        framing, length = self._framing(response_framing, method, status, version, fields)
        switch = None
        if framing is Framing.TUNNEL:
            switch = "upgrade" if status == 101 else "connect"
            if status == 101 and UPGRADE not in fields:
                self._misuse("A 101 response MUST send Upgrade (RFC 9110 §15.2.2)")
        last = framing is Framing.UNTIL_CLOSE or not _persists(version, fields)
        data = serialize_response_head(status, reason, headers, version)
        try:
            declines = state.response(last=last, switch=switch)
        except LocalProtocolError:
            state.error(_SERVER)
            raise
        requests.popleft()
        self._chunked = chunked = framing is Framing.CHUNKED
        if framing is Framing.LENGTH:
            self._left = length
        else:  # a chunked body or one read until close is not counted; others have none
            self._left = None if chunked or framing is Framing.UNTIL_CLOSE else 0
        if declines:
            self._decline = True
        if last:  # RFC 9112 §9.6: "MUST NOT process any further requests"
            self._close_after_message()
        return data

    def response_sent(self, status: int, keep_alive: bool) -> bool:
        """(server) A whole final response went out, written by another serializer; return
        whether we may send another response on this connection.

        For a server whose responses write their own heads and bodies: the state moves as
        :meth:`send_response` then :meth:`send_end` would move it. ``keep_alive`` is whether
        the response lets the connection persist (it did not say ``close``, RFC 9112 §9.6). A
        ``101``, or a 2xx answer to ``CONNECT`` (RFC 9110 §9.3.6), switches protocols; any
        other status declines a pending switch, as in :meth:`send_response`. Either way no
        other response follows a switch (the result is ``False``).

        Raises:
            LocalProtocolError: We are not the server, no request waits for a response, or the
                switch answers a request that did not ask for it (RFC 9110 §7.8).
        """
        requests = self._requests
        if not requests:  # (a client's is always empty)
            self._must_be(_SERVER)
            self._misuse("No request waits for a response (RFC 9112 §9.2)")
        state = self.state
        facts = state._facts
        if status != 101 and not facts & _PROPOSED:
            # The common answer: no switch is pending (so no CONNECT waits for this one),
            # ConnectionState.response's move, made here in one lookup.
            final = state._final + 1
            facts = facts & _KEEP_ON_RESPONSE | (0 if keep_alive else _LAST_S)
            if state._requests != final:
                facts |= _OWED
            if state._waiting == final:
                facts |= _HEARD
            new = _RESP_WHOLE_STEPS[facts][state.joint]
            if new >= 0:  # else ConnectionState.response raises below
                state.joint, state._final, state._facts = new, final, facts
                requests.popleft()
                if keep_alive:
                    return True
                if not self.stopped:  # a stopped parser reads no further message already
                    self._close_after_message()
                return False
        switch = None
        if status == 101:
            switch = "upgrade"
        elif 200 <= status < 300 and requests[0][0] == "CONNECT":
            switch = "connect"
        try:
            declines = state.response(not keep_alive, switch, True)
        except LocalProtocolError:
            state.error(_SERVER)
            raise
        requests.popleft()
        if declines:
            self._decline = True
        if not keep_alive:
            self._close_after_message()
            return False
        return switch is None

    def request_sent(
        self,
        method: str,
        last: bool = False,
        expect: bool = False,
        switch: str | None = None,
        whole: bool = True,
    ) -> None:
        """(client) A request head went out, written by another serializer; record it.

        For a client whose requests write their own heads and bodies: the state moves as
        :meth:`send_request` would move it, and with :meth:`send_end` too when ``whole``.
        Otherwise the body follows and :meth:`send_end` ends it.

        Args:
            method: The request method (a response to HEAD has no body, RFC 9110 §9.3.2).
            last: The request says ``close`` (RFC 9112 §9.6).
            expect: Its body waits for ``100 Continue`` (RFC 9110 §10.1.1).
            switch: ``"upgrade"`` or ``"connect"``: the switch a ``101`` (or a 2xx to
                CONNECT) may make (RFC 9110 §7.8).
            whole: The request ended with what was sent.

        Raises:
            LocalProtocolError: We are not the client, or the client may not send a request
                now (one is in progress, a switch is pending, the connection is closing).
        """
        if self.our_role is not _CLIENT:
            self._must_be(_CLIENT)
        state = self.state
        # (the response parser's expect_response, without its call)
        methods: deque[str] = self._parser._methods  # type: ignore[union-attr]
        if whole and not expect:
            # The usual request: ConnectionState.request's move, made here in one lookup.
            facts = state._facts & _KEEP_ON_REQUEST | last | _OWED
            if switch is not None:
                facts |= _PROPOSED
            new = _REQ_WHOLE_STEPS[facts][state.joint]
            if new >= 0:  # (no body waits for 100 Continue between requests: _waiting is 0)
                state.joint, state._facts = new, facts
                state._requests += 1
                if switch is not None:
                    state._proposal = switch == "connect"
                methods.append(method)
                return
        try:  # ConnectionState.request raises if the tables refuse the request
            state.request(expect, last, switch, whole)
        except LocalProtocolError:
            state.error(_CLIENT)
            raise
        methods.append(method)

    def send_data(self, data: bytes) -> bytes:
        """Body bytes of the message we are sending; return them framed.

        Raises:
            LocalProtocolError: No message body is in progress, the message has no body, or
                ``data`` goes past its ``Content-Length`` (RFC 9112 §6.2).
        """
        state = self.state
        if _state_of(state, self.our_role) is not _BODY:
            self._ours(state.data)
        left = self._left
        if left is not None:
            if len(data) > left:
                self._misuse(
                    "No body allowed"
                    if left == 0
                    else f"Body past its Content-Length ({left} left)"
                )
            self._left = left - len(data)
        return encode_chunk(data) if self._chunked else data

    def send_end(self, trailers: Fields | None = None) -> bytes:
        """End the message we are sending; return the bytes that end it.

        Args:
            trailers: The trailer section, for a chunked body (RFC 9112 §7.1.2).

        Raises:
            LocalProtocolError: No message is in progress, ``Content-Length`` bytes are still
                owed, or trailers end a body that is not chunked.
            ValueError: A trailer field is invalid (nothing changes).
        """
        state = self.state
        our = self.our_role
        if _state_of(state, our) not in (_BODY, State.WAIT_CONTINUE):
            self._ours(state.end)  # raises: not in a message
        if self._left:
            self._misuse(f"The body is {self._left} bytes short of its Content-Length")
        if not self._chunked:
            if trailers is not None:
                self._misuse("Trailers need the chunked coding (RFC 9112 §7.1.2)")
            data = b""
        else:
            data = encode_last_chunk(trailers)
        self._ours(state.end)
        self._left, self._chunked = 0, False
        return data

    def send_eof(self) -> None:
        """We close our sending side (between messages; RFC 9112 §9.6).

        Raises:
            LocalProtocolError: A message is in progress: abort the connection instead.
        """
        self._ours(self.state.close)

    def switch_protocols(self) -> bytes:
        """Leave HTTP/1.1: return the bytes received after the message that switched.

        Raises:
            LocalProtocolError: The connection has not switched protocols.
        """
        state = self.state
        if state.client is not _SWITCHED or state.server is not _SWITCHED:
            raise LocalProtocolError("The connection did not switch protocols")
        self.stopped = True
        return self._parser.switch_protocols()

    # -- helpers ----------------------------------------------------------------------------

    def _must_be(self, role: Role) -> None:
        if self.our_role is not role:
            raise LocalProtocolError(f"A {self.our_role.value} does not send that")

    def _misuse(self, message: str) -> NoReturn:
        self.state.error(self.our_role)
        raise LocalProtocolError(message)

    def _ours(self, move: Callable[[Role], None]) -> None:
        """Make our move ``move(our_role)``; a forbidden one is our caller's error."""
        try:
            move(self.our_role)
        except LocalProtocolError:
            self.state.error(self.our_role)
            raise

    def _framing(self, framing: Callable[..., _F], *args: object) -> _F:
        """The framing of a head we send; invalid framing is our caller's error."""
        try:
            return framing(*args)
        except HttpProcessingError as exc:
            self._misuse(f"Invalid framing: {exc.message}")


def _switch(
    method: str, version: HttpVersion, options: list[str], fields: CIMultiDictProxy[str]
) -> str | None:
    """The switch a request asks for: ``"connect"``, ``"upgrade"`` or ``None``."""
    if not asks_to_switch(method, version, options, fields):
        return None
    return "connect" if method == "CONNECT" else "upgrade"
