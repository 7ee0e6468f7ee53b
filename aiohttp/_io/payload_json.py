"""JSON payloads: :class:`JsonPayload` (a ``str``-returning encoder, ``json.dumps`` by
default) and :class:`JsonBytesPayload` (an encoder that returns ``bytes``, as orjson's does).
Both hold the encoded value in memory, so they can be sent again."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .payload import BytesPayload

__all__ = ("JsonBytesPayload", "JsonPayload")


class JsonPayload(BytesPayload):
    """A payload holding ``dumps(value)``, ``application/json`` by default."""

    def __init__(
        self,
        value: Any,
        encoding: str = "utf-8",
        content_type: str = "application/json",
        dumps: Callable[[Any], str] = json.dumps,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            dumps(value).encode(encoding),
            *args,
            content_type=content_type,
            encoding=encoding,
            **kwargs,
        )


class JsonBytesPayload(BytesPayload):
    """A payload holding ``dumps(value)`` for an encoder that returns ``bytes`` (orjson ...)."""

    def __init__(
        self,
        value: Any,
        dumps: Callable[[Any], bytes],
        content_type: str = "application/json",
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(dumps(value), *args, content_type=content_type, **kwargs)
