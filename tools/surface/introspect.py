"""Describe the public surface of an installed aiohttp as JSON on stdout.

``tools/api_surface.py`` runs this file as a script, in a subprocess, once with the released
aiohttp and once with this package, so both sides are described by the same code. It uses the
standard library only and imports nothing from ``tools``::

    python -I introspect.py [--path DIR] [--walk] [MODULE ...]

``--path DIR`` puts ``DIR`` first on ``sys.path`` (to describe a source tree); ``--walk`` adds
every public module found under the ``aiohttp`` package to the modules named.

The JSON document: ``version`` (``aiohttp.__version__``), ``file`` (``aiohttp.__file__``),
``modules`` (per module: ``error``, ``has_all``, ``names`` with each public name's entry and
``others`` with the entries of the other names it can be imported from it) and
``objects`` (classes and callables, described once each and keyed by ``module.qualname``).
The rules for what is public and how values are written are in ``tools/api_surface.py``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import enum
import functools
import importlib
import inspect
import json
import logging
import pkgutil
import re
import sys
import types
import typing
from collections.abc import Iterator
from typing import Any

PACKAGE = "aiohttp"
# Names imported from these distributions are part of a module's surface; names imported
# from anywhere else (the standard library, typing) are not.
SOURCES = frozenset({"aiohttp", "multidict", "yarl"})
# The dunder members compared where a class defines them (``object``'s own are not counted).
DUNDERS = (
    "__call__",
    "__enter__",
    "__exit__",
    "__aenter__",
    "__aexit__",
    "__iter__",
    "__next__",
    "__aiter__",
    "__anext__",
    "__await__",
    "__getitem__",
    "__setitem__",
    "__delitem__",
    "__contains__",
    "__len__",
    "__bool__",
)
# Base classes named in ``bases`` besides the public ones from SOURCES.
BASE_MODULES = frozenset({"builtins", "collections.abc", "enum"})
TYPING_MODULES = frozenset({"typing", "typing_extensions", "collections.abc"})
SENTINEL_WORDS = ("sentinel", "unset", "notset", "notgiven")
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
PARAM_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: "positional-only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional-or-keyword",
    inspect.Parameter.VAR_POSITIONAL: "var-positional",
    inspect.Parameter.KEYWORD_ONLY: "keyword-only",
    inspect.Parameter.VAR_KEYWORD: "var-keyword",
}
SIMPLE = (str, bytes, int, float, bool, type(None))


def _root(module: object) -> str:
    return module.split(".")[0] if isinstance(module, str) else ""


def _typing_exports() -> set[int]:
    """The ids of the objects ``typing`` (and ``typing_extensions``) export, like ``Any``."""
    spaces: list[dict[str, Any]] = [vars(typing)]
    with contextlib.suppress(ImportError):
        spaces.append(vars(importlib.import_module("typing_extensions")))
    return {id(value) for space in spaces for value in space.values() if not _simple(value)}


def _simple(value: object) -> bool:
    if isinstance(value, SIMPLE):
        return True
    if type(value) in (tuple, list, set, frozenset):
        return all(_simple(item) for item in value)  # type: ignore[attr-defined]
    return False


# ----------------------------------------------------------------------------- values


def is_sentinel(value: object) -> bool:
    """A "not given" default: a bare ``object()``, an instance of a class named like a sentinel
    (``_SENTINEL``, ``_Unset``, ``NotGiven``), or an enum member named so."""
    if type(value) is object:
        return True
    names = [type(value).__name__]
    if isinstance(value, enum.Enum):
        names.append(value.name)
    return any(word in name.lower().replace("_", "") for name in names for word in SENTINEL_WORDS)


def qualified(value: Any) -> str:
    """A class or function by name: aiohttp's and builtins' by qualname, others with module."""
    module = getattr(value, "__module__", None) or ""
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", repr(value))
    if _root(module) == PACKAGE or module == "builtins" or not module:
        return str(name)
    return f"{module}.{name}"


def normal_repr(value: Any) -> str:
    """The repr of a default or constant, with what differs between two runs taken out."""
    if is_sentinel(value):
        return "<sentinel>"
    if isinstance(value, enum.Enum):
        return f"{type(value).__qualname__}.{value.name}"
    if isinstance(value, float) and value.is_integer():
        return repr(int(value))
    if isinstance(value, str | bytes | int | float | bool) or value is None:
        return repr(str(value) if isinstance(value, str) else value)
    if type(value) in (set, frozenset):
        items = ", ".join(sorted(normal_repr(item) for item in value))
        return f"{type(value).__name__}({{{items}}})"
    if type(value) in (tuple, list):
        items = ", ".join(normal_repr(item) for item in value)
        return (
            f"({items}{',' if len(value) == 1 else ''})" if type(value) is tuple else f"[{items}]"
        )
    if isinstance(value, logging.Logger):
        return f"<logger {value.name}>"
    if inspect.isclass(value) or inspect.isroutine(value):
        return qualified(value)
    return ADDRESS.sub("", repr(value))


def signature(value: Any) -> list[list[str | None]] | None:
    """``[name, kind, default]`` per parameter (default ``None`` when there is none)."""
    try:
        sig = inspect.signature(value)
    except (TypeError, ValueError):
        return None
    return [
        [
            param.name,
            PARAM_KINDS[param.kind],
            None if param.default is param.empty else normal_repr(param.default),
        ]
        for param in sig.parameters.values()
    ]


def _is_alias(value: Any) -> bool:
    """A type alias or type variable (``Union[...]``, ``Callable[...]``, ``X | Y``, ``T``)."""
    if isinstance(value, typing.TypeVar | types.GenericAlias | types.UnionType):
        return True
    return type(value).__module__ in TYPING_MODULES and not isinstance(value, type)


def name_kind(value: Any, typing_ids: set[int]) -> str:
    """What a module-level name is, as a user of it would tell."""
    if id(value) in typing_ids or _is_alias(value):
        return "type alias"
    if inspect.isclass(value):
        return "class"
    if inspect.isasyncgenfunction(value):
        return "async generator function"
    if inspect.iscoroutinefunction(value):
        return "coroutine function"
    if inspect.isroutine(value):
        return "function"
    if callable(value):
        return "callable"
    return "constant"


# ----------------------------------------------------------------------------- modules


def public_modules() -> list[str]:
    """The package and every module below it with no leading underscore in its dotted path."""
    found = [PACKAGE]
    pending = [(importlib.import_module(PACKAGE).__path__, PACKAGE)]
    while pending:
        path, prefix = pending.pop()
        for info in pkgutil.iter_modules(path, prefix + "."):
            if info.name.rsplit(".", 1)[1].startswith("_"):
                continue
            found.append(info.name)
            if info.ispkg:
                try:
                    pending.append((importlib.import_module(info.name).__path__, info.name))
                except Exception:  # reported when the module is described
                    continue
    return sorted(found)


def _top_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, looking inside ``if``/``try``/``with``/``for`` blocks."""
    for node in body:
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for field in ("body", "orelse", "finalbody"):
            yield from _top_statements(getattr(node, field, []))
        for handler in getattr(node, "handlers", []):
            yield from _top_statements(handler.body)


