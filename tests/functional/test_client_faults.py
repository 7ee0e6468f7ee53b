"""Hostile and failing servers, the stale-connection retry, the retry policy, tracing."""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib

import brotli
import pytest
import zstandard

from aiohttp.client import (
    ClientPayloadError,
    ClientResponseError,
    ClientSession,
    ClientTimeout,
    DecompressionLimitError,
    RetryPolicy,
    ServerDisconnectedError,
    ServerTimeoutError,
)
from aiohttp.client.tracing import TraceConfig, TraceRequestStartParams
from aiohttp.testing.faults import Fault, FaultServer, ReceivedRequest


def answer(body: bytes = b"ok", *, status: str = "200 OK", **headers: str) -> bytes:
    fields = {"Content-Length": str(len(body))}
    fields.update({k.replace("_", "-"): v for k, v in headers.items()})
    head = "".join(f"{k}: {v}\r\n" for k, v in fields.items())
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


def ok(req: ReceivedRequest) -> bytes:
    return answer(req.head.method.encode())


@pytest.fixture
async def session(loop):
    async with ClientSession() as s:
        yield s


# -- decompression --------------------------------------------------------------------------

PLAIN = b"The quick brown fox jumps over the lazy dog. " * 200
CODINGS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": lambda data: zstandard.ZstdCompressor().compress(data),
}


@pytest.mark.parametrize("coding", sorted(CODINGS))
async def test_response_is_decoded(session, coding) -> None:
    body = CODINGS[coding](PLAIN)
    async with FaultServer(lambda req: answer(body, Content_Encoding=coding)) as srv:
        async with session.get(srv.make_url("/")) as resp:
            assert await resp.read() == PLAIN
        async with session.get(srv.make_url("/"), auto_decompress=False) as resp:
            assert await resp.read() == body


@pytest.mark.parametrize(
    ("limit", "fails"),
    [pytest.param(len(PLAIN), False, id="at-limit"), pytest.param(len(PLAIN) - 1, True, id="past")],
)
async def test_decompressed_size_limit(limit, fails) -> None:
    body = gzip.compress(PLAIN)
    async with (
        FaultServer(lambda req: answer(body, Content_Encoding="gzip")) as srv,
        ClientSession(max_decompressed_size=limit) as s,
        s.get(srv.make_url("/")) as resp,
    ):
        if fails:
            with pytest.raises(DecompressionLimitError):
                await resp.read()
        else:
            assert await resp.read() == PLAIN


async def test_decompression_bomb_stops_early(session) -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100_000
    async with (
        FaultServer(lambda req: answer(bomb, Content_Encoding="gzip")) as srv,
        session.get(srv.make_url("/"), max_decompressed_size=1024 * 1024) as resp,
    ):
        with pytest.raises(DecompressionLimitError):
            await asyncio.wait_for(resp.read(), 10)


async def test_small_brotli_body_expanding_to_32_mib_streams_in_bounded_memory(session) -> None:
    size = 32 * 2**20
    bomb = brotli.compress(bytes(size))
    assert len(bomb) < 200
    received = 0
    async with FaultServer(lambda req: answer(bomb, Content_Encoding="br")) as srv:
        tracemalloc.start()  # before the request: head and body arrive in one read
        try:
            async with session.get(srv.make_url("/")) as resp:
                async for piece in resp.content.iter_any():
                    received += len(piece)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert received == size
    assert peak < 4 * 2**20  # the decoded body passes through a high-water mark at a time


async def test_corrupt_gzip_is_payload_error(session) -> None:
    async with (
        FaultServer(lambda req: answer(b"not gzip at all", Content_Encoding="gzip")) as srv,
        session.get(srv.make_url("/")) as resp,
    ):
        with pytest.raises(ClientPayloadError):
            await resp.read()


# -- endless bodies -------------------------------------------------------------------------


async def test_endless_chunked_body_is_flow_controlled_and_timed_out(session) -> None:
    sent = [0]

    async def endless(req):
        async def pieces():
            yield b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
            for _ in range(1_000_000):
                sent[0] += len(chunk)
                yield chunk

        return pieces()

    async with (
        FaultServer(endless) as srv,
        session.get(srv.make_url("/"), timeout=ClientTimeout(total=1.0)) as resp,
    ):
        await asyncio.sleep(0.3)  # nobody reads: the client must stop reading too
        assert sent[0] < 16 * 1024 * 1024
        with pytest.raises(ServerTimeoutError):
            async for _ in resp.content.iter_chunked(65536):
                pass


# -- connection faults ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault.close_mid_head(), id="mid-head"),
        pytest.param(Fault.garbage(b"\x00\x01\x02\r\n\r\n"), id="garbage"),
        pytest.param(Fault.reset_after(5), id="reset"),
    ],
)
async def test_broken_heads_are_typed_errors(session, fault) -> None:
    from aiohttp.client import ClientError

    async with FaultServer(ok) as srv:
        srv.inject(fault)
        with pytest.raises(ClientError):
            await session.post(srv.make_url("/"), data=b"x")


