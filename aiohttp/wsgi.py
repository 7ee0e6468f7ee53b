"""Serve a WSGI (PEP 3333) application from an :mod:`aiohttp.web` route.

:class:`WSGIHandler` is an ordinary request handler. Mount it on a catch-all route::

    app = web.Application()
    app.router.add_route("*", "/{path_info:.*}", WSGIHandler(flask_app).handle)

A plain WSGI application runs in a thread pool, one call per request:

* ``wsgi.input`` streams the request body from the connection (reads block the worker thread,
  never the event loop, and a slow reader slows the sender down through TCP back-pressure), or,
  with ``readpayload=True``, holds the whole body in a :class:`io.BytesIO`, read up to the
  application's ``client_max_size`` before the application is called.
* Each body chunk the application yields (or passes to ``write()``) is sent before the next one
  is asked for, so a slow client slows the application down instead of filling memory.
* The iterable's ``close()`` is called exactly once in every case: normal end, an exception in
  the application, or a client that went away.

An application that is a coroutine function (the asyncio flavour of the early workers) runs on
the event loop instead: ``wsgi.input`` is the request's :class:`~aiohttp.streams.StreamReader`,
so it reads the body with ``await environ['wsgi.input'].read()``; it may return a plain or an
asynchronous iterable of bytes. Its ``write()`` callable only queues data, sent before the
next chunk of the iterable (or at its end), once the coroutine has returned.

``wsgi.file_wrapper`` is :class:`FileWrapper`. Environ strings follow PEP 3333: "native
strings" holding the bytes received decoded as latin-1, ``PATH_INFO`` percent-decoded.
Repeated header fields are joined with ``", "`` (``Cookie`` with ``"; "``, RFC 6265 §5.4).
Header fields whose name contains ``_`` are dropped: ``X_Forwarded_For`` would otherwise be
indistinguishable from ``X-Forwarded-For`` once both are spelled ``HTTP_X_FORWARDED_FOR``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import io
import logging
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from types import TracebackType
from typing import IO, Any, TypeVar
from urllib.parse import unquote_to_bytes

from aiohttp import web

__all__ = ["FileWrapper", "WSGIHandler", "WSGIInput", "build_environ"]

logger = logging.getLogger("aiohttp.wsgi")

_T = TypeVar("_T")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
Environ = dict[str, Any]
WriteCallable = Callable[[bytes], None]
StartResponse = Callable[..., WriteCallable]
WSGIApplication = Callable[[Environ, StartResponse], Any]

# How often a worker thread blocked on the event loop checks whether its request was abandoned.
_POLL_INTERVAL = 0.2
# The most body bytes one ``wsgi.input`` refill asks the event loop for.
INPUT_CHUNK_SIZE = 2**16

# RFC 9110 §7.6.1: a WSGI application must not set these (PEP 3333, "Other HTTP Features").
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)


class _Abandoned(ConnectionAbortedError):
    """The request was abandoned (the handler was cancelled): stop the application."""


class _LoopBridge:
    """Run coroutines on the event loop from a worker thread, waiting for their results."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._abandoned = threading.Event()

    def abandon(self) -> None:
        """Make every current and future :meth:`call` raise :class:`_Abandoned`."""
        self._abandoned.set()

    def call(self, func: Callable[..., Coroutine[Any, Any, _T]], *args: Any) -> _T:
        """Run ``func(*args)`` on the loop and return its result; blocks the calling thread."""
        if self._abandoned.is_set():
            raise _Abandoned("the request was abandoned")
        coro = func(*args)
        try:
            future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        except RuntimeError:  # the loop is closed
            coro.close()
            raise _Abandoned("the event loop is closed") from None
        while True:
            done, _ = concurrent.futures.wait([future], timeout=_POLL_INTERVAL)
            if done:
                return future.result()
            if self._abandoned.is_set():
                future.cancel()
                raise _Abandoned("the request was abandoned")


