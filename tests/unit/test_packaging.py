"""setup.py ships the data files the packages read at run time: corpus, FORMAT.md, the RFC texts
the corpus quotes, py.typed."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def package_data() -> dict[str, list[str]]:
    tree = ast.parse((ROOT / "setup.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "package_data":
            value: dict[str, list[str]] = ast.literal_eval(node.value)
            return value
    raise AssertionError("setup.py has no package_data")


def data_files(package: str) -> set[Path]:
    """Files under the package that are not Python sources or caches."""
    return {
        p
        for p in (ROOT / package).rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }


def shipped(package: str, patterns: list[str]) -> set[Path]:
    return {p for pattern in patterns for p in (ROOT / package).glob(pattern) if p.is_file()}


def test_every_data_file_is_package_data() -> None:
    patterns = package_data()
    for package in ("aiohttp", "conformance"):
        files = data_files(package)
        assert files  # py.typed; the corpus and FORMAT.md
        missing = sorted(
            str(p.relative_to(ROOT)) for p in files - shipped(package, patterns[package])
        )
        assert missing == []


def test_the_corpus_and_its_contract_are_shipped() -> None:
    conformance = shipped("conformance", package_data()["conformance"])
    cases = ROOT / "conformance" / "cases"
    assert cases / "FORMAT.md" in conformance
    for protocol in ("http1", "websocket"):
        corpus = set((cases / protocol).glob("*.json"))
        assert corpus
        assert corpus <= conformance
    rfcs = ROOT / "conformance" / "rfcs"
    for number in ("9110", "9112", "6455", "7692"):
        assert rfcs / f"rfc{number}.txt" in conformance
    assert ROOT / "aiohttp" / "py.typed" in shipped("aiohttp", package_data()["aiohttp"])
