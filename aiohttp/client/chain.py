"""The request path: one chain of middlewares from ``ClientSession._request`` to the socket.

:meth:`ClientSession._request` resolves the call's arguments into a frozen
:class:`~aiohttp.client.options.RequestOptions`, builds the first
:class:`~aiohttp.client.request.ClientRequest` and hands it to the chain :func:`chain_for`
assembles. Every link is a middleware on the one interface users write theirs on,
``(request, handler) -> response``; a link reads its settings from ``request._options``.
Outermost first:

=================== ====================== =====================================================
step                module                 what it does
=================== ====================== =====================================================
``trace_step``      ``tracing``            ``on_request_start``, ``_end``, ``_exception``
``deadline_step``   here                   the total timeout, around everything below
``status_step``     here                   ``raise_for_status`` on the final response
``retry_step``      ``retry``              sends again as the :class:`RetryPolicy` allows
``redirect_step``   ``redirects``          follows redirects; credentials stay with their origin
``auth_step``       ``auth``               the session's credentials and ``.netrc``, each hop
``cookie_step``     ``cookiejar``          the jar's cookies out, ``Set-Cookie`` in, each hop
user middlewares    (the caller's)         the request's ``middlewares=``, else the session's
``exchange``        ``exchange``           one request and response on a pooled connection
=================== ====================== =====================================================

Where a user middleware sits follows aiohttp 3.x: each hop of a redirect passes through it
(so a middleware that guards against requests to internal hosts sees every hop), with the
request's credentials and the jar's cookies already in its headers, and the request it gets
can be changed and sent any number of times. As in aiohttp 3.x, a middleware that sends the
request again sends the ``Cookie`` field it got (a cookie set by the first answer is not
added), and the jar keeps the cookies of the response the middlewares return.

A step that has nothing to do for a request (no trace configs, no total timeout, no status
check, no retry policy, ``allow_redirects=False``, no session credentials) is left out of its
chain, so a plain GET runs through the redirect and cookie steps and the exchange only. Chains
are built once per shape and kept by the session.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from .auth import auth_step
from .cookiejar import cookie_step
from .exceptions import ServerTimeoutError
from .exchange import exchange
from .middlewares import ClientHandlerType, ClientMiddlewareType, build_client_middlewares
from .options import NO_ARGUMENTS
from .redirects import redirect_step
from .retry import retry_step
from .timeouts import Deadline
from .tracing import trace_step

if TYPE_CHECKING:
    from .options import RequestOptions
    from .request import ClientRequest
    from .response import ClientResponse

__all__ = ("chain_for", "deadline_step", "status_step")

_ChainKey = tuple[bool, bool, bool, bool, bool, bool, tuple[ClientMiddlewareType, ...]]
_MAX_CHAINS = 32


async def deadline_step(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    """Cancel the rest of the chain when the total timeout elapses (``ServerTimeoutError``)."""
    with Deadline(asyncio.get_running_loop(), req._options.deadline, _total_timeout_error):
        return await handler(req)


def _total_timeout_error() -> BaseException:
    return ServerTimeoutError("Timeout on request: total timeout elapsed")


async def status_step(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    """Check the final response: ``raise_for_status=True`` raises for 4xx and 5xx, a callable
    is awaited with the response."""
    resp = await handler(req)
    check = req._options.raise_for_status
    if callable(check):
        await check(resp)
    elif check:
        resp.raise_for_status()
    return resp


def _key(options: RequestOptions) -> _ChainKey:
    defaults = options.defaults
    return (
        bool(options.traces),
        options.deadline is not None,
        bool(options.raise_for_status),
        options.retry is not None,
        options.args.allow_redirects,
        defaults.auth is not None or defaults.trust_env,
        options.middlewares,
    )


def _build(key: _ChainKey) -> ClientHandlerType:
    traced, timed, checked, retried, redirected, authed, middlewares = key
    steps: list[ClientMiddlewareType] = []
    if traced:
        steps.append(trace_step)
    if timed:
        steps.append(deadline_step)
    if checked:
        steps.append(status_step)
    if retried:
        steps.append(retry_step)
    if redirected:
        steps.append(redirect_step)
    if authed:
        steps.append(auth_step)
    steps.append(cookie_step)
    steps.extend(middlewares)
    return build_client_middlewares(exchange, steps)


def chain_for(options: RequestOptions) -> ClientHandlerType:
    """The chain for a request of this shape (built once, then kept by the session)."""
    if options.args is NO_ARGUMENTS:  # the common call: one chain per session
        session = options.session
        plain: ClientHandlerType | None = session._plain_chain
        if plain is None:
            plain = session._plain_chain = _build(_key(options))
        return plain
    key = _key(options)
    chains = options.session._chains
    try:
        chain = chains.get(key)
    except TypeError:  # an unhashable middleware: build this one's chain each time
        return _build(key)
    if chain is None:
        if len(chains) >= _MAX_CHAINS:
            chains.clear()
        chain = chains[key] = _build(key)
    return chain
