"""permessage-deflate (RFC 7692): negotiation of its parameters and the per-message codec.

Negotiation (§5, §7.1): the client offers, the server picks the first offer it can honour and
answers with the parameters in force; an offer with an unknown, repeated or malformed parameter
is declined (§7.1: "MUST decline"), and a client fails the connection when the answer is not one
it can accept (§7.1.2.2). A window of 8 bits cannot be produced by zlib's raw deflate, so an
endpoint limited to 8 bits honours the limit by sending its messages uncompressed (§6: the RSV1
bit is set per message, so an endpoint may always send a message uncompressed).

The codec (§7.2) compresses a message, or each fragment of one, with a sync flush and strips the
``00 00 ff ff`` tail of the last block; decompression appends it back. Decompression is capped,
so a small frame can never inflate past the message size limit (a "compression bomb").
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from typing import cast

from ..zlib_backend import ZLibBackend
from .errors import HandshakeError, MessageTooBigError, WebSocketProtocolError

__all__ = [
    "DeflateParams",
    "PerMessageDeflate",
    "client_offer",
    "negotiate_server",
    "parse_extensions",
    "validate_client",
    "ws_ext_gen",
    "ws_ext_parse",
]

#: The end of a sync-flushed deflate block, stripped from each compressed message (§7.2.1).
DEFLATE_TRAILING = _TAIL = b"\x00\x00\xff\xff"
NAME = "permessage-deflate"
#: The zlib level messages are compressed at. Level 4 is the fastest with lazy matching: on
#: 16 KiB of JSON it costs less than half the CPU of zlib's default (6) for output 20% larger,
#: and long runs still shrink a thousandfold (10 MiB of zeros to 10 KB). aiohttp 3.x uses 1,
#: which is faster again but shrinks such runs only 230-fold.
COMPRESS_LEVEL = 4

# RFC 6455 §9.1: extension = extension-token *( ";" extension-param )
#                extension-param = token [ "=" (token | quoted-string) ]
# The OWS after the name is possessive: what follows it ("=" or the end) is never SP or HTAB,
# and sharing a run with the OWS at the end cost quadratic time on a parameter that fails.
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_PARAM_RE = re.compile(
    rf'[ \t]*({_TOKEN})[ \t]*+(?:=[ \t]*(?:({_TOKEN})|"({_TOKEN})"))?[ \t]*', re.ASCII
)
_WINDOW_BITS = re.compile(r"(?:8|9|1[0-5])")  # RFC 7692 §7.1.2.1: 1*DIGIT in 8..15, no zeros


@dataclasses.dataclass(frozen=True, slots=True)
class DeflateParams:
    """The permessage-deflate parameters in force on a connection (RFC 7692 §7.1).

    Attributes:
        server_no_context_takeover: the server resets its compressor after each message.
        client_no_context_takeover: the client resets its compressor after each message.
        server_max_window_bits: the largest LZ77 window the server compresses with.
        client_max_window_bits: the largest LZ77 window the client compresses with.
    """

    server_no_context_takeover: bool = False
    client_no_context_takeover: bool = False
    server_max_window_bits: int = 15
    client_max_window_bits: int = 15

    def header_value(self) -> str:
        """The ``Sec-WebSocket-Extensions`` value a server answers with (§7.1)."""
        parts = [NAME]
        if self.server_no_context_takeover:
            parts.append("server_no_context_takeover")
        if self.client_no_context_takeover:
            parts.append("client_no_context_takeover")
        if self.server_max_window_bits < 15:
            parts.append(f"server_max_window_bits={self.server_max_window_bits}")
        if self.client_max_window_bits < 15:
            parts.append(f"client_max_window_bits={self.client_max_window_bits}")
        return "; ".join(parts)


Extension = tuple[str, list[tuple[str, str | None]]]


def parse_extensions(values: list[str]) -> list[Extension]:
    """Parse ``Sec-WebSocket-Extensions`` field values into (name, [(param, value)]) pairs.

    Raises:
        ValueError: the syntax of RFC 6455 §9.1 is not followed.
    """
    result: list[Extension] = []
    for value in values:
        for item in value.split(","):
            if not item.strip(" \t"):
                continue
            pieces = item.split(";")
            name = pieces[0].strip(" \t")
            if not re.fullmatch(_TOKEN, name):
                raise ValueError(f"bad extension name {name!r}")
            params: list[tuple[str, str | None]] = []
            for piece in pieces[1:]:
                m = _PARAM_RE.fullmatch(piece)
                if m is None:
                    raise ValueError(f"bad extension parameter {piece!r}")
                params.append((m.group(1).lower(), m.group(2) or m.group(3)))
            result.append((name.lower(), params))
    return result


def _read_params(
    params: list[tuple[str, str | None]], *, answer: bool
) -> dict[str, str | None] | None:
    """Check one offer's (or answer's) parameters; ``None`` when they must be declined."""
    seen: dict[str, str | None] = {}
    for key, value in params:
        if key in seen:
            return None  # §7.1: a parameter appears at most once
        if key in ("server_no_context_takeover", "client_no_context_takeover"):
            if value is not None:
                return None
        elif key == "server_max_window_bits" or (key == "client_max_window_bits" and answer):
            if value is None or not _WINDOW_BITS.fullmatch(value):
                return None
        elif key == "client_max_window_bits":
            if value is not None and not _WINDOW_BITS.fullmatch(value):
                return None
        else:
            return None
        seen[key] = value
    return seen


def negotiate_server(
    values: list[str], *, server_no_context_takeover: bool = False
) -> DeflateParams | None:
    """Pick the first permessage-deflate offer we can honour (RFC 7692 §5.1, §7.1).

    Args:
        values: the request's ``Sec-WebSocket-Extensions`` field values.
        server_no_context_takeover: reset our compressor after each message even if not asked.

    Returns:
        The accepted parameters, or ``None`` when no offer was acceptable (or none was made).
    """
    try:
        offers = parse_extensions(values)
    except ValueError:
        return None
    for name, raw in offers:
        if name != NAME:
            continue
        params = _read_params(raw, answer=False)
        if params is None:
            continue
        smwb = params.get("server_max_window_bits")
        return DeflateParams(
            server_no_context_takeover=server_no_context_takeover
            or "server_no_context_takeover" in params,
            client_no_context_takeover="client_no_context_takeover" in params,
            server_max_window_bits=int(smwb) if smwb else 15,
        )
    return None


def _check_wbits(wbits: int) -> None:
    """Window bits zlib can deflate with: 9 to 15 (RFC 7692 §7.1.2.1 allows 8, zlib not)."""
    if not 9 <= wbits <= 15:
        raise ValueError(
            f"Compress wbits must between 9 and 15, zlib does not support wbits={wbits}"
        )


def client_offer(wbits: int = 15) -> str:
    """The ``Sec-WebSocket-Extensions`` value a client sends (aiohttp's ``compress=`` value).

    Args:
        wbits: the server window to ask for (9-15); 15 asks for nothing special.

    Raises:
        ValueError: ``wbits`` is not between 9 and 15.
    """
    _check_wbits(wbits)
    if wbits < 15:
        return f"{NAME}; client_max_window_bits; server_max_window_bits={wbits}"
    return f"{NAME}; client_max_window_bits"


def validate_client(values: list[str], wbits: int) -> DeflateParams | None:
    """Check the server's answer to :func:`client_offer` (RFC 7692 §7.1).

    Args:
        values: the response's ``Sec-WebSocket-Extensions`` field values.
        wbits: the window offered, 0 when nothing was offered.

    Returns:
        The parameters in force, or ``None`` when the server declined compression.

    Raises:
        HandshakeError: the answer names an extension we did not offer or parameters we cannot
            accept (§7.1.2.2: the client fails the connection).
    """
    try:
        answers = parse_extensions(values)
    except ValueError as exc:
        raise HandshakeError(0, "malformed Sec-WebSocket-Extensions") from exc
    if not answers:
        return None
    if not wbits or len(answers) > 1 or answers[0][0] != NAME:
        raise HandshakeError(0, "server accepted an extension that was not offered")
    params = _read_params(answers[0][1], answer=True)
    if params is None:
        raise HandshakeError(0, "server answered permessage-deflate with bad parameters")
    smwb = int(params.get("server_max_window_bits") or 15)
    if smwb > wbits:
        raise HandshakeError(0, "server_max_window_bits larger than offered")
    return DeflateParams(
        server_no_context_takeover="server_no_context_takeover" in params,
        client_no_context_takeover="client_no_context_takeover" in params,
        server_max_window_bits=smwb,
        client_max_window_bits=int(params.get("client_max_window_bits") or 15),
    )


def ws_ext_parse(extstr: str | None, isserver: bool = False) -> tuple[int, bool]:
    """aiohttp 3.x's reading of a ``Sec-WebSocket-Extensions`` value, as ``(wbits, notakeover)``.

    On a server (``isserver``) it reads a client's offers as :func:`negotiate_server` does and
    gives the window and context takeover our side will compress with, ``(0, False)`` when no
    offer is acceptable (an offer limited to 8 bits is accepted and honoured by sending
    uncompressed messages, where 3.x declines it). On a client it reads the server's answer as
    :func:`validate_client` does (to an offer of any window) and gives the client's window and
    takeover, ``(0, False)`` when the server declined compression.

    Raises:
        WSHandshakeError: (client) the answer is malformed or not one a client may accept;
            unlike aiohttp 3.x, an extension that was not offered is refused too (RFC 6455
            §9.1: the client must fail the connection).
    """
    values = [extstr] if extstr else []
    if isserver:
        params = negotiate_server(values)
        if params is None:
            return 0, False
        return params.server_max_window_bits, params.server_no_context_takeover
    answer = validate_client(values, 15)
    if answer is None:
        return 0, False
    return answer.client_max_window_bits, answer.client_no_context_takeover


def ws_ext_gen(compress: int = 15, isserver: bool = False, server_notakeover: bool = False) -> str:
    """aiohttp 3.x's ``Sec-WebSocket-Extensions`` value: a server's answer, or a client's offer.

    Args:
        compress: the window bits (9 to 15).
        isserver: give a server's answer (:meth:`DeflateParams.header_value`) rather than a
            client's offer (:func:`client_offer`).
        server_notakeover: ask for (client) or announce (server) ``server_no_context_takeover``.

    Raises:
        ValueError: ``compress`` is not between 9 and 15.
    """
    _check_wbits(compress)
    if isserver:
        return DeflateParams(
            server_no_context_takeover=server_notakeover, server_max_window_bits=compress
        ).header_value()
    offer = client_offer(compress)
    return f"{offer}; server_no_context_takeover" if server_notakeover else offer


class PerMessageDeflate:
    """Compress outgoing and inflate incoming messages for one endpoint (RFC 7692 §7.2).

    Args:
        params: the negotiated parameters.
        is_client: which side of them we are.
    """

    __slots__ = ("_compressor", "_decompressor", "_our_reset", "_peer_reset", "_wbits")

    def __init__(self, params: DeflateParams, *, is_client: bool) -> None:
        if is_client:
            wbits = params.client_max_window_bits
            self._our_reset = params.client_no_context_takeover
            self._peer_reset = params.server_no_context_takeover
        else:
            wbits = params.server_max_window_bits
            self._our_reset = params.server_no_context_takeover
            self._peer_reset = params.client_no_context_takeover
        self._wbits = wbits
        self._compressor: zlib._Compress | None = None
        self._decompressor: zlib._Decompress | None = None

    @property
    def can_compress(self) -> bool:
        """Whether we may compress (an 8-bit window is honoured by not compressing)."""
        return self._wbits > 8

    def compress(self, data: bytes, *, fin: bool = True) -> bytes:
        """Compress a message, or one fragment of it (``fin`` on the last)."""
        comp = self._compressor
        if comp is None:
            comp = self._compressor = cast(
                "zlib._Compress",
                ZLibBackend.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -self._wbits),
            )
        out = comp.compress(data) + comp.flush(zlib.Z_SYNC_FLUSH)
        if not fin:
            return out
        if self._our_reset:
            self._compressor = None
        return out[:-4]

    def decompress(self, data: bytes, *, fin: bool, limit: int | None) -> bytes:
        """Inflate one compressed frame's payload (``fin`` on the message's last frame).

        Args:
            data: the payload.
            fin: whether this frame ends the message.
            limit: the most bytes it may inflate to, ``None`` for no limit.

        Raises:
            MessageTooBigError: the output would pass ``limit`` (1009).
            WebSocketProtocolError: the data is not a valid deflate stream (1007).
        """
        dec = self._decompressor
        if dec is None:
            dec = self._decompressor = cast("zlib._Decompress", ZLibBackend.decompressobj(-15))
        if fin:
            data += _TAIL
        try:
            out = dec.decompress(data, 0 if limit is None else limit + 1)
        except ZLibBackend.errors as exc:
            raise WebSocketProtocolError("invalid compressed data (RFC 7692 §7.2.2)", 1007) from exc
        if limit is not None and len(out) > limit:
            raise MessageTooBigError("decompressed message over the limit")
        if fin and self._peer_reset:
            self._decompressor = None
        return out
