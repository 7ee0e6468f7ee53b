"""Public value types (RFC 6455 §5.2 opcodes, §7.4 close codes)."""

from __future__ import annotations

import pytest

from aiohttp._sansio.websocket import WSCloseCode, WSMessage, WSMsgType
from aiohttp._sansio.websocket.errors import WebSocketError
from aiohttp._sansio.websocket.types import is_valid_close_code


def test_msg_type_values_are_aiohttp_3() -> None:
    assert [int(t) for t in WSMsgType] == [0, 1, 2, 9, 10, 8, 0x100, 0x101, 0x102]
    assert WSMsgType.text is WSMsgType.TEXT
    assert WSMsgType.close is WSMsgType.CLOSE


def test_tp_alias_warns_naming_type() -> None:
    msg = WSMessage(WSMsgType.TEXT, "x", None)
    with pytest.warns(DeprecationWarning, match=r"WSMessage\.type"):
        assert msg.tp is WSMsgType.TEXT


def test_json() -> None:
    msg = WSMessage(WSMsgType.TEXT, '{"a": 1}', None)
    assert msg.json() == {"a": 1}
    assert msg.json(loads=lambda s: s.upper()) == '{"A": 1}'


def test_close_codes() -> None:
    assert WSCloseCode.MESSAGE_TOO_BIG == 1009
    assert all(is_valid_close_code(c) for c in WSCloseCode if c != 1006)
    assert not is_valid_close_code(WSCloseCode.ABNORMAL_CLOSURE)


def test_websocket_error_carries_the_code() -> None:
    exc = WebSocketError(1009, "too big")
    assert exc.code == 1009
    assert str(exc) == "too big"
