"""Where a message body ends (RFC 9112 §6.3), and whether the connection persists (§9.3).

The parsers call :func:`request_framing` and :func:`response_framing` once per head; the
server and the client call :func:`response_has_body` to decide whether to send or expect a body.
"""

from __future__ import annotations

import enum

from multidict import CIMultiDictProxy

from .. import abnf
from ..abnf import lower_token
from ..errors import ContentLengthError, TransferEncodingError
from ..hdrs import CONNECTION, CONTENT_ENCODING, CONTENT_LENGTH, TRANSFER_ENCODING, UPGRADE
from .events import HttpVersion, HttpVersion11

__all__ = [
    "Framing",
    "asks_to_switch",
    "connection_options",
    "content_coding",
    "keep_alive",
    "list_options",
    "request_framing",
    "response_framing",
    "response_has_body",
]

_MAX_CONTENT_LENGTH = 2**63 - 1
_MAX_TEXT = str(_MAX_CONTENT_LENGTH)
_MAX_DIGITS = len(_MAX_TEXT)
_DIGITS = abnf.CONTENT_LENGTH.fullmatch


class Framing(enum.Enum):
    """How the body of one message is delimited (RFC 9112 §6.3)."""

    NONE = "none"
    """There is no body; the message ends with its head."""
    LENGTH = "length"
    """``Content-Length`` octets follow the head."""
    CHUNKED = "chunked"
    """The chunked transfer coding (RFC 9112 §7.1)."""
    UNTIL_CLOSE = "until-close"
    """A response body that ends when the server closes the connection."""
    TUNNEL = "tunnel"
    """There is no body; the connection switches protocols after the head (101, CONNECT 2xx)."""


def _elements(values: list[str]) -> list[str]:
    """The lower-cased elements of a comma-separated list; empty elements are dropped.

    RFC 9110 §5.6.1: a recipient accepts and ignores empty list elements.
    """
    items = (item.strip(" \t") for item in lower_token(",".join(values)).split(","))
    return [item for item in items if item]


def connection_options(headers: CIMultiDictProxy[str]) -> list[str]:
    """The lower-cased connection options named by ``Connection`` (RFC 9110 §7.6.1)."""
    values = headers.getall(CONNECTION, None)
    return [] if values is None else list_options(values)


def list_options(values: list[str]) -> list[str]:
    """The lower-cased options of the ``Connection`` field lines ``values`` (RFC 9110 §7.6.1)."""
    if len(values) == 1 and "," not in values[0]:
        option = lower_token(values[0].strip(" \t"))
        return [option] if option else []
    return _elements(values)


def keep_alive(version: HttpVersion, options: list[str]) -> bool:
    """Whether a connection persists after a message (RFC 9112 §9.3).

    ``close`` always ends it; HTTP/1.1 persists by default; HTTP/1.0 persists only with the
    ``keep-alive`` option (RFC 9112 Appendix C.2.2).
    """
    if "close" in options:
        return False
    return version >= HttpVersion11 or "keep-alive" in options


def asks_to_switch(
    method: str, version: HttpVersion, options: list[str], headers: CIMultiDictProxy[str]
) -> bool:
    """Whether a request asks to switch protocols.

    CONNECT asks for a tunnel (RFC 9110 §9.3.6); otherwise an HTTP/1.1 request asks when it
    sends ``Upgrade`` and names it in ``Connection`` (§7.8). The Upgrade of an HTTP/1.0 request
    is ignored (§7.8: "MUST ignore that Upgrade field").

    Args:
        method: The request method.
        version: The request's HTTP-version.
        options: The lower-cased ``Connection`` options (:func:`list_options`).
        headers: The request's header section.
    """
    if method == "CONNECT":
        return True
    return "upgrade" in options and version >= HttpVersion11 and UPGRADE in headers


def _content_length(values: list[str]) -> int:
    """The single valid value of one or more Content-Length field lines (RFC 9110 §8.6).

    A list of identical values stands for that value; anything else is invalid, also the same
    number spelled differently (``31`` and ``031``): a recipient that read one of them another
    way would frame the message differently.
    """
    if len(values) == 1 and _DIGITS(values[0]) is not None:  # the usual single 1*DIGIT
        text = values[0]
    else:
        found: set[str] = set()
        for raw in ",".join(values).split(","):
            item = raw.strip(" \t")
            if _DIGITS(item) is None:
                raise ContentLengthError(f"Invalid Content-Length: {item[:32]!r}")
            found.add(item)
        if len(found) != 1:
            raise ContentLengthError("Conflicting Content-Length values")
        text = found.pop()
    # Leading zeros do not count; more than 19 digits is past 2**63 - 1 (and a string of more
    # than 4,300 digits is refused by int() itself).
    digits = text.lstrip("0")
    if len(digits) > _MAX_DIGITS or (len(digits) == _MAX_DIGITS and digits > _MAX_TEXT):
        raise ContentLengthError("Content-Length is too large")
    return int(digits) if digits else 0


