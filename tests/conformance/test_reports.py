"""The four report forms."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.model import Case, Result, Verdict
from conformance.report import summary, write_all


def _case(case_id: str, side: str = "server", level: str = "MUST") -> Case:
    return Case(case_id, "http1", side, ("9112 §6.3",), "6.3", level, "a <b> & c", {}, "x.json")


RESULTS = [
    Result(_case("h1-srv-a"), Verdict.PASS, "as expected", "{}", "GET{CRLF}", "HTTP/1.1 200"),
    Result(_case("h1-srv-b"), Verdict.FAIL, "status 200 <not 400>", "{}", "", "HTTP/1.1 200"),
    Result(_case("h1-cli-c", "client", "SHOULD"), Verdict.NON_STRICT, "meh", "{}", "", ""),
    Result(_case("h1-cli-d", "client", "MAY"), Verdict.INFORMATIONAL, "noted", "{}", "", ""),
]
META = {"target": "toy", "seconds": "1.0"}


def test_text_summary_ends_with_the_count_line() -> None:
    text = summary(RESULTS, META)
    lines = text.splitlines()
    assert lines[-1] == "1 passed, 1 failed"
    assert "server     2 cases: PASS 1  NON-STRICT 0  INFORMATIONAL 0  FAIL 1" in text
    assert "FAIL MUST   h1-srv-b" in text
    assert len(lines) < 25


def test_text_summary_caps_the_failure_list() -> None:
    many = [Result(_case(f"h1-srv-{i}"), Verdict.FAIL, "no") for i in range(30)]
    text = summary(many, META)
    assert "... and 18 more" in text
    assert text.splitlines()[-1] == "0 passed, 30 failed"


def test_write_all(tmp_path: Path) -> None:
    paths = write_all(RESULTS, tmp_path / "out", META)
    document = json.loads(paths["json"].read_text())
    assert document["counts"] == {"FAIL": 1, "INFORMATIONAL": 1, "NON-STRICT": 1, "PASS": 1}
    assert [r["id"] for r in document["results"]] == [
        "h1-srv-a",
        "h1-srv-b",
        "h1-cli-c",
        "h1-cli-d",
    ]
    assert document["results"][0]["sent"] == "GET{CRLF}"
    assert paths["text"].read_text().endswith("1 passed, 1 failed\n")

    page = paths["html"].read_text()
    assert page.count('<tr class="') == 4
    assert "status 200 &lt;not 400&gt;" in page
    assert "<script>" in page
    assert "a &lt;b&gt; &amp; c" in page
    assert "http" not in page.split("<script>")[1].lower()  # nothing fetched: readable offline

    root = ET.parse(paths["junit"]).getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["conformance.server"].get("failures") == "1"
    assert suites["conformance.client"].get("skipped") == "1"
    failed = [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]
    assert failed == ["h1-srv-b"]
