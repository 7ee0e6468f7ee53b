"""Reading multipart/form-data bodies: ``client_max_size`` is checked while a field arrives."""

from __future__ import annotations

import asyncio
import base64

import pytest

from aiohttp import web
from aiohttp._io.streams import StreamReader
from aiohttp.test_utils import make_mocked_request

LIMIT = 64 * 1024
HEAD = b'--B\r\nContent-Disposition: form-data; name="t"\r\n\r\n'
TAIL = b"\r\n--B--\r\n"


class Flow:
    reading_paused = False

    def pause_reading(self) -> None:
        self.reading_paused = True

    def resume_reading(self) -> None:
        self.reading_paused = False


def _request(payload: StreamReader) -> web.Request:
    return make_mocked_request(
        "POST",
        "/",
        {"Content-Type": "multipart/form-data; boundary=B"},
        payload=payload,
        client_max_size=LIMIT,
    )


def _complete(value: bytes) -> StreamReader:
    reader = StreamReader(Flow(), 2**16, loop=asyncio.get_running_loop())
    reader.feed_data(HEAD + value + TAIL)
    reader.feed_eof()
    return reader


# client_max_size bounds the request body as sent, part headers and delimiters included (3.x).
FRAMING = len(HEAD) + len(TAIL)


async def test_body_at_the_limit_is_read() -> None:
    form = await _request(_complete(b"x" * (LIMIT - FRAMING))).post()
    assert form["t"] == "x" * (LIMIT - FRAMING)


async def test_body_one_past_the_limit_is_413() -> None:
    with pytest.raises(web.HTTPRequestEntityTooLarge) as refused:
        await _request(_complete(b"x" * (LIMIT - FRAMING + 1))).post()
    assert refused.value.text.startswith(f"Maximum request body size {LIMIT} exceeded")


async def test_part_headers_count_toward_the_limit() -> None:
    """Many empty parts carry no field bytes, but their headers are body bytes."""
    pad = b"X-Pad: " + b"p" * 1000 + b"\r\n"
    part = b'--B\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n' + pad + b"\r\n\r\n"
    reader = StreamReader(Flow(), 2**16, loop=asyncio.get_running_loop())
    reader.feed_data(part * (LIMIT // len(part) + 1) + b"--B--\r\n")
    reader.feed_eof()
    with pytest.raises(web.HTTPRequestEntityTooLarge):
        await _request(reader).post()


async def test_encoded_bytes_count_not_the_decoded_ones() -> None:
    """A base64 part that decodes to the limit arrives a third larger: that is over it."""
    encoded = base64.b64encode(b"A" * (LIMIT - FRAMING))
    reader = StreamReader(Flow(), 2**16, loop=asyncio.get_running_loop())
    reader.feed_data(
        b'--B\r\nContent-Disposition: form-data; name="t"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + TAIL
    )
    reader.feed_eof()
    with pytest.raises(web.HTTPRequestEntityTooLarge):
        await _request(reader).post()


async def test_endless_text_field_is_refused_while_it_arrives() -> None:
    # The body never ends: the server must answer 413 from what it has read so far instead
    # of buffering the field until its end.
    reader = StreamReader(Flow(), 2**16, loop=asyncio.get_running_loop())
    reader.feed_data(HEAD)
    fed = 0

    async def feed() -> None:
        nonlocal fed
        for _ in range(1000):  # at most 64 MiB, far past the limit
            reader.feed_data(b"x" * LIMIT)
            fed += LIMIT
            await asyncio.sleep(0)

    feeder = asyncio.create_task(feed())
    try:
        with pytest.raises(web.HTTPRequestEntityTooLarge):
            await asyncio.wait_for(_request(reader).post(), 10)
    finally:
        feeder.cancel()
    assert fed <= 8 * LIMIT
