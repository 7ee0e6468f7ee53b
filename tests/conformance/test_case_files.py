"""Every case file follows conformance/cases/FORMAT.md, and the corpus covers RFC 9112."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conformance.http1 import validate_case
from conformance.model import CASES_DIR, CaseFileError
from conformance.registry import case_files, load_cases, validate_file

HTTP1_FILES = sorted((CASES_DIR / "http1").glob("*.json"))


@pytest.mark.parametrize("path", HTTP1_FILES, ids=lambda p: p.name)
def test_case_file_follows_the_format(path: Path) -> None:
    assert validate_file(path) == []


def test_corpus_size_and_sides() -> None:
    cases = load_cases(protocols=("http1",))
    sides = Counter(case.side for case in cases)
    assert len(cases) >= 400
    assert sides["server"] >= 250
    assert sides["client"] >= 120


# Sections of RFC 9112 holding a requirement on servers or clients (RFC 9110 ones are cited by
# the cases that need them). Each must be exercised by at least one case.
SECTIONS_WITH_REQUIREMENTS = [
    "2.2", "2.3", "3", "3.2", "3.2.1", "3.2.2", "3.2.3", "3.2.4", "4", "5.1", "5.2",
    "6.1", "6.2", "6.3", "7.1", "7.1.1", "7.1.2", "7.4", "8", "9.2", "9.3", "9.3.2", "9.6",
]  # fmt: skip


@pytest.mark.parametrize("section", SECTIONS_WITH_REQUIREMENTS)
def test_every_rfc9112_section_with_requirements_has_cases(section: str) -> None:
    cited = {rfc for case in load_cases(protocols=("http1",)) for rfc in case.rfc}
    assert f"9112 §{section}" in cited


def test_both_sides_are_covered_for_framing() -> None:
    cases = load_cases(protocols=("http1",))
    for section in ("6.3", "7.1", "4"):
        sides = {c.side for c in cases if f"9112 §{section}" in c.rfc}
        assert sides == {"server", "client"}, section


def test_selection_by_glob() -> None:
    chosen = load_cases(["h1-srv-6.3-te*"], protocols=("http1",))
    assert chosen
    assert all(case.id.startswith("h1-srv-6.3-te") for case in chosen)
    by_file = load_cases(["http1/server-smuggling.json"], protocols=("http1",))
    assert {case.source for case in by_file} == {"http1/server-smuggling.json"}
    assert load_cases(["h1-cli-*"], sides=("server",), protocols=("http1",)) == []


def _write(tmp_path: Path, cases: list[dict[str, object]]) -> Path:
    folder = tmp_path / "http1"
    folder.mkdir(exist_ok=True)
    path = folder / "t.json"
    path.write_text(json.dumps({"protocol": "http1", "title": "t", "cases": cases}))
    return path


GOOD = {
    "id": "h1-srv-3-x",
    "side": "server",
    "rfc": ["9112 §3"],
    "section": "3",
    "level": "MUST",
    "description": "x",
    "quote": {
        "from": "9112 §3",
        "text": "A server that receives a request-target longer than any URI it wishes to parse "
        "MUST respond with a 414 (URI Too Long) status code (see Section 15.5.15 of [HTTP]).",
    },
    "send": ["GET / HTTP/1.1{CRLF}Host: {HOST}{CRLF}{CRLF}"],
    "expect": {"responses": [{"status": [200]}], "then": "open"},
    "persistent": "incidental",
}


def test_a_good_case_validates(tmp_path: Path) -> None:
    assert validate_file(_write(tmp_path, [GOOD])) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "Bad Id"}, "id must be"),
        ({"level": "MUSTN'T"}, "level"),
        ({"level": "SHOULD"}, "the quote says MUST"),
        ({"quote": None}, "quote must be"),
        ({"side": "proxy"}, "side"),
        ({"rfc": ["RFC9112 3"]}, "rfc must be"),
        ({"description": "two\nlines"}, "one line"),
        ({"send": ["raw\r\n"]}, "raw character"),
        ({"expect": {"responses": [{"status": [700]}]}}, "status must be"),
        ({"expect": {"responses": [], "then": "maybe"}}, "then must be"),
        ({"expect": {"responses": [], "within": 60}}, "within"),
        ({"also": [{"responses": [], "verdict": "GREAT"}]}, "verdict"),
        ({"extra": 1}, "unknown keys"),
        ({"id": "h1-cli-3-x"}, "h1-srv-"),
        ({"persistent": "maybe"}, "persistent must be"),
        (
            {"level": "MAY", "also": [{"responses": [], "verdict": "PASS", "reason": "r"}]},
            "only records behaviour",
        ),
        ({"persistent": None}, "relies on a persistent connection"),
    ],
)
def test_bad_cases_are_refused_with_a_reason(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    errors = validate_file(_write(tmp_path, [{**GOOD, **change}]))
    assert any(message in error for error in errors), errors


def test_client_case_checks(tmp_path: Path) -> None:
    raw = {
        "id": "h1-cli-4-x", "side": "client", "rfc": ["9112 §4"], "section": "4",
        "level": "MUST", "description": "x", "quote": GOOD_CLIENT["quote"],
        "requests": [{"path": "/"}],
        "respond": [{"send": ["HTTP/1.1 200 OK{CRLF}{CRLF}"], "then": "later"}],
        "expect": {"results": [{"outcome": "response"}, {"outcome": "error"}]},
    }  # fmt: skip
    errors = validate_case({**raw, "protocol": "http1"})
    assert any("then must be" in e for e in errors)
    assert any("one outcome per request" in e for e in errors)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, [GOOD, GOOD])
    with pytest.raises(CaseFileError, match="both"):
        load_cases(root=tmp_path)


def test_top_level_shape(tmp_path: Path) -> None:
    folder = tmp_path / "http1"
    folder.mkdir()
    (folder / "a.json").write_text('{"protocol": "http1", "cases": []}')
    (folder / "b.json").write_text("not json")
    errors = [e for p in case_files(tmp_path) for e in validate_file(p)]
    assert len(errors) == 2


def test_unknown_protocol(tmp_path: Path) -> None:
    folder = tmp_path / "gopher"
    folder.mkdir()
    (folder / "a.json").write_text(
        json.dumps({"protocol": "gopher", "title": "t", "cases": [{**GOOD, "id": "g-1"}]})
    )
    assert any("no runner" in e for e in validate_file(folder / "a.json"))


GOOD_CLIENT = {
    "id": "h1-cli-4-x",
    "side": "client",
    "rfc": ["9112 §4"],
    "section": "4",
    "level": "MUST",
    "description": "x",
    "quote": {
        "from": "9112 §4",
        "text": "A server MUST send the space that separates the status-code from the "
        "reason-phrase even when the reason-phrase is absent (i.e., the status-line would end "
        "with the space).",
    },
    "requests": [
        {"method": "POST", "path": "/", "headers": [["A", "b"]], "body": "x", "pause": 0.5}
    ],
    "respond": [{"after_head": [], "read_body": True, "send": ["HTTP/1.1 200 OK{CRLF}{CRLF}"]}],
    "expect": {
        "results": [{"outcome": "response", "status": [200], "body": "x"}],
        "sent": [{"method": "POST", "headers": {"a": "b"}, "absent": ["te"], "body": "x"}],
        "connections": 1,
    },
}


def test_a_good_client_case_validates() -> None:
    assert validate_case({**GOOD_CLIENT, "protocol": "http1"}) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"requests": []}, "non-empty"),
        ({"requests": ["GET"]}, "must be an object"),
        ({"requests": [{"method": 1}]}, "method must be"),
        ({"requests": [{"path": "x"}]}, "path must start"),
        ({"requests": [{"headers": [["a"]]}]}, "pairs"),
        ({"requests": [{"body": "\r"}]}, "raw character"),
        ({"requests": [{"bogus": 1}]}, "unknown keys"),
        ({"requests": [{"pause": -1}]}, "pause must be"),
        ({"requests": [{"pause": 11}]}, "pause must be"),
        ({"requests": [{"pause": True}]}, "pause must be"),
        ({"respond": []}, "respond must be"),
        ({"respond": ["x"]}, "must be an object"),
        ({"respond": [{"read_body": "yes"}]}, "read_body"),
        ({"respond": [{"send": "x"}]}, "segments must be a list"),
        ({"expect": "x"}, "must be an object"),
        ({"expect": {"results": [{"outcome": "maybe"}]}}, "outcome must be"),
        ({"expect": {"results": [{"outcome": "error", "extra": 1}]}}, "unknown keys"),
        ({"expect": {"results": [{"outcome": "response", "status": ["abc"]}]}}, "status"),
        ({"expect": {"results": [{"outcome": "response", "body": "{BAD}"}]}}, "unknown escape"),
        ({"expect": {"results": [{"outcome": "any"}], "sent": "x"}}, "sent must be"),
        ({"expect": {"results": [{"outcome": "any"}], "sent": [1]}}, "must be an object"),
        ({"expect": {"results": [{"outcome": "any"}], "sent": [{"headers": []}]}}, "headers"),
        ({"expect": {"results": [{"outcome": "any"}], "sent": [{"absent": "te"}]}}, "absent"),
        ({"expect": {"results": [{"outcome": "any"}], "sent": [{"body": "\n"}]}}, "raw"),
        ({"expect": {"results": [{"outcome": "any"}], "connections": "1"}}, "connections"),
        ({"also": "x"}, "also must be a list"),
        ({"also": [{"results": [{"outcome": "any"}], "verdict": "PASS"}]}, "reason"),
        ({"id": "h1-srv-4-x"}, "h1-cli-"),
    ],
)
def test_bad_client_cases_are_refused(change: dict[str, object], message: str) -> None:
    errors = validate_case({**GOOD_CLIENT, **change, "protocol": "http1"})
    assert any(message in error for error in errors), errors


@pytest.mark.parametrize(
    ("response", "message"),
    [
        ("x", "is an object"),
        ({"status": [200], "body": "{NOPE}"}, "unknown escape"),
        ({"status": [200], "headers": {"a": 1}}, "headers must map"),
        ({"status": [200], "absent": "a"}, "absent"),
        ({"status": [200], "head": "yes"}, "head must be"),
        ({"status": [200], "interim": "100"}, "interim"),
        ({"status": []}, "status must be"),
    ],
)
def test_bad_server_expectations_are_refused(response: object, message: str) -> None:
    raw = {**GOOD, "protocol": "http1", "expect": {"responses": [response]}}
    errors = validate_case(raw)
    assert any(message in error for error in errors), errors


def test_server_expect_shapes() -> None:
    assert any("must be an object" in e for e in validate_case({**GOOD, "expect": []}))
    assert any("responses must be" in e for e in validate_case({**GOOD, "expect": {}}))
