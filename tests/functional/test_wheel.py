"""The built wheel, as a user installs it: its metadata, its contents, and a fresh virtualenv.

The wheel is built once for the module from a copy of the source tree (``pip wheel``, with the
build backend from the package index). The virtualenv test installs it (pip fetches the runtime
dependencies from the index, with its cache under ``build/pip-cache``) and runs the README's
examples and ``python -m conformance --help`` from a directory outside the source tree.
"""

from __future__ import annotations

import email.parser
import shutil
import subprocess
import sys
import venv
import zipfile
from email.message import Message
from pathlib import Path

import pytest
from trove_classifiers import classifiers as KNOWN_CLASSIFIERS

from tests.docs.runners import free_port, on_port, serving
from tests.docs.snippets import ROOT, extract

BUILD_TIMEOUT = 180.0
INSTALL_TIMEOUT = 240.0
PIP_CACHE = ROOT / "build" / "pip-cache"
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    dist = work / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "--cache-dir",
            str(PIP_CACHE),
            "-w",
            str(dist),
            str(source),
        ],
        check=True,
        timeout=BUILD_TIMEOUT,
        capture_output=True,
    )
    (built,) = dist.glob("*.whl")
    return built


def metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(archive.read(name).decode())


@pytest.mark.timeout(BUILD_TIMEOUT + 30)
def test_the_wheel_says_what_it_is_and_where_to_read_more(wheel: Path) -> None:
    meta = metadata(wheel)
    assert (meta["Name"], meta["Version"]) == ("aiohttp", "3.99.0")
    assert meta["Requires-Python"] == ">=3.11"
    assert "pure-Python implementation of the aiohttp 3.x API" in meta["Summary"]
    urls = dict(url.split(", ", 1) for url in meta.get_all("Project-URL", []))
    assert urls
    assert all(url.startswith("https://") for url in urls.values())
    assert urls["aiohttp 3.x API"] == "https://docs.aiohttp.org/en/stable/"
    found = meta.get_all("Classifier", [])
    assert set(found) <= KNOWN_CLASSIFIERS
    for classifier in (
        "Programming Language :: Python :: 3.11",
        "Framework :: AsyncIO",
        "Framework :: aiohttp",
        "Typing :: Typed",
    ):
        assert classifier in found
    requires = [r.split(";")[0] for r in meta.get_all("Requires-Dist", []) if "extra ==" not in r]
    assert {r.split(">=")[0] for r in requires} >= {
        "multidict",
        "yarl",
        "frozenlist",
        "aiosignal",
        "propcache",
    }
    assert meta["Description-Content-Type"] == "text/x-rst"
    assert "``pip install aiohttp`` from the index" in meta.get_payload()


@pytest.mark.timeout(BUILD_TIMEOUT + 30)
def test_the_wheel_installs_aiohttp_and_the_conformance_harness(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"aiohttp", "conformance"}
    assert "aiohttp/py.typed" in names
    assert "conformance/__main__.py" in names
    assert "conformance/cases/FORMAT.md" in names
    assert any(name.startswith("conformance/cases/http1/") for name in names)


def _venv(path: Path) -> Path:
    venv.create(path, with_pip=True)
    return path / "bin" / "python"


@pytest.mark.timeout(BUILD_TIMEOUT + INSTALL_TIMEOUT + 60)
def test_a_fresh_venv_runs_the_readme_and_the_harness(wheel: Path, tmp_path: Path) -> None:
    python = _venv(tmp_path / "venv")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--cache-dir", str(PIP_CACHE), str(wheel)],
        check=True,
        timeout=INSTALL_TIMEOUT,
        capture_output=True,
    )
    neutral = tmp_path / "neutral"
    neutral.mkdir()

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(python), *args],
            cwd=neutral,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = run("-c", "import aiohttp, conformance; print(aiohttp.__file__, conformance.__file__)")
    assert all(Path(p).is_relative_to(tmp_path / "venv") for p in where.split())

    snippets = {s.kind: s for s in extract(ROOT / "README.rst")[0]}
    port = free_port()
    (neutral / "server.py").write_text(on_port(snippets["server"].code, port))
    (neutral / "client.py").write_text(on_port(snippets["client"].code, port))
    with serving([str(python), "-W", "error", "server.py"], neutral, port):
        assert run("-W", "error", "client.py") == "200 Hello, world\n"

    usage = run("-m", "conformance", "--help")
    assert "usage:" in usage
    assert "conformance" in usage
