"""Error answers the server writes itself: short pages that reveal nothing (but a handler's
traceback on its 500 page when the server runs with ``debug=True``, as in 3.x).

A parser error is answered with its status and short reason (the reason names what was wrong
with the request, never anything about the server); a handler that times out (raises
:class:`TimeoutError`, as ``asyncio.timeout()`` does) with a bare 504, as aiohttp 3.x does; any
other handler exception with 3.x's 500 page. Every error answer closes the connection.
"""

from __future__ import annotations

import html
import logging
import traceback
from http import HTTPStatus

from ..._sansio.errors import HttpProcessingError
from ..._sansio.http1.serializer import serialize_response_head
from ..exceptions import HTTPException
from ..messages.full_response import Response
from ..messages.response import SERVER_SOFTWARE, http_date

__all__ = [
    "RequestPayloadError",
    "error_bytes",
    "error_response",
    "handler_error_response",
    "not_a_response",
    "server_error_response",
]

_REASONS = {s.value: s.phrase for s in HTTPStatus}
_TROUBLE = HTTPStatus.INTERNAL_SERVER_ERROR.description  # "Server got itself in trouble"


class RequestPayloadError(Exception):
    """A request body is broken (bad chunk framing, bad content coding, cut short).

    Raised by the request's body reads (``read()``, ``text()``, ``post()``, ``content``); the
    parser's :class:`~aiohttp.http_exceptions.HttpProcessingError` is its ``__cause__``. Left
    uncaught in a handler, it is answered with that error's status.
    """


def _text(status: int, message: str) -> str:
    reason = _REASONS.get(status, "Error")
    return f"{status} {reason}\n\n{message}\n" if message else f"{status} {reason}\n"


def error_bytes(status: int, message: str) -> bytes:
    """A whole ``text/plain`` error response with ``Connection: close``, as bytes."""
    body = _text(status, message).encode("utf-8", "backslashreplace")
    head = serialize_response_head(
        status,
        None,
        (
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Date", http_date()),
            ("Server", SERVER_SOFTWARE),
            ("Connection", "close"),
        ),
    )
    return head + body


def error_response(status: int, message: str) -> Response:
    """An error :class:`~aiohttp.web.Response` that closes the connection."""
    resp = Response(status=status, text=_text(status, message))
    resp.force_close()
    return resp


def server_error_response(accept: str = "", detail: str | None = None) -> Response:
    """The ``500`` for a handler exception, as 3.x writes it: a plain page, or an HTML one when
    the client accepts ``text/html``. ``detail`` (the traceback, only in debug mode) replaces
    the generic line."""
    title = "500 Internal Server Error"
    if "text/html" in accept:
        body = f"<h2>Traceback:</h2>\n<pre>{html.escape(detail)}</pre>" if detail else _TROUBLE
        page = f"<html><head><title>{title}</title></head><body>\n<h1>{title}</h1>\n{body}\n"
        resp = Response(status=500, text=page + "</body></html>\n", content_type="text/html")
    else:
        resp = Response(status=500, text=f"{title}\n\n{detail or _TROUBLE}")
    resp.force_close()
    return resp


def handler_error_response(
    exc: Exception,
    logger: logging.Logger,
    remote: str | None = None,
    *,
    accept: str = "",
    debug: bool = False,
) -> Response:
    """The response for an exception a handler raised.

    A ``web.HTTP*`` exception is the response itself; an HTTP processing error (a bad body,
    say) is answered with its status and short reason; a :class:`TimeoutError` with a bare
    ``504`` (logged at ``DEBUG``, as 3.x does); anything else is logged to ``logger`` and
    answered with 3.x's ``500`` page (:func:`server_error_response`; the traceback in it only
    with ``debug``). The log line names the peer, as 3.x's does:
    ``Error handling request from <remote>``.
    """
    if isinstance(exc, HTTPException):
        return exc
    if isinstance(exc, TimeoutError):  # the handler's own business: DEBUG only, as in 3.x
        logger.debug("Request handler timed out.", exc_info=exc)
        return error_response(504, "")
    if isinstance(exc, RequestPayloadError) and isinstance(exc.__cause__, HttpProcessingError):
        exc = exc.__cause__
    if isinstance(exc, HttpProcessingError):
        return error_response(exc.code, exc.message)
    logger.exception("Error handling request from %s", remote, exc_info=exc)
    detail = "".join(traceback.format_exception(exc)) if debug else None
    return server_error_response(accept, detail)


def not_a_response(value: object, logger: logging.Logger) -> Response:
    """The ``500`` for a handler that returned ``value``, which is not a response (logged)."""
    logger.error("The handler returned %r instead of a response", type(value).__name__)
    return server_error_response()
