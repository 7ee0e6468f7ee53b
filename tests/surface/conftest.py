"""Small synthetic ``aiohttp`` packages, introspected the way the surface check reads both sides."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tools.surface.compare import compare
from tools.surface.model import Snapshot
from tools.surface.reference import introspect

Files = str | dict[str, str]
Compared = tuple[set[str], set[str]]


def write_package(root: Path, files: Files) -> Path:
    """Write an ``aiohttp`` package (a string is its ``__init__.py``) under ``root``."""
    if isinstance(files, str):
        files = {"__init__.py": files}
    for name, source in files.items():
        path = root / "aiohttp" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return root


def snapshot_of(root: Path, files: Files) -> Snapshot:
    return introspect(sys.executable, "--path", str(write_package(root, files)), "--walk")


@pytest.fixture
def surfaces(tmp_path: Path) -> Callable[[Files, Files], Compared]:
    """Compare a synthetic reference with a synthetic "ours": the keys of the differences and
    of the extras."""
    count = 0

    def run(ref: Files, ours: Files) -> Compared:
        nonlocal count
        count += 1
        base = tmp_path / str(count)
        differences, extras = compare(
            snapshot_of(base / "ref", ref), snapshot_of(base / "ours", ours)
        )
        return {f.key for f in differences}, {f.key for f in extras}

    return run