async def test_trickled_response_is_read_whole(session) -> None:
    async with FaultServer(lambda req: answer(b"slow but steady")) as srv:
        srv.inject(Fault.trickle(3, 0.001))
        async with session.get(srv.make_url("/")) as resp:
            assert await resp.read() == b"slow but steady"


async def test_stale_pooled_connection_retried_once_for_idempotent(session) -> None:
    async with FaultServer(ok) as srv:
        srv.inject(None, Fault.drop())
        async with session.get(srv.make_url("/")) as resp:
            await resp.read()
        async with session.get(srv.make_url("/")) as resp:
            assert await resp.read() == b"GET"
        assert srv.connections == 2
        assert len(srv.requests) == 3


async def test_stale_pooled_connection_not_retried_for_post(session) -> None:
    async with FaultServer(ok) as srv:
        srv.inject(None, Fault.drop())
        async with session.get(srv.make_url("/")) as resp:
            await resp.read()
        with pytest.raises(ServerDisconnectedError):
            await session.post(srv.make_url("/"), data=b"once")
        assert len(srv.requests) == 2


async def test_connection_closed_while_idle_is_not_reused(session) -> None:
    raw = answer(b"bye")
    async with FaultServer(lambda req: raw) as srv:
        async with session.get(srv.make_url("/")) as resp:
            await resp.read()
        for writer in list(srv._writers):
            writer.close()
        await asyncio.sleep(0.05)
        async with session.post(srv.make_url("/"), data=b"x") as resp:
            assert await resp.read() == b"bye"
        assert srv.connections == 2


# -- retry policy ---------------------------------------------------------------------------


def flaky(statuses: list[str], retry_after: str = "0"):
    def respond(req: ReceivedRequest) -> bytes:
        status = statuses.pop(0) if statuses else "200 OK"
        return answer(status.encode(), status=status, Retry_After=retry_after)

    return respond


def recorder(events: list[tuple[str, object]]) -> TraceConfig:
    config = TraceConfig()

    def add(name: str):
        async def on(session, ctx, params) -> None:
            events.append((name, params))

        getattr(config, f"on_{name}").append(on)

    for name in (
        "request_start",
        "request_end",
        "request_exception",
        "request_redirect",
        "request_retry",
        "request_chunk_sent",
        "request_headers_sent",
        "connection_create_start",
        "connection_create_end",
        "connection_reuseconn",
        "connection_queued_start",
        "connection_queued_end",
        "dns_cache_hit",
        "dns_cache_miss",
        "dns_resolvehost_start",
        "dns_resolvehost_end",
    ):
        add(name)
    return config


async def test_retry_policy_retries_statuses_and_traces_each_attempt() -> None:
    events: list[tuple[str, object]] = []
    policy = RetryPolicy(attempts=3, backoff=0.01)
    async with (
        FaultServer(flaky(["503 Service Unavailable", "429 Too Many Requests"])) as srv,
        ClientSession(retry=policy, trace_configs=[recorder(events)]) as s,
        s.get(srv.make_url("/")) as resp,
    ):
        assert resp.status == 200
    retries = [p for name, p in events if name == "request_retry"]
    assert [p.attempt for p in retries] == [2, 3]
    assert [p.reason.status for p in retries] == [503, 429]
    assert len(srv.requests) == 3


async def test_retry_policy_leaves_post_alone(session) -> None:
    async with FaultServer(flaky(["503 Service Unavailable"])) as srv:
        async with session.post(srv.make_url("/"), data=b"x", retry=RetryPolicy()) as resp:
            assert resp.status == 503
        assert len(srv.requests) == 1


async def test_retry_policy_post_when_told(session) -> None:
    policy = RetryPolicy(retry_non_idempotent=True, backoff=0.01)
    async with FaultServer(flaky(["502 Bad Gateway"])) as srv:
        async with session.post(srv.make_url("/"), data=b"x", retry=policy) as resp:
            assert resp.status == 200
        assert [r.body for r in srv.requests] == [b"x", b"x"]


async def test_retry_policy_retries_connection_errors(session) -> None:
    async with FaultServer(ok) as srv:
        srv.inject(Fault.drop(), Fault.reset_after(3))
        async with session.get(srv.make_url("/"), retry=RetryPolicy(backoff=0.01)) as resp:
            assert await resp.read() == b"GET"
        assert len(srv.requests) == 3


async def test_retry_after_beyond_the_budget_ends_retries(session) -> None:
    loop = asyncio.get_running_loop()
    async with FaultServer(flaky(["503 Service Unavailable"], retry_after="30")) as srv:
        started = loop.time()
        async with session.get(
            srv.make_url("/"), retry=RetryPolicy(), timeout=ClientTimeout(total=2)
        ) as resp:
            assert resp.status == 503
        assert loop.time() - started < 1
        assert len(srv.requests) == 1


# -- tracing --------------------------------------------------------------------------------


