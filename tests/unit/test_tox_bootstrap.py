"""tools/tox.py hands tox the pyenv interpreters, whatever PYENV_VERSION a shim left behind."""

from __future__ import annotations

import importlib.util
import os
import stat
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bootstrap() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tools_tox", ROOT / "tools" / "tox.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_pyenv(root: Path, *versions: str, executable: bool = True) -> Path:
    """A pyenv root with ``versions/<v>/bin/python<major.minor>`` for each version."""
    for version in versions:
        major, minor = version.split(".")[:2]
        bin_dir = root / "versions" / version / "bin"
        bin_dir.mkdir(parents=True)
        exe = bin_dir / f"python{major}.{minor.rstrip('t')}"
        exe.write_text("#!/bin/sh\n")
        if executable:
            exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return root


def test_newest_release_of_each_wanted_minor(bootstrap: ModuleType, tmp_path: Path) -> None:
    root = fake_pyenv(
        tmp_path, "3.11.2", "3.11.7", "3.12.1", "3.13.0", "3.13.0t", "3.10.13", "3.14.0a1"
    )
    (root / "versions" / "my-venv").mkdir()  # pyenv-virtualenv
    found = bootstrap.pyenv_interpreters(root, ("3.11", "3.12", "3.13"))
    assert found == {
        "3.11.7": root / "versions/3.11.7/bin/python3.11",
        "3.12.1": root / "versions/3.12.1/bin/python3.12",
        "3.13.0": root / "versions/3.13.0/bin/python3.13",
    }


def test_a_version_without_an_executable_is_skipped(bootstrap: ModuleType, tmp_path: Path) -> None:
    fake_pyenv(tmp_path / "a", "3.12.1", executable=False)
    assert bootstrap.pyenv_interpreters(tmp_path / "a", ("3.12",)) == {}
    assert bootstrap.pyenv_interpreters(tmp_path / "missing", ("3.12",)) == {}


def test_shim_narrowed_pyenv_version_is_widened(bootstrap: ModuleType) -> None:
    interpreters = {
        "3.11.7": Path("/p/versions/3.11.7/bin/python3.11"),
        "3.13.0": Path("/p/versions/3.13.0/bin/python3.13"),
    }
    env = bootstrap.tox_environ({"PYENV_VERSION": "3.11.7", "HOME": "/h"}, interpreters)
    assert env["PYENV_VERSION"] == "3.11.7:3.13.0"
    assert env["TOX_DISCOVER"] == (
        "/p/versions/3.11.7/bin/python3.11;/p/versions/3.13.0/bin/python3.13"
    )
    assert env["HOME"] == "/h"


def test_callers_choices_stay_first(bootstrap: ModuleType) -> None:
    interpreters = {"3.12.1": Path("/p/versions/3.12.1/bin/python3.12")}
    env = bootstrap.tox_environ(
        {"PYENV_VERSION": "system:3.12.1", "TOX_DISCOVER": "/opt/py/bin/python3.12"},
        interpreters,
    )
    assert env["PYENV_VERSION"] == "system:3.12.1"
    assert env["TOX_DISCOVER"] == "/opt/py/bin/python3.12;/p/versions/3.12.1/bin/python3.12"


def test_without_pyenv_the_environment_is_unchanged(bootstrap: ModuleType) -> None:
    assert bootstrap.tox_environ({"PATH": "/usr/bin"}, {}) == {"PATH": "/usr/bin"}


def test_pyenv_root_from_the_environment_or_the_pyenv_command(
    bootstrap: ModuleType, tmp_path: Path
) -> None:
    assert bootstrap.pyenv_root({"PYENV_ROOT": "/r"}) == Path("/r")
    assert bootstrap.pyenv_root({"PATH": str(tmp_path)}) is None
    pyenv = tmp_path / "pyenv"
    pyenv.write_text(f"#!/bin/sh\necho {tmp_path / 'root'}\n")
    pyenv.chmod(0o755)
    assert bootstrap.pyenv_root({"PATH": str(tmp_path)}) == tmp_path / "root"
    pyenv.write_text("#!/bin/sh\nexit 1\n")
    assert bootstrap.pyenv_root({"PATH": str(tmp_path) + os.pathsep}) is None
