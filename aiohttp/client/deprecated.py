"""Warnings for arguments aiohttp 3.x deprecated and still accepts."""

from __future__ import annotations

import asyncio
import warnings

__all__ = ("warn_loop_argument", "warn_ssl_shutdown_timeout")


def warn_loop_argument(loop: asyncio.AbstractEventLoop | None, what: str, stacklevel: int) -> None:
    """Warn about ``loop=`` unless it names the running loop (3.x accepts that quietly).

    The 0.x spelling, a loop passed from outside any coroutine, still works with a warning.
    """
    if loop is None:
        return
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if loop is not running:
        warnings.warn(
            f"The loop argument is deprecated; create {what} inside a coroutine",
            DeprecationWarning,
            stacklevel=stacklevel + 1,
        )


def warn_ssl_shutdown_timeout(stacklevel: int = 3) -> None:
    """Warn that ``ssl_shutdown_timeout`` (deprecated in 3.x) is accepted and ignored."""
    warnings.warn(
        "The ssl_shutdown_timeout parameter is deprecated and ignored",
        DeprecationWarning,
        stacklevel=stacklevel,
    )
