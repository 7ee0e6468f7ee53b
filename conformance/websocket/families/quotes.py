"""The sentence each WebSocket case tests, by case id, and so the case's level.

:func:`quote_for` finds the first rule whose glob matches a case id (both sides share the rules:
``ws-*-6455-5.2-rsv?-*`` matches ``ws-srv-...`` and ``ws-cli-...``). A new family adds its rules
here; a case no rule matches fails the corpus check, so none goes out without its sentence.
"""

from __future__ import annotations

import fnmatch

Quote = tuple[str, str]

_6455 = "6455 §"
_7692 = "7692 §"

#: Short name -> (citation, verbatim sentence).
SENTENCES: dict[str, Quote] = {
    "parse": (
        _6455 + "6.2",
        "Incoming data MUST be parsed as WebSocket frames as defined in Section 5.2.",
    ),
    "server-unmasked": (
        _6455 + "5.1",
        "(Note that masking is done whether or not the WebSocket Protocol is running over TLS.) "
        "The server MUST close the connection upon receiving a frame that is not masked.",
    ),
    "client-masked": (
        _6455 + "5.1",
        "A client MUST close a connection if it detects a masked frame.",
    ),
    "unmask": (
        _6455 + "6.2",
        "A server MUST remove masking for data frames received from a client as described in "
        "Section 5.3.",
    ),
    "fresh-key": (
        _6455 + "5.3",
        "When preparing a masked frame, the client MUST pick a fresh masking key from the set of "
        "allowed 32-bit values.",
    ),
    "client-sends-masked": (
        _6455 + "6.1",
        "If the data is being sent by the client, the frame(s) MUST be masked as defined in "
        "Section 5.3.",
    ),
    "first-opcode": (
        _6455 + "6.1",
        "The opcode (frame-opcode) of the first frame containing the data MUST be set to the "
        "appropriate value from Section 5.2 for data that is to be interpreted by the recipient "
        "as text or binary data.",
    ),
    "note-type": (
        _6455 + "6.2",
        "Upon receiving a data frame (Section 5.6), the endpoint MUST note the /type/ of the data "
        "as defined by the opcode (frame-opcode) from Section 5.2.",
    ),
    "new-message": (
        _6455 + "6.2",
        "Subsequent data frames MUST be interpreted as belonging to a new WebSocket message.",
    ),
    "stop-processing": (
        _6455 + "7.1.7",
        "An endpoint MUST NOT continue to attempt to process data (including a responding Close "
        "frame) from the remote endpoint after being instructed to _Fail the WebSocket "
        "Connection_.",
    ),
    "close-frame-on-failure": (
        _6455 + "7.1.7",
        "If _The WebSocket Connection is Established_ prior to the point where the endpoint is "
        "required to _Fail the WebSocket Connection_, the endpoint SHOULD send a Close frame with "
        "an appropriate status code (Section 7.4) before proceeding to _Close the WebSocket "
        "Connection_.",
    ),
    "server-closes-tcp": (
        _6455 + "5.5.1",
        "The server MUST close the underlying TCP connection immediately; the client SHOULD wait "
        "for the server to close the connection but MAY close the connection at any time after "
        "sending and receiving a Close message, e.g., if it has not received a TCP Close from the "
        "server in a reasonable time period.",
    ),
    "client-no-arbitrary-close": (
        _6455 + "7.3",
        "Clients SHOULD NOT close the WebSocket connection arbitrarily.",
    ),
    "connection-lost": (
        _6455 + "7.2.1",
        "If at any point the underlying transport layer connection is unexpectedly lost, the "
        "client MUST _Fail the WebSocket Connection_.",
    ),
    "control": (
        _6455 + "6.2",
        "If a control frame (Section 5.5) is received, the frame MUST be handled as defined by "
        "Section 5.5.",
    ),
    "validate": (
        _6455 + "10.7",
        "Incoming data MUST always be validated by both clients and servers.",
    ),
    "may-drop": (
        _6455 + "10.7",
        "If, at any time, an endpoint is faced with data that it does not understand or that "
        "violates some criteria by which the endpoint determines safety of input, or when the "
        "endpoint sees an opening handshake that does not correspond to the values it is expecting "
        "(e.g., incorrect path or origin in the client request), the endpoint MAY drop the TCP "
        "connection.",
    ),
    "limit": (
        _6455 + "10.4",
        "Such an implementation SHOULD impose a limit on frame sizes and the total message size "
        "after reassembly from multiple frames.",
    ),
    "rsv": (
        _6455 + "5.2",
        "If a nonzero value is received and none of the negotiated extensions defines the meaning "
        "of such a nonzero value, the receiving endpoint MUST _Fail the WebSocket Connection_.",
    ),
    "opcode": (
        _6455 + "5.2",
        "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket "
        "Connection_.",
    ),
    "msb": (
        _6455 + "5.2",
        "If 127, the following 8 bytes interpreted as a 64-bit unsigned integer (the most "
        "significant bit MUST be 0) are the payload length.",
    ),
    "fragments": (
        _6455 + "5.4",
        "o Clients and servers MUST support receiving both fragmented and unfragmented messages.",
    ),
    "control-amid": (
        _6455 + "5.4",
        "o An endpoint MUST be capable of handling control frames in the middle of a fragmented "
        "message.",
    ),
    "control-size": (
        _6455 + "5.5",
        "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be "
        "fragmented.",
    ),
    "no-data-after-close": (
        _6455 + "5.5.1",
        "The application MUST NOT send any more data frames after sending a Close frame.",
    ),
    "answer-close": (
        _6455 + "5.5.1",
        "If an endpoint receives a Close frame and did not previously send a Close frame, the "
        "endpoint MUST send a Close frame in response.",
    ),
    "pong": (
        _6455 + "5.5.2",
        "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response, unless it "
        "already received a Close frame.",
    ),
    "last-pong": (
        _6455 + "5.5.3",
        "If an endpoint receives a Ping frame and has not yet sent Pong frame(s) in response to "
        "previous Ping frame(s), the endpoint MAY elect to send a Pong frame for only the most "
        "recently processed Ping frame.",
    ),
    "valid-utf8": (
        _6455 + "5.6",
        "Note that a particular text frame might include a partial UTF-8 sequence; however, the "
        "whole message MUST contain valid UTF-8.",
    ),
    "utf8": (
        _6455 + "8.1",
        "When an endpoint is to interpret a byte stream as UTF-8 but finds that the byte stream is "
        "not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the WebSocket Connection_.",
    ),
    "server-handshake": (
        _6455 + "4.2.1",
        "If the server, while reading the handshake, finds that the client did not send a "
        "handshake that matches the description below (note that as per [RFC2616], the order of "
        "the header fields is not important), including but not limited to any violations of the "
        "ABNF grammar specified for the components of the handshake, the server MUST stop "
        "processing the client's handshake and return an HTTP response with an appropriate error "
        "code (such as 400 Bad Request).",
    ),
    "versions": (
        _6455 + "4.4",
        "If the server doesn't support the requested version, it MUST respond with a "
        "|Sec-WebSocket-Version| header field (or multiple |Sec-WebSocket-Version| header fields) "
        "containing all versions it is willing to use.",
    ),
    "no-subprotocol": (
        _6455 + "4.2.2",
        "The absence of such a field is equivalent to the null value (meaning that if the server "
        "does not wish to agree to one of the suggested subprotocols, it MUST NOT send back a "
        "|Sec-WebSocket-Protocol| header field in its response).",
    ),
    "extensions-may": (
        _6455 + "9",
        "WebSocket clients MAY request extensions to this specification, and WebSocket servers "
        "MAY accept some or all extensions requested by the client.",
    ),
    "client-upgrade": (
        _6455 + "4.1",
        "If the response lacks an |Upgrade| header field or the |Upgrade| header field contains a "
        'value that is not an ASCII case-insensitive match for the value "websocket", the client '
        "MUST _Fail the WebSocket Connection_.",
    ),
    "client-connection": (
        _6455 + "4.1",
        "If the response lacks a |Connection| header field or the |Connection| header field "
        "doesn't contain a token that is an ASCII case-insensitive match for the value "
        '"Upgrade", the client MUST _Fail the WebSocket Connection_.',
    ),
    "client-accept": (
        _6455 + "4.1",
        "If the response lacks a |Sec-WebSocket-Accept| header field or the "
        "|Sec-WebSocket-Accept| contains a value other than the base64-encoded SHA-1 of the "
        "concatenation of the |Sec-WebSocket-Key| (as a string, not base64-decoded) with the "
        'string "258EAFA5- E914-47DA-95CA-C5AB0DC85B11" but ignoring any leading and trailing '
        "whitespace, the client MUST _Fail the WebSocket Connection_.",
    ),
    "client-extension": (
        _6455 + "4.1",
        "If the response includes a |Sec-WebSocket-Extensions| header field and this header "
        "field indicates the use of an extension that was not present in the client's handshake "
        "(the server has indicated an extension not requested by the client), the client MUST "
        "_Fail the WebSocket Connection_.",
    ),
    "client-subprotocol": (
        _6455 + "4.1",
        "If the response includes a |Sec-WebSocket-Protocol| header field and this header field "
        "indicates the use of a subprotocol that was not present in the client's handshake (the "
        "server has indicated a subprotocol not requested by the client), the client MUST _Fail "
        "the WebSocket Connection_.",
    ),
    "client-response": (
        _6455 + "4.1",
        "If the server's response does not conform to the requirements for the server's "
        "handshake as defined in this section and in Section 4.2.2, the client MUST _Fail the "
        "WebSocket Connection_.",
    ),
    "pmce-accept": (
        _7692 + "5",
        "The element MUST represent a PMCE that is fully supported by the server.",
    ),
    "pmce-invalid-response": (
        _7692 + "5",
        "If a server gives an invalid response, such as accepting a PMCE that the client did not "
        "offer, the client MUST _Fail the WebSocket Connection_.",
    ),
    "pmce-decline": (
        _7692 + "7",
        "A server MUST decline an extension negotiation offer for this extension if any of the "
        "following conditions are met:",
    ),
    "pmce-client-fail": (
        _7692 + "7",
        "A client MUST _Fail the WebSocket Connection_ if the peer server accepted an extension "
        "negotiation offer for this extension with an extension negotiation response meeting any "
        "of the following conditions:",
    ),
    "inflate": (
        _7692 + "6.2",
        "An endpoint MUST use the following algorithm to receive a message in the form of a "
        "compressed message.",
    ),
    "uncompressed": (
        _7692 + "6.2",
        "An endpoint MUST use the following algorithm to receive a message in the form of an "
        "uncompressed message.",
    ),
    "rsv1-misplaced": (
        _7692 + "6.1",
        "An endpoint receiving such a frame MUST _Fail the WebSocket Connection_.",
    ),
}

