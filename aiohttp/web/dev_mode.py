"""Python's development mode (``-X dev`` or ``PYTHONASYNCIODEBUG``), which turns on the extra
checks aiohttp 3.x runs there: setting an attribute an :class:`~aiohttp.web.Application` or a
:class:`~aiohttp.web.Request` does not have warns, since state belongs in ``app[key]`` and
``request[key]``.

The check is installed when the class is built, so outside development mode setting an
attribute costs nothing extra.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Set

__all__ = ["DEBUG", "warn_custom_attribute"]

#: Whether the extra development-mode checks run in this process.
DEBUG = sys.flags.dev_mode or (
    not sys.flags.ignore_environment and bool(os.environ.get("PYTHONASYNCIODEBUG"))
)


def warn_custom_attribute(owner: str, name: str, known: Set[str]) -> None:
    """Warn that ``owner.name`` is not one of the ``known`` attributes (two frames up)."""
    if name not in known:
        warnings.warn(
            f"Setting custom {owner}.{name} attribute is discouraged",
            DeprecationWarning,
            stacklevel=3,
        )
