"""aiohttp 3.x import path for payloads (see :mod:`aiohttp._io.payload`)."""

from ._io.payload import (
    _CLOSE_FUTURES,  # noqa: F401 - 3.x test suites await it at teardown
    PAYLOAD_REGISTRY,
    AsyncIterablePayload,
    BufferedReaderPayload,
    BytesIOPayload,
    BytesPayload,
    IOBasePayload,
    LookupError,
    Order,
    Payload,
    PayloadRegistry,
    StreamReaderPayload,
    StringIOPayload,
    StringPayload,
    TextIOPayload,
    get_payload,
    payload_type,
    register_payload,
)
from ._io.payload_json import JsonBytesPayload, JsonPayload

__all__ = [
    "PAYLOAD_REGISTRY",
    "AsyncIterablePayload",
    "BufferedReaderPayload",
    "BytesIOPayload",
    "BytesPayload",
    "IOBasePayload",
    "JsonBytesPayload",
    "JsonPayload",
    "LookupError",
    "Order",
    "Payload",
    "PayloadRegistry",
    "StreamReaderPayload",
    "StringIOPayload",
    "StringPayload",
    "TextIOPayload",
    "get_payload",
    "payload_type",
    "register_payload",
]