class WSGIInput:
    """``wsgi.input`` for a threaded application: a blocking file over the request body.

    Each refill runs :meth:`~aiohttp.streams.StreamReader.readany` on the event loop while the
    worker thread waits, so the body is never held in memory beyond what the application asks
    for (plus one chunk).

    Args:
        content: The request's body stream.
        bridge: How the worker thread reaches the event loop.
    """

    def __init__(self, content: Any, bridge: _LoopBridge) -> None:
        self._content = content
        self._bridge = bridge
        self._buffer = bytearray()
        self._eof = False

    def _refill(self) -> None:
        chunk: bytes = self._bridge.call(self._content.read, INPUT_CHUNK_SIZE)
        if chunk:
            self._buffer += chunk
        else:
            self._eof = True

    def _take(self, size: int) -> bytes:
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def read(self, size: int | None = -1) -> bytes:
        """Read ``size`` bytes (fewer only at the end of the body), or all when negative."""
        if size is None or size < 0:
            while not self._eof:
                self._refill()
            return self._take(len(self._buffer))
        while len(self._buffer) < size and not self._eof:
            self._refill()
        return self._take(size)

    def readline(self, size: int | None = -1) -> bytes:
        """Read one line, ending with ``b"\\n"`` unless it is the last or ``size`` cut it."""
        limit = -1 if size is None else size
        start = 0
        while True:
            end = self._buffer.find(b"\n", start)
            if end >= 0:
                length = end + 1
                break
            if self._eof or 0 <= limit <= len(self._buffer):
                length = len(self._buffer)
                break
            start = len(self._buffer)
            self._refill()
        if limit >= 0:
            length = min(length, limit)
        return self._take(length)

    def readlines(self, hint: int = -1) -> list[bytes]:
        """Read lines until the end, or until their total size reaches ``hint`` when positive."""
        lines: list[bytes] = []
        total = 0
        while line := self.readline():
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                break
        return lines

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


class FileWrapper:
    """``wsgi.file_wrapper`` (PEP 3333, "Optional Platform-Specific File Handling").

    Iterates a file-like object in blocks; ``close()`` closes the file. The blocks are sent with
    the same back-pressure as any other response body.

    Args:
        filelike: An object with ``read(size)`` (and, optionally, ``close()``).
        block_size: The size of each read.
    """

    def __init__(self, filelike: IO[bytes], block_size: int = 8192) -> None:
        self.filelike = filelike
        self.block_size = block_size

    def __iter__(self) -> Iterator[bytes]:
        while block := self.filelike.read(self.block_size):
            yield block

    def close(self) -> None:
        """Close the wrapped file."""
        close = getattr(self.filelike, "close", None)
        if close is not None:
            close()


def _latin1(value: str) -> str:
    """The raw bytes of ``value`` as a PEP 3333 native string."""
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape").decode("latin-1")
    return value


def _split_target(request: web.BaseRequest) -> tuple[str, str]:
    raw = request.raw_path
    if not raw.startswith("/"):  # absolute-form or asterisk-form (RFC 9112 §3.2)
        url = request.rel_url
        return url.raw_path, url.raw_query_string
    path, _, query = raw.partition("?")
    path = path.partition("#")[0]
    return path, query


def _server_address(request: web.BaseRequest, scheme: str) -> tuple[str, str]:
    host = request.headers.get("Host")
    if host:
        name, sep, port = host.rpartition(":")
        if sep and port.isdigit() and not name.endswith(":"):
            return _latin1(name), port
        return _latin1(host), "443" if scheme == "https" else "80"
    transport = request.transport
    sockname = transport.get_extra_info("sockname") if transport is not None else None
    if isinstance(sockname, tuple):
        return str(sockname[0]), str(sockname[1])
    return str(sockname or "localhost"), ""


def _header_fields(request: web.BaseRequest) -> Iterator[tuple[str, str]]:
    for name, value in request.raw_headers:
        yield name.decode("latin-1"), value.decode("latin-1")


def build_environ(
    request: web.BaseRequest,
    *,
    script_name: str = "",
    url_scheme: str | None = None,
    multithread: bool = True,
    multiprocess: bool = False,
    errors: IO[str] | None = None,
) -> Environ:
    """The PEP 3333 environ of ``request`` (without ``wsgi.input``).

    Args:
        request: The request.
        script_name: The URL path prefix the application is mounted at (``SCRIPT_NAME``); it
            is removed from the front of ``PATH_INFO`` when the path starts with it.
        url_scheme: ``wsgi.url_scheme``; the request's own scheme when ``None``.
        multithread: ``wsgi.multithread``.
        multiprocess: ``wsgi.multiprocess`` (``True`` under a pre-forking server such as gunicorn).
        errors: ``wsgi.errors``; :data:`sys.stderr` when ``None``.

    Returns:
        The environ dictionary.
    """
    scheme = url_scheme or request.scheme
    raw_path, query = _split_target(request)
    script, path = _script_and_path(script_name, unquote_to_bytes(raw_path).decode("latin-1"))
    server_name, server_port = _server_address(request, scheme)
    version = request.version
    environ: Environ = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": script,
        "PATH_INFO": path,
        "QUERY_STRING": _latin1(query),
        "SERVER_NAME": server_name,
        "SERVER_PORT": server_port,
        "SERVER_PROTOCOL": f"HTTP/{version.major}.{version.minor}",
        "REMOTE_ADDR": request.remote or "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.errors": errors if errors is not None else sys.stderr,
        "wsgi.multithread": multithread,
        "wsgi.multiprocess": multiprocess,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
        "wsgi.file_wrapper": FileWrapper,
        "aiohttp.request": request,
    }
    transport = request.transport
    peer = transport.get_extra_info("peername") if transport is not None else None
    if isinstance(peer, tuple) and len(peer) >= 2:
        environ["REMOTE_PORT"] = str(peer[1])
    environ.update(_header_environ(request))
    return environ