#: (id glob, sentence name), first match wins.
RULES: list[tuple[str, str]] = [
    # masking, data, failing, large messages
    ("ws-srv-6455-5.1-wrong-mask-*", "server-unmasked"),
    ("ws-cli-6455-5.1-wrong-mask-*", "client-masked"),
    ("ws-srv-6455-6.2-masking-key-*", "unmask"),
    ("ws-cli-6455-5.3-fresh-masking-keys", "fresh-key"),
    ("ws-cli-6455-6.1-client-masks-its-echo", "client-sends-masked"),
    ("ws-*-6455-6.1-*-type-kept-*", "first-opcode"),
    ("ws-*-6455-6.2-types-interleaved", "note-type"),
    ("ws-*-6455-6.2-new-message-after-final", "new-message"),
    ("ws-*-6455-7.1.7-no-*-after-failure", "stop-processing"),
    ("ws-*-6455-7.1.7-close-frame-on-failure-*", "close-frame-on-failure"),
    ("ws-srv-6455-5.5.1-server-closes-tcp", "server-closes-tcp"),
    ("ws-srv-6455-5.5.1-close-reason-kept", "answer-close"),
    ("ws-cli-6455-7.3-server-initiated-close", "answer-close"),
    ("ws-cli-6455-7.3-client-waits", "client-no-arbitrary-close"),
    ("ws-cli-6455-7.2.1-connection-lost", "connection-lost"),
    ("ws-*-6455-5.4-*-1000-messages-of-*", "parse"),
    ("ws-*-6455-6.2-*-1000-messages-of-*", "parse"),
    ("ws-*-6455-5.4-*-in-*-octet-writes", "parse"),
    ("ws-*-6455-5.4-pings-amid-large-fragments", "control-amid"),
    # framing and limits
    ("ws-*-6455-5.2-rsv?-*", "rsv"),
    ("ws-*-6455-5.2-opcode-*", "opcode"),
    ("ws-*-6455-5.2-length-top-bit", "msb"),
    ("ws-*-6455-5.2-length-2-62", "limit"),
    ("ws-*-6455-5.2-16-bit-length-for-short-payload", "may-drop"),
    ("ws-*-6455-5.2-*", "parse"),
    ("ws-*-6455-10.4-endless-fragments", "limit"),
    ("ws-*-6455-10.4-message-5mib", "parse"),
    ("ws-*-6455-5.4-message-1mib-fragments", "fragments"),
    # control frames
    ("ws-*-6455-5.5-*", "control-size"),
    ("ws-*-6455-5.5.2-pong-unsolicited*", "control"),
    ("ws-*-6455-5.5.2-ten-pings", "last-pong"),
    ("ws-*-6455-5.5.2-*", "pong"),
    # fragmentation
    ("ws-*-6455-5.4-*-ping-between*", "control-amid"),
    ("ws-*-6455-5.4-*-pings-between-each", "control-amid"),
    ("ws-*-6455-5.4-*-pong-between", "control-amid"),
    ("ws-*-6455-5.4-*-close-inside", "answer-close"),
    ("ws-*-6455-5.4-*-new-message-inside", "validate"),
    ("ws-*-6455-5.4-*-other-type-inside", "validate"),
    ("ws-*-6455-5.4-*continuation-*", "validate"),
    ("ws-*-6455-5.4-*", "fragments"),
    # UTF-8
    ("ws-*-6455-8.1-valid-*", "valid-utf8"),
    ("ws-*-6455-8.1-fail-fast-*", "may-drop"),
    ("ws-*-6455-8.1-*", "utf8"),
    # closing
    ("ws-*-6455-7.4.1-invalid-code-*", "validate"),
    ("ws-*-6455-5.5.1-one-octet", "validate"),
    ("ws-*-6455-5.5.1-reason-invalid-utf8", "utf8"),
    ("ws-*-6455-5.5.1-text-after-close", "no-data-after-close"),
    ("ws-*-6455-5.5.1-ping-after-close", "pong"),
    ("ws-*-6455-7.4.1-code-*", "answer-close"),
    ("ws-*-6455-5.5.1-*", "answer-close"),
    ("ws-*-6455-7.1.2-*", "answer-close"),
    # opening handshake
    ("ws-srv-6455-4.4-version-*", "versions"),
    ("ws-srv-6455-4.2.2-unknown-subprotocol", "no-subprotocol"),
    ("ws-srv-6455-9.1-unknown-extension", "extensions-may"),
    ("ws-srv-6455-4.2.1-*", "server-handshake"),
    ("ws-cli-6455-4.1-no-upgrade", "client-upgrade"),
    ("ws-cli-6455-4.1-upgrade-*", "client-upgrade"),
    ("ws-cli-6455-4.1-no-connection", "client-connection"),
    ("ws-cli-6455-4.1-*accept", "client-accept"),
    ("ws-cli-6455-4.1-extension-not-offered", "client-extension"),
    ("ws-cli-6455-4.1-subprotocol-not-offered", "client-subprotocol"),
    ("ws-cli-6455-4.1-*", "client-response"),
    # permessage-deflate
    ("ws-srv-7692-7.1-offer-*", "pmce-accept"),
    ("ws-srv-7692-7.1-decline-*", "pmce-decline"),
    ("ws-cli-7692-7.1-reject-two-answers", "pmce-invalid-response"),
    ("ws-cli-7692-7.1-reject-*", "pmce-client-fail"),
    ("ws-*-7692-6-uncompressed-on-deflate", "uncompressed"),
    ("ws-*-7692-6.1-rsv1-*", "rsv1-misplaced"),
    ("ws-*-7692-7.2.2-bad-deflate-data", "validate"),
    ("ws-*-7692-6-compressed-invalid-utf8", "utf8"),
    ("ws-*-7692-7.2*-echo-*", "inflate"),
]


def quote_for(case_id: str) -> Quote | None:
    """The (citation, sentence) a case tests, or ``None`` when no rule names it."""
    for pattern, name in RULES:
        if fnmatch.fnmatchcase(case_id, pattern):
            return SENTENCES[name]
    return None
