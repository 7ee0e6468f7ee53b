"""The two sides: the released aiohttp in a cached venv, and this package, each introspected.

The reference venv lives under ``build/api-surface/`` and is named after the aiohttp version
and the Python version (signatures of inherited standard-library members change between
Pythons). It holds ``aiohttp==3.14.5`` plus the packages whose objects show through aiohttp's
surface (multidict, yarl, pytest, gunicorn, uvloop), pinned to the versions installed beside this
package, so that the two sides differ only in aiohttp. A venv is reused while its marker file
names the same requirements and its interpreter still imports the right aiohttp.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from .model import Snapshot

if sys.platform != "win32":
    import fcntl

REFERENCE_VERSION = "3.14.5"
COMPANIONS = ("multidict", "yarl", "pytest", "gunicorn", "uvloop")
# The modules aiohttp 3.14's documentation references (its module index, the testing and
# deployment pages), compared even if the walk of the package should miss one.
DOCUMENTED_MODULES = (
    "aiohttp",
    "aiohttp.abc",
    "aiohttp.pytest_plugin",
    "aiohttp.test_utils",
    "aiohttp.web",
    "aiohttp.worker",
)
SCRIPT = Path(__file__).with_name("introspect.py")
MARKER = ".api-surface-ready"
INSTALL_TIMEOUT = 900
INTROSPECT_TIMEOUT = 300


class ReferenceUnavailable(RuntimeError):
    """The reference could not be installed or introspected."""


def requirements() -> list[str]:
    """``aiohttp==3.14.5`` and the companions, pinned to the versions installed here."""
    pins = [f"aiohttp=={REFERENCE_VERSION}"]
    for name in COMPANIONS:
        try:
            pins.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            pins.append(name)
    return pins


def venv_dir(root: Path) -> Path:
    major, minor = sys.version_info[:2]
    return root / "build" / "api-surface" / f"venv-{REFERENCE_VERSION}-py{major}.{minor}"


def venv_python(venv: Path) -> Path:
    if sys.platform == "win32":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process at a time builds the venv (two test runs may start together)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        if sys.platform == "win32":  # no lock
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _works(python: Path) -> bool:
    try:
        result = subprocess.run(
            [str(python), "-I", "-c", "import aiohttp; print(aiohttp.__version__)"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=_environment(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and result.stdout.strip() == REFERENCE_VERSION


def ensure_reference(root: Path, log: bool = True) -> Path:
    """The interpreter of the reference venv, built first when missing or out of date."""
    venv = venv_dir(root)
    python = venv_python(venv)
    wanted = "\n".join(requirements()) + "\n"
    with _locked(venv.parent / ".lock"):
        marker = venv / MARKER
        if marker.is_file() and marker.read_text() == wanted and _works(python):
            return python
        if log:
            print(f"api-surface: installing {wanted.split()} into {venv}", file=sys.stderr)
        shutil.rmtree(venv, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(venv)])
        _run([str(python), "-m", "pip", "install", "--quiet", *wanted.split()])
        if not _works(python):
            raise ReferenceUnavailable(f"{python} does not import aiohttp {REFERENCE_VERSION}")
        marker.write_text(wanted)
    return python


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReferenceUnavailable(f"{' '.join(command)}: {exc}") from exc
    if result.returncode != 0:
        raise ReferenceUnavailable(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")


def _environment() -> dict[str, str]:
    # aiohttp 3.x's pure-Python classes, whose signatures can be read (its C twins cannot).
    return {**os.environ, "AIOHTTP_NO_EXTENSIONS": "1"}


def introspect(python: Path | str, *args: str) -> Snapshot:
    """Run the introspection script with ``python -I`` (nothing from the working directory)."""
    command = [str(python), "-I", "-W", "ignore", str(SCRIPT), *args]
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=INTROSPECT_TIMEOUT,
            check=False,
            env=_environment(),
            cwd=SCRIPT.parent,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReferenceUnavailable(f"{' '.join(command)}: {exc}") from exc
    if result.returncode != 0:
        raise ReferenceUnavailable(f"{' '.join(command)} failed:\n{result.stderr}")
    return cast(Snapshot, json.loads(result.stdout))


def snapshots(root: Path, reference_python: Path | str | None = None) -> tuple[Snapshot, Snapshot]:
    """The reference's surface and ours, ours read from the source tree at ``root``."""
    python = reference_python or ensure_reference(root)
    ref = introspect(python, "--walk", *DOCUMENTED_MODULES)
    if ref["version"] != REFERENCE_VERSION:
        raise ReferenceUnavailable(
            f"{python} has aiohttp {ref['version']}, not {REFERENCE_VERSION}"
        )
    broken = {name: doc["error"] for name, doc in ref["modules"].items() if doc.get("error")}
    if broken:
        raise ReferenceUnavailable(f"the reference does not import: {broken}")
    ours = introspect(sys.executable, "--path", str(root), "--walk", *ref["modules"])
    return ref, ours
