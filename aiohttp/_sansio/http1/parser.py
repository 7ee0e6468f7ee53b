"""Incremental HTTP/1.1 parsers: :class:`MessageParser` and :class:`RequestParser` (server side);
:class:`~aiohttp._sansio.http1.response_parser.ResponseParser` (client side) is built on them.

They take bytes in any split and return the same events (see
:mod:`aiohttp._sansio.http1.events`). The head is found with one search for the empty line and
parsed in one pass; body bytes go straight to the body reader chosen from
:data:`aiohttp._sansio.http1.readers.READERS`. Only an incomplete head, chunk-size line or
trailer section is ever buffered, and never more than :class:`~aiohttp._sansio.limits.HttpLimits`
allows.
"""

from __future__ import annotations

import re
from typing import NamedTuple, cast

from multidict import CIMultiDict, CIMultiDictProxy

from .. import abnf
from ..errors import (
    BadHttpMessage,
    HeaderSectionTooLarge,
    HttpProcessingError,
    LineTooLong,
)
from ..hdrs import CONNECTION, CONTENT_ENCODING, CONTENT_LENGTH, HOST, TRANSFER_ENCODING
from ..limits import DEFAULT_LIMITS, HttpLimits
from .events import (
    EndOfMessage,
    Event,
    HttpVersion,
    HttpVersion11,
    RawHeaders,
    RequestHead,
    ResponseHead,
)
from .framing import (
    Framing,
    asks_to_switch,
    content_coding,
    keep_alive,
    list_options,
    request_framing,
)
from .head import parse_fields, parse_request_line
from .readers import BodyReader, ChunkedReader, ContentLengthReader, bare_line_end

__all__ = ["MessageParser", "RequestParser"]

_CRLF = b"\r\n"
_EMPTY_LINE = b"\r\n\r\n"

_EMPTY_LINES = re.compile(rb"(?:\r\n)+")
_BARE = "Bare CR or LF as a line ending"
_tuple_new = tuple.__new__  # builds heads without their keyword-handling constructors
_END = EndOfMessage()  # immutable, so one instance serves every message without trailers
# Enum members as module constants: reading them off the Enum class costs a metaclass lookup.
_LENGTH, _CHUNKED = Framing.LENGTH, Framing.CHUNKED
_UNTIL_CLOSE, _TUNNEL = Framing.UNTIL_CLOSE, Framing.TUNNEL


def _bare_in_new(buf: bytearray, old: int) -> bool:
    """Whether the bytes appended to ``buf`` after its first ``old`` hold a bare CR or LF.

    The byte before them (a CR that was last) is judged again now that its follower came.
    """
    if buf.find(b"\n", old) == -1 and buf.find(b"\r", old - 1) == -1:
        return False
    crlf = buf.count(_CRLF, old - 1)
    return buf.count(b"\n", old) != crlf or buf.count(b"\r", old - 1, len(buf) - 1) != crlf


# Parser states.
_ACTIVE = 0  # reading heads and bodies
_HOLD = 1  # an upgrade or tunnel was accepted by the peer: bytes are held for the caller
_CLOSED = 2  # the connection will not carry another message: further bytes are discarded
_SWITCHED = 3  # the held bytes were handed over; this parser is finished
_FAILED = 4  # an error was raised; it is raised again on every call
_REFUSE = 5  # a CONNECT opened no tunnel: bytes after it are an error


