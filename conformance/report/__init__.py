"""The four report forms: JSON, static HTML, JUnit XML and a one-screen text summary."""

from __future__ import annotations

from pathlib import Path

from conformance.model import Result
from conformance.report.html_report import write_html
from conformance.report.json_report import write_json
from conformance.report.junit_report import write_junit
from conformance.report.text_report import summary

__all__ = ["summary", "write_all", "write_html", "write_json", "write_junit"]


def write_all(results: list[Result], directory: Path, meta: dict[str, str]) -> dict[str, Path]:
    """Write every report form into ``directory`` (created if needed) and the text summary.

    Returns:
        The path of each form, keyed ``json``, ``html``, ``junit`` and ``text``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": directory / "report.json",
        "html": directory / "index.html",
        "junit": directory / "junit.xml",
        "text": directory / "summary.txt",
    }
    write_json(results, paths["json"], meta)
    write_html(results, paths["html"], meta)
    write_junit(results, paths["junit"], meta)
    paths["text"].write_text(
        summary(results, meta) + "\n", encoding="utf-8", errors="backslashreplace"
    )
    return paths
