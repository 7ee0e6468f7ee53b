"""Compare the public API of this package with the released aiohttp 3.14.5, module by module.

The released aiohttp is installed from the package index into a venv cached under
build/api-surface/ (reused while it works). Both sides are introspected in subprocesses by the
same script (tools/surface/introspect.py): the reference with its pure-Python classes
(AIOHTTP_NO_EXTENSIONS=1), ours from this source tree. Differences not listed in
tools/api_surface_allow.txt, and entries there that no longer match a difference, fail the
check (exit status 1); the report is grouped by module and ends with counts.

What is compared
  Modules   aiohttp, and every aiohttp.* module with no leading underscore in any part of its
            dotted name, found by walking the reference package, plus the modules aiohttp
            3.14's documentation references (aiohttp, aiohttp.abc, aiohttp.web,
            aiohttp.test_utils, aiohttp.pytest_plugin, aiohttp.worker). A module we lack, or
            cannot import, is a difference.
  Names     a module's __all__ where it defines one. Otherwise its names with no leading
            underscore that are not modules and that the module's own source binds by def,
            class or assignment, or imports from aiohttp (absolute or relative), multidict or
            yarl; names imported from anywhere else (Any, asyncio, Callable, TYPE_CHECKING) and
            names whose value is an object typing exports (the `X = Any` placeholders) are not
            public. Names the source does not bind (star imports) count when their object, or
            its type, comes from aiohttp, multidict or yarl. A module without __all__ where
            3.14.5 has one is a difference. Where 3.14.5's module has no __all__ it promises
            only that its names import, so any attribute of ours by that name is present.
  Kinds     class, function, coroutine function, async generator function, type alias,
            callable object, constant; for members: method, coroutine method, async generator
            method, classmethod, staticmethod, property, attribute, class. A property and an
            attribute read alike, and so do a function and a callable object: those pairs are
            not differences.
  Classes   members: public names of dir(cls), instance attributes (annotated in a class body
            or assigned as self.<name> in a method, read from the source of each aiohttp class in
            the MRO), __init__ (the signature of calling the class), and where the class has
            them (other than object's) __call__, __enter__/__exit__, __aenter__/__aexit__,
            __iter__/__next__, __aiter__/__anext__, __await__, __getitem__/__setitem__/
            __delitem__, __contains__, __len__ and __bool__. A member a class inherits unchanged
            from a public base is compared once, on that base. Bases: the public aiohttp,
            multidict and yarl classes in the MRO and those from builtins (exceptions, dict,
            str ...), collections.abc and enum (not a base named like the class itself, as
            namedtuple subclasses have). Enum members by name and value. Scalar class
            attributes (str, bytes, int, float, bool, None) by value.
  Signatures  parameter names, kinds and defaults, never annotations; positional order
            and parameters inserted before shared positional ones. The dunders Python calls
            itself (__exit__, __getitem__ ...) by position, not by name. Defaults are written
            normalised: a bare object() and sentinel enum members or instances are <sentinel>;
            classes and functions by qualified name (aiohttp's and builtins' by qualname);
            loggers as <logger NAME>; sets sorted; an integral float as the int; " at 0x..."
            addresses dropped. Signatures that cannot be read are not compared.
  Constants the type name, and the value of scalars, tuples, lists, sets and enum members.
  Same object  where 3.14.5 exports one class or function under several names, it is
            compared where it is most at home (its defining module, else a module whose
            __all__ lists it, else the root), and the other places must export the same object.

Keys (one line each, as written in the allowlist; where two values appear, 3.14.5's is first)
  aiohttp.log missing                          aiohttp.log import error
  aiohttp.web:RequestKey missing               aiohttp.foo:__all__ missing
  aiohttp.test_utils:TestClient.__enter__ missing
  aiohttp.web:Application.__init__:param client_max_fields missing
  aiohttp.x:f:param p kind keyword-only != positional-or-keyword
  aiohttp.x:f:param p default 300 != None       (<required> when ours has none)
  aiohttp.x:f:param p extra and required        aiohttp.x:f:param p extra before q
  aiohttp.x:f:positional order (a, b) != (b, a)
  aiohttp.x:C base ClientError missing          aiohttp.x:C.m kind coroutine method != method
  aiohttp.x:E.MEMBER value 1 != 2               aiohttp.x:NAME value 'a' != 'b'
  aiohttp.x:NAME type str != int                aiohttp.x:NAME is not aiohttp.y:NAME
Extras (what only we have: names, members, optional parameters, bases, modules) are reported
as information and never fail the check.

Allowlist reasons start with TODO:, Windows-only:, documented-private: or security: (which must
name the docs/ page that documents the difference); see tools/surface/allowlist.py.

Examples
  python tools/api_surface.py                      the whole report; exit 1 on a failure
  python tools/api_surface.py --module 'aiohttp.web*' --show-allowed
  python tools/api_surface.py --json build/api-surface/report.json --show-extras
  python tools/api_surface.py --write-allowlist    after closing gaps (keeps given reasons)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.surface.cli import main

if __name__ == "__main__":
    sys.exit(main(__doc__ or ""))
