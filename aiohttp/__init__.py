"""HTTP/1.1 and WebSocket client and server for asyncio, in pure Python."""

# Content handling: payloads, multipart bodies, forms, cookie jars.
from ._io.formdata import FormData
from ._io.multipart import (
    BadContentDispositionHeader,
    BadContentDispositionParam,
    BodyPartReader,
    MultipartReader,
    MultipartWriter,
)
from ._io.payload import (
    PAYLOAD_REGISTRY,
    AsyncIterablePayload,
    BufferedReaderPayload,
    BytesIOPayload,
    BytesPayload,
    IOBasePayload,
    JsonPayload,
    Payload,
    StringIOPayload,
    StringPayload,
    TextIOPayload,
    get_payload,
    payload_type,
)
from ._sansio.mime import (
    content_disposition_filename,
    content_disposition_header,
    parse_content_disposition,
)
from .client.cookiejar import CookieJar, DummyCookieJar

__version__ = "4.0.0a0"

__all__: list[str] = ["__version__"]
__all__ += [  # content handling
    "PAYLOAD_REGISTRY",
    "AsyncIterablePayload",
    "BadContentDispositionHeader",
    "BadContentDispositionParam",
    "BodyPartReader",
    "BufferedReaderPayload",
    "BytesIOPayload",
    "BytesPayload",
    "CookieJar",
    "DummyCookieJar",
    "FormData",
    "IOBasePayload",
    "JsonPayload",
    "MultipartReader",
    "MultipartWriter",
    "Payload",
    "StringIOPayload",
    "StringPayload",
    "TextIOPayload",
    "content_disposition_filename",
    "content_disposition_header",
    "get_payload",
    "parse_content_disposition",
    "payload_type",
]
