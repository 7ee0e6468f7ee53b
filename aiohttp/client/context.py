"""What requests return: objects that work with ``await`` and with ``async with``.

``session.get(...)`` returns a :class:`RequestContextManager`; ``aiohttp.request(...)`` a
:class:`SessionRequestContextManager` (a one-request session closed with the response).
"""

from __future__ import annotations

import warnings
from collections.abc import Coroutine, Generator
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .response import ClientResponse
    from .session import ClientSession

__all__ = ("RequestContextManager", "SessionRequestContextManager")


class RequestContextManager:
    """What ``session.get(...)`` returns: ``await`` it or use ``async with``."""

    __slots__ = ("_coro", "_resp")

    def __init__(self, coro: Coroutine[Any, Any, ClientResponse]) -> None:
        self._coro = coro
        self._resp: ClientResponse | None = None

    def __await__(self) -> Generator[Any, None, ClientResponse]:
        return self._coro.__await__()

    def send(self, arg: None) -> Any:
        """Drive the request coroutine (generator protocol, for ``yield from``)."""
        return self._coro.send(arg)

    def throw(self, *args: Any) -> Any:
        """Throw into the request coroutine."""
        return self._coro.throw(*args)

    def close(self) -> None:
        """Close the request coroutine."""
        self._coro.close()

    def __iter__(self) -> Generator[Any, None, ClientResponse]:
        return self.__await__()

    async def __aenter__(self) -> ClientResponse:
        self._resp = await self._coro
        return await self._resp.__aenter__()  # the response's own block (3.x)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._resp is not None:
            await self._resp.__aexit__(exc_type, exc, tb)


class SessionRequestContextManager:
    """What :func:`request` returns: a one-request session closed with the response."""

    __slots__ = ("_coro", "_resp", "_session")

    def __init__(self, coro: Coroutine[Any, Any, ClientResponse], session: ClientSession) -> None:
        self._coro = coro
        self._session = session
        self._resp: ClientResponse | None = None

    async def __aenter__(self) -> ClientResponse:
        try:
            self._resp = await self._coro
        except BaseException:
            await self._session.close()
            raise
        return self._resp

    async def __aexit__(self, *exc: object) -> None:
        if self._resp is not None:
            self._resp.release()
        await self._session.close()

    def __await__(self) -> Generator[Any, None, ClientResponse]:
        return self._deprecated("await")

    def __iter__(self) -> Generator[Any, None, ClientResponse]:
        """``yield from aiohttp.request(...)`` in a generator-based coroutine (0.x)."""
        return self._deprecated("yield from")

    def _deprecated(self, spelling: str) -> Generator[Any, None, ClientResponse]:
        warnings.warn(
            f"'{spelling} aiohttp.request(...)' is deprecated; use "
            "'async with aiohttp.request(...) as resp:'",
            DeprecationWarning,
            stacklevel=3,
        )
        return self._await_response().__await__()

    async def _await_response(self) -> ClientResponse:
        try:
            resp = await self._coro
        except BaseException:
            await self._session.close()
            raise
        resp._close_with_session(self._session)
        return resp
