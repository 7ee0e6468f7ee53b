"""Sphinx checks that keep the reference at the public paths and free of internals.

- Every class and function a user imports from a public module (:data:`PUBLIC_MODULES`) is
  documented, and only at a public path (``aiohttp.ClientSession``, never
  ``aiohttp.client.session.ClientSession``). An ``automodule`` of an internal module leaves such
  names out by itself: they are documented where users import them from. Nor does it document
  the classes of other libraries a module imports (aiosignal's ``Signal``).
- Base classes are shown at their public paths too.
- No rendered page shows a sentinel's repr (``<object object>``), and no page but the internals
  pages (``internals`` and ``internals/*``) names a private method or property of a class of
  the package (``_request``, ``Session._follow``).

Each failure is a Sphinx warning, so ``sphinx-build -W`` fails on it. The checks are plain
functions (:func:`leaks`, :func:`misplaced`, :func:`undocumented`) that the test suite also runs.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable, Iterator
from typing import Any

#: The modules users import from, in the order their names are looked up.
PUBLIC_MODULES = (
    "aiohttp",
    "aiohttp.web",
    "aiohttp.abc",
    "aiohttp.test_utils",
    "aiohttp.pytest_plugin",
    "aiohttp.worker",
    "aiohttp.wsgi",
    "aiohttp.helpers",
)

#: Public paths outside ``__all__``: the workers are ``aiohttp.GunicornWebWorker`` (gunicorn's
#: ``--worker-class`` spelling) as in aiohttp 3.x, imported on first use.
LAZY_PUBLIC = ("aiohttp.GunicornWebWorker", "aiohttp.GunicornUVLoopWebWorker")

SENTINEL = "<object object"

#: The packages whose classes and functions an ``automodule`` documents.
OWN_PACKAGES = ("aiohttp", "conformance")


def internals_page(docname: str) -> bool:
    return docname == "internals" or docname.startswith("internals/")


def _documentable(obj: Any) -> bool:
    return inspect.isclass(obj) or inspect.isroutine(obj) or callable(obj)


def public_paths(modules: Iterable[str] = PUBLIC_MODULES) -> dict[int, set[str]]:
    """The public dotted paths of each public class and function, by ``id``."""
    paths: dict[int, set[str]] = {}
    for name in modules:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if not inspect.ismodule(obj) and _documentable(obj):
                paths.setdefault(id(obj), set()).add(f"{name}.{attr}")
    for path in LAZY_PUBLIC:
        paths.setdefault(id(_resolve(path)), set()).add(path)
    return paths


def _resolve(path: str) -> Any:
    """The object a dotted path names, or None."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr, None)
        return obj
    return None


def misplaced(documented: Iterable[str], paths: dict[int, set[str]]) -> Iterator[str]:
    """Documented names that reach a public object by a path other than its public ones."""
    for name in documented:
        parts = name.split(".")
        for cut in range(2, len(parts) + 1):
            prefix = ".".join(parts[:cut])
            obj = _resolve(prefix)
            if obj is None or inspect.ismodule(obj):
                continue
            public = paths.get(id(obj))
            if public and prefix not in public:
                yield f"{name}: {prefix} is public as {min(public)}"
            break


def undocumented(documented: Iterable[str], paths: dict[int, set[str]]) -> Iterator[str]:
    """Public objects documented at none of their public paths."""
    names = set(documented)
    for public in paths.values():
        if not public & names:
            yield f"{min(public)} is public but not documented"


def private_names(package: str = "aiohttp") -> set[str]:
    """The private methods and properties (``_name``, not dunders) of the package's classes."""
    found: set[str] = set()
    root = importlib.import_module(package)
    modules = [root] + [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(root.__path__, f"{package}.")
        if not info.name.endswith("__main__")
    ]
    for module in modules:
        for obj in vars(module).values():
            if inspect.isclass(obj) and obj.__module__.startswith(package):
                for key, value in vars(obj).items():
                    if key.startswith("_") and not key.endswith("__") and callable_member(value):
                        found.add(key)
    return found


def callable_member(value: Any) -> bool:
    return inspect.isfunction(value) or isinstance(value, property | staticmethod | classmethod)


