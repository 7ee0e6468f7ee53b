"""Header field names (case-insensitive ``multidict.istr``) and method names.

The same names as aiohttp 3.x's ``aiohttp.hdrs``: ``hdrs.CONTENT_TYPE``, ``hdrs.METH_GET``,
``hdrs.METH_ALL`` ... They are defined once, in :mod:`aiohttp._sansio.hdrs`, where every layer
of the package can import them; this module re-exports them at the path programs use.
"""

from multidict import istr  # noqa: F401 - in 3.x's namespace

from ._sansio.hdrs import *  # noqa: F403 - the whole module, re-exported
from ._sansio.hdrs import __all__  # noqa: F401 - the same list of names
