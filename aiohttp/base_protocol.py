"""aiohttp 3.x import path for the protocol base (see :mod:`aiohttp._io.protocol`).

``ClientConnectionResetError``, ``PAUSE_RESUME_READING_ERRORS``, ``set_exception`` and
``tcp_nodelay`` are importable from here as in 3.x, whose module uses them.
"""

from ._io.connect import tcp_nodelay  # noqa: F401
from ._io.protocol import PAUSE_RESUME_READING_ERRORS, BaseProtocol  # noqa: F401
from ._io.streams import set_exception  # noqa: F401
from .client.exceptions import ClientConnectionResetError  # noqa: F401

__all__ = ["BaseProtocol"]
