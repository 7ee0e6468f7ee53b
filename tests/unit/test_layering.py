"""The import arrows of DESIGN.md, read from the source with ``ast``.

``_sansio`` -> stdlib only. ``_io`` -> ``_sansio``. ``client`` and ``web`` -> ``_io`` and
``_sansio``, never each other. ``testing`` (the test kit) -> ``web``, ``_io``, ``_sansio`` (and
``helpers`` for ``sentinel``).
``worker`` and ``wsgi`` -> ``web``. The ``conformance`` core -> stdlib only; only its adapter
modules may import ``aiohttp``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "aiohttp"

# Third-party distributions a layer may use besides the standard library.
RUNTIME_THIRD_PARTY = {
    "multidict",
    "yarl",
    "chardet",
    "frozenlist",
    "aiosignal",
    "propcache",
    "brotli",
    "brotlicffi",
    "zstandard",
}

# For each layer, the aiohttp layers it may import.
ALLOWED: dict[str, set[str]] = {
    "_sansio": {"_sansio"},
    "_io": {"_io", "_sansio"},
    "client": {"client", "_io", "_sansio"},
    "web": {"web", "_io", "_sansio"},
    # The test kit: a fault server over the sans-I/O core, request fakes over the server;
    # ``helpers`` for 3.x's ``sentinel``, the default in make_mocked_coro's signature.
    "testing": {"testing", "_io", "_sansio", "web", "helpers"},
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, module_name: str | None = None) -> list[str]:
    """Every absolute module name imported by ``path``, with relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name if module_name is not None else _module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base)
                module = f"{stem}.{node.module}" if node.module else stem
                if node.module is None:
                    found.extend(f"{module}.{alias.name}" for alias in node.names)
                    continue
            else:
                module = node.module or ""
            found.append(module)
    return found


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "aiohttp" or len(parts) < 2:
        return None
    return parts[1]


def _files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_what_design_allows(layer: str) -> None:
    stdlib = sys.stdlib_module_names
    problems = []
    for path in _files(layer):
        for module in _imports(path):
            top = module.split(".")[0]
            if top == "aiohttp":
                target = _layer_of(module)
                if target not in ALLOWED[layer]:
                    problems.append(f"{path.relative_to(ROOT)} imports {module}")
            elif top not in stdlib and top not in RUNTIME_THIRD_PARTY:
                problems.append(f"{path.relative_to(ROOT)} imports third-party {module}")
    assert problems == []


FORBIDDEN_IN_SANSIO = {"asyncio", "socket", "ssl", "threading", "selectors", "time", "multidict"}


def test_sansio_has_no_io_or_clock() -> None:
    # multidict is allowed only for the header views named in DESIGN.md.
    problems = []
    for path in _files("_sansio"):
        for module in _imports(path):
            top = module.split(".")[0]
            if top in FORBIDDEN_IN_SANSIO - {"multidict"}:
                problems.append(f"{path.relative_to(ROOT)} imports {module}")
    assert problems == []


# The gunicorn workers serve aiohttp.web apps and, for the WSGI worker classes, the WSGI bridge.
DEPLOYMENT_ALLOWED = {"worker.py": {None, "web", "wsgi"}, "wsgi.py": {None, "web"}}


@pytest.mark.parametrize("name", sorted(DEPLOYMENT_ALLOWED))
def test_deployment_modules_import_only_web(name: str) -> None:
    path = PACKAGE / name
    bad = [m for m in _imports(path) if _layer_of(m) not in DEPLOYMENT_ALLOWED[name]]
    assert bad == []


def _conformance_edge(path: Path) -> bool:
    """Adapters, peers and client drivers: the parts that drive a stack under test and so
    import it (a driver runs in that stack's environment, not the harness's)."""
    parts = path.relative_to(ROOT / "conformance").parts
    return "adapters" in parts or "peers" in parts or path.name.endswith("_driver.py")


def test_conformance_core_imports_only_the_standard_library() -> None:
    core = ROOT / "conformance"
    problems = []
    for path in sorted(core.rglob("*.py")):
        if _conformance_edge(path):
            continue
        for module in _imports(path):
            top = module.split(".")[0]
            if top not in sys.stdlib_module_names and top not in ("conformance", "__future__"):
                problems.append(f"{path.relative_to(ROOT)} imports {module}")
    assert problems == []


def test_conformance_core_imports_no_aiohttp() -> None:
    core = ROOT / "conformance"
    problems = []
    for path in sorted(core.rglob("*.py")):
        if _conformance_edge(path):  # aiohttp_app/aiohttp_driver run the released aiohttp
            continue
        for module in _imports(path):
            if module.split(".")[0] == "aiohttp":
                problems.append(f"{path.relative_to(ROOT)} imports {module}")
    assert problems == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The reader resolves relative imports, so a cross-layer import cannot hide behind dots."""
    sample = tmp_path / "probe.py"
    sample.write_text("from ..client import session\nfrom . import routing\n", encoding="utf-8")
    assert _imports(sample, "aiohttp.web.probe") == ["aiohttp.client", "aiohttp.web.routing"]


# The aiohttp 3.x module paths are re-export modules: a docstring, imports, ``__all__`` and
# aliases, nothing that runs logic (the code lives in aiohttp/web/ and its sub-packages).
COMPAT_STATEMENTS = (ast.Expr, ast.ImportFrom, ast.Import, ast.Assign, ast.AnnAssign)


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("web_*.py")), ids=lambda p: p.name)
def test_3x_web_module_paths_hold_no_logic(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    problems = [
        f"{path.name}:{node.lineno} {type(node).__name__}"
        for node in tree.body
        if not isinstance(node, COMPAT_STATEMENTS)
        or (isinstance(node, ast.Expr) and not isinstance(node.value, ast.Constant))
        or any(isinstance(sub, ast.Call) for sub in ast.walk(node))
    ]
    assert problems == []