class MessageParser:
    """What request and response parsing share: buffering, head search, body readers.

    Use :class:`RequestParser` or :class:`ResponseParser`; this base is not used alone.
    """

    __slots__ = (
        "_buf",
        "_error",
        "_head",
        "_last",
        "_limits",
        "_line_limit",
        "_reader",
        "_state",
        "_wait_for",
        "_wait_limit",
    )

    _line_what = "start line"
    _line_code: int | None = None

    def __init__(self, limits: HttpLimits | None = None) -> None:
        self._limits = limits if limits is not None else DEFAULT_LIMITS
        self._line_limit = self._limits.max_request_line
        self._buf = bytearray()  # changed in place only (HttpConnection.unparsed is it)
        self._reader: BodyReader | None = None
        self._state = _ACTIVE
        self._error: BaseException | None = None
        self._wait_for = _EMPTY_LINE
        self._wait_limit = 0
        self._last = False  # no message after the current one
        self._head: RequestHead | ResponseHead | None = None  # of the message being read

    @property
    def body_remaining(self) -> int | None:
        """Body bytes the peer still owes for the current message.

        ``0`` between messages, the bytes left for a Content-Length body, ``None`` when the
        framing does not say (chunked, or a response read until close).
        """
        reader = self._reader
        return 0 if reader is None else reader.remaining()

    @property
    def buffered(self) -> int:
        """Bytes received but not turned into events yet.

        Bounded by the limits (an unfinished head, chunk-size line or trailer section), except
        while an upgrade is pending, when everything after the message is held for
        :meth:`~aiohttp._sansio.http1.parser.MessageParser.switch_protocols`.
        """
        return len(self._buf)

    @property
    def holding(self) -> bool:
        """Whether an upgrade or CONNECT is pending: bytes are held, not parsed.

        :attr:`buffered` is then bounded only by what the caller lets in: pause reading past
        a high-water mark until :meth:`switch_protocols` or
        :meth:`~aiohttp._sansio.http1.parser.RequestParser.decline_upgrade`.
        """
        return self._state == _HOLD

    @property
    def error(self) -> BaseException | None:
        """The error that stopped the parser, if any; :meth:`feed` raises it again.

        Set as soon as it is found, also when :meth:`feed` returned the events completed before
        it: check it after handling those events instead of calling ``feed(b"")``.
        """
        return self._error

    def feed(self, data: bytes) -> list[Event]:
        """Parse ``data``, the next bytes from the peer, and return the events completed.

        If the bytes complete some events and then break the protocol, the events are returned
        and the error is raised by the next call to :meth:`feed` or :meth:`feed_eof`.

        Raises:
            HttpProcessingError: A subclass saying what the peer got wrong.
            RuntimeError: The parser handed its bytes over in :meth:`switch_protocols`.
        """
        if self._state != _ACTIVE:
            return self._feed_inactive(data)
        buf = self._buf
        if buf:
            old = len(buf)
            scan = old - len(self._wait_for) + 1
            buf += data
            if (
                len(buf) <= self._wait_limit
                and buf.find(self._wait_for, max(scan, 0)) == -1
                # RFC 9112 §2.2: a bare CR or LF is judged when it arrives, as in one whole
                # write (the pieces waited on here all end with CRLF).
                and not _bare_in_new(buf, old)
            ):
                return []
            data = bytes(buf)
            buf.clear()
        events: list[Event] = []
        try:
            pos = self._run(data, events)
        except HttpProcessingError as exc:
            self._state = _FAILED
            self._error = exc
            buf.clear()
            if events:
                return events
            raise
        if pos < len(data) and self._state != _CLOSED:
            buf += memoryview(data)[pos:]
            reader = self._reader
            if reader is not None:
                self._wait_for, self._wait_limit = reader.wait_for, reader.wait_limit
        return events

    def _feed_inactive(self, data: bytes) -> list[Event]:
        state = self._state
        if state == _HOLD:
            self._buf += data
        elif state == _FAILED:
            assert self._error is not None
            raise self._error
        elif state == _SWITCHED:
            raise RuntimeError("The parser handed its bytes over in switch_protocols()")
        elif state == _REFUSE and data:
            # The peer sent these for a tunnel that was refused: they are not HTTP.
            self._state = _FAILED
            self._error = BadHttpMessage("Bytes after a CONNECT that opened no tunnel")
            raise self._error
        return []

    def feed_eof(self) -> list[Event]:
        """The peer closed its sending side: finish a body read until close, or raise.

        Raises:
            HttpProcessingError: The connection closed inside a head or a framed body.
        """
        state = self._state
        if state != _ACTIVE:
            self._feed_inactive(b"")
            return []
        self._state = _CLOSED
        reader = self._reader
        if reader is not None:
            self._reader = None
            try:
                return reader.eof()
            except HttpProcessingError as exc:
                self._state, self._error = _FAILED, exc
                raise
        if self._buf:
            self._buf.clear()
            self._state = _FAILED
            self._error = BadHttpMessage("Connection closed inside a message head")
            raise self._error
        return []

    def close_after_message(self) -> None:
        """Read no message after the current one: later bytes are discarded.

        For a server that sent ``Connection: close``: it "MUST NOT process any further requests
        received on that connection" (RFC 9112 §9.6). A body being read is still read to its end.
        """
        self._last = True
        if self._state == _ACTIVE and self._reader is None:
            self._state = _CLOSED
            self._buf.clear()

    def switch_protocols(self) -> bytes:
        """Hand over the bytes received after an accepted upgrade; the parser is done.

        Raises:
            RuntimeError: No upgrade or tunnel is pending.
        """
        if self._state != _HOLD:
            raise RuntimeError("No protocol switch is pending")
        self._state = _SWITCHED
        data = bytes(self._buf)
        self._buf.clear()
        return data

    def _run(self, data: bytes, events: list[Event]) -> int:
        """Turn ``data`` into events; return how far it was consumed."""
        pos = 0
        end = len(data)
        while pos < end:
            reader = self._reader
            if reader is None:
                pos = self._read_head(data, pos, events)
                if pos < 0:
                    return ~pos
            else:
                pos = reader.read(data, pos, events)
                if not reader.done:
                    return pos
                self._reader = None
                self._end_message(events)
            if self._state != _ACTIVE:
                return pos if self._state == _HOLD else end
        return pos

    def _read_head(self, data: bytes, pos: int, events: list[Event]) -> int:
        """Parse one head at ``pos``; return the position after it, or ``~pos`` to wait."""
        # RFC 9112 §2.2: ignore empty lines received before the start line.
        if data.startswith(_CRLF, pos):
            pos = _EMPTY_LINES.match(data, pos).end()  # type: ignore[union-attr]
        eoh = data.find(_EMPTY_LINE, pos)
        if eoh == -1:
            self._head_incomplete(data, pos)
            return ~pos
        eol = data.find(_CRLF, pos)
        start = self._start_line(data, pos, eol)
        limits = self._limits
        if eoh + 4 - pos > limits.max_head_size:
            raise HeaderSectionTooLarge(f"Head exceeds {limits.max_head_size} bytes")
        try:
            self._on_head(start, data[eol + 2 : eoh + 2] if eol != eoh else b"", events)
        except BadHttpMessage:
            # Name a bare LF the same way whether or not the whole head had arrived.
            if bare_line_end(data[: eoh + 2], eol):
                raise BadHttpMessage(_BARE) from None
            raise
        return eoh + 4

    def _start_line(self, data: bytes, pos: int, eol: int) -> tuple[object, ...]:
        """Check the start line ending at ``eol`` and return what it says.

        The same checks run whether the rest of the head has arrived or not, so every split
        of the input gets the same verdict (RFC 9112 §2.2).
        """
        if eol - pos > self._line_limit:
            raise LineTooLong(self._line_what, self._line_limit, eol - pos, code=self._line_code)
        if data.find(b"\n", pos, eol) != -1 or data.find(b"\r", pos, eol) != -1:
            raise BadHttpMessage(_BARE)
        return self._parse_start(data[pos:eol].decode("utf-8", "surrogateescape"))

    def _head_incomplete(self, data: bytes, pos: int) -> None:
        """Check what arrived of a head still missing its end; say what to wait for."""
        size = len(data) - pos
        limit = self._line_limit
        eol = data.find(_CRLF, pos, pos + limit + 2)
        if eol == -1:
            # RFC 9112 §2.2: a bare LF as a line ending is rejected, not guessed at.
            if bare_line_end(data, pos):
                raise BadHttpMessage(_BARE)
            if size > limit + 1:
                raise LineTooLong(self._line_what, limit, size, code=self._line_code)
            # Wake up at the end of the start line, to check it and the head limit from then on.
            self._wait_for, self._wait_limit = _CRLF, limit + 1
            return
        self._start_line(data, pos, eol)
        if bare_line_end(data, eol):
            raise BadHttpMessage(_BARE)
        # Without its empty line, a head of more bytes than the limit is already too big.
        if size > self._limits.max_head_size:
            raise HeaderSectionTooLarge(f"Head exceeds {self._limits.max_head_size} bytes")
        self._wait_for, self._wait_limit = _EMPTY_LINE, self._limits.max_head_size

    # What the start line says (a module function, called without a frame of its own).
    _parse_start: staticmethod[[str], tuple[object, ...]]

    def _on_head(self, start: tuple[object, ...], block: bytes, events: list[Event]) -> None:
        raise NotImplementedError

    def _start_body(self, reader: BodyReader | None, events: list[Event]) -> None:
        """Read the body with ``reader``, or end the message now if there is none."""
        if reader is None:
            events.append(_END)
            self._end_message(events)
        else:
            self._reader = reader

    def _end_message(self, events: list[Event]) -> None:
        """After a message: hold the bytes of an accepted switch, or read no further message
        when the connection closes after it (RFC 9112 §9.6)."""
        head = self._head
        assert head is not None
        if head.upgrade:
            self._state = _HOLD
        elif not head.keep_alive or self._last:
            self._state = _CLOSED


