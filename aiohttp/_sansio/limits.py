"""Size limits of the HTTP/1.1 core: every bound a peer could push against, with a name.

Each default sits beside the values other servers use, so a change can be argued from precedent.
A parser never buffers more than these limits allow: past a limit it raises the error named in
the table instead of waiting for more bytes.

=========================== ======= ====== ========================================================
limit                       default answer precedents
=========================== ======= ====== ========================================================
``max_request_line``        8190    414    Apache ``LimitRequestLine`` 8190; aiohttp 3.x 8190;
                                           nginx ``large_client_header_buffers`` 8 KiB
``max_status_line``         8190    --     aiohttp 3.x ``max_line_size`` 8190
``max_field_size``          8190    431    Apache ``LimitRequestFieldSize`` 8190; aiohttp 3.x 8190
``max_fields``              128     431    Apache ``LimitRequestFields`` 100; Go 1 MiB total only;
                                           h11 none (16 KiB head)
``max_head_size``           65536   431    Node.js 16 KiB; h11 16 KiB; Go ``MaxHeaderBytes`` 1 MiB;
                                           nginx 4 x 8 KiB
``max_chunk_line``          4096    400    Node.js (llhttp) none per line; h11 none
``max_chunk_extensions``    16384   400    Node.js 16 KiB of extensions per message (CVE-2024-22019)
``max_chunk_size``          4 GiB   413    nginx ``client_max_body_size`` (1 MiB) bounds each chunk
                                           size; Apache ``LimitRequestBody`` 1 GiB; Node.js, h11:
                                           only the 64-bit overflow check
``max_trailer_size``        16384   400    Go: counted in ``MaxHeaderBytes``; Node.js 16 KiB
=========================== ======= ====== ========================================================
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_CHUNK_EXTENSIONS",
    "MAX_CHUNK_LINE",
    "MAX_CHUNK_SIZE",
    "MAX_FIELDS",
    "MAX_FIELD_SIZE",
    "MAX_HEAD_SIZE",
    "MAX_REQUEST_LINE",
    "MAX_STATUS_LINE",
    "MAX_TRAILER_SIZE",
    "HttpLimits",
]

MAX_REQUEST_LINE = 8190
"""Bytes in the request line without its CRLF (414 URI Too Long past it)."""
MAX_STATUS_LINE = 8190
"""Bytes in the status line without its CRLF (``LineTooLong`` past it)."""
MAX_FIELD_SIZE = 8190
"""Bytes in one field line, name to value, without its CRLF (431 past it)."""
MAX_FIELDS = 128
"""Field lines in one header or trailer section (431 past it)."""
MAX_HEAD_SIZE = 65536
"""Bytes in the whole head, from the start line to the empty line (431 past it)."""
MAX_CHUNK_LINE = 4096
"""Bytes in one chunk-size line with its extensions, without its CRLF (400 past it)."""
MAX_CHUNK_EXTENSIONS = 16384
"""Bytes of chunk extensions summed over one message (400 past it)."""
MAX_CHUNK_SIZE = 2**32
"""Octets in one chunk, as its chunk-size announces (413 past it): a larger size is refused
from its size line, before any of the chunk is read."""
MAX_TRAILER_SIZE = 16384
"""Bytes in the trailer section of a chunked message (400 past it)."""


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """The size limits one parser enforces. Frozen: build a new one to change a value.

    Attributes:
        max_request_line: Bytes in the request line (414 past it).
        max_status_line: Bytes in the status line.
        max_field_size: Bytes in one field line (431 past it).
        max_fields: Field lines in a header or trailer section (431 past it).
        max_head_size: Bytes in the whole head (431 past it).
        max_chunk_line: Bytes in a chunk-size line including extensions (400 past it).
        max_chunk_extensions: Chunk-extension bytes in one message (400 past it).
        max_chunk_size: Octets one chunk may announce (413 past it).
        max_trailer_size: Bytes in a trailer section (400 past it).
    """

    max_request_line: int = MAX_REQUEST_LINE
    max_status_line: int = MAX_STATUS_LINE
    max_field_size: int = MAX_FIELD_SIZE
    max_fields: int = MAX_FIELDS
    max_head_size: int = MAX_HEAD_SIZE
    max_chunk_line: int = MAX_CHUNK_LINE
    max_chunk_extensions: int = MAX_CHUNK_EXTENSIONS
    max_chunk_size: int = MAX_CHUNK_SIZE
    max_trailer_size: int = MAX_TRAILER_SIZE


DEFAULT_LIMITS = HttpLimits()
"""The limits a parser uses when given none."""