def _script_and_path(script_name: str, path: str) -> tuple[str, str]:
    """``SCRIPT_NAME`` and ``PATH_INFO``: ``script_name`` only when ``path`` starts with it."""
    script = script_name.rstrip("/")
    if script and (path == script or path.startswith(script + "/")):
        return script, path[len(script) :]
    return "", path


def _header_environ(request: web.BaseRequest) -> Environ:
    """The ``CONTENT_*`` and ``HTTP_*`` environ keys of the request's header fields."""
    environ: Environ = {}
    for name, value in _header_fields(request):
        if "_" in name:
            continue
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = value
            continue
        key = "HTTP_" + key
        joiner = "; " if key == "HTTP_COOKIE" else ", "
        environ[key] = environ[key] + joiner + value if key in environ else value
    return environ


def _check_headers(status: str, headers: list[tuple[str, str]]) -> tuple[int, str]:
    """Validate ``start_response`` arguments; the status code and reason phrase."""
    if not isinstance(status, str):
        raise TypeError(f"status must be a str, not {type(status).__name__}")
    code, _, reason = status.partition(" ")
    if len(code) != 3 or not code.isdigit() or code[0] == "0":
        raise ValueError(f"status must start with a three-digit code: {status!r}")
    if not isinstance(headers, list):
        raise TypeError(f"headers must be a list, not {type(headers).__name__}")
    for item in headers:
        if not (isinstance(item, tuple) and len(item) == 2):
            raise TypeError(f"each header must be a (name, value) tuple: {item!r}")
        name, value = item
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"header names and values must be str: {item!r}")
        if name.lower() in _HOP_BY_HOP:
            raise ValueError(f"a WSGI application must not set the hop-by-hop field {name!r}")
        if any(c in name or c in value for c in "\r\n\0"):
            raise ValueError(f"CR, LF or NUL in header {name!r}")
        if name.lower() == "content-length" and not (value.isascii() and value.isdigit()):
            raise ValueError(f"Content-Length must be digits (RFC 9110 §8.6): {value!r}")
    return int(code), reason


