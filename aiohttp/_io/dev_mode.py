"""Python's development mode (``-X dev`` or ``PYTHONASYNCIODEBUG``), in which aiohttp 3.x runs
extra checks: setting an attribute an object does not have (a ``ClientSession``, an
``Application``, a ``Request``) warns, since such state belongs elsewhere.

The check is installed when a class is built, so outside development mode setting an
attribute costs nothing extra. Client and server both use it, so it lives below them.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Set

__all__ = ["DEBUG", "warn_custom_attribute"]

#: Whether the extra development-mode checks run in this process (3.x's ``helpers.DEBUG``).
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
