"""UploadTracker over loopback: attempts, bytes handed to the kernel, how the upload ended.

Each expectation was checked against aiohttp 3.14.5 with the same requests.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import aiohttp
from aiohttp import web


@pytest.fixture
async def server(aiohttp_server: Any) -> Any:
    async def ok(request: web.Request) -> web.Response:
        return web.Response(text=str(len(await request.read())))

    async def redirect(request: web.Request) -> web.Response:
        await request.read()
        raise web.HTTPTemporaryRedirect("/ok")

    async def early(request: web.Request) -> web.Response:
        return web.Response(status=413)  # answers without reading the body

    app = web.Application(client_max_size=2**30)
    app.router.add_post("/ok", ok)
    app.router.add_post("/redirect", redirect)
    app.router.add_post("/early", early)
    return await aiohttp_server(app)


async def test_a_whole_body_is_counted_and_completes(server: Any) -> None:
    tracker = aiohttp.UploadTracker()
    assert (tracker.attempts, tracker.bytes_written, tracker.upload_complete.done()) == (
        0,
        0,
        False,
    )
    async with (
        aiohttp.ClientSession() as session,
        session.post(server.make_url("/ok"), data=b"x" * 100_000, upload_tracker=tracker) as resp,
    ):
        assert await resp.text() == "100000"
    assert tracker.attempts == 1
    assert tracker.bytes_written == 100_000
    assert tracker.upload_complete.done()
    assert tracker.upload_complete.result() is None


async def test_a_streamed_body_is_counted(server: Any) -> None:
    async def pieces() -> Any:
        for _ in range(10):
            yield b"y" * 4096

    tracker = aiohttp.UploadTracker()
    async with (
        aiohttp.ClientSession() as session,
        session.post(server.make_url("/ok"), data=pieces(), upload_tracker=tracker) as resp,
    ):
        assert await resp.text() == "40960"
    await asyncio.wait_for(tracker.upload_complete, 5)
    assert tracker.bytes_written == 40960


async def test_a_redirect_that_sends_the_body_again_is_a_second_attempt(server: Any) -> None:
    tracker = aiohttp.UploadTracker()
    async with (
        aiohttp.ClientSession() as session,
        session.post(server.make_url("/redirect"), data=b"z" * 1000, upload_tracker=tracker) as r,
    ):
        assert await r.text() == "1000"
    assert tracker.attempts == 2
    assert tracker.bytes_written == 1000  # the second attempt's
    assert tracker.upload_complete.result() is None


async def test_a_request_that_never_connects_aborts_the_upload(unused_tcp_port: int) -> None:
    tracker = aiohttp.UploadTracker()
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectorError):
            await session.post(
                f"http://127.0.0.1:{unused_tcp_port}/", data=b"x", upload_tracker=tracker
            )
    assert tracker.attempts == 1
    with pytest.raises(aiohttp.UploadAbortedError, match="not fully sent"):
        tracker.upload_complete.result()


async def test_an_answer_before_a_large_body_was_sent_aborts_the_upload(server: Any) -> None:
    async def endless() -> Any:
        while True:
            yield b"e" * 65536
            await asyncio.sleep(0)

    tracker = aiohttp.UploadTracker()
    async with aiohttp.ClientSession() as session:
        async with session.post(
            server.make_url("/early"), data=endless(), upload_tracker=tracker
        ) as r:
            assert r.status == 413
        with pytest.raises(aiohttp.UploadAbortedError, match="not fully sent"):
            await asyncio.wait_for(tracker.upload_complete, 5)


async def test_a_tracker_follows_one_request_only(server: Any) -> None:
    tracker = aiohttp.UploadTracker()
    async with aiohttp.ClientSession() as session:
        async with session.post(server.make_url("/ok"), data=b"1", upload_tracker=tracker):
            pass
        with pytest.raises(RuntimeError, match="already bound to a request"):
            await session.post(server.make_url("/ok"), data=b"2", upload_tracker=tracker)


def test_a_tracker_needs_a_running_loop() -> None:
    with pytest.raises(RuntimeError, match="no running event loop"):
        aiohttp.UploadTracker()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        pytest.param({"data": b"x", "json": {"a": 1}}, ValueError, id="data-and-json"),
        pytest.param({"json": {"a": object()}}, TypeError, id="json-not-serializable"),
        pytest.param({"ssl": object()}, TypeError, id="ssl-of-a-wrong-type"),
        pytest.param({"proxy": "http://[bad"}, aiohttp.InvalidURL, id="proxy-not-a-url"),
        pytest.param({"url": "ftp://example.com/"}, aiohttp.NonHttpUrlClientError, id="ftp"),
    ],
)
async def test_a_request_refused_before_it_was_sent_aborts_the_upload(
    server: Any, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    # The tracker settles at once: a caller awaiting it does not wait forever.
    tracker = aiohttp.UploadTracker()
    url = kwargs.pop("url", server.make_url("/ok"))
    async with aiohttp.ClientSession() as session:
        with pytest.raises(error):
            await session.post(url, upload_tracker=tracker, **kwargs)
    assert tracker.attempts == 0
    with pytest.raises(aiohttp.UploadAbortedError, match="not fully sent"):
        tracker.upload_complete.result()


async def test_a_request_on_a_closed_session_aborts_the_upload() -> None:
    session = aiohttp.ClientSession()
    await session.close()
    tracker = aiohttp.UploadTracker()
    with pytest.raises(RuntimeError, match="Session is closed"):
        await session.post("http://127.0.0.1:1/", data=b"x", upload_tracker=tracker)
    with pytest.raises(aiohttp.UploadAbortedError, match="not fully sent"):
        tracker.upload_complete.result()


async def test_a_body_that_fails_raises_a_connection_error_on_the_request_and_the_tracker(
    server: Any,
) -> None:
    # 3.x: the body's own error, wrapped in ClientConnectionError (its __cause__), is what
    # the request raises and what the tracker's future holds.
    async def failing() -> Any:
        yield b"a" * 100
        raise LookupError("the source went away")

    tracker = aiohttp.UploadTracker()
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError) as info:
            await session.post(server.make_url("/ok"), data=failing(), upload_tracker=tracker)
    assert str(info.value).startswith("Failed to send bytes into the underlying connection ")
    assert str(info.value).endswith(": LookupError('the source went away')")
    assert isinstance(info.value.__cause__, LookupError)
    assert tracker.upload_complete.exception() is info.value


async def test_the_deprecated_upload_complete_is_one_future_settled_when_the_body_is_sent(
    server: Any,
) -> None:
    gate = asyncio.Event()

    async def gated() -> Any:
        yield b"x" * 512
        await gate.wait()
        yield b"y" * 512

    def upload_complete(resp: aiohttp.ClientResponse) -> asyncio.Future[None]:
        with pytest.warns(DeprecationWarning, match="upload_complete is deprecated"):
            return resp.upload_complete

    async with (
        aiohttp.ClientSession() as session,
        session.post(server.make_url("/early"), data=gated()) as resp,
    ):
        first = upload_complete(resp)
        assert not first.done()
        gate.set()
        await asyncio.wait_for(first, 5)
        assert upload_complete(resp) is first


async def test_a_file_body_is_closed_once_the_request_is_over(server: Any, tmp_path: Any) -> None:
    # 3.x closes the request's file once the request (redirects included) is over: the body
    # was sent, the caller need not close it.
    path = tmp_path / "body.bin"
    path.write_bytes(b"f" * 1000)
    async with aiohttp.ClientSession() as session:
        for target in ("/ok", "/redirect"):
            file = await asyncio.to_thread(path.open, "rb")
            async with session.post(server.make_url(target), data=file) as resp:
                assert await resp.text() == "1000"
            # Closed when the upload task ends, which may be a turn of the loop later.
            assert await _closed_soon(file)


async def _closed_soon(file: Any) -> bool:
    for _ in range(500):  # 5 s at most
        if file.closed:
            return True
        await asyncio.sleep(0.01)
    return False