class _RequestFields(NamedTuple):
    """What a request's header section says, independent of its request line.

    A keep-alive client mostly repeats its header section verbatim; :class:`RequestParser`
    keeps the last one parsed and reuses it when the next section has the same bytes. The
    parts are immutable, so two requests may share them.
    """

    block: bytes
    raw: RawHeaders
    headers: CIMultiDictProxy[str]
    host: bool  # a valid Host field is present (only one is allowed)
    framed: bool  # Transfer-Encoding or Content-Length is present
    options: list[str] | None  # the Connection options, None without the field
    coding: str | None  # the content coding

    @classmethod
    def parse(cls, block: bytes, limits: HttpLimits) -> _RequestFields:
        """Parse and check ``block``, the field lines of a request.

        Raises:
            HttpProcessingError: A field line is invalid, too long or too many, or Host is
                repeated or invalid (RFC 9112 §3.2).
        """
        raw, headers = parse_fields(block, limits, unfold=False)
        hosts = headers.getall(HOST, None)
        if hosts is not None:
            if len(hosts) > 1:
                raise BadHttpMessage("Multiple Host headers")
            if abnf.HOST.fullmatch(hosts[0]) is None:
                raise BadHttpMessage(f"Invalid Host header: {hosts[0][:80]!r}")
        connection = headers.getall(CONNECTION, None)
        return cls(
            block,
            raw,
            headers,
            hosts is not None,
            TRANSFER_ENCODING in headers or CONTENT_LENGTH in headers,
            None if connection is None else list_options(connection),
            content_coding(headers) if CONTENT_ENCODING in headers else None,
        )