def _target_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for item in target.elts:
            yield from _target_names(item)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def bindings(module: types.ModuleType) -> dict[str, bool] | None:
    """Name -> whether one of its module-level bindings makes it part of the surface.

    A binding counts when the module's own code makes it (``def``, ``class``, assignment) or
    imports it from aiohttp (absolute or relative), multidict or yarl. ``None`` when there is
    no source to read.
    """
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError, SyntaxError):
        return None
    found: dict[str, bool] = {}

    def bind(name: str, counts: bool) -> None:
        found[name] = found.get(name, False) or counts

    for node in _top_statements(tree.body):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bind(node.name, True)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                for name in _target_names(target):
                    bind(name, True)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For):
            for name in _target_names(node.target):
                bind(name, True)
        elif isinstance(node, ast.With):
            for item in node.items:
                if item.optional_vars is not None:
                    for name in _target_names(item.optional_vars):
                        bind(name, True)
        elif isinstance(node, ast.ImportFrom):
            counts = node.level > 0 or _root(node.module) in SOURCES
            for alias in node.names:
                if alias.name != "*":
                    bind(alias.asname or alias.name, counts)
    return found


def public_names(module: types.ModuleType, typing_ids: set[int]) -> list[str]:
    """The module's public names, by the rule in ``tools/api_surface.py``."""
    explicit = getattr(module, "__all__", None)
    if explicit is not None:
        return list(dict.fromkeys(str(name) for name in explicit))
    bound = bindings(module)
    names = []
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        if bound is not None and name in bound:
            if bound[name] and id(value) not in typing_ids:
                names.append(name)
            continue
        origin = getattr(value, "__module__", None)
        if not isinstance(origin, str):
            origin = type(value).__module__
        if _root(origin) in SOURCES:
            names.append(name)
    return sorted(names)


# ----------------------------------------------------------------------------- classes


