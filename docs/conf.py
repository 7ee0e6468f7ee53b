"""Sphinx configuration for the aiohttp docs."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "aiohttp"
author = "aiohttp contributors"
copyright = "aiohttp contributors"
release = "3.99.0"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
    # public paths in the reference, no internals outside the internals pages
    "public_api",
    # the HTTP/1.1 connection's state tables, printed from the code
    "state_tables",
]
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_ivar = True
autodoc_member_order = "bysource"
autodoc_typehints = "description"
# Types read as programs import them (``WSMsgType``), linked to their public entries.
python_use_unqualified_type_names = True
autodoc_default_options = {"members": True, "show-inheritance": True}
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
nitpicky = False
html_theme = "alabaster"
html_static_path: list[str] = []
exclude_patterns = ["_build"]