_NO_FIELDS = _RequestFields(b"\xff", (), CIMultiDictProxy(CIMultiDict()), False, False, None, None)


class RequestParser(MessageParser):
    """Parse requests, as a server reads them (RFC 9112 §3).

    Args:
        limits: The size limits to enforce; :data:`~aiohttp._sansio.limits.DEFAULT_LIMITS`
            when omitted.

    After a request whose head has ``upgrade=True`` (``Connection: upgrade`` with ``Upgrade``,
    or CONNECT) ends, the parser holds further bytes: call
    :meth:`~aiohttp._sansio.http1.parser.MessageParser.switch_protocols` to take them, or
    :meth:`decline_upgrade` to keep reading HTTP. After a request that does not keep the
    connection alive, further bytes are discarded (RFC 9112 §9.6).
    """

    __slots__ = ("_fields", "_framed", "_framed_version", "_framing")

    _line_what = "request line"
    _line_code = 414
    _head: RequestHead | None

    def __init__(self, limits: HttpLimits | None = None) -> None:
        MessageParser.__init__(self, limits)  # (no super object, once per connection)
        self._fields = _NO_FIELDS
        # The framing of the last framed header section, for a client that repeats it; the
        # version and framing are set with it (never read while it is _NO_FIELDS, which is
        # not framed).
        self._framed = _NO_FIELDS
        self._framed_version: HttpVersion
        self._framing: tuple[bool, int]

    _parse_start = staticmethod(parse_request_line)

    def _on_head(self, start: tuple[object, ...], block: bytes, events: list[Event]) -> None:
        method, target, version = cast("tuple[str, str, HttpVersion]", start)
        http11 = version >= HttpVersion11
        fields = self._fields
        if block != fields.block:  # else a keep-alive client repeated its header section
            fields = self._fields = _RequestFields.parse(block, self._limits)
        if not fields.host and http11:  # RFC 9112 §3.2: Host is required in HTTP/1.1
            raise BadHttpMessage("Missing Host header")
        headers = fields.headers
        connect = method == "CONNECT"
        if not fields.framed:  # §6.3 (7): neither Transfer-Encoding nor Content-Length, no body
            chunked, length = False, 0
        elif fields is self._framed and version == self._framed_version:  # the same again
            chunked, length = self._framing
        else:
            chunked, length = self._framing = request_framing(version, headers)
            self._framed = fields
            self._framed_version = version
        options = fields.options
        if options is None:  # RFC 9112 §9.3: persistent by default from HTTP/1.1 on
            persist = http11
            upgrade = connect
        else:
            persist = keep_alive(version, options)
            # (a request that names no upgrade asks for none, unless it is a CONNECT)
            upgrade = connect or (
                "upgrade" in options and asks_to_switch(method, version, options, headers)
            )
        head: RequestHead = _tuple_new(
            RequestHead,
            (
                method,
                target,
                version,
                headers,
                fields.raw,
                persist,
                upgrade,
                chunked,
                fields.coding,
                None if chunked else length,
            ),
        )
        self._head = head
        events.append(head)
        if chunked:
            self._reader = ChunkedReader(None, self._limits)
        elif length:
            self._reader = ContentLengthReader(length, self._limits)
        else:
            events.append(_END)
            if upgrade:
                self._state = _HOLD
            elif not persist or self._last:
                self._state = _CLOSED

    def decline_upgrade(self) -> list[Event]:
        """Refuse a pending upgrade and parse the held bytes as HTTP again.

        After a CONNECT that opened no tunnel, bytes the peer sent or sends on the connection
        were meant for the tunnel: they raise :class:`~aiohttp._sansio.errors.BadHttpMessage`
        instead of being read as requests (RFC 9110 §9.3.6).

        Raises:
            RuntimeError: No upgrade is pending.
            HttpProcessingError: The held bytes break the protocol.
        """
        if self._state != _HOLD:
            raise RuntimeError("No protocol switch is pending")
        head = self._head
        assert head is not None
        if not head.keep_alive or self._last:
            self._state = _CLOSED
        else:
            self._state = _REFUSE if head.method == "CONNECT" else _ACTIVE
        data = bytes(self._buf)
        self._buf.clear()
        return self.feed(data) if data else []