@functools.cache
def _class_nodes(filename: str) -> dict[str, ast.ClassDef]:
    """The ``class`` statements of a source file by qualname, parsed once per file."""
    try:
        with open(filename, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, UnicodeDecodeError):
        return {}
    found: dict[str, ast.ClassDef] = {}
    pending: list[tuple[str, list[ast.stmt]]] = [("", tree.body)]
    while pending:
        prefix, body = pending.pop()
        for node in _top_statements(body):
            if isinstance(node, ast.ClassDef):
                found[prefix + node.name] = node
                pending.append((f"{prefix}{node.name}.", node.body))
    return found


def _class_node(klass: type) -> ast.ClassDef | None:
    """A class's ``class`` statement, found through its methods' code where it can be.

    ``__module__`` is not enough: a class may name the module users import it from, while
    its source lives elsewhere.
    """
    files = []
    for value in vars(klass).values():
        function = getattr(value, "__func__", None) or getattr(value, "fget", None) or value
        code = getattr(function, "__code__", None)
        if code is not None:
            files.append(code.co_filename)
    files.append(getattr(sys.modules.get(klass.__module__), "__file__", None) or "")
    for filename in dict.fromkeys(files):
        node = _class_nodes(filename).get(klass.__qualname__)
        if node is not None:
            return node
    return None


def _instance_attributes(cls: type) -> set[str]:
    """Public names annotated in a class body or assigned as ``self.<name>`` in its methods.

    Read from the source of each class in the MRO that comes from aiohttp, multidict or yarl,
    so instance attributes count as members although the class object does not hold them.
    """
    found: set[str] = set()
    for klass in cls.__mro__:
        if _root(klass.__module__) not in SOURCES:
            continue
        node = _class_node(klass)
        for item in node.body if node is not None else []:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                found.add(item.target.id)
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.args.args:
                found.update(_self_assignments(item, item.args.args[0].arg))
    return {name for name in found if not name.startswith("_")}


def _self_assignments(function: ast.AST, self_name: str) -> Iterator[str]:
    for node in ast.walk(function):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == self_name
            ):
                yield target.attr


def member_kind(raw: Any) -> str:
    """What a class attribute found with ``inspect.getattr_static`` is."""
    if isinstance(raw, staticmethod):
        return "staticmethod"
    if isinstance(raw, classmethod):
        return "classmethod"
    if inspect.isfunction(raw):
        if inspect.isasyncgenfunction(raw):
            return "async generator method"
        return "coroutine method" if inspect.iscoroutinefunction(raw) else "method"
    if inspect.isroutine(raw):
        return "method"
    if inspect.isclass(raw):
        return "class"
    if inspect.ismemberdescriptor(raw) or inspect.isgetsetdescriptor(raw):
        return "attribute"
    if hasattr(type(raw), "__get__") and not _simple(raw):
        return "property"
    return "attribute"


def _own_dunder(cls: type, name: str) -> bool:
    for klass in cls.__mro__:
        if name in vars(klass):
            return klass is not object and vars(klass)[name] is not None
    return False


def _public_class(klass: type) -> bool:
    """A class from aiohttp, multidict or yarl with no leading underscore in its qualname."""
    parts = klass.__qualname__.split(".")
    return _root(klass.__module__) in SOURCES and not any(part.startswith("_") for part in parts)


@functools.cache
def member_names(cls: type) -> frozenset[str]:
    """``__init__``, the public names of ``dir()``, own DUNDERS and instance attributes."""
    names = {"__init__"} | _instance_attributes(cls)
    names.update(
        name
        for name in dir(cls)
        if not name.startswith("_") or (name in DUNDERS and _own_dunder(cls, name))
    )
    if issubclass(cls, enum.Enum):
        names -= set(cls.__members__)
    return frozenset(names)


def _static(cls: type, name: str) -> Any:
    try:
        return inspect.getattr_static(cls, name)
    except AttributeError:  # an instance attribute, or listed by a custom __dir__ only
        return None


def provider(cls: type, name: str) -> type | None:
    """The nearest public base class that gives ``cls`` this member unchanged, if any.

    A member a class inherits untouched is compared on the base that provides it, once.
    """
    for klass in cls.__mro__[1:]:
        if not _public_class(klass) or name not in member_names(klass):
            continue
        looked_up = ("__init__", "__new__") if name == "__init__" else (name,)
        same = all(_static(cls, attr) is _static(klass, attr) for attr in looked_up)
        return klass if same else None
    return None


def describe_member(cls: type, name: str) -> dict[str, Any]:
    if name == "__init__":  # the constructor, as a caller of the class sees it
        return {"kind": "method", "signature": signature(cls)}
    raw = _static(cls, name)
    if raw is None:
        return {"kind": "attribute"}
    kind = member_kind(raw)
    entry: dict[str, Any] = {"kind": kind}
    if kind == "staticmethod":
        entry["signature"] = signature(raw.__func__)
    elif kind in ("classmethod", "method", "coroutine method", "async generator method"):
        entry["signature"] = signature(getattr(cls, name) if kind == "classmethod" else raw)
    elif kind == "attribute" and isinstance(raw, SIMPLE):
        entry["value"] = normal_repr(raw)
    return entry


