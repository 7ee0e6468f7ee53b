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


def test_html_puts_failures_first_and_counts_each_section(tmp_path: Path) -> None:
    other = Case("h1-srv-e", "http1", "server", ("9112 §2.2",), "2.2", "MUST", "d", {}, "x.json")
    results = [*RESULTS, Result(other, Verdict.ERROR, "driver gone")]
    page = write_all(results, tmp_path, META)["html"].read_text()
    cases = page.split('id="cases"')[1]
    order = [cases.index(f'id="{i}"') for i in ("h1-srv-b", "h1-srv-e", "h1-cli-c", "h1-srv-a")]
    assert order == sorted(order)  # FAIL, ERROR, NON-STRICT ... PASS
    sections = page.split('id="sections"')[1].split("</table>")[0]
    assert sections.index("RFC 9112 §2.2") < sections.index("RFC 9112 §6.3")
    assert "<td>4</td>" in sections  # four cases cite 9112 §6.3 first


def test_junit_is_well_formed_whatever_the_octets(tmp_path: Path) -> None:
    raw = "".join(map(chr, range(32))) + "\ud800\ufffe\uffff\x80\xff"
    result = Result(_case("h1-cli-x", "client"), Verdict.FAIL, f"boom {raw}", "", raw, raw)
    path = write_all([result], tmp_path, META)["junit"]
    failure = ET.parse(path).getroot().find(".//failure")
    assert failure is not None
    assert "{x00}" in failure.get("message", "")
    assert "{x1B}" in (failure.text or "")
    assert "{uD800}" in (failure.text or "")
    assert "\t\n" in (failure.text or "")  # what XML can hold is kept as is


def test_junit_of_a_client_writing_raw_octets_to_stderr_parses(tmp_path: Path) -> None:
    # urllib prints the status-line it could not parse; here a client that writes raw control
    # octets and invalid UTF-8 to its standard error before failing.
    import shlex
    import sys

    from conformance.cli import main

    script = "import sys; sys.stderr.buffer.write(b'bad \\x00\\x1b\\xff\\xfe line\\n'); sys.exit(1)"
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} {{url}}"
    main(["client", "--client-cmd", command, "--cases", "h1-cli-4-status-garbage",
          "--cases", "h1-cli-4-status-ok", "--report-dir", str(tmp_path)])  # fmt: skip
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert len(list(root.iter("testcase"))) == 2
    assert "{x1B}" in ET.tostring(root, encoding="unicode")