class _Response:
    """The response side of one WSGI call: ``start_response``, ``write()`` and the sending.

    ``start_response`` and ``write`` are called from the application (a worker thread, or the
    loop for a coroutine application); :meth:`send` and :meth:`finish` run on the loop.
    """

    def __init__(self, request: web.BaseRequest) -> None:
        self._request = request
        self.status: tuple[int, str] | None = None
        self.headers: list[tuple[str, str]] = []
        self.response: web.StreamResponse | None = None
        self._remaining: int | None = None
        self.write: WriteCallable = self._unbound_write

    def _unbound_write(self, data: bytes) -> None:
        raise RuntimeError("write() is bound when the handler starts the application")

    @property
    def headers_sent(self) -> bool:
        """Whether the status line and headers went out (the response can no longer change)."""
        return self.response is not None

    def start_response(
        self,
        status: str,
        headers: list[tuple[str, str]],
        exc_info: ExcInfo | None = None,
    ) -> WriteCallable:
        """PEP 3333 ``start_response``: record the status and headers, sent with the body."""
        if exc_info is not None:
            try:
                if self.headers_sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None  # break the frame <-> traceback cycle
        elif self.status is not None:
            raise RuntimeError("start_response() was already called (without exc_info)")
        self.status = _check_headers(status, headers)
        self.headers = list(headers)
        return self.write

    async def _prepare(self) -> web.StreamResponse:
        if self.status is None:
            raise RuntimeError("the application did not call start_response()")
        code, reason = self.status
        response = web.StreamResponse(status=code, reason=reason or None)
        for name, value in self.headers:
            response.headers.add(name, value)
            if name.lower() == "content-length":
                self._remaining = int(value)
        self.response = response
        await response.prepare(self._request)
        return response

    async def send(self, data: bytes) -> None:
        """Send one body chunk, the head first if it has not gone out yet."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"the body must be bytes, not {type(data).__name__}")
        if not data:
            return
        response = self.response or await self._prepare()
        if self._remaining is not None:
            if len(data) > self._remaining:
                logger.warning("the WSGI application sent more than its Content-Length")
                data = data[: self._remaining]
            self._remaining -= len(data)
            if not data:
                return
        await response.write(bytes(data))

    async def finish(self) -> web.StreamResponse:
        """End the response (sending the head now if no body byte was sent)."""
        response = self.response or await self._prepare()
        if self._remaining:
            message = (
                f"the WSGI application sent {self._remaining} bytes less than its Content-Length"
            )
            logger.warning("%s: closing the connection", message)
            raise ConnectionError(message)
        await response.write_eof()
        return response


def _close(iterable: object) -> None:
    close = getattr(iterable, "close", None)
    if close is not None:
        close()


def _is_coroutine_app(app: object) -> bool:
    return inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(
        getattr(app, "__call__", None)  # noqa: B004 - an object whose __call__ is async
    )


class WSGIHandler:
    """An :mod:`aiohttp.web` handler that serves a PEP 3333 application.

    Args:
        app: The WSGI application, or a coroutine function with the same signature (see the
            module documentation).
        executor: The thread pool running a plain application; the loop's default executor
            when ``None``. Each request in flight holds one thread.
        readpayload: Read the whole request body before calling the application and pass it
            as a :class:`io.BytesIO` (bounded by the application's ``client_max_size``), instead
            of streaming it.
        script_name: The path prefix the application is mounted at (``SCRIPT_NAME``).
        url_scheme: Force ``wsgi.url_scheme`` (e.g. ``"https"`` behind a TLS-terminating proxy
            that the request does not already trust).
        multiprocess: The value of ``wsgi.multiprocess``.
        errors: The ``wsgi.errors`` stream; :data:`sys.stderr` when ``None``.
        logger: Where application errors are logged (``aiohttp.wsgi`` by default).
    """

    def __init__(
        self,
        app: WSGIApplication,
        *,
        executor: concurrent.futures.Executor | None = None,
        readpayload: bool = False,
        script_name: str = "",
        url_scheme: str | None = None,
        multiprocess: bool = False,
        errors: IO[str] | None = None,
        logger: logging.Logger = logger,
    ) -> None:
        self.app = app
        self.logger = logger
        self.executor = executor
        self.readpayload = readpayload
        self.script_name = script_name
        self.url_scheme = url_scheme
        self.multiprocess = multiprocess
        self.errors = errors
        self.is_coroutine = _is_coroutine_app(app)

    def environ(self, request: web.BaseRequest) -> Environ:
        """The environ for ``request``, without ``wsgi.input``."""
        return build_environ(
            request,
            script_name=self.script_name,
            url_scheme=self.url_scheme,
            multithread=not self.is_coroutine,
            multiprocess=self.multiprocess,
            errors=self.errors,
        )

    async def __call__(self, request: web.BaseRequest) -> web.StreamResponse:
        """Serve one request through the application (same as :meth:`handle`)."""
        return await self.handle(request)

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        """Serve one request through the application: the coroutine function to route to."""
        environ = self.environ(request)
        if self.readpayload:
            environ["wsgi.input"] = io.BytesIO(await request.read())
        result = _Response(request)
        try:
            if self.is_coroutine:
                await self._run_coroutine(environ, request, result)
            else:
                await self._run_threaded(environ, request, result)
        except _Abandoned:
            raise
        except Exception:
            if result.headers_sent:
                raise  # too late for an error page: the server closes the connection
            self.logger.exception("Error in WSGI application %r", self.app)
            return web.Response(status=500, text="500 Internal Server Error")
        return await result.finish()

    async def _run_threaded(
        self, environ: Environ, request: web.BaseRequest, result: _Response
    ) -> None:
        loop = asyncio.get_running_loop()
        bridge = _LoopBridge(loop)
        if "wsgi.input" not in environ:
            environ["wsgi.input"] = WSGIInput(request.content, bridge)
        result.write = lambda data: bridge.call(result.send, data)

        def run() -> None:
            iterable = self.app(environ, result.start_response)
            try:
                for chunk in iterable:
                    bridge.call(result.send, chunk)
            finally:
                _close(iterable)

        future = loop.run_in_executor(self.executor, run)
        try:
            await future
        except asyncio.CancelledError:
            bridge.abandon()
            raise

    async def _run_coroutine(
        self, environ: Environ, request: web.BaseRequest, result: _Response
    ) -> None:
        environ.setdefault("wsgi.input", request.content)
        queued: list[bytes] = []
        result.write = queued.append

        async def send(chunk: bytes) -> None:
            for data in queued:
                await result.send(data)
            queued.clear()
            await result.send(chunk)

        iterable = await self.app(environ, result.start_response)
        try:
            if hasattr(iterable, "__aiter__"):
                async for chunk in iterable:
                    await send(chunk)
            else:
                for chunk in iterable:
                    await send(chunk)
            await send(b"")
        finally:
            aclose = getattr(iterable, "aclose", None)
            if aclose is not None:
                await aclose()
            else:
                _close(iterable)
