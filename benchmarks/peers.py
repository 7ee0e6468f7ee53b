"""Peers that cannot share our process: each gets a virtualenv under ``benchmarks/.peers/``.

The real aiohttp 3.x has our package name, so it runs in its own virtualenv, in a subprocess
started from a directory outside this repository (so ``import aiohttp`` finds the peer, not us).
Virtualenvs are created once with ``pip`` and reused while their requirements stay the same::

    from benchmarks.peers import AIOHTTP3_PURE, run_json

    result = run_json(AIOHTTP3_PURE, code="import json, aiohttp; print(json.dumps(1))")

A script prints one JSON document on its last line of output; :func:`run_json` returns it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import venv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "AIOHTTP3",
    "AIOHTTP3_PURE",
    "PEERS_DIR",
    "Peer",
    "command",
    "ensure",
    "environment",
    "run_json",
]

PEERS_DIR = Path(__file__).resolve().parent / ".peers"
"""Where the virtualenvs live (ignored by git and ruff)."""

# glibc allocator thresholds fixed for every benchmark process (see DESIGN.md).
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "67108864"}


@dataclass(frozen=True)
class Peer:
    """A peer library installed in its own virtualenv.

    Attributes:
        name: The virtualenv's directory name under :data:`PEERS_DIR`; peers with the same
            name share one virtualenv.
        requirements: What ``pip install`` gets, e.g. ``("aiohttp==3.14.*",)``.
        env: Extra environment variables for every run (e.g. ``AIOHTTP_NO_EXTENSIONS=1``).
        label: How reports name the peer.
    """

    name: str
    requirements: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    label: str = ""

    @property
    def directory(self) -> Path:
        """The virtualenv's directory."""
        return PEERS_DIR / self.name

    @property
    def python(self) -> Path:
        """The virtualenv's interpreter."""
        return self.directory / "bin" / "python"


AIOHTTP3 = Peer("aiohttp3", ("aiohttp==3.14.*",), label="aiohttp 3.x (C extensions)")
"""The real aiohttp 3.x with its C extensions (llhttp parser, C helpers)."""
AIOHTTP3_PURE = Peer(
    "aiohttp3",
    ("aiohttp==3.14.*",),
    {"AIOHTTP_NO_EXTENSIONS": "1"},
    label="aiohttp 3.x (pure Python)",
)
"""The same install with ``AIOHTTP_NO_EXTENSIONS=1``: its pure-Python parser and helpers."""


def ensure(peer: Peer, *, quiet: bool = True) -> Path:
    """Create or update ``peer``'s virtualenv; return its interpreter.

    The requirements are written to a stamp file; a virtualenv whose stamp differs is
    reinstalled, one whose stamp matches is reused as it is.
    """
    stamp = peer.directory / "requirements.txt"
    wanted = "\n".join(peer.requirements) + "\n"
    if peer.python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return peer.python
    peer.directory.mkdir(parents=True, exist_ok=True)
    if not peer.python.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(peer.directory)
    pip = [str(peer.python), "-m", "pip", "install", "--disable-pip-version-check"]
    if quiet:
        pip.append("-q")
    subprocess.run([*pip, *peer.requirements], check=True, cwd=tempfile.gettempdir())
    stamp.write_text(wanted)
    return peer.python


def environment(peer: Peer, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a process of ``peer``: ours, minus PYTHONPATH, plus the peer's."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(MALLOC_ENV)
    env.update(peer.env)
    if extra:
        env.update(extra)
    return env


def command(peer: Peer, args: Sequence[str]) -> list[str]:
    """The command line that runs ``args`` with the peer's interpreter (after :func:`ensure`)."""
    return [str(ensure(peer)), *args]


def run_json(
    peer: Peer,
    script: Path | None = None,
    *,
    code: str | None = None,
    args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    timeout: float = 900,
) -> Any:
    """Run a script (a file or ``code``) in ``peer``'s virtualenv; return its JSON output.

    The process starts in a temporary directory, so this repository is not on its path.

    Raises:
        subprocess.CalledProcessError: The script failed.
        ValueError: The script printed no JSON on its last line.
    """
    if (script is None) == (code is None):
        raise ValueError("give exactly one of script and code")
    target = [str(Path(script).resolve())] if script is not None else ["-c", code or ""]
    with tempfile.TemporaryDirectory() as cwd:
        done = subprocess.run(
            command(peer, [*target, *args]),
            check=True,
            cwd=cwd,
            env=environment(peer, env),
            stdout=subprocess.PIPE,
            timeout=timeout,
            text=True,
        )
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise ValueError(f"{peer.name}: no output")
    return json.loads(lines[-1])


if __name__ == "__main__":  # pragma: no cover - a convenience for setting peers up by hand
    for each in (AIOHTTP3,):
        print(each.name, ensure(each, quiet=False), file=sys.stderr)
