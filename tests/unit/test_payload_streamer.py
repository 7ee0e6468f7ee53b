"""``@aiohttp.streamer`` (deprecated in 3.x, kept with its warning) as a request body."""

from __future__ import annotations

from typing import Any

import pytest

import aiohttp
from aiohttp import payload, payload_streamer
from aiohttp.abc import AbstractStreamWriter


class Sink:
    def __init__(self) -> None:
        self.buffer = bytearray()

    async def write(self, chunk: bytes) -> None:
        self.buffer += chunk


def make_sender() -> Any:
    with pytest.warns(DeprecationWarning, match="use async generators"):

        @aiohttp.streamer
        async def sender(writer: AbstractStreamWriter, name: str = "world") -> None:
            await writer.write(b"hello ")
            await writer.write(name.encode())

    return sender


async def test_a_called_streamer_is_a_payload_that_writes_itself() -> None:
    body = payload.get_payload(make_sender()(name="you"))
    assert isinstance(body, payload_streamer.StreamWrapperPayload)
    sink = Sink()
    await body.write(sink)
    assert sink.buffer == b"hello you"
    with pytest.raises(TypeError, match="Unable to decode"):
        body.decode()


async def test_an_uncalled_streamer_is_a_payload_too() -> None:
    body = payload.get_payload(make_sender())
    assert isinstance(body, payload_streamer.StreamPayload)
    sink = Sink()
    await body.write_with_length(sink, 8)
    assert sink.buffer == b"hello wo"


def test_streamer_is_exported_where_3x_has_it() -> None:
    assert aiohttp.streamer is payload_streamer.streamer
    assert payload_streamer.__all__ == ("streamer",)