def base_classes(cls: type) -> list[type]:
    """The classes ``isinstance`` would match: public ones from SOURCES, builtins, ABCs, enums.

    A base named like the class itself (``class BasicAuth(namedtuple("BasicAuth", ...))``) is
    an implementation detail no user can name, and is left out.
    """
    return [
        klass
        for klass in cls.__mro__[1:]
        if klass is not object
        and (_public_class(klass) or klass.__module__ in BASE_MODULES)
        and not klass.__qualname__.startswith("_")
        and qualified(klass) != qualified(cls)
    ]


# ----------------------------------------------------------------------------- the document


class Describer:
    """Collects modules and the objects they name, each object described once."""

    def __init__(self) -> None:
        self.typing_ids = _typing_exports()
        self.objects: dict[str, dict[str, Any]] = {}
        self._idents: dict[int, str] = {}

    def ident(self, value: Any) -> str:
        """``module.qualname``, made unique when two objects share it."""
        known = self._idents.get(id(value))
        if known is not None:
            return known
        base = f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', '?')}"
        ident, count = base, 1
        while ident in self.objects:
            count += 1
            ident = f"{base}#{count}"
        self._idents[id(value)] = ident
        if inspect.isclass(value):
            self.objects[ident] = {}
            self.objects[ident] = self.describe_class(value)
        else:
            self.objects[ident] = {
                "kind": "callable",
                "module": getattr(value, "__module__", None),
                "signature": signature(value),
            }
        return ident

    def describe_class(self, cls: type) -> dict[str, Any]:
        members = {}
        for name in sorted(member_names(cls)):
            members[name] = describe_member(cls, name)
            source = provider(cls, name)
            if source is not None:
                members[name]["provider"] = self.ident(source)
        enum_members = None
        if issubclass(cls, enum.Enum):
            enum_members = {name: normal_repr(m.value) for name, m in cls.__members__.items()}
        return {
            "kind": "class",
            "module": cls.__module__,
            "bases": {
                qualified(klass): self.ident(klass) if _public_class(klass) else None
                for klass in base_classes(cls)
            },
            "members": members,
            "enum": enum_members,
        }

    def describe_name(self, value: Any) -> dict[str, Any]:
        kind = name_kind(value, self.typing_ids)
        entry: dict[str, Any] = {"kind": kind}
        if kind in ("class", "function", "coroutine function", "async generator function"):
            entry["ident"] = self.ident(value)
        elif kind == "callable":
            entry["signature"] = signature(value)
        elif kind == "constant":
            entry["type"] = type(value).__qualname__
            if _simple(value) or isinstance(value, enum.Enum):
                entry["value"] = normal_repr(value)
        return entry

    def describe_module(self, name: str) -> dict[str, Any]:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            missing = exc.name == name or name.startswith(f"{exc.name}.")
            return {"error": "missing" if missing else f"{type(exc).__name__}: {exc}"}
        except Exception as exc:  # any import failure is part of the report
            return {"error": f"{type(exc).__name__}: {exc}"}
        names = {}
        for attr in public_names(module, self.typing_ids):
            if hasattr(module, attr):
                names[attr] = self.describe_name(getattr(module, attr))
            else:
                names[attr] = {"kind": "unresolved"}
        others = {  # importable from the module, but not among its public names
            attr: self.describe_name(value)
            for attr, value in vars(module).items()
            if not attr.startswith("_")
            and attr not in names
            and not isinstance(value, types.ModuleType)
        }
        return {
            "error": None,
            "has_all": hasattr(module, "__all__"),
            "names": names,
            "others": others,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", help="put this directory first on sys.path")
    parser.add_argument("--walk", action="store_true", help="add every public module")
    parser.add_argument("modules", nargs="*")
    args = parser.parse_args(argv)
    if args.path:
        sys.path.insert(0, args.path)
    package = importlib.import_module(PACKAGE)
    names = set(args.modules)
    if args.walk:
        names.update(public_modules())
    describer = Describer()
    modules = {name: describer.describe_module(name) for name in sorted(names)}
    document = {
        "version": getattr(package, "__version__", None),
        "file": getattr(package, "__file__", None),
        "python": ".".join(map(str, sys.version_info[:3])),
        "modules": modules,
        "objects": dict(sorted(describer.objects.items())),
    }
    json.dump(document, sys.stdout, indent=1, sort_keys=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
