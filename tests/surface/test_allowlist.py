"""The allowlist: its format, the reasons it accepts, stale entries, and how it is rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.surface.allowlist import HEADER, AllowlistError, Entry, judge, parse, render
from tools.surface.check import Result, selector
from tools.surface.model import Finding, module_of
from tools.surface.report import as_json, as_text, counts

MISSING = Finding("aiohttp.web", "aiohttp.web:RequestKey missing", "name")
PARAM = Finding(
    "aiohttp.web", "aiohttp.web:Application.__init__:param client_max_fields missing", "parameter"
)
PIPE = Finding("aiohttp", "aiohttp:NamedPipeConnector missing", "name")
LOG = Finding("aiohttp.log", "aiohttp.log missing", "module")


def test_module_of_a_key() -> None:
    assert [module_of(f.key) for f in (MISSING, PARAM, PIPE, LOG)] == [
        "aiohttp.web",
        "aiohttp.web",
        "aiohttp",
        "aiohttp.log",
    ]


def test_parse_entries_and_comments() -> None:
    text = (
        "# header\n\n# aiohttp\n"
        "aiohttp:NamedPipeConnector missing  # Windows-only: named pipes need the proactor loop\n"
        "aiohttp.web:RequestKey missing  # TODO: gap\n"
    )
    assert parse(text) == [
        Entry(PIPE.key, "Windows-only: named pipes need the proactor loop", 4),
        Entry(MISSING.key, "TODO: gap", 5),
    ]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("aiohttp.log missing", "no reason"),
        ("aiohttp.log missing  # because", "reason must start with one of"),
        ("aiohttp.log missing  # nice-to-have: later", "reason must start with one of"),
        ("aiohttp.log missing  # security: safer", "names the docs/ page"),
        (
            "aiohttp.log missing  # security: see docs/nowhere.rst",
            "docs/nowhere.rst does not exist",
        ),
        ("aiohttp.log missing  # deliberate: users asked", "names the docs/ page"),
    ],
)
def test_malformed_entries_are_refused(tmp_path: Path, line: str, problem: str) -> None:
    with pytest.raises(AllowlistError, match=problem):
        parse(line + "\n", docs_root=tmp_path)


def test_a_security_reason_names_an_existing_docs_page(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "security.rst").write_text("Security\n========\n")
    line = "aiohttp.web:X missing  # security: see docs/security.rst (CVE-2024-0000)\n"
    assert parse(line, docs_root=tmp_path)[0].category == "security"


def test_a_deliberate_reason_names_an_existing_docs_page(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "testing.rst").write_text("Testing\n=======\n")
    line = "aiohttp.pytest_plugin:x missing  # deliberate: see docs/testing.rst\n"
    assert parse(line, docs_root=tmp_path)[0].category == "deliberate"


def test_duplicate_entries_are_refused() -> None:
    with pytest.raises(AllowlistError, match="already listed on line 1"):
        parse("aiohttp.log missing  # TODO: gap\naiohttp.log missing  # TODO: gap\n")


def test_judge_allowed_unallowed_and_stale() -> None:
    entries = [
        Entry(MISSING.key, "TODO: gap", 1),
        Entry("aiohttp.web:ResponseKey missing", "TODO: gap", 2),  # fixed since: stale
    ]
    verdict = judge([MISSING, PARAM], entries)
    assert verdict.allowed == [(MISSING, entries[0])]
    assert verdict.unallowed == [PARAM]
    assert verdict.stale == [entries[1]]
    assert not verdict.ok


def test_a_stale_entry_alone_fails_the_check() -> None:
    verdict = judge([], [Entry(LOG.key, "TODO: gap", 7)])
    assert verdict.stale == [Entry(LOG.key, "TODO: gap", 7)]
    assert not verdict.ok
    assert judge([LOG], [Entry(LOG.key, "TODO: gap", 7)]).ok


def test_judge_looks_only_at_the_selected_modules() -> None:
    entries = [Entry("aiohttp.log missing", "TODO: gap", 1)]
    verdict = judge([PARAM], entries, selector(["aiohttp.web*"]))
    assert verdict.unallowed == [PARAM]
    assert verdict.stale == []


def test_render_keeps_reasons_groups_by_module_and_drops_what_is_gone() -> None:
    entries = [
        Entry(PIPE.key, "Windows-only: named pipes", 1),
        Entry("aiohttp.web:Gone missing", "TODO: gap", 2),
    ]
    text = render([MISSING, PIPE, LOG], entries)
    assert text.startswith(HEADER)
    assert text[len(HEADER) :].split("\n") == [
        "",
        "# aiohttp",
        "aiohttp:NamedPipeConnector missing  # Windows-only: named pipes",
        "",
        "# aiohttp.log",
        "aiohttp.log missing  # TODO: gap",
        "",
        "# aiohttp.web",
        "aiohttp.web:RequestKey missing  # TODO: gap",
        "",
    ]
    assert [(e.key, e.reason) for e in parse(text)] == [
        (PIPE.key, "Windows-only: named pipes"),
        (LOG.key, "TODO: gap"),
        (MISSING.key, "TODO: gap"),
    ]


def test_render_for_some_modules_keeps_the_other_entries() -> None:
    entries = [Entry(LOG.key, "TODO: gap", 1), Entry("aiohttp.web:Gone missing", "TODO: gap", 2)]
    text = render([PARAM], entries, selector(["aiohttp.web"]))
    assert [e.key for e in parse(text)] == [LOG.key, PARAM.key]


def test_report_counts_by_module_kind_and_reason() -> None:
    entries = [Entry(MISSING.key, "TODO: gap", 1), Entry(PIPE.key, "Windows-only: pipes", 2)]
    differences = [PIPE, MISSING, PARAM]
    extras = [Finding("aiohttp.web", "aiohttp.web:main extra", "name")]
    result = Result(
        "3.14.5",
        "3.99.0",
        differences,
        extras,
        entries,
        judge(differences, entries),
        selector(None),
    )
    summary = counts(result)
    assert summary["by module"] == {
        "aiohttp": {"differences": 1, "allowed": 1, "not allowed": 0, "extras": 0},
        "aiohttp.web": {"differences": 2, "allowed": 1, "not allowed": 1, "extras": 1},
    }
    assert summary["by kind"]["name"] == {"differences": 2, "allowed": 2, "not allowed": 0}
    assert summary["by reason"] == {"TODO": 1, "Windows-only": 1}
    text = as_text(result, "allow.txt", show_allowed=False, show_extras=False)
    assert f"NOT ALLOWED  {PARAM.key}" in text
    assert MISSING.key not in text
    assert "total: 3 differences (2 allowed, 1 not allowed), 0 stale" in text
    assert as_json(result)["differences"][2] == {
        "key": PARAM.key,
        "module": "aiohttp.web",
        "kind": "parameter",
        "allowed": False,
        "reason": None,
    }


def test_the_client_modules_differ_only_where_windows_or_security_demand() -> None:
    """The client's modules keep no deliberate or to-do differences from 3.14.5."""
    root = Path(__file__).resolve().parents[2]
    text = (root / "tools" / "api_surface_allow.txt").read_text()
    client = ("aiohttp.client", "aiohttp.connector", "aiohttp.cookiejar", "aiohttp.tracing")
    client += ("aiohttp.resolver",)
    entries = [e for e in parse(text, docs_root=root) if e.key.split(":")[0].startswith(client)]
    assert entries
    assert {e.category for e in entries} <= {"Windows-only", "security"}