def _codings(values: list[str], version: HttpVersion) -> list[str]:
    """The lower-cased transfer codings named by ``Transfer-Encoding``, checked (RFC 9112 §6.1).

    Raises:
        TransferEncodingError: The message is HTTP/1.0, a coding is not a token, no coding is
            named, or ``chunked`` is named more than once.
    """
    # RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
    if version < HttpVersion11:
        raise TransferEncodingError("Transfer-Encoding in an HTTP/1.0 message")
    codings = _elements(values)
    for coding in codings:
        if abnf.TOKEN.fullmatch(coding) is None:
            raise TransferEncodingError(f"Invalid Transfer-Encoding: {coding[:32]!r}")
    if not codings:
        raise TransferEncodingError("Transfer-Encoding names no coding")
    # RFC 9112 §6.1: a sender MUST NOT apply chunked more than once.
    if codings.count("chunked") > 1:
        raise TransferEncodingError("Transfer-Encoding names chunked more than once")
    return codings


def _chunked(codings: list[str], *, request: bool) -> None:
    """Check that ``codings`` is exactly ``chunked``, the only transfer coding implemented."""
    # RFC 9112 §6.3 (4): a request whose final coding is not chunked cannot be framed: 400.
    if codings[-1] != "chunked":
        raise TransferEncodingError("Transfer-Encoding does not end with chunked")
    if len(codings) > 1:
        # RFC 9112 §6.1: a coding the server does not implement deserves 501.
        raise TransferEncodingError(
            f"Unsupported transfer coding: {codings[0][:32]!r}", code=501 if request else None
        )


def request_framing(version: HttpVersion, headers: CIMultiDictProxy[str]) -> tuple[bool, int]:
    """Body framing of a request: ``(chunked, content_length)``, following RFC 9112 §6.3.

    Raises:
        TransferEncodingError: Transfer-Encoding is invalid, unsupported or not chunked.
        ContentLengthError: Content-Length is invalid, or sent with Transfer-Encoding.
    """
    te = headers.getall(TRANSFER_ENCODING, None)
    cl = headers.getall(CONTENT_LENGTH, None)
    # §6.3 (1)-(2) concern responses only.
    # §6.3 (3): Transfer-Encoding and Content-Length together may be a smuggling attempt; a
    # server MAY reject it, and we always do.
    if te is not None:
        if cl is not None:
            raise ContentLengthError("Content-Length with Transfer-Encoding")
        # §6.3 (4): a request whose final coding is not chunked cannot be framed: 400.
        _chunked(_codings(te, version), request=True)
        return True, 0
    # §6.3 (5): an invalid Content-Length is unrecoverable; (6) a valid one gives the length.
    if cl is not None:
        return False, _content_length(cl)
    # §6.3 (7): a request with neither has no body.
    return False, 0


def response_has_body(method: str, status: int) -> bool:
    """Whether a response to ``method`` with ``status`` carries a body (RFC 9112 §6.3 (1)-(2)).

    No body for a response to HEAD, for 1xx, 204 and 304, and for a 2xx answer to CONNECT.
    """
    if method == "HEAD" or 100 <= status < 200 or status in (204, 304):
        return False
    return not (method == "CONNECT" and status < 300)


def response_framing(
    method: str,
    status: int,
    version: HttpVersion,
    headers: CIMultiDictProxy[str],
    *,
    lenient: bool = False,
) -> tuple[Framing, int | None]:
    """Body framing of a response: ``(framing, content_length)``, following RFC 9112 §6.3.

    Args:
        method: The method of the request this response answers.
        status: The response's status code.
        version: The response's HTTP-version.
        headers: The response's header section.
        lenient: Let Transfer-Encoding override Content-Length instead of rejecting the pair.

    Raises:
        TransferEncodingError: Transfer-Encoding is invalid or names an unsupported coding.
        ContentLengthError: Content-Length is invalid or conflicts with Transfer-Encoding.
    """
    # §6.3 (2): a 2xx answer to CONNECT turns the connection into a tunnel, and 101 switches
    # protocols (RFC 9110 §15.2.2); neither has a body.
    if status == 101 or (method == "CONNECT" and 200 <= status < 300):
        return Framing.TUNNEL, 0
    # §6.3 (1): HEAD responses, 1xx, 204 and 304 end with the header section.
    if not response_has_body(method, status):
        return Framing.NONE, 0
    te = headers.getall(TRANSFER_ENCODING, None)
    cl = headers.getall(CONTENT_LENGTH, None)
    if te is not None:
        # §6.3 (3): with both fields, Transfer-Encoding overrides Content-Length, and the
        # message "ought to be handled as an error": only the lenient option recovers.
        if cl is not None and not lenient:
            raise ContentLengthError("Content-Length with Transfer-Encoding")
        # §6.3 (4): chunked final gives a chunked body; any other final coding means the
        # body runs until the server closes the connection. Codings other than chunked are
        # not removed: the body is delivered as it was sent, with its Transfer-Encoding.
        codings = _codings(te, version)
        if codings[-1] != "chunked":
            return Framing.UNTIL_CLOSE, None
        _chunked(codings, request=False)
        return Framing.CHUNKED, None
    # §6.3 (5)-(6): Content-Length gives the length, or the message is unrecoverable.
    if cl is not None:
        return Framing.LENGTH, _content_length(cl)
    # §6.3 (8): otherwise the body runs until the server closes the connection.
    return Framing.UNTIL_CLOSE, None


def content_coding(headers: CIMultiDictProxy[str]) -> str | None:
    """The last content coding named by ``Content-Encoding`` (RFC 9110 §8.4), lower-cased.

    ``None`` when the field is absent or names only ``identity``.
    """
    values = headers.getall(CONTENT_ENCODING, None)
    if values is None:
        return None
    codings = _elements(values)
    if not codings or codings[-1] == "identity":
        return None
    return codings[-1]
