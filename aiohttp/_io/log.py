"""The package's loggers, by the names aiohttp 3.x logs under (``aiohttp.log`` re-exports them).

Configure them with :mod:`logging` as usual, e.g.
``logging.getLogger("aiohttp.access").setLevel(logging.INFO)``.
"""

from __future__ import annotations

import logging

__all__ = [
    "access_logger",
    "client_logger",
    "internal_logger",
    "server_logger",
    "web_logger",
    "ws_logger",
]

#: One line per request served (:class:`aiohttp.web.AccessLogger`).
access_logger = logging.getLogger("aiohttp.access")
#: The client's messages.
client_logger = logging.getLogger("aiohttp.client")
#: Errors in user callbacks the library calls (an ``on_eof`` callback that raised ...).
internal_logger = logging.getLogger("aiohttp.internal")
#: The server protocol's messages (errors answered with 500, lost connections ...).
server_logger = logging.getLogger("aiohttp.server")
#: Application-level messages (startup, shutdown, the handler of an unhandled error).
web_logger = logging.getLogger("aiohttp.web")
#: WebSocket messages.
ws_logger = logging.getLogger("aiohttp.websocket")
