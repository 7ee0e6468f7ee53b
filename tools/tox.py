"""Run tox from a private virtualenv, creating it first when needed.

Usage: ``python3 tools/tox.py -e ENV[,ENV...] [-- pytest args]``. Needs only Python 3.11+
and the package index: the first run creates ``.venv-tox/`` with tox in it.

The ``py311``, ``py312`` and ``py313`` environments need those interpreters. When pyenv is
installed, its ``python3.X`` shims only answer for the versions named in ``PYENV_VERSION``, and
running ``python3`` through a shim sets ``PYENV_VERSION`` to that one version, so tox would not
find the others. This script therefore hands tox the interpreters themselves (``TOX_DISCOVER``,
tox's ``--discover``) and adds their versions to ``PYENV_VERSION``. Without pyenv, tox finds the
interpreters on ``PATH`` as usual.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-tox"
TOX_REQUIREMENT = "tox>=4.11,<5"
# The minor versions that tox.ini has environments for.
SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")
_RELEASE = re.compile(r"(\d+)\.(\d+)\.(\d+)")


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def pyenv_root(environ: Mapping[str, str]) -> Path | None:
    """The pyenv root directory, or None when pyenv is not installed."""
    if root := environ.get("PYENV_ROOT"):
        return Path(root)
    pyenv = shutil.which("pyenv", path=environ.get("PATH"))
    if pyenv is None:
        return None
    done = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def pyenv_interpreters(root: Path, minors: Iterable[str]) -> dict[str, Path]:
    """The newest installed release of each wanted minor version, by pyenv version name.

    Only plain releases (``3.12.1``) count: free-threaded builds (``3.13.0t``), pre-releases and
    virtualenvs made by pyenv-virtualenv are not what the ``py3XX`` environments mean.
    """
    wanted = set(minors)
    newest: dict[str, tuple[int, str, Path]] = {}
    versions = root / "versions"
    if not versions.is_dir():
        return {}
    for entry in versions.iterdir():
        match = _RELEASE.fullmatch(entry.name)
        if match is None:
            continue
        minor = f"{match[1]}.{match[2]}"
        executable = entry / "bin" / f"python{minor}"
        if minor not in wanted or not os.access(executable, os.X_OK):
            continue
        patch = int(match[3])
        if minor not in newest or patch > newest[minor][0]:
            newest[minor] = (patch, entry.name, executable)
    return {name: executable for _, name, executable in sorted(newest.values(), key=_by_name)}


def _by_name(item: tuple[int, str, Path]) -> tuple[int, ...]:
    return tuple(int(part) for part in item[1].split("."))


def tox_environ(environ: Mapping[str, str], interpreters: Mapping[str, Path]) -> dict[str, str]:
    """The environment for tox: the interpreters added to PYENV_VERSION and TOX_DISCOVER.

    What the caller already set stays first, so an explicit choice still wins.
    """
    env = dict(environ)
    if not interpreters:
        return env
    versions = [v for v in env.get("PYENV_VERSION", "").split(":") if v]
    versions += [name for name in interpreters if name not in versions]
    env["PYENV_VERSION"] = ":".join(versions)
    # tox reads a list option from TOX_<NAME>, its entries separated by ";".
    discover = [p for p in env.get("TOX_DISCOVER", "").split(";") if p]
    discover += [str(p) for p in interpreters.values() if str(p) not in discover]
    env["TOX_DISCOVER"] = ";".join(discover)
    return env


def main() -> int:
    python = _venv_python()
    if not python.exists():
        print(f"tools/tox.py: creating {VENV.name}/ with {TOX_REQUIREMENT}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip", TOX_REQUIREMENT],
            check=True,
        )
    root = pyenv_root(os.environ)
    interpreters = pyenv_interpreters(root, SUPPORTED_PYTHONS) if root else {}
    env = tox_environ(os.environ, interpreters)
    return subprocess.call([str(python), "-m", "tox", *sys.argv[1:]], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
