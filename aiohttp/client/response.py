"""The response side of a request: :class:`ClientResponse`."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import re
import warnings
import weakref
from collections.abc import Callable, Iterable, Mapping
from http.cookies import SimpleCookie
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any

from multidict import CIMultiDict, CIMultiDictProxy, MultiDict, MultiDictProxy
from yarl import URL

from .._io.streams import StreamReader
from .._sansio.content_headers import HeadersMixin
from .._sansio.errors import HttpProcessingError
from .._sansio.http1.events import HttpVersion, RawHeaders, ResponseHead
from .._sansio.mime import content_disposition_filename, parse_content_disposition
from .charset import charset_of, detect_json_encoding, is_json
from .cookiejar import parse_set_cookie_headers
from .exceptions import (
    ClientConnectionError,
    ClientResponseError,
    ContentTypeError,
    DecompressionLimitError,
)
from .request import RequestInfo
from .tracing import TraceResponseChunkReceivedParams
from .upload import UploadCounters

if TYPE_CHECKING:
    from .connection import Connection

__all__ = ("ClientResponse", "ContentDisposition", "HeadersMixin", "detect_json_encoding")

_EMPTY_HEADERS: CIMultiDictProxy[str] = CIMultiDictProxy(CIMultiDict())


@dataclasses.dataclass(frozen=True, slots=True)
class ContentDisposition:
    """A parsed ``Content-Disposition`` header (RFC 6266 §4.1).

    Attributes:
        type: The disposition type, lower-cased (``attachment``, ``inline``...), or ``None``
            when the header is malformed.
        parameters: The parameters, names lower-cased, read-only.
        filename: The file name the parameters suggest (``filename*`` preferred), if any.
    """

    type: str | None
    parameters: Mapping[str, str]
    filename: str | None


class ClientResponse(UploadCounters, HeadersMixin):
    """A response: status and headers at once, the body as a stream or read whole.

    Use it with ``async with`` (or call :meth:`release`) so the connection goes back to the
    pool. Built by the session; applications don't construct it.

    Args:
        method: The request method.
        url: The request URL.
        writer: The task still writing the request body, if any.
        continue100: Accepted for compatibility.
        timer: Accepted for compatibility (the request's options carry the timeouts).
        request_info: What was sent.
        traces: The request's traces (``on_response_chunk_received``).
        loop: The event loop.
        session: The session (its ``fallback_charset_resolver`` decides charsets).
        stream_writer: Accepted for compatibility.
    """

    ATTRS = frozenset({"_content_dict", "_content_type", "_stored_content_type"})
    """Attribute names 3.x lists for the content-type cache; kept for code that reads it."""

    version: HttpVersion | None = None
    status: int = None  # type: ignore[assignment]
    reason: str | None = None
    content: StreamReader = None  # type: ignore[assignment]
    _body: bytes | None = None
    _connection: Connection | None = None
    _closed = True
    _released = False
    _in_context = False  # inside ``async with resp``
    _session_to_close: Any = None
    _read_limit: int | None = None  # set for a decoded body: read() stops past it

    def __init__(
        self,
        method: str,
        url: URL,
        *,
        writer: asyncio.Task[None] | None = None,
        continue100: Any = None,
        timer: Any = None,
        request_info: RequestInfo,
        traces: Any = None,
        loop: asyncio.AbstractEventLoop | None = None,
        session: Any = None,
        stream_writer: Any = None,
    ) -> None:
        self.method = method
        self._real_url = url
        self._url = url.with_fragment(None) if url.raw_fragment else url
        self._request_info = request_info
        self._loop = loop
        self._headers: CIMultiDictProxy[str] = _EMPTY_HEADERS
        self._raw_headers: RawHeaders = ()
        self._history: tuple[ClientResponse, ...] = ()
        self._cookies: SimpleCookie | None = None
        self._cookie_fields: tuple[str, ...] | None = None  # set by the cookies setter
        self._traces: Any = traces or ()
        self._session = session
        self._writer = writer

    # -- filled in by the session -----------------------------------------------------------

    def _start(self, head: ResponseHead, payload: StreamReader, connection: Connection) -> None:
        self.version = head.version
        self.status = head.status
        self.reason = head.reason
        self._headers = head.headers
        self._raw_headers = head.raw_headers
        self.content = payload
        self._connection = connection
        self._closed = False
        if head.upgrade:
            pass  # 101 or CONNECT: the connection stays with the response until detached
        elif payload.is_eof():
            # The connection already went back to the pool: closed, as in 3.x (the body that
            # arrived stays readable).
            self._connection = None
            self._closed = True
        else:  # by a weak reference: the stream must not keep a dropped response alive
            payload.on_eof(functools.partial(_payload_ended, weakref.ref(self)))

    async def start(self, connection: Connection) -> ClientResponse:
        """Read the head from ``connection.protocol``'s queue of responses, past interim (1xx)
        ones (RFC 9110 §15.2), as 3.x does; a response the session made has it already.

        Raises:
            ClientResponseError: The head could not be parsed.
        """
        if self.version is not None:  # the head is in
            return self
        try:
            head, payload = await _final_head(connection)
        except HttpProcessingError as exc:
            headers = None if exc.headers is None else CIMultiDictProxy(CIMultiDict(exc.headers))
            raise ClientResponseError(
                self._request_info, self._history, status=exc.code, message=exc.message,
                headers=headers,
            ) from exc  # fmt: skip
        self._start(head, payload, connection)
        return self

    # -- attributes -------------------------------------------------------------------------

    @property
    def url(self) -> URL:
        """The URL of the response, without its fragment."""
        return self._url

    @property
    def real_url(self) -> URL:
        """The requested URL, fragment included."""
        return self._real_url

    @property
    def url_obj(self) -> URL:
        """Deprecated alias of :attr:`url`."""
        warnings.warn("url_obj is deprecated, use .url", DeprecationWarning, stacklevel=2)
        return self._url

    @property
    def host(self) -> str:
        """The host of the URL."""
        return self._url.host or ""

    @property
    def headers(self) -> CIMultiDictProxy[str]:
        """The response headers."""
        return self._headers

    @property
    def raw_headers(self) -> RawHeaders:
        """The headers as received: ``(name, value)`` byte pairs."""
        return self._raw_headers

    @property
    def request_info(self) -> RequestInfo:
        """What was sent."""
        return self._request_info

    @property
    def history(self) -> tuple[ClientResponse, ...]:
        """The redirect responses that led to this one, oldest first."""
        return self._history

    @property
    def connection(self) -> Connection | None:
        """The connection carrying the body, until it is released."""
        return self._connection

    @property
    def cookies(self) -> SimpleCookie:
        """The cookies the response sets (``Set-Cookie``)."""
        if self._cookies is None:
            jar = SimpleCookie()
            for name, morsel in parse_set_cookie_headers(self._headers.getall("Set-Cookie", ())):
                # As in 3.x, names http.cookies finds illegal ("a{b}") are kept.
                dict.__setitem__(jar, name, morsel)
            self._cookies = jar
        return self._cookies

    @cookies.setter
    def cookies(self, cookies: SimpleCookie) -> None:
        """Replace the response's cookies: the session's jar stores these instead of the
        ``Set-Cookie`` fields (as in 3.x, for a middleware that rewrites them)."""
        self._cookies = cookies
        self._cookie_fields = tuple(morsel.OutputString() for morsel in cookies.values())

    @property
    def ok(self) -> bool:
        """Whether the status is below 400.

        An invalid status below 100 counts as a server error (RFC 9110 §15), so it is not ok.
        """
        return 100 <= self.status < 400

    @property
    def content_disposition(self) -> ContentDisposition | None:
        """The parsed ``Content-Disposition`` header, or ``None`` when absent."""
        raw = self._headers.get("Content-Disposition")
        if raw is None:
            return None
        dtype, params = parse_content_disposition(raw)
        return ContentDisposition(
            dtype, MappingProxyType(params), content_disposition_filename(params)
        )

    @property
    def links(self) -> MultiDictProxy[MultiDictProxy[str | URL]]:
        """The ``Link`` header (RFC 8288) by relation type."""
        return parse_links(self._headers.getall("Link", ()), self._url)

    @property
    def closed(self) -> bool:
        """Whether the response was released or closed."""
        return self._closed

    def __repr__(self) -> str:
        reason = self.reason.encode("ascii", "backslashreplace").decode() if self.reason else None
        return f"<ClientResponse({self._url}) [{self.status} {reason}]>\n{self._headers!r}\n"

    # -- reading the body -------------------------------------------------------------------

    async def read(self) -> bytes:
        """Read the whole body (cached for later calls).

        Raises:
            ClientPayloadError: The body was cut short or malformed.
            ClientConnectionError: The response was released before the body was read.
        """
        if self._body is None:
            if self.content is None:
                raise ClientConnectionError("Connection closed")
            try:
                if self._read_limit is None:
                    self._body = await self.content.read()
                else:
                    self._body = await _read_at_most(self.content, self._read_limit)
                for trace in self._traces:
                    await trace.send(
                        "response_chunk_received",
                        TraceResponseChunkReceivedParams(self.method, self._url, self._body),
                    )
            except BaseException:
                self.close()
                raise
            self._closed = True
            self._connection = None
        elif self._released:  # as in 3.x: released, the body is no longer the caller's
            raise ClientConnectionError("Connection closed")
        return self._body

    def get_encoding(self) -> str:
        """The charset to decode :meth:`text` with.

        Content-Type's ``charset`` first, named as its codec is; then the JSON rules for JSON
        types (RFC 8259 §8.1); then the session's ``fallback_charset_resolver`` (UTF-8 by
        default).

        Raises:
            RuntimeError: When the answer depends on a body not read yet.
        """
        resolver = getattr(self._session, "_resolve_charset", None)
        fallback = None if resolver is None else (lambda body: str(resolver(self, body)))
        return charset_of(self.charset, self._headers.get("Content-Type", ""), self._body, fallback)

    async def text(self, encoding: str | None = None, errors: str = "strict") -> str:
        """Read the body and decode it (see :meth:`get_encoding` for the charset).

        Raises:
            UnicodeDecodeError: The body is not valid in that charset (with ``errors="strict"``).
        """
        body = self._body if self._body is not None else await self.read()  # cached: as 3.x
        return body.decode(encoding or self.get_encoding(), errors=errors)

    async def json(
        self,
        *,
        encoding: str | None = None,
        loads: Callable[[str], Any] = json.loads,
        content_type: str | None = "application/json",
    ) -> Any:
        """Read the body and parse it as JSON.

        Args:
            encoding: The charset; detected when ``None``.
            loads: The JSON parser.
            content_type: The Content-Type to insist on (any JSON type passes for the default);
                ``None`` skips the check.

        Raises:
            ContentTypeError: The Content-Type is not the expected one.
        """
        body = self._body if self._body is not None else await self.read()  # cached: as 3.x
        if content_type:
            actual = self._headers.get("Content-Type", "").lower()
            expected_json = content_type == "application/json"
            if not (is_json(actual) if expected_json else content_type in actual):
                raise ContentTypeError(
                    self._request_info,
                    self._history,
                    status=self.status,
                    message=f"Attempt to decode JSON with unexpected mimetype: {actual}",
                    headers=self._headers,
                )
        if not body.strip():
            return None
        return loads(body.decode(encoding or self.get_encoding()))

    async def read_and_close(self, decode: bool = False) -> Any:
        """Read the body and release the connection (deprecated; use :meth:`read`).

        Args:
            decode: Parse the body as JSON.
        """
        warnings.warn(
            "read_and_close() is deprecated, use 'async with resp: await resp.read()' instead",
            DeprecationWarning,
            stacklevel=2,
        )
        try:
            if decode:
                return await self.json()
            return await self.read()
        finally:
            self.release()

    # -- ending -----------------------------------------------------------------------------

    def __del__(self, _warnings: Any = warnings) -> None:
        if not self._closed and self._connection is not None:
            _abandoned(self, _warnings)

    def _close_with_session(self, session: Any) -> None:
        """Close ``session`` when this response is released (``await aiohttp.request(...)``)."""
        self._session_to_close = session

    def _end_session(self) -> None:
        session = self._session_to_close
        if session is not None:
            self._session_to_close = None
            session._close_now()

    def release(self) -> Any:
        """Give the connection back: reused if the body was read to its end, else closed.

        Returns an awaitable, so ``await resp.release()`` (the 3.x spelling) also works.
        """
        self._let_go()
        connection = self._connection
        if connection is not None:
            self._connection = None
            connection.release()
        if self._session_to_close is not None:
            self._end_session()
        return _noop()

    def _let_go(self) -> None:
        """Mark the response released; an unfinished body fails its readers from now on."""
        self._released = True
        self._closed = True
        content = self.content
        if content is not None and content.exception() is None:
            # Even a body that has fully arrived: what was not read is not read after this.
            content.set_exception(ClientConnectionError("Connection closed"))

    def close(self) -> None:
        """Close the connection at once (it is never reused)."""
        self._let_go()
        connection = self._connection
        if connection is not None:
            self._connection = None
            connection.close()
        if self._session_to_close is not None:
            self._end_session()

    async def wait_for_close(self) -> None:
        """Wait until the body was read, then release the connection."""
        if self.content is not None and not self.content.is_eof():
            await self.content.wait_eof()
        self.release()

    def raise_for_status(self) -> None:
        """Raise :class:`ClientResponseError` for a status of 400 or more, or below 100.

        Raises:
            ClientResponseError: The status is 400 or more, or an invalid one below 100 (RFC
                9110 §15: processed as a 5xx).
        """
        if not self.ok:
            reason = self.reason
            if not self._in_context:  # inside ``async with`` the body stays readable (3.x)
                self.release()
            raise ClientResponseError(
                self._request_info,
                self._history,
                status=self.status,
                message=reason or "",
                headers=self._headers,
            )

    async def __aenter__(self) -> ClientResponse:
        self._in_context = True
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._in_context = False
        self.release()


# RFC 8288 §3: Link = #link-value; link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
_LINK_VALUE_SEPARATOR = re.compile(r",(?=[ \t]*<)")  # a comma that starts the next link-value
_LINK_PARAM_TEXT = re.compile(r'(?:[^;"]|"(?:[^"\\]|\\.)*")+')  # up to a ";" outside quotes
# A quoted-string, or a DQUOTE that opens none and the text its scan crossed. Such a DQUOTE ends
# a parameter's text, and so does each DQUOTE that scan crossed: they are made ";" beforehand,
# so no quote is scanned again to the end of the value from each one (quadratic).
_QUOTED_OR_UNCLOSED = re.compile(r'"(?:[^"\\]|\\.)*+(")?')
#: link-param = token BWS [ "=" BWS ( token / quoted-string ) ], the whole text (3.x's name).
_LINK_PARAM_RE = re.compile(
    r'([!#$%&\'*+.^_`|~0-9A-Za-z-]+)[ \t]*(?:=[ \t]*(?:"((?:[^"\\]|\\.)*)"|([^\s";,]*)))?\Z',
    re.ASCII,
)
_QUOTED_PAIR = re.compile(r"\\(.)")


def parse_links(values: Iterable[str], base: URL) -> MultiDictProxy[MultiDictProxy[str | URL]]:
    """The links of ``Link`` field values by relation type (their ``rel``, else their URL);
    each link's parameters as sent (names keep their case, as in 3.x), with its ``url``
    resolved against ``base``. Parameters that are not link-params are skipped."""
    links: MultiDict[MultiDictProxy[str | URL]] = MultiDict()
    for value in values:
        for link_value in _LINK_VALUE_SEPARATOR.split(value):
            target, _, params = link_value.strip().partition(">")
            link: MultiDict[str | URL] = MultiDict()
            params = _QUOTED_OR_UNCLOSED.sub(_unclosed_quotes_end_texts, params)
            for text in _LINK_PARAM_TEXT.findall(params):
                param = _LINK_PARAM_RE.match(text.strip())
                if param is not None and param.group(2) is not None:
                    link.add(param.group(1), _QUOTED_PAIR.sub(r"\1", param.group(2)))
                elif param is not None and param.group(3):
                    link.add(param.group(1), param.group(3))
            link["url"] = base.join(URL(target.strip().lstrip("<")))
            links.add(str(link.get("rel", link["url"])), MultiDictProxy(link))
    return MultiDictProxy(links)


def _unclosed_quotes_end_texts(match: re.Match[str]) -> str:
    text = match.group()
    return text if match.group(1) else text.replace('"', ";")


def _payload_ended(ref: weakref.ref[ClientResponse]) -> None:
    resp = ref()
    if resp is not None:
        resp._connection = None  # the connector took it back at the end of the message
        resp._closed = True


def _abandoned(resp: ClientResponse, _warnings: Any) -> None:
    """A response dropped unreleased: its connection goes back (closed unless the body ended),
    as in 3.x; in the loop's debug mode a :class:`ResourceWarning` says so."""
    connection, resp._connection = resp._connection, None
    if connection is not None:
        connection.release()
    loop = resp._loop
    if loop is not None and not loop.is_closed() and loop.get_debug():
        _warnings.warn(f"Unclosed response {resp!r}", ResourceWarning, source=resp)
        loop.call_exception_handler({"client_response": resp, "message": "Unclosed response"})


async def _read_at_most(content: StreamReader, limit: int) -> bytes:
    """The whole decoded body, failing as soon as it passes ``limit`` bytes.

    Raises:
        DecompressionLimitError: The body inflates past ``limit``.
    """
    pieces: list[bytes] = []
    size = 0
    while True:
        piece = await content.readany()
        if not piece:
            return b"".join(pieces)
        size += len(piece)
        if size > limit:
            raise DecompressionLimitError(
                f"The decoded body is larger than {limit} bytes (max_decompressed_read_size); "
                "read resp.content in pieces or raise the limit"
            )
        pieces.append(piece)


class _noop:
    """An awaitable that does nothing (``release()`` returns it)."""

    __slots__ = ()

    def __await__(self) -> Any:
        return iter(())


async def _final_head(connection: Connection) -> tuple[ResponseHead, StreamReader]:
    """The next final response on ``connection``'s queue, past interim (1xx) ones."""
    while True:
        head, payload = await connection.protocol.read()
        if not 100 <= head.status < 200 or head.status == 101:
            return head, payload