async def test_trace_signals_for_a_redirected_request() -> None:
    events: list[tuple[str, object]] = []

    def respond(req: ReceivedRequest) -> bytes:
        if req.head.target == "/start":
            return answer(b"", status="302 Found", Location="/end")
        return answer(b"done")

    async with (
        FaultServer(respond) as srv,
        ClientSession(trace_configs=[recorder(events)]) as s,
        s.post(srv.url.replace("127.0.0.1", "localhost") + "/start", data=b"abc") as resp,
    ):
        assert await resp.read() == b"done"
    names = [name for name, _ in events]
    assert names[0] == "request_start"
    assert names[-1] == "request_end"
    assert "request_redirect" in names
    assert "dns_cache_miss" in names
    assert "dns_resolvehost_start" in names
    assert "connection_create_start" in names
    assert "connection_reuseconn" in names
    sent = [p.chunk for name, p in events if name == "request_chunk_sent"]
    assert sent == [b"abc"]


async def test_a_failing_request_start_callback_ends_the_traces_that_started() -> None:
    # 3.x: the configs whose on_request_start already ran get on_request_exception with the
    # callback's error; the failing one and those after it get nothing more.
    seen: list[tuple[str, str]] = []

    def config(name: str, *, fail: bool) -> TraceConfig:
        async def start(session: object, ctx: object, params: object) -> None:
            seen.append((name, "start"))
            if fail:
                raise RuntimeError("start failed")

        async def exception(session: object, ctx: object, params: object) -> None:
            seen.append((name, f"exception {params.exception}"))  # type: ignore[attr-defined]

        trace = TraceConfig()
        trace.on_request_start.append(start)
        trace.on_request_exception.append(exception)
        return trace

    configs = [config("a", fail=False), config("b", fail=True), config("c", fail=False)]
    async with FaultServer(ok) as srv, ClientSession(trace_configs=configs) as s:
        with pytest.raises(RuntimeError, match="start failed"):
            await s.get(srv.make_url("/"))
        assert srv.requests == []
    assert seen == [("a", "start"), ("b", "start"), ("a", "exception start failed")]


async def test_fault_server_fixture_wraps_a_real_server(aiohttp_fault_server) -> None:
    async with FaultServer(ok) as real:
        proxy = await aiohttp_fault_server(upstream=("127.0.0.1", real.port))
        proxy.inject(Fault.close_mid_body())
        async with ClientSession() as s:
            async with s.get(proxy.make_url("/")) as resp:
                with pytest.raises(ClientPayloadError):
                    await resp.read()
            async with s.get(proxy.make_url("/")) as resp:
                assert await resp.read() == b"GET"
        assert len(real.requests) == 2


# -- heads that break the grammar, however they are split ---------------------------------


def _split_then_hold(*pieces: bytes):
    async def pieces_then_silence(req: ReceivedRequest):
        for piece in pieces:
            yield piece
            await asyncio.sleep(0.05)
        await asyncio.sleep(30)  # keep the connection open: the verdict must not wait for EOF

    return pieces_then_silence


@pytest.mark.parametrize(
    "pieces",
    [
        pytest.param((b"HTTP/1.1 200 OK\nContent-Length: 0\n\n",), id="bare-lf-one-write"),
        pytest.param((b"HTTP/1.1 200 OK", b"\nContent-Length: 0\n\n"), id="bare-lf-split"),
        pytest.param((b"HTTP/1.1 200 OK\r\nX: y", b"\nZ: z\r\n"), id="bare-lf-field-split"),
        pytest.param(
            (b"HTTP/1.1 200 OK\r\nContent-Length: ", b"9" * 4301 + b"\r\n\r\n"),
            id="4301-digit-length",
        ),
        pytest.param(
            (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 02\r\n\r\nok",),
            id="length-spelled-twice",
        ),
    ],
)
async def test_broken_head_raises_a_typed_error_at_once(session, pieces) -> None:
    # RFC 9112 §2.2, RFC 9110 §8.6: each is a malformed response, answered with
    # ClientResponseError as soon as the bytes that break the rule arrive, not after the
    # total timeout (300 s) and not as ServerDisconnectedError.
    async with FaultServer(_split_then_hold(*pieces)) as srv:
        with pytest.raises(ClientResponseError) as info:
            await asyncio.wait_for(session.get(srv.make_url("/")), 5)
    assert not isinstance(info.value, ServerDisconnectedError)


async def test_headers_a_start_callback_changes_are_sent_and_the_sessions_stay() -> None:
    # 3.x: on_request_start's headers are the request's; what a callback adds goes out. The
    # session's own defaults are not touched.
    config = TraceConfig()

    async def add_header(session: object, ctx: object, params: TraceRequestStartParams) -> None:
        params.headers["X-Traced"] = "1"
        params.headers.popall("X-Drop", None)

    config.on_request_start.append(add_header)

    def ok(req: object) -> bytes:
        return b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"

    async with (
        FaultServer(ok) as srv,
        ClientSession(headers={"X-Drop": "d"}, trace_configs=[config]) as session,
    ):
        async with session.get(srv.make_url("/")) as resp:
            assert resp.status == 200
        sent = srv.requests[0].head.headers
        assert sent["X-Traced"] == "1"
        assert "X-Drop" not in sent
        assert dict(session.headers) == {"X-Drop": "d"}
