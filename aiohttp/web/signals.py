"""Frozen lists and signals: the callback lists an :class:`~aiohttp.web.Application` exposes.

``app.on_startup``, ``app.on_shutdown``, ``app.on_cleanup`` and ``app.on_response_prepare``
are :class:`aiosignal.Signal` objects, ``app.cleanup_ctx`` and ``app.middlewares`` are
:class:`frozenlist.FrozenList` objects, as in aiohttp 3.x: ordinary mutable lists until the
application is frozen (when it starts), read-only after. A signal's ``send()`` awaits every
callback in order, and refuses to run before the signal is frozen.
"""

from aiosignal import Signal
from frozenlist import FrozenList

__all__ = ["FrozenList", "Signal"]
