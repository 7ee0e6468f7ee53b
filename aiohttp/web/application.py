"""The application: routes, middlewares, signals and shared state, handed to the server.

Lifecycle: build the application and add routes; a runner (or ``app.make_handler()``) freezes it,
runs ``on_startup`` (which starts the ``cleanup_ctx`` generators first), serves requests through
:meth:`Application._handle`, then runs ``on_shutdown`` and ``on_cleanup``. Once frozen, routes,
middlewares, signals and state can no longer change.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
)
from contextlib import AbstractAsyncContextManager
from functools import lru_cache, partial, update_wrapper
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .._io.dev_mode import DEBUG, warn_custom_attribute
from .app_key import AppKey, AppState
from .exceptions import HTTPException, NotAppKeyWarning
from .messages.full_response import Response
from .messages.request import DEFAULT_CLIENT_MAX_FIELDS, BaseRequest, Request
from .middlewares import fix_current_app
from .routing.router import UrlDispatcher
from .routing.subapps import Domain, MaskDomain, MatchedSubAppResource, PrefixedSubAppResource
from .server.access_log import AbstractAccessLogger, AccessLogger
from .server.lowlevel import Server
from .signals import FrozenList, Signal

if TYPE_CHECKING:
    from .messages.response import StreamResponse
    from .routing.resources import AbstractResource
    from .routing.route import AbstractRoute
    from .routing.route_def import AbstractRouteDef

__all__ = ["Application", "CleanupError"]

_T = TypeVar("_T")
_U = TypeVar("_U")

Handler = Callable[[Request], Awaitable["StreamResponse"]]

web_logger = logging.getLogger("aiohttp.web")

# As in aiohttp 3.x: NotAppKeyWarning is shown only when asked for (-W default, -X dev, or a
# filter of the user's); appended, so every filter the user or a test runner sets comes first.
warnings.filterwarnings("ignore", category=NotAppKeyWarning, append=True)


class CleanupError(RuntimeError):
    """Several ``cleanup_ctx`` teardowns failed; :attr:`exceptions` holds them all."""

    @property
    def exceptions(self) -> list[BaseException]:
        """The errors, in the order they happened."""
        return cast("list[BaseException]", self.args[1])


class CleanupContext(FrozenList[Callable[["Application"], Any]]):
    """``app.cleanup_ctx``: set-up and tear-down pairs, entered on startup, exited on cleanup in
    reverse order.

    An entry is called with the application and returns either an async context manager (an
    ``@asynccontextmanager`` function, or a class with ``__aenter__``/``__aexit__``) or an async
    generator that yields once: the code before ``yield`` sets up, the code after it tears down.
    """

    __slots__ = ("_exits",)

    def __init__(self) -> None:
        super().__init__()
        self._exits: list[AbstractAsyncContextManager[Any]] = []

    async def _on_startup(self, app: Application) -> None:
        for factory in self:
            ctx = factory(app)
            if not isinstance(ctx, AbstractAsyncContextManager):
                ctx = _OneYield(ctx)
            await ctx.__aenter__()
            self._exits.append(ctx)

    async def _on_cleanup(self, app: Application) -> None:
        errors: list[BaseException] = []
        for ctx in reversed(self._exits):
            try:
                await ctx.__aexit__(None, None, None)
            except (Exception, asyncio.CancelledError) as exc:
                errors.append(exc)
        self._exits.clear()
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise CleanupError("Multiple errors on cleanup stage", errors)


class _OneYield(AbstractAsyncContextManager[None]):
    """An async generator that yields once, as a context manager: set up, then tear down."""

    __slots__ = ("_iterator",)

    def __init__(self, generator: AsyncIterator[None]) -> None:
        self._iterator = generator.__aiter__()

    async def __aenter__(self) -> None:
        await self._iterator.__anext__()

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            await self._iterator.__anext__()
        except StopAsyncIteration:
            return
        raise RuntimeError("generator didn't stop")  # a second yield (contextlib's, 3.x's words)


@lru_cache(maxsize=1024)
def _build_chain(handler: Handler, apps: tuple[Application, ...]) -> Handler:
    """Wrap ``handler`` in the new-style middlewares of ``apps`` (root outermost); cached."""
    nested = len(apps) > 1
    for app in reversed(apps):
        for mw, _new_style in app._middlewares_handlers:
            handler = update_wrapper(partial(mw, handler=handler), handler)
        if nested:  # request.app follows the chain only when there is more than one app
            handler = update_wrapper(partial(app._current_app_mw, handler=handler), handler)
    return handler


class Application(AppState):
    """A web application.

    Args:
        logger: The logger for the application's errors.
        router: Deprecated: a router to use instead of a new :class:`UrlDispatcher`.
        middlewares: Middlewares, the outermost first.
        handler_args: Extra keyword arguments for the low-level :class:`~aiohttp.web.Server` that
            serves the application (``AppRunner`` passes them on).
        client_max_size: The largest request body ``request.read()`` and friends accept
            (413 beyond).
        client_max_fields: The most form fields ``request.post()`` accepts (413 beyond).
        loop: Deprecated: the event loop is the running one.
        debug: Deprecated: use the event loop's debug mode.
    """

    #: The attributes an application has; in development mode setting another one warns.
    #:
    #: :meta hide-value:
    ATTRS = frozenset(
        {
            "_debug", "_router", "_loop", "_handler_args", "_middlewares",
            "_middlewares_handlers", "_current_app_mw", "_has_legacy_middlewares",
            "_run_middlewares", "_run_prepare_signal", "_state", "_frozen", "_pre_frozen",
            "_subapps", "_on_response_prepare", "_on_startup", "_on_shutdown", "_on_cleanup",
            "_client_max_size", "_client_max_fields", "_cleanup_ctx", "logger",
        }
    )  # fmt: skip

    def __init__(
        self,
        *,
        logger: logging.Logger = web_logger,
        router: UrlDispatcher | None = None,
        middlewares: Iterable[Any] = (),
        handler_args: Mapping[str, Any] | None = None,
        client_max_size: int = 1024**2,
        client_max_fields: int = DEFAULT_CLIENT_MAX_FIELDS,
        loop: asyncio.AbstractEventLoop | None = None,
        debug: Any = ...,
    ) -> None:
        if router is None:
            router = UrlDispatcher()
        else:
            warnings.warn("router argument is deprecated", DeprecationWarning, stacklevel=2)
        if loop is not None:
            warnings.warn(
                "loop argument is deprecated",  # the application runs on the running loop
                DeprecationWarning,
                stacklevel=2,
            )
        if debug is not ...:
            warnings.warn(
                "debug argument is deprecated",  # the event loop's debug mode is the switch
                DeprecationWarning,
                stacklevel=2,
            )
        self._debug = False if debug is ... else bool(debug)
        self._router = router
        self._loop = loop
        self._handler_args = handler_args
        self.logger = logger
        self._middlewares: FrozenList[Any] = FrozenList(middlewares)
        self._middlewares_handlers: tuple[tuple[Any, bool], ...] = ()
        self._current_app_mw: Any = fix_current_app(self)
        self._has_legacy_middlewares = False
        self._run_middlewares = False
        self._run_prepare_signal = True  # known once frozen: whether any app has a receiver
        self._state: dict[str | AppKey[Any], Any] = {}
        self._frozen = False
        self._pre_frozen = False
        self._subapps: list[Application] = []
        self._on_response_prepare: Signal[Request, StreamResponse] = Signal(self)
        self._on_startup: Signal[Application] = Signal(self)
        self._on_shutdown: Signal[Application] = Signal(self)
        self._on_cleanup: Signal[Application] = Signal(self)
        self._cleanup_ctx = CleanupContext()
        self._on_startup.append(self._cleanup_ctx._on_startup)
        self._on_cleanup.append(self._cleanup_ctx._on_cleanup)
        self._client_max_size = client_max_size
        self._client_max_fields = client_max_fields

    def __init_subclass__(cls, **kwargs: Any) -> None:
        warnings.warn(
            f"Inheritance class {cls.__name__} from web.Application is discouraged",
            DeprecationWarning,
            stacklevel=3,
        )
        super().__init_subclass__(**kwargs)

    if DEBUG:

        def __setattr__(self, name: str, value: Any) -> None:
            warn_custom_attribute("web.Application", name, self.ATTRS)
            super().__setattr__(name, value)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"<Application 0x{id(self):x}>"

    def __bool__(self) -> bool:
        return True

    def __call__(self) -> Application:
        """Return the application itself (what gunicorn and ``python -m aiohttp.web`` call)."""
        return self

    # properties -------------------------------------------------------------------------------

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """Deprecated: the event loop the application was bound to."""
        warnings.warn("loop property is deprecated", DeprecationWarning, stacklevel=2)
        return cast(asyncio.AbstractEventLoop, self._loop)

    def _set_loop(self, loop: asyncio.AbstractEventLoop | None) -> None:
        if loop is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = self._loop
        if self._loop is not None and loop is not None and self._loop is not loop:
            raise RuntimeError("web.Application instance initialized with different loop")
        self._loop = loop
        for subapp in self._subapps:
            subapp._set_loop(loop)

    @property
    def debug(self) -> bool:
        """Deprecated: whether debug mode was asked for."""
        warnings.warn("debug property is deprecated", DeprecationWarning, stacklevel=2)
        return self._debug

    @property
    def frozen(self) -> bool:
        """Whether the application was started (or mounted) and can no longer change."""
        return self._frozen

    @property
    def pre_frozen(self) -> bool:
        """Whether routes, middlewares and signals are frozen (state may still change)."""
        return self._pre_frozen

    @property
    def router(self) -> UrlDispatcher:
        """The router."""
        return self._router

    @property
    def middlewares(self) -> FrozenList[Any]:
        """The middlewares, the outermost first."""
        return self._middlewares

    @property
    def on_response_prepare(self) -> Signal[Request, StreamResponse]:
        """Awaited with ``(request, response)`` before a response's head is sent."""
        return self._on_response_prepare

    @property
    def on_startup(self) -> Signal[Application]:
        """Awaited with the application when it starts."""
        return self._on_startup

    @property
    def on_shutdown(self) -> Signal[Application]:
        """Awaited with the application when the server stops accepting requests."""
        return self._on_shutdown

    @property
    def on_cleanup(self) -> Signal[Application]:
        """Awaited with the application after the server stopped."""
        return self._on_cleanup

    @property
    def cleanup_ctx(self) -> CleanupContext:
        """Async generators: set up before ``yield`` on startup, torn down after it on cleanup."""
        return self._cleanup_ctx

    # freezing ---------------------------------------------------------------------------------

    def pre_freeze(self) -> None:
        """Freeze routes, middlewares and signals, and prepare the middleware chain."""
        if self._pre_frozen:
            return
        self._pre_frozen = True
        self._middlewares.freeze()
        self._router.freeze()
        self._on_response_prepare.freeze()
        self._cleanup_ctx.freeze()
        self._on_startup.freeze()
        self._on_shutdown.freeze()
        self._on_cleanup.freeze()
        self._middlewares_handlers = tuple(self._prepare_middleware())
        self._has_legacy_middlewares = any(not new for _, new in self._middlewares_handlers)
        self._run_middlewares = bool(self._middlewares)
        self._run_prepare_signal = bool(self._on_response_prepare)
        for subapp in self._subapps:
            subapp.pre_freeze()
            self._run_middlewares = self._run_middlewares or subapp._run_middlewares
            self._run_prepare_signal = self._run_prepare_signal or subapp._run_prepare_signal
            self._has_legacy_middlewares = (
                self._has_legacy_middlewares or subapp._has_legacy_middlewares
            )

    def freeze(self) -> None:
        """Freeze everything, state included (done when the application starts)."""
        if self._frozen:
            return
        self.pre_freeze()
        self._frozen = True
        for subapp in self._subapps:
            subapp.freeze()

    def _prepare_middleware(self) -> Iterator[tuple[Any, bool]]:
        for mw in reversed(self._middlewares):
            if getattr(mw, "__middleware_version__", None) == 1:
                yield mw, True
            else:
                warnings.warn(  # 3.x's words; write '@web.middleware async def mw(...)'
                    f'old-style middleware "{mw!r}" deprecated, see #2252',
                    DeprecationWarning,
                    stacklevel=3,
                )
                yield mw, False

    # sub-applications -------------------------------------------------------------------------

    def _add_subapp(
        self, factory: Callable[[], AbstractResource], subapp: Application
    ) -> AbstractResource:
        if self._frozen:
            raise RuntimeError("Cannot add sub application to frozen application")
        if subapp.frozen:
            raise RuntimeError("Cannot add frozen application")
        resource = factory()
        self._router.register_resource(resource)
        _reg_subapp_signals(self, subapp)
        self._subapps.append(subapp)
        subapp.pre_freeze()
        if self._loop is not None:
            subapp._set_loop(self._loop)
        return resource

    def add_subapp(self, prefix: str, subapp: Application) -> PrefixedSubAppResource:
        """Mount ``subapp`` under ``prefix``; its signals run with this application's.

        Raises:
            TypeError: ``prefix`` is not a string.
            ValueError: ``prefix`` is empty or ``/``.
            RuntimeError: One of the applications is frozen.
        """
        if not isinstance(prefix, str):
            raise TypeError("Prefix must be str")
        prefix = prefix.rstrip("/")
        if not prefix:
            raise ValueError("Prefix cannot be empty")
        resource = self._add_subapp(partial(PrefixedSubAppResource, prefix, subapp), subapp)
        return cast(PrefixedSubAppResource, resource)

    def add_domain(self, domain: str, subapp: Application) -> MatchedSubAppResource:
        """Hand requests whose ``Host`` matches ``domain`` (``*`` wildcards allowed) to ``subapp``.

        Raises:
            TypeError: ``domain`` is not a string.
            ValueError: ``domain`` is not a valid host name or mask.
        """
        if not isinstance(domain, str):
            raise TypeError("Domain must be str")
        rule = MaskDomain(domain) if "*" in domain else Domain(domain)
        resource = self._add_subapp(partial(MatchedSubAppResource, rule, subapp), subapp)
        return cast(MatchedSubAppResource, resource)

    def add_routes(self, routes: Iterable[AbstractRouteDef]) -> list[AbstractRoute]:
        """Register route definitions (see :class:`web.RouteTableDef`)."""
        return self._router.add_routes(routes)

    # lifecycle --------------------------------------------------------------------------------

    async def startup(self) -> None:
        """Run ``on_startup`` (the ``cleanup_ctx`` generators start first)."""
        await self.on_startup.send(self)

    async def shutdown(self) -> None:
        """Run ``on_shutdown``."""
        await self.on_shutdown.send(self)

    async def cleanup(self) -> None:
        """Run ``on_cleanup`` (the ``cleanup_ctx`` generators finish first)."""
        if self.on_cleanup.frozen:
            await self.on_cleanup.send(self)
        else:
            await self._cleanup_ctx._on_cleanup(self)

    # serving ----------------------------------------------------------------------------------

    def _make_handler(
        self,
        *,
        loop: asyncio.AbstractEventLoop | None = None,
        access_log_class: type[AbstractAccessLogger] = AccessLogger,
        **kwargs: Any,
    ) -> Server:
        if not issubclass(access_log_class, AbstractAccessLogger):
            raise TypeError(
                f"access_log_class must be subclass of aiohttp.abc.AbstractAccessLogger, "
                f"got {access_log_class}"
            )
        self._set_loop(loop)
        self.freeze()
        kwargs["access_log_class"] = access_log_class
        if self._handler_args:
            kwargs.update(self._handler_args)
        handler = cast("Callable[[BaseRequest], Awaitable[StreamResponse]]", self._handle)
        return Server(handler, request_factory=self._make_request, loop=self._loop, **kwargs)

    def make_handler(
        self,
        *,
        loop: asyncio.AbstractEventLoop | None = None,
        access_log_class: type[AbstractAccessLogger] = AccessLogger,
        **kwargs: Any,
    ) -> Server:
        """Deprecated: the protocol factory for ``loop.create_server``; use ``AppRunner``."""
        warnings.warn(
            "Application.make_handler(...) is deprecated, use AppRunner API instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._make_handler(loop=loop, access_log_class=access_log_class, **kwargs)

    def _make_request(
        self,
        message: Any,
        payload: Any,
        protocol: Any,
        writer: Any,
        task: asyncio.Task[None] | None,
        _cls: type[Request] = Request,
    ) -> Request:
        loop = self._loop
        if loop is None:
            loop = self._loop = asyncio.get_running_loop()
        return _cls(
            message,
            payload,
            protocol,
            writer,
            task,
            loop,
            client_max_size=self._client_max_size,
            client_max_fields=self._client_max_fields,
        )

    async def _handle(self, request: Request) -> StreamResponse:
        """Route ``request``, run ``Expect`` handling, the middlewares and the handler."""
        match_info = await self._router.resolve(request)
        match_info.add_app(self)
        match_info.freeze()
        request._match_info = match_info
        request._needs_prepare_hook = self._run_prepare_signal
        if request.headers.get("Expect"):
            response = await match_info.expect_handler(request)
            await request.writer.drain()
            if response is not None:
                return cast("StreamResponse", response)
        handler: Handler = match_info.handler
        if self._run_middlewares:
            if self._has_legacy_middlewares:
                handler = await _legacy_chain(handler, match_info.apps)
            elif match_info.http_exception is not None:
                # A 404/405 has a handler of its own per request: caching its chain would keep
                # one entry per request (CVE-2024-52303's class).
                handler = _build_chain.__wrapped__(handler, match_info.apps)
            else:
                handler = _build_chain(handler, match_info.apps)
        response = await handler(request)
        if type(response) is not Response and isinstance(response, HTTPException):
            warnings.warn(
                "returning HTTPException object is deprecated (#2415) and will be removed, "
                "please raise the exception instead",
                DeprecationWarning,
                stacklevel=2,
            )
        return response


async def _legacy_chain(handler: Handler, apps: tuple[Application, ...]) -> Handler:
    """Wrap ``handler`` in the middlewares of ``apps``, old-style factories included."""
    for app in reversed(apps):
        for mw, new_style in app._middlewares_handlers:
            if new_style:
                handler = update_wrapper(partial(mw, handler=handler), handler)
            else:
                handler = await mw(app, handler)
        if len(apps) > 1:
            handler = update_wrapper(partial(app._current_app_mw, handler=handler), handler)
    return handler


def _reg_subapp_signals(parent: Application, subapp: Application) -> None:
    """Run ``subapp``'s startup, shutdown and cleanup signals with ``parent``'s."""

    def register(name: str) -> None:
        sub_signal: Signal[Application] = getattr(subapp, name)

        async def handler(app: Application) -> None:
            await sub_signal.send(subapp)

        getattr(parent, name).append(handler)

    register("on_startup")
    register("on_shutdown")
    register("on_cleanup")
