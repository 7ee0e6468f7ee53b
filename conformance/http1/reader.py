"""A small strict HTTP/1.1 reader for the bytes a peer under test sends (RFC 9112).

It is the harness's own oracle and shares no code with the library under test. It is strict the
way a careful recipient is: every line ends in CRLF (§2.2), start lines and field lines follow the
ABNF exactly (§3, §4, §5), no obs-fold (§5.2), framing follows §6.3 and a message that breaks a
sender requirement (both Content-Length and Transfer-Encoding, differing lengths, a body on a 204)
raises :class:`ReaderError` naming the rule.

:func:`read_response` and :func:`read_request` take the whole buffer received so far and return a
:class:`Message` and the number of octets it used, or ``None`` when more octets are needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: The largest head (start line and fields) the reader accepts.
MAX_HEAD = 64 * 1024

TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_REQUEST_LINE = re.compile(rf"({TOKEN}) ([\x21-\x7e]+) HTTP/([0-9])\.([0-9])")
_STATUS_LINE = re.compile(r"HTTP/([0-9])\.([0-9]) ([0-9]{3}) ([\t\x20-\x7e\x80-\xff]*)")
_VCHAR = r"[\x21-\x7e\x80-\xff]"
_FIELD_LINE = re.compile(rf"({TOKEN}):[ \t]*((?:{_VCHAR}(?:[ \t{_VCHAR[1:-1]}]*{_VCHAR})?)?)[ \t]*")
_CHUNK_LINE = re.compile(
    rf"([0-9A-Fa-f]+)((?:[ \t]*;[ \t]*{TOKEN}(?:[ \t]*=[ \t]*(?:{TOKEN}|\"(?:[^\"\\]|\\.)*\"))?)*)"
)


class ReaderError(ValueError):
    """The peer sent octets that break an RFC 9112 sender requirement."""


@dataclass(slots=True)
class Message:
    """One parsed request or response.

    Attributes:
        start: the start line's text.
        version: ``(major, minor)``.
        method: request method (requests only).
        target: request target (requests only).
        status: status code (responses only).
        headers: field lines in order, names as sent.
        body: the content after removing the chunked coding.
        framing: ``"length"``, ``"chunked"``, ``"close"`` or ``"none"``.
        trailers: trailer field lines of a chunked body.
        raw: every octet of the message as received.
        interim: status codes of 1xx responses received before this one.
    """

    start: str
    version: tuple[int, int]
    headers: list[tuple[str, str]]
    method: str = ""
    target: str = ""
    status: int = 0
    body: bytes = b""
    framing: str = "none"
    trailers: list[tuple[str, str]] = field(default_factory=list)
    raw: bytes = b""
    interim: list[int] = field(default_factory=list)

    def get_all(self, name: str) -> list[str]:
        """Values of every field line named ``name`` (case-insensitive)."""
        lower = name.lower()
        return [value for key, value in self.headers if key.lower() == lower]

    def get(self, name: str) -> str | None:
        """The values of ``name`` joined with ``", "``, or ``None`` when absent."""
        values = self.get_all(name)
        return ", ".join(values) if values else None

    def tokens(self, name: str) -> list[str]:
        """The comma-separated list elements of ``name``, lower-cased."""
        found: list[str] = []
        for value in self.get_all(name):
            found.extend(item.strip().lower() for item in value.split(",") if item.strip())
        return found


def _split_head(data: bytes, offset: int) -> tuple[list[str], int] | None:
    end = data.find(b"\r\n\r\n", offset)
    if end < 0:
        if len(data) - offset > MAX_HEAD:
            raise ReaderError(f"head longer than {MAX_HEAD} octets")
        lone = data.find(b"\n", offset)
        if lone >= 0 and (lone == offset or data[lone - 1] != 0x0D):
            raise ReaderError("bare LF in the head (RFC 9112 §2.2)")
        return None
    head = data[offset:end]
    if b"\n" in head.replace(b"\r\n", b"") or b"\r" in head.replace(b"\r\n", b""):
        raise ReaderError("bare CR or LF in the head (RFC 9112 §2.2)")
    if b"\x00" in head:
        raise ReaderError("NUL in the head (RFC 9110 §5.5)")
    return head.decode("latin-1").split("\r\n"), end + 4


def _fields(lines: list[str]) -> list[tuple[str, str]]:
    headers = []
    for line in lines:
        if line[:1] in (" ", "\t"):
            raise ReaderError(f"obs-fold or whitespace-led line {line!r} (RFC 9112 §5.2, §2.2)")
        match = _FIELD_LINE.fullmatch(line)
        if match is None:
            raise ReaderError(f"malformed field line {line!r} (RFC 9112 §5)")
        headers.append((match.group(1), match.group(2)))
    return headers


def _content_length(msg: Message) -> int | None:
    values = msg.tokens("content-length")
    if not values:
        return None
    if any(not v.isdigit() for v in values) or len(set(map(int, values))) != 1:
        raise ReaderError(f"invalid Content-Length {msg.get('content-length')!r} (RFC 9112 §6.3)")
    return int(values[0])


def _read_chunked(data: bytes, pos: int, msg: Message) -> int | None:
    body = bytearray()
    while True:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            if len(data) - pos > 4096:
                raise ReaderError("chunk-size line too long")
            return None
        line = data[pos:eol].decode("latin-1")
        match = _CHUNK_LINE.fullmatch(line)
        if match is None:
            raise ReaderError(f"malformed chunk-size line {line!r} (RFC 9112 §7.1)")
        size = int(match.group(1), 16)
        pos = eol + 2
        if size == 0:
            break
        if len(data) < pos + size + 2:
            return None
        body += data[pos : pos + size]
        if data[pos + size : pos + size + 2] != b"\r\n":
            raise ReaderError("chunk data not followed by CRLF (RFC 9112 §7.1)")
        pos += size + 2
    if data[pos : pos + 2] == b"\r\n":
        msg.body = bytes(body)
        return pos + 2
    split = _split_head(data, pos)
    if split is None:
        return None
    lines, end = split
    msg.trailers = _fields(lines)
    msg.body = bytes(body)
    return end


def _read_body(data: bytes, pos: int, msg: Message, eof: bool, bodyless: bool) -> int | None:
    """Read the body that follows a head; returns the end offset or ``None``."""
    te = msg.tokens("transfer-encoding")
    length = _content_length(msg)
    if te and length is not None:
        raise ReaderError("both Transfer-Encoding and Content-Length (RFC 9112 §6.2)")
    if bodyless:
        return pos
    if te:
        if te[-1] != "chunked":
            if msg.method:
                raise ReaderError("request Transfer-Encoding without final chunked (§6.3)")
            msg.framing = "close"
            if not eof:
                return None
            msg.body = data[pos:]
            return len(data)
        if te.count("chunked") > 1:
            raise ReaderError("chunked applied more than once (RFC 9112 §6.1)")
        msg.framing = "chunked"
        return _read_chunked(data, pos, msg)
    if length is not None:
        msg.framing = "length"
        if len(data) - pos < length:
            return None
        msg.body = data[pos : pos + length]
        return pos + length
    if msg.method:
        return pos
    msg.framing = "close"
    if not eof:
        return None
    msg.body = data[pos:]
    return len(data)


def read_request(data: bytes, offset: int = 0) -> tuple[Message, int] | None:
    """Read one request starting at ``offset``.

    Returns:
        The message and the offset after it, or ``None`` if incomplete.

    Raises:
        ReaderError: when the client broke a sender requirement of RFC 9112.
    """
    split = _split_head(data, offset)
    if split is None:
        return None
    lines, pos = split
    match = _REQUEST_LINE.fullmatch(lines[0])
    if match is None:
        raise ReaderError(f"malformed request line {lines[0]!r} (RFC 9112 §3)")
    msg = Message(
        start=lines[0],
        version=(int(match.group(3)), int(match.group(4))),
        headers=_fields(lines[1:]),
        method=match.group(1),
        target=match.group(2),
    )
    _check_request_fields(msg)
    end = _read_body(data, pos, msg, eof=False, bodyless=False)
    if end is None:
        return None
    msg.raw = data[offset:end]
    return msg, end


def _check_request_fields(msg: Message) -> None:
    hosts = msg.get_all("host")
    if msg.version >= (1, 1) and len(hosts) != 1:
        raise ReaderError(f"{len(hosts)} Host field lines in an HTTP/1.1 request (RFC 9112 §3.2)")
    te = msg.tokens("te")
    if any(item.split(";")[0].strip() == "chunked" for item in te):
        raise ReaderError("'chunked' sent in TE (RFC 9112 §7.4)")
    if msg.get_all("te") and "te" not in msg.tokens("connection"):
        raise ReaderError("TE sent without the 'TE' connection option (RFC 9112 §7.4)")


def head_only(data: bytes, offset: int = 0) -> tuple[Message, int] | None:
    """Read just the head of a request (for ``Expect: 100-continue``)."""
    split = _split_head(data, offset)
    if split is None:
        return None
    lines, pos = split
    match = _REQUEST_LINE.fullmatch(lines[0])
    if match is None:
        raise ReaderError(f"malformed request line {lines[0]!r} (RFC 9112 §3)")
    msg = Message(
        start=lines[0],
        version=(int(match.group(3)), int(match.group(4))),
        headers=_fields(lines[1:]),
        method=match.group(1),
        target=match.group(2),
    )
    _check_request_fields(msg)
    msg.raw = data[offset:pos]
    return msg, pos


def read_response(
    data: bytes, offset: int = 0, *, head: bool = False, eof: bool = False
) -> tuple[Message, int] | None:
    """Read one final response (and the 1xx responses before it) starting at ``offset``.

    Args:
        data: every octet received so far.
        offset: where this response starts.
        head: the response answers a HEAD request, so it has no content (RFC 9110 §9.3.2).
        eof: the peer has closed, so a close-delimited body is complete.

    Returns:
        The final response (with ``interim`` listing the 1xx codes before it) and the end offset,
        or ``None`` if incomplete.

    Raises:
        ReaderError: when the server broke a sender requirement.
    """
    interim: list[int] = []
    start = offset
    while True:
        split = _split_head(data, offset)
        if split is None:
            return None
        lines, pos = split
        match = _STATUS_LINE.fullmatch(lines[0])
        if match is None:
            raise ReaderError(f"malformed status line {lines[0]!r} (RFC 9112 §4)")
        status = int(match.group(3))
        msg = Message(
            start=lines[0],
            version=(int(match.group(1)), int(match.group(2))),
            headers=_fields(lines[1:]),
            status=status,
        )
        if status < 200 or status == 204:
            if msg.get_all("transfer-encoding"):
                raise ReaderError(f"Transfer-Encoding in a {status} response (RFC 9112 §6.1)")
            if msg.get_all("content-length"):
                raise ReaderError(f"Content-Length in a {status} response (RFC 9110 §8.6)")
        if 100 <= status < 200 and status != 101:
            interim.append(status)
            offset = pos
            continue
        bodyless = head or status in (101, 204, 304)
        end = _read_body(data, pos, msg, eof=eof, bodyless=bodyless)
        if end is None:
            return None
        msg.raw = data[start:end]
        msg.interim = interim
        return msg, end
