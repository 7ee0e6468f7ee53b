"""aiohttp 3.x import path for WebSocket helpers: masking, frame-head packers, extensions."""

from .._sansio.websocket.connection import _CLOSE_CODE
from .._sansio.websocket.deflate import ws_ext_gen, ws_ext_parse
from .._sansio.websocket.frames import _HEAD8, _HEAD16, _HEAD64, websocket_mask
from ..http import WS_KEY

#: Pack a frame head with a 7-bit, 16-bit or 64-bit payload length (RFC 6455 §5.2).
PACK_LEN1 = _HEAD8.pack
PACK_LEN2 = _HEAD16.pack
PACK_LEN3 = _HEAD64.pack
#: Pack the status code of a Close frame (RFC 6455 §5.5.1).
PACK_CLOSE_CODE = _CLOSE_CODE.pack

__all__ = [
    "PACK_CLOSE_CODE",
    "PACK_LEN1",
    "PACK_LEN2",
    "PACK_LEN3",
    "WS_KEY",
    "websocket_mask",
    "ws_ext_gen",
    "ws_ext_parse",
]