def leaks(text: str, private: Iterable[str], *, internals: bool) -> list[str]:
    """What a rendered page must not show: a sentinel's repr anywhere; a private method or
    property of the package outside the internals pages."""
    found = [SENTINEL] if SENTINEL in text else []
    if not internals and (names := sorted(private, key=len, reverse=True)):
        alternatives = "|".join(map(re.escape, names))
        pattern = re.compile(rf"(?<!\w)(?:[A-Za-z]\w*\.)?(?:{alternatives})(?!\w)")
        found += sorted({m.group(0) for m in pattern.finditer(text)})
    return found


def _readable_defaults(signature: str | None, paths: dict[int, set[str]]) -> str | None:
    """Defaults as a reader should see them: ``<object object>`` ("not given" sentinels, as in
    aiohttp 3.x) reads ``...``, and a public class reads as its public path."""
    if signature is None:
        return None
    signature = re.sub(r"<object object(?: at 0x[0-9a-f]+)?>", "...", signature)

    def public_class(match: re.Match[str]) -> str:
        public = paths.get(id(_resolve(match.group(1))))
        return min(public) if public else match.group(0)

    return re.sub(r"<class '([\w.]+)'>", public_class, signature)


def paths_in(text: str) -> set[str]:
    """The dotted ``aiohttp.`` paths a text names."""
    return set(re.findall(r"\baiohttp(?:\.\w+)+", text))


def setup(app: Any) -> dict[str, Any]:
    from docutils.parsers.rst import directives  # noqa: PLC0415 (docs only)
    from sphinx.util import logging  # noqa: PLC0415

    logger = logging.getLogger(__name__)
    state: dict[str, Any] = {}

    def paths() -> dict[int, set[str]]:
        if "paths" not in state:
            state["paths"] = public_paths()
            state["private"] = private_names()
        return state["paths"]  # type: ignore[no-any-return]

    def state_private() -> set[str]:
        paths()
        return state["private"]  # type: ignore[no-any-return]

    def wrap_automodule(app: Any, config: Any) -> None:
        # Remember which module an automodule documents, for skip_member.
        base = directives._directives["automodule"]  # registered by autodoc

        class AutoModule(base):  # type: ignore[misc, valid-type]
            def run(self) -> Any:
                state["module"] = self.arguments[0]
                try:
                    return super().run()
                finally:
                    state.pop("module", None)

        app.add_directive("automodule", AutoModule, override=True)

    def skip_member(  # noqa: PLR0917 (the event's signature)
        app: Any, what: str, name: str, obj: Any, skip: bool, options: Any
    ) -> Any:
        # A public object under the automodule of a module users do not import it from is
        # documented at its public path instead.
        if what != "module":
            return None
        public = paths().get(id(obj))
        if public and state.get("module") not in {p.rpartition(".")[0] for p in public}:
            return True
        # Another library's class or function (aiosignal's Signal): its own docs describe it.
        if inspect.isclass(obj) or inspect.isroutine(obj):
            return not getattr(obj, "__module__", "").startswith(OWN_PACKAGES) or None
        return None

    def process_signature(  # noqa: PLR0917 (the event's signature)
        app: Any, what: str, name: str, obj: Any, options: Any, signature: Any, annotation: Any
    ) -> Any:
        return _readable_defaults(signature, paths()), annotation

    def process_bases(app: Any, name: str, obj: Any, options: Any, bases: list[Any]) -> None:
        for i, base in enumerate(bases):
            if public := paths().get(id(base)):
                bases[i] = f":py:class:`{min(public)}`"

    def check_page(app: Any, doctree: Any, docname: str) -> None:
        text, internals = doctree.astext(), internals_page(docname)
        shown = leaks(text, state_private(), internals=internals)
        problems = [f"the page shows {leak!r}" for leak in shown]
        if not internals:
            problems += list(misplaced(paths_in(text), paths()))
        for problem in problems:
            logger.warning(problem, location=docname)

    def check_reference(app: Any, env: Any) -> None:
        objects = env.get_domain("py").objects
        # Aliased entries are the defining paths autodoc records as ``:canonical:`` targets for
        # cross-references; they are not shown.
        documented = [
            name
            for name, entry in objects.items()
            if entry.objtype != "module" and not getattr(entry, "aliased", False)
        ]
        for problem in [*misplaced(documented, paths()), *undocumented(documented, paths())]:
            logger.warning(problem)

    app.connect("config-inited", wrap_automodule, priority=900)
    app.connect("autodoc-skip-member", skip_member)
    app.connect("autodoc-process-signature", process_signature)
    app.connect("autodoc-process-bases", process_bases)
    app.connect("doctree-resolved", check_page)
    app.connect("env-check-consistency", check_reference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
