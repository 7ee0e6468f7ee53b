"""Run tox from a private virtualenv, creating it first when needed.

Usage: ``python3 tools/tox.py -e ENV[,ENV...] [-- pytest args]``. Needs only Python 3.11+
and the package index: the first run creates ``.venv-tox/`` with tox in it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-tox"
TOX_REQUIREMENT = "tox>=4.11,<5"


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def main() -> int:
    python = _venv_python()
    if not python.exists():
        print(f"tools/tox.py: creating {VENV.name}/ with {TOX_REQUIREMENT}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip", TOX_REQUIREMENT],
            check=True,
        )
    env = dict(os.environ)
    # tox finds the other interpreters through pyenv when they are all active at once.
    env.setdefault("PYENV_VERSION", "3.11.7:3.12.1:3.13.0")
    return subprocess.call([str(python), "-m", "tox", *sys.argv[1:]], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
