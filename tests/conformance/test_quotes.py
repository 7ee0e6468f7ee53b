"""Every case quotes the sentence it tests, verbatim, and takes its level from that sentence."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from conformance import rfctext
from conformance.registry import load_cases
from conformance.websocket.families import build

CASES = load_cases()


def test_every_case_quotes_its_sentence_verbatim_and_at_its_level() -> None:
    problems = {
        case.id: rfctext.quote_problem(case.data.get("quote"), case.rfc, case.level)
        for case in CASES
    }
    assert {k: v for k, v in problems.items() if v} == {}
    assert all(case.quote[1] for case in CASES)


def test_the_corpus_uses_every_level_and_many_sentences() -> None:
    levels = Counter(case.level for case in CASES)
    assert set(levels) == {"MUST", "SHOULD", "MAY"}
    sentences = {case.quote for case in CASES}
    assert len(sentences) >= 120


def test_every_websocket_sentence_is_used_by_a_rule() -> None:
    from conformance.websocket.families.quotes import RULES, SENTENCES

    assert set(SENTENCES) == {name for _, name in RULES}


def test_generated_websocket_cases_all_have_a_rule() -> None:
    for side in ("server", "client"):
        for cases in build(side).values():
            assert [c["id"] for c in cases if "quote" not in c] == []


@pytest.mark.parametrize(
    ("number", "sha256"),
    [
        ("9110", "21c1cdce6ab0e5509b04d84a28000836c7a087cf786efe6f04877ebfff47232a"),
        ("9112", "e4f426bac6206b67fdf9e0da826154f70588db2133a0a86b15cde4ff725d8937"),
        ("6455", "765775326aee0ecca9b04bde3fd1f52932d498e33e34e428bd61b8a24da0fa3b"),
        ("7692", "e906dd278c9398eb2505f2f6b6cb149329025a4dbd16fe09e509bf79c9aa5b77"),
    ],
)
def test_the_vendored_texts_are_the_published_ones(number: str, sha256: str) -> None:
    data = (rfctext.RFCS_DIR / f"rfc{number}.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha256


def test_sections_are_cut_at_their_headings() -> None:
    text = rfctext.section_text("9112 §6.3")
    assert text.startswith("6.3. Message Body Length")
    assert "7. Transfer Codings" not in text
    assert rfctext.section_text("9112 §C.2.2").startswith("C.2.2. Keep-Alive Connections")
    assert rfctext.section_text("7692 §7.1.2.1").startswith("7.1.2.1.")
    # The paginated RFC 6455: page footers and headers are not part of the text.
    assert "[Page" not in rfctext.section_text("6455 §5.2")
    with pytest.raises(KeyError, match="not vendored"):
        rfctext.section_text("7230 §3.3.3")
    with pytest.raises(KeyError, match="no section"):
        rfctext.section_text("9112 §42")


def test_a_word_wrapped_at_its_hyphen_is_joined() -> None:
    assert rfctext.normalize("a request-\n   target and more") == "a request-target and more"
    assert rfctext.normalize("1 -\n 2") == "1 - 2"
    assert "request-target longer" in rfctext.section_text("9112 §3")


def test_levels_of_bcp14_keywords() -> None:
    assert rfctext.levels("A server MUST NOT send it.") == {"MUST"}
    assert rfctext.levels("It is RECOMMENDED; a client MAY ignore it.") == {"SHOULD", "MAY"}
    assert rfctext.levels("The server must parse it.") == set()  # lower case is not BCP 14


@pytest.mark.parametrize(
    ("quote", "level", "message"),
    [
        ("text", "MUST", "quote must be"),
        ({"from": "9112 §6.3", "text": " "}, "MUST", "sentence the case tests"),
        ({"from": "9112 §6.1", "text": "x"}, "MUST", "does not cite"),
        ({"from": "9112 §6.3", "text": "A server MUST be nice."}, "MUST", "not verbatim"),
        ({"from": "9112 §6.3", "text": "Message Body Length"}, "MUST", "no BCP 14 keyword"),
        (
            {
                "from": "9112 §6.3",
                "text": "A client MUST NOT process, cache, or forward such extra data as a "
                "separate response, since such behavior would be vulnerable to cache poisoning.",
            },
            "SHOULD",
            "level SHOULD but the quote says MUST",
        ),
    ],
)
def test_quote_problems_are_named(quote: object, level: str, message: str) -> None:
    problem = rfctext.quote_problem(quote, ["9112 §6.3"], level)
    assert problem is not None
    assert message in problem


def test_a_quote_may_be_wrapped_differently_from_the_text() -> None:
    quote = {
        "from": "9112 §6.3",
        "text": "A client MUST NOT process, cache,\n   or forward such extra data as a separate "
        "response, since such behavior would be vulnerable to cache poisoning.",
    }
    assert rfctext.quote_problem(quote, ["9112 §6.3"], "MUST") is None


def test_bcp14_sentences_of_a_section() -> None:
    found = rfctext.sentences("9112 §9.6")
    assert found[0].startswith("A sender SHOULD send a Connection header field")
    assert all(rfctext.levels(s) for s in found)


def test_the_coverage_page_is_up_to_date() -> None:
    from conformance import coverage

    assert coverage.main(["--check"]) == 0


def test_the_coverage_table_lists_covered_and_uncovered_sentences() -> None:
    from conformance import coverage

    data = coverage.table(CASES)
    rows = data["9112"]["9.6"]
    assert any(ids for _, ids in rows)
    assert "h1-srv-9.6-close-request" in {i for _, ids in rows for i in ids}
    proxies = [
        ids for sentence, ids in data["9112"]["3.2.2"] if sentence.startswith("When a proxy")
    ]
    assert proxies == [[]]  # a proxy's requirement: listed, uncovered
