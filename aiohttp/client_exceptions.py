"""The aiohttp 3.x module path of the client exceptions (see :mod:`aiohttp.client.exceptions`).

``WSMessageTypeError`` comes from the message API both WebSocket sides share.
"""

from ._io.websocket.messages import WSMessageTypeError
from .client import exceptions as _exceptions
from .client.exceptions import *  # noqa: F403

__all__: list[str] = list(_exceptions.__all__)
__all__ += ["WSMessageTypeError"]
